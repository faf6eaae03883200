/**
 * AI/ML observability stack as code: typed cdk8s constructs composed by {@link ObservabilityChart}.
 * @packageDocumentation
 */
export * from './component-props.js';
export * from './credentials/credential-store.js';
export * from './delivery/chart-delivery.js';
export * from './delivery/create-delivery.js';
export * from './delivery/upstream-chart.js';
export * from './delivery/documented-value-keys.js';
export * from './delivery/helm-delivery.js';
export * from './delivery/flux-delivery.js';
export * from './delivery/argocd-delivery.js';
export * from './delivery/external-delivery.js';
export * from './delivery/helm-binary.js';
export * from './observability-chart.js';
export {
  CONFIG_FILE_ENV,
  DEFAULT_CONFIG_FILE,
  ConfigFileError,
  type ObservabilityConfig,
  configFilePath,
  configToProps,
  loadConfig,
  parseConfig,
} from './config/load-config.js';
export { CONFIG_SCHEMA } from './config/config-schema.js';
export { type ConfigField, type ConfigIssue } from './config/schema.js';
export { configReferenceMarkdown } from './config/config-reference.js';
export { synthesize } from './main.js';
export * from './exporter-mode.js';
export * from './dcgm-fields.js';
export * from './dcgm-exporter.js';
export * from './neuron-monitor.js';
export * from './gpu-exporters.js';
export * from './ray-endpoints.js';
export * from './observability-rules.js';
export { type Severity, type AlertRuleSpec, type RecordingRuleSpec, type RuleGroupSpec, isAlert, renderGroup, alertNames, addPrometheusRule } from './rules/rule-types.js';
export * from './rules/recording-rule-names.js';
export * from './rules/gpu-rules.js';
export * from './rules/vllm-rules.js';
export * from './rules/ray-rules.js';
export * from './config/gpu-telemetry-config.js';
export {
  HISTOGRAM_SUFFIXES,
  bucket as histogramBucket,
  sum as histogramSum,
  count as histogramCount,
  TARGET_LABELS,
  DCGM_METRICS,
  type DcgmMetric,
  DCGM_LABELS,
  VLLM_METRICS,
  VLLM_LEGACY_METRICS,
  VLLM_LABELS,
  RAY_METRICS,
  RAY_GCS_METRICS,
  RAY_SERVE_METRICS,
  RAY_AUTOSCALER_METRICS,
  RAY_LABELS,
  NEURON_METRICS,
  NEURON_LABELS,
  OPENCOST_METRICS,
  OPENCOST_LABELS,
  NODE_EXPORTER_METRICS,
  KUBE_PROMETHEUS_RECORDS,
  KSM_METRICS,
  KSM_LABELS,
  KSM_RESOURCES,
  FLUENT_BIT_METRICS,
  FLUENT_BIT_LABELS,
  METRIC_CATALOG,
  LABEL_CATALOG,
} from './metrics.js';
export * from './mcp/index.js';
export * from './gpu-dashboards.js';
export * from './dashboards/dashboard-ids.js';
export * from './dashboards/model.js';
export * from './dashboards/context.js';
export * from './dashboards/builder.js';
export * as dashboardPanels from './dashboards/panels.js';
export * from './opencost.js';
export type { OpenSearchTarget } from './opensearch-target.js';
export * from './opensearch-cluster.js';
export * from './fluent-bit-pipeline.js';
export * from './logs/log-fields.js';
export * from './logs/log-index-lifecycle.js';
export * from './logs/opensearch-datasource.js';
export * from './logs/opensearch-security.js';
export * from './logs/external-opensearch.js';
export * from './credentials/bcrypt.js';
export * from './rules/logging-rules.js';
export * from './config/logs-config.js';
export * from './prometheus-stack.js';
export * from './security.js';
export type { JsonObject } from './util/deep-merge.js';

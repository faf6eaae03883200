/**
 * AI/ML observability stack as code: typed cdk8s constructs composed by {@link ObservabilityChart}.
 * @packageDocumentation
 */
export * from './core/component-props.js';
export * from './core/credential-store.js';
export * from './core/chart-delivery.js';
export * from './delivery/create-delivery.js';
export * from './core/upstream-chart.js';
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
export * from './gpu/exporter-mode.js';
export * from './gpu/dcgm-fields.js';
export * from './gpu/dcgm-exporter.js';
export * from './gpu/neuron-monitor.js';
export * from './gpu/gpu-exporters.js';
export * from './ray/ray-endpoints.js';
export * from './rules/observability-rules.js';
export { type Severity, type AlertRuleSpec, type RecordingRuleSpec, type RuleGroupSpec, isAlert, renderGroup, alertNames, addPrometheusRule } from './core/rule-types.js';
export { GPU_RECORDS } from './gpu/gpu-records.js';
export { VLLM_RECORDS } from './vllm/vllm-records.js';
export { RAY_RECORDS } from './ray/ray-records.js';
export * from './gpu/gpu-rules.js';
export * from './vllm/vllm-rules.js';
export * from './ray/ray-rules.js';
export * from './config/gpu-telemetry-config.js';
export { HISTOGRAM_SUFFIXES, bucket as histogramBucket, sum as histogramSum, count as histogramCount, TARGET_LABELS } from './core/metric-names.js';
export { DCGM_METRICS, type DcgmMetric, DCGM_LABELS } from './gpu/dcgm-metrics.js';
export { VLLM_METRICS, VLLM_LEGACY_METRICS, VLLM_LABELS } from './vllm/vllm-metrics.js';
export { RAY_METRICS, RAY_GCS_METRICS, RAY_SERVE_METRICS, RAY_AUTOSCALER_METRICS, RAY_LABELS } from './ray/ray-metrics.js';
export { NEURON_METRICS, NEURON_LABELS } from './gpu/neuron-metrics.js';
export { OPENCOST_METRICS, OPENCOST_LABELS } from './opencost/opencost-metrics.js';
export { NODE_EXPORTER_METRICS, KUBE_PROMETHEUS_RECORDS, KSM_METRICS, KSM_LABELS, KSM_RESOURCES } from './prometheus/kube-metrics.js';
export { FLUENT_BIT_METRICS, FLUENT_BIT_LABELS } from './logs/fluent-bit/fluent-bit-metrics.js';
export * from './mcp/index.js';
export * from './dashboards/gpu-dashboards.js';
export * from './dashboards/toolkit/dashboard-ids.js';
export * from './dashboards/toolkit/model.js';
export * from './dashboards/toolkit/context.js';
export * from './dashboards/toolkit/builder.js';
export * as dashboardPanels from './dashboards/toolkit/panels.js';
export * from './opencost/opencost.js';
export type { OpenSearchTarget } from './core/opensearch-target.js';
export * from './logs/opensearch/opensearch-cluster.js';
export * from './logs/fluent-bit/fluent-bit-pipeline.js';
export * from './logs/log-fields.js';
export * from './logs/opensearch/log-index-lifecycle.js';
export * from './logs/opensearch/opensearch-datasource.js';
export * from './logs/opensearch/opensearch-security.js';
export * from './logs/opensearch/external-opensearch.js';
export * from './core/bcrypt.js';
export * from './logs/fluent-bit/logging-rules.js';
export * from './config/logs-config.js';
export * from './prometheus/prometheus-stack.js';
export type { PrometheusTarget } from './core/prometheus-target.js';
export * from './core/security.js';
export type { JsonObject } from './core/deep-merge.js';
export * from './agent/index.js';

/**
 * AI/ML observability stack as code: typed cdk8s constructs composed by {@link ObservabilityChart}.
 *
 * The public API: the constructs and their props, the target interfaces components use to find each other, the
 * delivery strategies, the credential stores and the config-file loader. Helpers, metric-name tables, rule
 * builders and the dashboard toolkit are internal (API.md is the report of what is exported).
 * @packageDocumentation
 */

// Composition root
export { ObservabilityChart, type ObservabilityChartProps, type Toggle, ENABLED_BY_DEFAULT, NODE_AGENTS_NAMESPACE_SUFFIX } from './observability-chart.js';
export { type NetworkPolicyOptions, ANY_ADDRESS } from './observability-network.js';

// Isolation: Pod Security levels of the namespaces, the ingress NetworkPolicies (docs/security.md)
export {
  POD_SECURITY_LEVELS,
  type PodSecurityLevel,
  POD_SECURITY_VERSION,
  POD_SECURITY_EXCEPTION_ANNOTATION,
  type PodSecurityNeed,
  type PodSecurityNamespaceProps,
  PodSecurityNamespace,
} from './core/pod-security.js';
export {
  type NetworkPort,
  type NetworkPods,
  type NetworkClient,
  type NetworkServer,
  type NetworkGrant,
  type StackNetworkProps,
  DEFAULT_DENY_POLICY_NAME,
  podClient,
  StackNetwork,
} from './core/network-access.js';
export { SECRET_MIRROR_IMAGE, type MirroredSecret, type SecretMirrorProps, SecretMirror } from './core/secret-mirror.js';

// Shared contracts
export { DEFAULT_NAMESPACE, type ComponentProps, type ChartComponentProps } from './core/component-props.js';
export type { PrometheusTarget } from './core/prometheus-target.js';
export type { OpenSearchTarget } from './core/opensearch-target.js';
export type { JsonObject } from './core/deep-merge.js';
export { restrictedContainerSecurityContext, restrictedPodSecurityContext, type ResourceSpec } from './core/security.js';
export type { RuleGroupSpec } from './core/rule-types.js';
export { synthWarnings } from './core/synth-warnings.js';
export type { DcgmMetric } from './gpu/dcgm-metrics.js';
export { type MessagePart, PropError, type PropIssue, type PropPath, describePropIssue } from './core/prop-error.js';
export {
  DEFAULT_CREDENTIALS_FILE,
  type CredentialStore,
  type FileCredentialStoreProps,
  FileCredentialStore,
  MemoryCredentialStore,
} from './core/credential-store.js';

// Delivery of the upstream charts
export { type DeliveryMode, DELIVERY_MODES, type ChartDelivery, DeliveryError } from './core/chart-delivery.js';
export { type UpstreamChart, type UpstreamChartRelease, UPSTREAM_CHARTS, type UpstreamChartName, type ChartValueOverrides } from './core/upstream-chart.js';
export { type DeliveryOptions, createDelivery } from './delivery/create-delivery.js';
export { DEFAULT_HELM_EXECUTABLE, type HelmDeliveryProps, HelmDelivery } from './delivery/helm-delivery.js';
export { DEFAULT_FLUX_INTERVAL, type FluxDeliveryProps, FluxDelivery } from './delivery/flux-delivery.js';
export { ARGOCD_DELIVERY_DEFAULTS, type ArgoCdDeliveryProps, ArgoCdDelivery } from './delivery/argocd-delivery.js';
export { ExternalDelivery } from './delivery/external-delivery.js';

// Metrics: Prometheus, exporters, scrape configuration, rules
export { type Platform, PLATFORMS, DEFAULT_PLATFORM } from './core/platform.js';
export {
  type CentralQueryProps,
  type GrafanaProps,
  PROMETHEUS_STACK_DEFAULTS,
  PROMETHEUS_STACK_PORTS,
  CONTROL_PLANE_COMPONENTS,
  type PrometheusStackProps,
  PrometheusStack,
  type ThanosSidecarProps,
} from './prometheus/prometheus-stack.js';
export {
  BASIC_AUTH_KEY_DEFAULTS,
  REMOTE_WRITE_QUEUE_DEFAULTS,
  REMOTE_WRITE_SENDS,
  type RemoteWriteProps,
  type RemoteWriteQueue,
  type RemoteWriteSend,
  type SecretKeyRef,
} from './prometheus/remote-write.js';
export { CLUSTER_LABEL, DEFAULT_CLUSTER_NAME } from './core/cluster-label.js';
export { OPENCOST_DEFAULTS, OPENCOST_PORTS, type OpenCostProps, OpenCost } from './opencost/opencost.js';
export { THANOS_HUB_DEFAULTS, THANOS_HUB_PORTS, type ThanosHubComponent, type ThanosHubProps, type ThanosObjectStorageSecret, type ThanosRetention, ThanosHub } from './thanos/thanos-hub.js';
export { type ExporterMode, EXPORTER_MODES, DEFAULT_EXPORTER_MODE, type ExistingExporter } from './gpu/exporter-mode.js';
export { type DcgmFieldType, type DcgmField, DEFAULT_DCGM_FIELDS } from './gpu/dcgm-fields.js';
export {
  DEFAULT_GPU_NODE_SELECTOR_TERMS,
  DEFAULT_GPU_TOLERATIONS,
  GPU_NODE_PLACEMENT,
  type AcceleratorNodePlacement,
  GPU_OPERATOR_DCGM_EXPORTER,
  type DcgmExporterOptions,
  type DcgmExporterProps,
  DcgmExporter,
  DCGM_EXPORTER_PORT,
} from './gpu/dcgm-exporter.js';
export { NEURON_MONITOR_IMAGE, NEURON_MONITOR_METRICS_PORT, AWS_NEURON_MONITOR, NEURON_PLATFORMS, type NeuronMonitorOptions, type NeuronMonitorProps, NeuronMonitor } from './gpu/neuron-monitor.js';
export { GPU_EXPORTERS_ENABLED_BY_DEFAULT, type GpuExportersProps, GpuExporters } from './gpu/gpu-exporters.js';
export { RAY_ENDPOINTS_DEFAULTS, type RayEndpointsProps, RayEndpoints } from './ray/ray-endpoints.js';
export { type ObservabilityRulesProps, ObservabilityRules } from './rules/observability-rules.js';
export { GPU_ALERT_DEFAULTS, type GpuAlertThresholds } from './gpu/gpu-rules.js';
export { type LatencyQuantile, VLLM_ALERT_DEFAULTS, type VllmAlertThresholds } from './vllm/vllm-rules.js';
export type { RayAlertThresholds } from './ray/ray-rules.js';

// Dashboards
export { type GrafanaDashboardTarget, DEFAULT_DASHBOARD_LOGS_SOURCE, type GpuDashboardsProps, GpuDashboards } from './dashboards/gpu-dashboards.js';
export { GPU_DASHBOARD_UIDS, type GpuDashboardName, GPU_DASHBOARD_NAMES, type DashboardUrlOptions, gpuDashboardUrl } from './dashboards/toolkit/dashboard-ids.js';
export type { LogsSource } from './dashboards/toolkit/context.js';
export type { DashboardVariable } from './dashboards/toolkit/dashboard-ids.js';
export type { GrafanaDashboard } from './dashboards/toolkit/model.js';

// Logs
export { type OpenSearchUsersProps, type OpenSearchNodesProps, type OpenSearchDashboardsProps, type OpenSearchClusterProps, OpenSearchCluster, OPENSEARCH_PORTS } from './logs/opensearch/opensearch-cluster.js';
export { OPENSEARCH_SNAPSHOTS_DEFAULTS, type OpenSearchSnapshotsProps, type OpenSearchSnapshotsConstructProps, type SnapshotClusterSettings, OpenSearchSnapshots } from './logs/opensearch/opensearch-snapshots.js';
export { LOG_INDEX_LIFECYCLE_DEFAULTS, type LogIndexLifecycleProps, LogIndexLifecycle } from './logs/opensearch/log-index-lifecycle.js';
export { LOG_STREAM_BOOTSTRAP_DEFAULTS, type LogStreamBootstrapProps, LogStreamBootstrap } from './logs/opensearch/log-stream-bootstrap.js';
export { CERTIFICATE_EXPIRY_CHECK_DEFAULTS, type CertificateSecret, type CertificateExpiryCheckProps, CertificateExpiryCheck } from './logs/opensearch/certificate-expiry-check.js';
export { OPENSEARCH_CERTIFICATES_DEFAULTS, type OpenSearchCertManagerProps, type OpenSearchCertificatesProps, OpenSearchCertificates } from './logs/opensearch/opensearch-certificates.js';
export { LOG_STORAGE_ALERTS, type WatchedCronJob, type LogStorageRuleOptions, logStorageRuleGroup, type LogStorageAlertsProps, LogStorageAlerts } from './logs/opensearch/log-storage-alerts.js';
export { type GrafanaOpenSearchSource, type GrafanaDatasourceTarget, type OpenSearchDatasourceProps, OpenSearchDatasource } from './logs/opensearch/opensearch-datasource.js';
export { EXTERNAL_OPENSEARCH_DEFAULTS, type ExternalOpenSearchTargetProps, externalOpenSearchTarget, type ExternalOpenSearch } from './logs/opensearch/external-opensearch.js';
export { FLUENT_BIT_DEFAULTS, FLUENT_BIT_METRICS_NETWORK_PORT, type FluentBitPipelineProps, FluentBitPipeline } from './logs/fluent-bit/fluent-bit-pipeline.js';
export type { PipelinePieces } from './logs/fluent-bit/built-in-pipeline.js';

// MCP servers for agents
export * from './mcp/index.js';

// The diagnosis agent in the cluster: the construct only. Its loop, tools and providers are the
// `aiml-observability agent` command's, not the library's API (their AI SDK types would not compile in the app
// `cdk8s init` makes).
export { OBSERVABILITY_AGENT_DEFAULTS, EKS_POD_IDENTITY_AGENT, type ObservabilityAgentLlmProps, type ObservabilityAgentProps, ObservabilityAgent } from './agent/observability-agent.js';
export { AGENT_PROVIDERS, type AgentProvider, AGENT_WEB_PORT } from './agent/agent-web-contract.js';

// The config file (observability.yaml)
export {
  CONFIG_FILE_ENV,
  DEFAULT_CONFIG_FILE,
  ConfigFileError,
  type ConfigIssue,
  type KeyLocator,
  type LoadedConfig,
  configErrorFromPropError,
  configFilePath,
  loadConfig,
  readConfig,
} from './config/load-config.js';

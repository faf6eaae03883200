/**
 * The config-file keys of the GPU telemetry: `exporters` (dcgm-exporter, neuron-monitor), `endpoints` (Ray scrape
 * configuration, i.e. RayEndpoints) and `alerts` (GPU / vLLM thresholds). Schema, combination checks and the
 * mapping onto ObservabilityChartProps live here so config-schema.ts and load-config.ts only plug them in.
 */
import { GPU_OPERATOR_DCGM_EXPORTER, NVIDIA_GPU_PRESENT_LABEL } from '../gpu/dcgm-exporter.js';
import { EXPORTER_MODES, type ExporterMode } from '../gpu/exporter-mode.js';
import { AWS_NEURON_MONITOR, NEURON_MONITOR_IMAGE } from '../gpu/neuron-monitor.js';
import type { ObservabilityChartProps } from '../observability-chart.js';
import type { ConfigField, ConfigIssue } from './schema.js';

const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_DOC = 'must be a DNS label: lower-case letters, digits and "-", at most 63 characters';
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const DURATION_DOC = 'must be a Prometheus duration such as 30m or 1h';

const modeDoc = (what: string, existing: string) =>
  `\`deploy\`: run ${what} as a DaemonSet on the accelerator nodes; \`existing\`: only scrape one that already runs (${existing}).`;

/** `exporters`: the accelerator exporters. */
export const EXPORTERS_CONFIG_SCHEMA = {
  kind: 'object',
  doc: 'Accelerator exporters (needs prometheus-stack).',
  fields: {
    dcgm: {
      kind: 'object',
      doc: `NVIDIA dcgm-exporter 4.8.2. On by default: it only runs on NVIDIA GPU nodes (${NVIDIA_GPU_PRESENT_LABEL}=true and the like), so it costs nothing elsewhere.`,
      fields: {
        enabled: { kind: 'boolean', default: true, doc: 'Collect NVIDIA GPU metrics.' },
        mode: { kind: 'enum', values: EXPORTER_MODES, default: 'deploy', doc: modeDoc('dcgm-exporter', 'the NVIDIA GPU operator\'s Service nvidia-dcgm-exporter, port gpu-metrics') },
        existingNamespace: {
          kind: 'string',
          default: GPU_OPERATOR_DCGM_EXPORTER.namespace,
          doc: 'Namespace of the existing exporter (mode `existing`).',
          pattern: DNS_LABEL,
          patternDoc: DNS_LABEL_DOC,
        },
      },
    },
    neuron: {
      kind: 'object',
      doc: 'AWS neuron-monitor for Inferentia / Trainium nodes. Off by default: AWS-only, and it needs a privileged container.',
      fields: {
        enabled: { kind: 'boolean', default: false, doc: 'Collect AWS Neuron metrics.' },
        mode: { kind: 'enum', values: EXPORTER_MODES, default: 'deploy', doc: modeDoc('neuron-monitor', 'pods labelled app=neuron-monitor, port 8000, as in AWS\'s manifest') },
        image: { kind: 'string', default: NEURON_MONITOR_IMAGE, doc: 'neuron-monitor image (mode `deploy`).' },
        existingNamespace: {
          kind: 'string',
          default: AWS_NEURON_MONITOR.namespace,
          doc: 'Namespace of the existing neuron-monitor (mode `existing`).',
          pattern: DNS_LABEL,
          patternDoc: DNS_LABEL_DOC,
        },
      },
    },
  },
} as const satisfies ConfigField;

/** `endpoints`: Ray (KubeRay) scrape configuration and Ray rules. */
export const ENDPOINTS_CONFIG_SCHEMA = {
  kind: 'object',
  doc: 'Ray (KubeRay) head ServiceMonitor, worker PodMonitor and Ray rules (needs prometheus-stack).',
  fields: {
    enabled: { kind: 'boolean', default: true, doc: 'Scrape Ray clusters in every namespace.' },
    normalizeVllmMetricNames: { kind: 'boolean', default: true, doc: 'Rename the ray_vllm_* metrics Ray Serve LLM re-exports to vLLM\'s own vllm:* names.' },
    dropUnreadHistogramBuckets: {
      kind: 'boolean',
      default: true,
      doc: 'Drop the `_bucket` series of the vLLM / Ray Serve histograms no dashboard, rule or alert reads (their `_sum` and `_count` stay); turn off to chart them yourself.',
    },
  },
} as const satisfies ConfigField;

/** `alerts`: GPU and vLLM rules and the thresholds users tune most. */
export const ALERTS_CONFIG_SCHEMA = {
  kind: 'object',
  doc: 'GPU and vLLM recording rules and alerts (needs prometheus-stack).',
  fields: {
    enabled: { kind: 'boolean', default: true, doc: 'Install the GPU and vLLM rules.' },
    ttftSloSeconds: { kind: 'number', default: 2, min: 0.001, doc: 'vLLM time-to-first-token SLO (seconds, p95): VllmTtftSloBreach fires above it.' },
    gpuIdleUtilizationPercent: { kind: 'number', default: 5, min: 0, max: 100, doc: 'GPU utilisation (percent, 5-minute mean) at or below which an allocated GPU counts as idle.' },
    gpuIdleFor: { kind: 'string', default: '30m', doc: 'How long GPUs stay allocated and idle before GpuAllocatedButIdle fires.', pattern: DURATION, patternDoc: DURATION_DOC },
    gpuMemoryUsedRatio: { kind: 'number', default: 0.95, min: 0, max: 1, doc: 'GPU framebuffer fill (0-1) above which GpuMemoryNearlyFull fires.' },
    gpuTemperatureCelsius: { kind: 'number', default: 85, min: 0, max: 150, doc: 'GPU temperature above which GpuTemperatureHigh fires.' },
    vllmQueueLength: { kind: 'number', default: 10, min: 0, doc: 'Waiting requests per model above which VllmRequestQueueBuildingUp fires.' },
    vllmKvCacheUsageRatio: { kind: 'number', default: 0.95, min: 0, max: 1, doc: 'KV-cache usage (0-1) above which VllmKvCacheSaturated fires.' },
  },
} as const satisfies ConfigField;

type Toggle = { readonly enabled?: boolean };

/** The validated content of the three sections. */
export interface GpuTelemetryConfig {
  readonly exporters?: {
    readonly dcgm?: Toggle & { readonly mode?: ExporterMode; readonly existingNamespace?: string };
    readonly neuron?: Toggle & { readonly mode?: ExporterMode; readonly image?: string; readonly existingNamespace?: string };
  };
  readonly endpoints?: Toggle & { readonly normalizeVllmMetricNames?: boolean; readonly dropUnreadHistogramBuckets?: boolean };
  readonly alerts?: Toggle & {
    readonly ttftSloSeconds?: number;
    readonly gpuIdleUtilizationPercent?: number;
    readonly gpuIdleFor?: string;
    readonly gpuMemoryUsedRatio?: number;
    readonly gpuTemperatureCelsius?: number;
    readonly vllmQueueLength?: number;
    readonly vllmKvCacheUsageRatio?: number;
  };
}

/** Explicitly enabled sections that cannot work without the Prometheus stack (defaults just leave them out). */
export function gpuTelemetryConfigIssues(config: GpuTelemetryConfig, context: { readonly prometheusOn: boolean }): ConfigIssue[] {
  if (context.prometheusOn) return [];
  const asked: Array<[string, boolean | undefined]> = [
    ['exporters.dcgm.enabled', config.exporters?.dcgm?.enabled],
    ['exporters.neuron.enabled', config.exporters?.neuron?.enabled],
    ['endpoints.enabled', config.endpoints?.enabled],
    ['alerts.enabled', config.alerts?.enabled],
  ];
  return asked
    .filter(([, on]) => on === true)
    .map(([path]) => ({ path, message: `needs the Prometheus stack: set prometheus-stack.enabled to true, or ${path} to false` }));
}

/** Maps the sections onto ObservabilityChartProps (`gpuExporters`, `rayEndpoints`, `alerts`). */
export function gpuTelemetryConfigToProps(config: GpuTelemetryConfig): Pick<ObservabilityChartProps, 'gpuExporters' | 'rayEndpoints' | 'alerts'> {
  const dcgm = config.exporters?.dcgm ?? {};
  const neuron = config.exporters?.neuron ?? {};
  const alerts = config.alerts ?? {};
  const anyExporter = (dcgm.enabled ?? true) || (neuron.enabled ?? false);
  return {
    gpuExporters: {
      // Both exporters off turns the component off; explicit `true` on either asks for it.
      enabled: dcgm.enabled === true || neuron.enabled === true ? true : anyExporter ? undefined : false,
      dcgm: {
        enabled: dcgm.enabled,
        mode: dcgm.mode,
        existing: dcgm.existingNamespace ? { ...GPU_OPERATOR_DCGM_EXPORTER, namespace: dcgm.existingNamespace } : undefined,
      },
      neuron: {
        enabled: neuron.enabled,
        mode: neuron.mode,
        image: neuron.image,
        existing: neuron.existingNamespace ? { ...AWS_NEURON_MONITOR, namespace: neuron.existingNamespace } : undefined,
      },
    },
    rayEndpoints: {
      enabled: config.endpoints?.enabled,
      normalizeVllmMetricNames: config.endpoints?.normalizeVllmMetricNames,
      dropUnreadHistogramBuckets: config.endpoints?.dropUnreadHistogramBuckets,
    },
    alerts: {
      enabled: alerts.enabled,
      gpu: {
        idleUtilizationPercent: alerts.gpuIdleUtilizationPercent,
        idleFor: alerts.gpuIdleFor,
        memoryUsedRatio: alerts.gpuMemoryUsedRatio,
        temperatureCelsius: alerts.gpuTemperatureCelsius,
      },
      vllm: { ttftSloSeconds: alerts.ttftSloSeconds, queueLength: alerts.vllmQueueLength, kvCacheUsageRatio: alerts.vllmKvCacheUsageRatio },
    },
  };
}

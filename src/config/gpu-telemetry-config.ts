/**
 * The config file's keys of the GPU telemetry: `exporters` (dcgm-exporter, neuron-monitor), `endpoints` (Ray scrape
 * configuration) and `alerts` (GPU / vLLM thresholds), with their mapping onto ObservabilityChartProps.
 */
import { z } from 'zod';
import { GPU_OPERATOR_DCGM_EXPORTER, NVIDIA_GPU_PRESENT_LABEL } from '../gpu/dcgm-exporter.js';
import { DEFAULT_EXPORTER_MODE } from '../gpu/exporter-mode.js';
import { EXPORTER_VALUE_TYPES, GPU_ALERT_VALUE_TYPES, NEURON_MONITOR_VALUE_TYPES } from '../gpu/gpu-value-types.js';
import { GPU_EXPORTERS_ENABLED_BY_DEFAULT } from '../gpu/gpu-exporters.js';
import { AWS_NEURON_MONITOR, NEURON_MONITOR_IMAGE } from '../gpu/neuron-monitor.js';
import { ENABLED_BY_DEFAULT, type ObservabilityChartProps } from '../observability-chart.js';
import { RAY_ENDPOINTS_DEFAULTS } from '../ray/ray-endpoints.js';
import { GPU_ALERT_DEFAULTS } from '../gpu/gpu-rules.js';
import { VLLM_ALERT_DEFAULTS } from '../vllm/vllm-rules.js';
import { VLLM_ALERT_VALUE_TYPES } from '../vllm/vllm-value-types.js';
import { key, section, toggle } from './keys.js';

const modeDoc = (what: string, existing: string) =>
  `\`deploy\`: run ${what} as a DaemonSet on the accelerator nodes; \`existing\`: only scrape one that already runs (${existing}).`;

/** `exporters`, `endpoints` and `alerts`. */
export const GPU_TELEMETRY_KEYS = {
  exporters: section('Accelerator exporters (needs prometheus-stack).', {
    dcgm: section(
      `NVIDIA dcgm-exporter 4.8.2. On by default: it only runs on NVIDIA GPU nodes (${NVIDIA_GPU_PRESENT_LABEL}=true and the like), so it costs nothing elsewhere.`,
      {
        enabled: toggle('Collect NVIDIA GPU metrics.', GPU_EXPORTERS_ENABLED_BY_DEFAULT.dcgm),
        mode: key(EXPORTER_VALUE_TYPES.mode, {
          description: modeDoc('dcgm-exporter', "the NVIDIA GPU operator's Service nvidia-dcgm-exporter, port gpu-metrics"),
          default: DEFAULT_EXPORTER_MODE,
        }),
        existingNamespace: key(EXPORTER_VALUE_TYPES.namespace, {
          description: 'Namespace of the existing exporter (mode `existing`).',
          default: GPU_OPERATOR_DCGM_EXPORTER.namespace,
        }),
        operatorCountersConfigMap: key(z.boolean(), {
          description:
            "Mode `existing`: write our DCGM counters list as a ConfigMap (key dcgm-metrics.csv) in the exporter's namespace, for the GPU operator's ClusterPolicy spec.dcgmExporter.config.name (the operator's default list lacks fields the dashboards read).",
          default: false,
        }),
      },
    ),
    neuron: section('AWS neuron-monitor for Inferentia / Trainium nodes. Off by default: AWS-only, and it needs a privileged container.', {
      enabled: toggle('Collect AWS Neuron metrics.', GPU_EXPORTERS_ENABLED_BY_DEFAULT.neuron),
      mode: key(EXPORTER_VALUE_TYPES.mode, {
        description: modeDoc('neuron-monitor', "pods labelled app=neuron-monitor, port 8000, as in AWS's manifest"),
        default: DEFAULT_EXPORTER_MODE,
      }),
      image: key(NEURON_MONITOR_VALUE_TYPES.image, { description: 'neuron-monitor image (mode `deploy`).', default: NEURON_MONITOR_IMAGE }),
      existingNamespace: key(EXPORTER_VALUE_TYPES.namespace, {
        description: 'Namespace of the existing neuron-monitor (mode `existing`).',
        default: AWS_NEURON_MONITOR.namespace,
      }),
    }),
  }),
  endpoints: section('Ray (KubeRay) head ServiceMonitor, worker PodMonitor and Ray rules (needs prometheus-stack).', {
    enabled: toggle('Scrape Ray clusters in every namespace.', ENABLED_BY_DEFAULT.rayEndpoints),
    normalizeVllmMetricNames: key(z.boolean(), {
      description: "Rename the ray_vllm_* metrics Ray Serve LLM re-exports to vLLM's own vllm:* names.",
      default: RAY_ENDPOINTS_DEFAULTS.normalizeVllmMetricNames,
    }),
    dropUnreadHistogramBuckets: key(z.boolean(), {
      description:
        'Drop the `_bucket` series of the vLLM / Ray Serve histograms no dashboard, rule or alert reads (their `_sum` and `_count` stay); turn off to chart them yourself.',
      default: RAY_ENDPOINTS_DEFAULTS.dropUnreadHistogramBuckets,
    }),
    dropCounterGaugeTwins: key(z.boolean(), {
      description:
        'Drop the deprecated gauge twins Ray exports next to every Ray Serve / vLLM counter (`<name>` beside `<name>_total`, same values; or set RAY_EXPORT_COUNTER_AS_GAUGE=0 on the Ray containers).',
      default: RAY_ENDPOINTS_DEFAULTS.dropCounterGaugeTwins,
    }),
  }),
  alerts: section('GPU and vLLM recording rules and alerts (needs prometheus-stack).', {
    enabled: toggle('Install the GPU and vLLM rules.', ENABLED_BY_DEFAULT.alerts),
    ttftSloSeconds: key(VLLM_ALERT_VALUE_TYPES.ttftSloSeconds, {
      description: 'vLLM time-to-first-token SLO (seconds, p95): VllmTtftSloBreach fires above it.',
      default: VLLM_ALERT_DEFAULTS.ttftSloSeconds,
    }),
    gpuIdleUtilizationPercent: key(GPU_ALERT_VALUE_TYPES.idleUtilizationPercent, {
      description: 'GPU utilisation (percent, 5-minute mean) at or below which an allocated GPU counts as idle.',
      default: GPU_ALERT_DEFAULTS.idleUtilizationPercent,
    }),
    gpuIdleFor: key(GPU_ALERT_VALUE_TYPES.idleFor, {
      description: 'How long GPUs stay allocated and idle before GpuAllocatedButIdle fires.',
      default: GPU_ALERT_DEFAULTS.idleFor,
    }),
    gpuMemoryUsedRatio: key(GPU_ALERT_VALUE_TYPES.memoryUsedRatio, {
      description: 'GPU framebuffer fill (0-1) above which GpuMemoryNearlyFull fires.',
      default: GPU_ALERT_DEFAULTS.memoryUsedRatio,
    }),
    gpuTemperatureCelsius: key(GPU_ALERT_VALUE_TYPES.temperatureCelsius, {
      description: 'GPU temperature above which GpuTemperatureHigh fires.',
      default: GPU_ALERT_DEFAULTS.temperatureCelsius,
    }),
    vllmQueueLength: key(VLLM_ALERT_VALUE_TYPES.queueLength, {
      description: 'Waiting requests per model above which VllmRequestQueueBuildingUp fires.',
      default: VLLM_ALERT_DEFAULTS.queueLength,
    }),
    vllmKvCacheUsageRatio: key(VLLM_ALERT_VALUE_TYPES.kvCacheUsageRatio, {
      description: 'KV-cache usage (0-1) above which VllmKvCacheSaturated fires.',
      default: VLLM_ALERT_DEFAULTS.kvCacheUsageRatio,
    }),
  }),
} as const;

const gpuTelemetryConfig = z.object(GPU_TELEMETRY_KEYS);

/** Maps `exporters`, `endpoints` and `alerts` onto the chart's `gpuExporters`, `rayEndpoints` and `alerts`. */
export function gpuTelemetryConfigToProps(config: z.output<typeof gpuTelemetryConfig>): Pick<ObservabilityChartProps, 'gpuExporters' | 'rayEndpoints' | 'alerts'> {
  const dcgm = config.exporters?.dcgm;
  const neuron = config.exporters?.neuron;
  const alerts = config.alerts;
  return {
    gpuExporters: {
      dcgm: {
        enabled: dcgm?.enabled,
        mode: dcgm?.mode,
        existing: dcgm?.existingNamespace ? { ...GPU_OPERATOR_DCGM_EXPORTER, namespace: dcgm.existingNamespace } : undefined,
        operatorCountersConfigMap: dcgm?.operatorCountersConfigMap,
      },
      neuron: {
        enabled: neuron?.enabled,
        mode: neuron?.mode,
        image: neuron?.image,
        existing: neuron?.existingNamespace ? { ...AWS_NEURON_MONITOR, namespace: neuron.existingNamespace } : undefined,
      },
    },
    rayEndpoints: {
      enabled: config.endpoints?.enabled,
      normalizeVllmMetricNames: config.endpoints?.normalizeVllmMetricNames,
      dropUnreadHistogramBuckets: config.endpoints?.dropUnreadHistogramBuckets,
      dropCounterGaugeTwins: config.endpoints?.dropCounterGaugeTwins,
    },
    alerts: {
      enabled: alerts?.enabled,
      gpu: {
        idleUtilizationPercent: alerts?.gpuIdleUtilizationPercent,
        idleFor: alerts?.gpuIdleFor,
        memoryUsedRatio: alerts?.gpuMemoryUsedRatio,
        temperatureCelsius: alerts?.gpuTemperatureCelsius,
      },
      vllm: { ttftSloSeconds: alerts?.ttftSloSeconds, queueLength: alerts?.vllmQueueLength, kvCacheUsageRatio: alerts?.vllmKvCacheUsageRatio },
    },
  };
}

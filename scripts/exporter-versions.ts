/**
 * Which exporter, at which version, each dashboard panel reads, for docs/dashboards.md (issue 10: "say which exporter
 * versions each panel was checked against"). A panel's metric names are resolved through our recording rules (and the
 * kube-prometheus-stack records the dashboards read) down to the exporters' own metrics, then mapped to the exporter
 * by the metric-name constants of src/ (each held against the metric catalog by test/core/metrics.test.ts).
 *
 * "Checked against" means: the metric names, types, labels and value semantics were read in that version's source (the
 * files named in {@link EXPORTER_VERSIONS}) and the test fixture (test/prometheus/fixture/exporters/) models that
 * version; the real-Prometheus proof then checks the panel's value against the fixture's truth.
 * @module
 */
import { DCGM_METRICS } from '../src/gpu/dcgm-metrics.js';
import { gpuRuleGroups } from '../src/gpu/gpu-rules.js';
import { NEURON_METRICS } from '../src/gpu/neuron-metrics.js';
import { neuronRuleGroups } from '../src/gpu/neuron-rules.js';
import { FLUENT_BIT_METRICS } from '../src/logs/fluent-bit/fluent-bit-metrics.js';
import { OPENCOST_METRICS } from '../src/opencost/opencost-metrics.js';
import { KSM_METRICS, KUBE_PROMETHEUS_RECORDS, NODE_EXPORTER_METRICS } from '../src/prometheus/kube-metrics.js';
import { nodeRuleGroups } from '../src/prometheus/node-rules.js';
import { RAY_AUTOSCALER_METRICS, RAY_GCS_METRICS, RAY_METRICS, RAY_SERVE_METRICS, RAY_TRAIN_METRICS } from '../src/ray/ray-metrics.js';
import { rayRuleGroups } from '../src/ray/ray-rules.js';
import { VLLM_LEGACY_METRICS, VLLM_METRICS } from '../src/vllm/vllm-metrics.js';
import { vllmRuleGroups } from '../src/vllm/vllm-rules.js';

/** An exporter at the version the panels were checked against, and the upstream files read. */
export interface ExporterVersion {
  readonly name: string;
  readonly version: string;
  readonly source: string;
}

/** The exporters the dashboards read, at the versions checked. */
export const EXPORTER_VERSIONS = {
  dcgm: {
    name: 'dcgm-exporter',
    version: '4.8.2 (4.5.3-4.8.2)',
    source: 'NVIDIA/dcgm-exporter etc/default-counters.csv, etc/dcp-metrics-included.csv, internal/pkg/collector/expcollector.go, internal/pkg/rendermetrics/render_metrics.go',
  },
  vllm: {
    name: 'vLLM (V1 engine)',
    version: '0.10-0.12',
    source: 'vllm-project/vllm vllm/v1/metrics/loggers.py, vllm/v1/spec_decode/metrics.py; under Ray Serve LLM vllm/v1/metrics/ray_wrappers.py',
  },
  ray: {
    name: 'Ray',
    version: '2.46-2.49 (Ray 2.53+ drops WorkerId by default: see VllmMetricsAggregatedByRay)',
    source:
      'ray-project/ray python/ray/_private/metrics_agent.py, python/ray/_private/telemetry/metric_cardinality.py, src/ray/stats/metric_defs.cc, doc/source/ray-observability/reference/system-metrics.rst',
  },
  rayServe: { name: 'Ray Serve', version: '2.46-2.49', source: 'ray-project/ray python/ray/serve/_private/proxy.py, python/ray/serve/_private/replica.py' },
  rayTrain: { name: 'Ray Train (v2)', version: '2.46-2.49', source: 'ray-project/ray python/ray/train/v2/_internal/callbacks/metrics.py' },
  ksm: { name: 'kube-state-metrics', version: 'v2.17.0 (kube-prometheus-stack 88.5.3)', source: 'kubernetes/kube-state-metrics internal/store/pod.go, node.go, replicaset.go' },
  nodeExporter: {
    name: 'node-exporter',
    version: 'v1.10.2 (kube-prometheus-stack 88.5.3)',
    source: 'prometheus/node_exporter collector/netdev_linux.go, collector/diskstats_linux.go, collector/cpu_linux.go, collector/meminfo.go',
  },
  cadvisor: { name: 'kubelet / cAdvisor', version: 'Kubernetes 1.32, cAdvisor v0.52.1', source: 'google/cadvisor metrics/prometheus.go' },
  kpsRules: { name: 'kube-prometheus-stack recording rules', version: 'chart 88.5.3', source: 'its node-exporter.rules and k8s.rules groups' },
  opencost: { name: 'OpenCost', version: '1.120 (chart 2.5.17; source read at v1.112)', source: 'opencost/opencost pkg/costmodel/metrics.go, pkg/costmodel/costmodel.go' },
  neuron: { name: 'neuron-monitor', version: 'Neuron SDK 2.x', source: 'aws-neuron/aws-neuron-sdk neuron-monitor user guide, neuron-monitor-prometheus.py' },
  fluentBit: { name: 'Fluent Bit', version: '5.1.0 (fluent-operator 4.3.0)', source: 'fluent/fluent-bit src/flb_input.c, src/flb_output.c' },
} as const satisfies Record<string, ExporterVersion>;

export type ExporterKey = keyof typeof EXPORTER_VERSIONS;

/** The exporter of each raw metric name, from the name constants of src/. */
function rawMetricExporters(): Map<string, ExporterKey> {
  const byExporter: [ExporterKey, readonly object[]][] = [
    ['dcgm', [DCGM_METRICS]],
    ['vllm', [VLLM_METRICS, VLLM_LEGACY_METRICS]],
    ['ray', [RAY_METRICS, RAY_GCS_METRICS, RAY_AUTOSCALER_METRICS]],
    ['rayServe', [RAY_SERVE_METRICS]],
    ['rayTrain', [RAY_TRAIN_METRICS]],
    ['ksm', [KSM_METRICS]],
    ['nodeExporter', [NODE_EXPORTER_METRICS]],
    ['opencost', [OPENCOST_METRICS]],
    ['neuron', [NEURON_METRICS]],
    ['fluentBit', [FLUENT_BIT_METRICS]],
  ];
  const map = new Map<string, ExporterKey>();
  for (const [key, objects] of byExporter) for (const o of objects) for (const name of Object.values(o)) if (typeof name === 'string') map.set(name, key);
  return map;
}

/** What a kube-prometheus-stack record the dashboards read is computed from. */
const KPS_RECORD_SOURCES: Readonly<Record<string, readonly ExporterKey[]>> = {
  [KUBE_PROMETHEUS_RECORDS.NODE_CPU_UTILISATION_RATE5M]: ['nodeExporter', 'kpsRules'],
  [KUBE_PROMETHEUS_RECORDS.NODE_MEMORY_UTILISATION_RATIO]: ['nodeExporter', 'kpsRules'],
  [KUBE_PROMETHEUS_RECORDS.NODE_NETWORK_RECEIVE_BYTES_EXCLUDING_LO_RATE5M]: ['nodeExporter', 'kpsRules'],
  [KUBE_PROMETHEUS_RECORDS.NODE_NETWORK_TRANSMIT_BYTES_EXCLUDING_LO_RATE5M]: ['nodeExporter', 'kpsRules'],
  [KUBE_PROMETHEUS_RECORDS.NODE_DISK_IO_TIME_RATE5M]: ['nodeExporter', 'kpsRules'],
  [KUBE_PROMETHEUS_RECORDS.CONTAINER_CPU_USAGE_SUM_RATE5M]: ['cadvisor', 'ksm', 'kpsRules'],
  [KUBE_PROMETHEUS_RECORDS.CONTAINER_MEMORY_WORKING_SET_BYTES]: ['cadvisor', 'ksm', 'kpsRules'],
  [KUBE_PROMETHEUS_RECORDS.WORKLOAD_POD_OWNER]: ['ksm', 'kpsRules'],
};

/**
 * Returns a function giving the exporters (in {@link EXPORTER_VERSIONS} order) behind a list of metric names a panel
 * reads; `metricNames` parses PromQL. Names no exporter or rule explains are returned under `unknown`.
 */
export function exportersOfPanels(metricNames: (expr: string) => readonly string[]): (names: readonly string[]) => { exporters: ExporterKey[]; unknown: string[] } {
  const raw = rawMetricExporters();
  const records = new Map<string, readonly string[]>();
  // The Neuron rules' job label only selects `up`; any job name gives the same record inputs.
  for (const group of [...gpuRuleGroups(), ...vllmRuleGroups(), ...rayRuleGroups(), ...nodeRuleGroups(), ...neuronRuleGroups('neuron-monitor')]) {
    for (const rule of group.rules) if ('record' in rule) records.set(rule.record, [...(records.get(rule.record) ?? []), ...metricNames(rule.expr)]);
  }
  const resolve = (name: string, seen: Set<string>, out: Set<ExporterKey>, unknown: Set<string>): void => {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    const key = raw.get(name) ?? raw.get(base);
    if (key) return void out.add(key);
    const kps = KPS_RECORD_SOURCES[name];
    if (kps) return void kps.forEach((k) => out.add(k));
    const inputs = records.get(name);
    if (inputs && !seen.has(name)) return void inputs.forEach((n) => resolve(n, new Set([...seen, name]), out, unknown));
    if (!name.startsWith('logs:')) unknown.add(name);
  };
  const order = Object.keys(EXPORTER_VERSIONS) as ExporterKey[];
  return (names) => {
    const out = new Set<ExporterKey>();
    const unknown = new Set<string>();
    for (const n of names) resolve(n, new Set(), out, unknown);
    return { exporters: order.filter((k) => out.has(k)), unknown: [...unknown] };
  };
}

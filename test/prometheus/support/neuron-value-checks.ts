/**
 * Value checks of the Neuron panels and recording rules (test code): known answers computed from the fixture's
 * model of neuron-monitor (fixture/exporters/neuron-monitor.ts: the memory a runtime holds, the cores it uses, its
 * execution rate and failing share, its latency) and of kube-state-metrics (the Neuron devices and cores the nodes
 * offer, what the pods request), never from the metrics the exporters render.
 * @module
 */
import { podAlive, type ClusterModel, type NodeModel, type PodModel } from '../fixture/cluster.js';
import { nodeExtendedAllocatable } from '../fixture/exporters/kube-state-metrics.js';
import { NEURON_NODE_HOURLY_PRICE } from '../fixture/exporters/opencost.js';
import {
  NEURON_EXECUTIONS_PER_SECOND,
  NEURON_LATENCY_FACTORS,
  NEURON_RUNTIME_MEMORY,
  NEURON_SICK_ERROR_SHARE,
  NEURONCORE_MEMORY,
  neuronCoresOf,
  neuronCoreUtilization,
  neuronLatencyP50,
} from '../fixture/exporters/neuron-monitor.js';
import type { CheckContext, ValueCheck } from './value-checks.js';

const NEURON = 'Neuron (Inferentia / Trainium)';
const FLEET = 'GPU fleet and cost';
const NEURONCORE_RESOURCE = 'aws.amazon.com/neuroncore';
const STATUS_TYPES = ['completed', 'completed_with_err', 'completed_with_num_err', 'timed_out', 'incorrect_input', 'failed_to_queue'] as const;

const offsetOf = (ctx: CheckContext) => ctx.at - ctx.startedAt;
/** The Neuron runtimes (Neuron inference pods) running at the answer's moment. */
const runtimes = (ctx: CheckContext): PodModel[] => ctx.cluster.pods.filter((p) => p.role.kind === 'neuron-inference' && podAlive(p, offsetOf(ctx)));
const neuronNodes = (c: ClusterModel): NodeModel[] => c.nodes.filter((n) => n.neuron);
const failing = (ctx: CheckContext, pod: PodModel) => ctx.cluster.sick.neuronErrors.includes(pod);
/** Sums a value per key over the running runtimes. */
function perRuntime(ctx: CheckContext, key: (p: PodModel) => string, value: (p: PodModel) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of runtimes(ctx)) out[key(p)] = (out[key(p)] ?? 0) + value(p);
  return out;
}
/** NeuronCores the running pods request: whole devices times the node's cores per device. */
const allocatedCores = (ctx: CheckContext) => runtimes(ctx).reduce((n, p) => n + neuronCoresOf(p), 0);
const allocatableCores = (ctx: CheckContext) =>
  neuronNodes(ctx.cluster).reduce((n, node) => n + (nodeExtendedAllocatable(ctx.cluster, node, offsetOf(ctx))[NEURONCORE_RESOURCE] ?? 0), 0);
/**
 * The value a panel shows is the last scrape before the answer's moment (every 30 s), and the fixture's utilisation
 * moves between scrapes (level(): a 90 s and a 7 s wave): the answer is the middle of what the core showed in the
 * last scrape interval, the tolerance half its widest swing over one interval.
 */
/** The PodMonitor's interval, and a few seconds of scrape jitter. */
const SCRAPE_SECONDS = 35;
function utilInLastScrape(node: NodeModel, core: number, at: number): number {
  const seen = Array.from({ length: SCRAPE_SECONDS + 1 }, (_, i) => neuronCoreUtilization(node, core, at - i));
  return (Math.min(...seen) + Math.max(...seen)) / 2;
}
const coreUtil = (ctx: CheckContext) =>
  Object.fromEntries(runtimes(ctx).flatMap((p) => Array.from({ length: neuronCoresOf(p) }, (_, core) => [`${p.node.name}/${core}`, utilInLastScrape(p.node, core, ctx.at)])));
const meanUtilByNode = (ctx: CheckContext) => {
  const byNode: Record<string, number[]> = {};
  for (const [key, util] of Object.entries(coreUtil(ctx))) (byNode[key.split('/')[0]!] ??= []).push(util);
  return Object.fromEntries(Object.entries(byNode).map(([node, us]) => [node, us.reduce((a, b) => a + b, 0) / us.length]));
};
const errorShare = (ctx: CheckContext, p: PodModel) => (failing(ctx, p) ? NEURON_SICK_ERROR_SHARE : 0);
const executionsByStatus = (ctx: CheckContext) => {
  const out: Record<string, number> = Object.fromEntries(STATUS_TYPES.map((s) => [s, 0]));
  for (const p of runtimes(ctx)) {
    out.completed! += NEURON_EXECUTIONS_PER_SECOND * (1 - errorShare(ctx, p));
    out.completed_with_err! += NEURON_EXECUTIONS_PER_SECOND * errorShare(ctx, p);
  }
  return out;
};
const failedRatioByNode = (ctx: CheckContext) => perRuntime(ctx, (p) => p.node.name, (p) => errorShare(ctx, p));
/** Worst runtime's latency at a percentile, per node. */
const latencyByNode = (ctx: CheckContext, p: keyof typeof NEURON_LATENCY_FACTORS) => {
  const out: Record<string, number> = {};
  for (const pod of runtimes(ctx)) out[pod.node.name] = Math.max(out[pod.node.name] ?? 0, neuronLatencyP50(failing(ctx, pod)) * NEURON_LATENCY_FACTORS[p]);
  return out;
};
/** The counter rates step with the 30 s scrape and swing ±20 % around the mean (fixture counterAt). */
const RATE_TOLERANCE = { rel: 0.25, abs: 0.05 };
/** Half the widest swing of the fixture's utilisation over SCRAPE_SECONDS ((0.7 x 0.12 x 2π x 35/90 + 0.3 x 0.12 x 2) / 2 = 0.139). */
const UTIL_TOLERANCE = { abs: 0.14 };

/** The Neuron value checks of the sick day. */
export const NEURON_VALUE_CHECKS: readonly ValueCheck[] = [
  // ---- Neuron dashboard (all nodes selected) ----
  { id: `${NEURON} / Allocatable NeuronCores`, panel: { dashboard: NEURON, title: 'Allocatable NeuronCores' }, expected: (_t, ctx) => allocatableCores(ctx) },
  { id: `${NEURON} / Allocated NeuronCores`, panel: { dashboard: NEURON, title: 'Allocated NeuronCores' }, expected: (_t, ctx) => allocatedCores(ctx) },
  {
    id: `${NEURON} / Mean NeuronCore utilisation`,
    panel: { dashboard: NEURON, title: 'Mean NeuronCore utilisation' },
    expected: (_t, ctx) => {
      const u = Object.values(coreUtil(ctx));
      return u.reduce((a, b) => a + b, 0) / u.length;
    },
    tolerance: UTIL_TOLERANCE,
  },
  { id: `${NEURON} / Failed executions`, panel: { dashboard: NEURON, title: 'Failed executions' }, expected: (_t, ctx) => Math.max(...Object.values(failedRatioByNode(ctx))), tolerance: { rel: 0.3 } },
  { id: `${NEURON} / NeuronCore utilisation per core`, panel: { dashboard: NEURON, title: 'NeuronCore utilisation' }, by: ['node', 'neuroncore'], expected: (_t, ctx) => coreUtil(ctx), tolerance: UTIL_TOLERANCE },
  { id: `${NEURON} / Mean NeuronCore utilisation per node`, panel: { dashboard: NEURON, title: 'Mean NeuronCore utilisation per node' }, by: ['node'], expected: (_t, ctx) => meanUtilByNode(ctx), tolerance: UTIL_TOLERANCE },
  {
    id: `${NEURON} / Runtime memory: device`,
    panel: { dashboard: NEURON, title: 'Runtime memory: host vs device', refId: 'A' },
    by: ['node'],
    expected: (_t, ctx) => perRuntime(ctx, (p) => p.node.name, () => NEURON_RUNTIME_MEMORY.neuron_device),
  },
  {
    id: `${NEURON} / Runtime memory: host`,
    panel: { dashboard: NEURON, title: 'Runtime memory: host vs device', refId: 'B' },
    by: ['node'],
    expected: (_t, ctx) => perRuntime(ctx, (p) => p.node.name, () => NEURON_RUNTIME_MEMORY.host),
  },
  {
    id: `${NEURON} / Device memory by use (tensors)`,
    panel: { dashboard: NEURON, title: 'Device memory by use', refId: 'A' },
    by: ['node'],
    expected: (_t, ctx) => perRuntime(ctx, (p) => p.node.name, (p) => neuronCoresOf(p) * NEURONCORE_MEMORY.tensors),
  },
  {
    id: `${NEURON} / Device memory by use (constants)`,
    panel: { dashboard: NEURON, title: 'Device memory by use', refId: 'B' },
    by: ['node'],
    expected: (_t, ctx) => perRuntime(ctx, (p) => p.node.name, (p) => neuronCoresOf(p) * NEURONCORE_MEMORY.constants),
  },
  { id: `${NEURON} / Executions by outcome`, panel: { dashboard: NEURON, title: 'Executions by outcome' }, by: ['status_type'], expected: (_t, ctx) => executionsByStatus(ctx), tolerance: RATE_TOLERANCE },
  {
    id: `${NEURON} / Execution errors by type`,
    panel: { dashboard: NEURON, title: 'Execution errors by type' },
    by: ['node', 'error_type'],
    // the fixture's failing runtime reports its errors as `generic`; every other type stays 0 and the panel hides zeros
    expected: (_t, ctx) =>
      Object.fromEntries(runtimes(ctx).filter((p) => failing(ctx, p)).map((p) => [`${p.node.name}/generic`, NEURON_EXECUTIONS_PER_SECOND * NEURON_SICK_ERROR_SHARE])),
    tolerance: RATE_TOLERANCE,
  },
  { id: `${NEURON} / Execution latency p50`, panel: { dashboard: NEURON, title: 'Execution latency', refId: 'A' }, by: ['node'], expected: (_t, ctx) => latencyByNode(ctx, 'p50'), tolerance: { rel: 0.1 } },
  { id: `${NEURON} / Execution latency p99`, panel: { dashboard: NEURON, title: 'Execution latency', refId: 'B' }, by: ['node'], expected: (_t, ctx) => latencyByNode(ctx, 'p99'), tolerance: { rel: 0.1 } },

  // ---- fleet and cost: NeuronCores, apart from GPUs ----
  { id: `${FLEET} / Allocatable NeuronCores`, panel: { dashboard: FLEET, title: 'Allocatable NeuronCores' }, expected: (_t, ctx) => allocatableCores(ctx) },
  { id: `${FLEET} / Allocated NeuronCores`, panel: { dashboard: FLEET, title: 'Allocated NeuronCores' }, expected: (_t, ctx) => allocatedCores(ctx) },
  {
    id: `${FLEET} / Neuron node spend rate`,
    panel: { dashboard: FLEET, title: 'Neuron node spend rate' },
    expected: (_t, ctx) => neuronNodes(ctx.cluster).length * NEURON_NODE_HOURLY_PRICE,
    tolerance: { abs: 1e-3 },
  },
  {
    id: `${FLEET} / Allocated NeuronCores per namespace`,
    panel: { dashboard: FLEET, title: 'Allocated NeuronCores per namespace' },
    by: ['namespace'],
    expected: (_t, ctx) => perRuntime(ctx, (p) => p.namespace, neuronCoresOf),
  },

  // ---- recording rules ----
  { id: 'record cluster:kube_pod_neuroncore_requests:sum', record: 'cluster:kube_pod_neuroncore_requests:sum', expected: (_t, ctx) => allocatedCores(ctx) },
  { id: 'record cluster:kube_node_neuroncore_allocatable:sum', record: 'cluster:kube_node_neuroncore_allocatable:sum', expected: (_t, ctx) => allocatableCores(ctx) },
  { id: 'record node:neuroncore_utilization:avg', record: 'node:neuroncore_utilization:avg', by: ['node'], expected: (_t, ctx) => meanUtilByNode(ctx), tolerance: UTIL_TOLERANCE },
  { id: 'record node:neuron_execution_failed:ratio_rate5m', record: 'node:neuron_execution_failed:ratio_rate5m', by: ['node'], expected: (_t, ctx) => failedRatioByNode(ctx), tolerance: { rel: 0.3, abs: 1e-6 } },
  {
    id: 'record node_memory_location:neuron_runtime_memory_used_bytes:sum',
    record: 'node_memory_location:neuron_runtime_memory_used_bytes:sum',
    by: ['node', 'memory_location'],
    expected: (_t, ctx) => ({
      ...perRuntime(ctx, (p) => `${p.node.name}/host`, () => NEURON_RUNTIME_MEMORY.host),
      ...perRuntime(ctx, (p) => `${p.node.name}/neuron_device`, () => NEURON_RUNTIME_MEMORY.neuron_device),
    }),
  },
];

/**
 * Which sick-day problem an alert is about (test code): an alert points at a GPU (UUID with GPU_I_ID on MIG, or
 * node + gpu), a pod (namespace + pod), a model (model_name), a Ray cluster (ray_io_cluster) or a node (node alone);
 * the fixture knows which GPUs, pods, models, clusters and nodes are sick.
 */
import type { ClusterModel, GpuInstance } from '../fixture/cluster.js';
import type { PromAlert } from './prometheus-runner.js';

/** A sick-day problem, e.g. `xid gpu-node-1/0`, `idle ml-research/notebook-alice-0`, `vllm ml-inference/meta-llama/...`. */
export type Problem = string;

function gpuName(gpu: GpuInstance): string {
  return `${gpu.node.name}/${gpu.index}${gpu.mig ? `/${gpu.mig.instanceId}` : ''}`;
}

/** Every problem of the cluster's scenario (none on a healthy day). */
export function problemsOf(cluster: ClusterModel): Problem[] {
  const s = cluster.sick;
  return [
    ...s.idlePods.map((p) => `idle ${p.namespace}/${p.name}`),
    ...s.xidGpus.map((x) => `xid ${gpuName(x.gpu)}`),
    ...s.throttlingGpus.map((g) => `throttling ${gpuName(g)}`),
    ...s.vanishedGpus.map((g) => `vanished ${gpuName(g)}`),
    ...s.saturatedVllm.map((v) => `vllm ${v.namespace}/${v.modelName}`),
    ...s.rayOomKills.map((c) => `ray-oom ${c.namespace}/${c.name}`),
    ...s.neuronErrors.map((p) => `neuron ${p.namespace}/${p.name}`),
  ];
}

/** The problems an alert points at (empty when it points at nothing sick). */
export function problemsOfAlert(cluster: ClusterModel, alert: PromAlert): Problem[] {
  const l = alert.labels;
  const s = cluster.sick;
  const out = new Set<Problem>();
  const gpuProblems = (gpu: GpuInstance) => {
    if (s.xidGpus.some((x) => x.gpu === gpu)) out.add(`xid ${gpuName(gpu)}`);
    if (s.throttlingGpus.includes(gpu)) out.add(`throttling ${gpuName(gpu)}`);
    if (s.vanishedGpus.includes(gpu)) out.add(`vanished ${gpuName(gpu)}`);
  };
  const gpus = cluster.gpus.filter((g) => {
    const instance = g.mig ? l.GPU_I_ID === String(g.mig.instanceId) : l.GPU_I_ID === undefined;
    if (l.UUID !== undefined) return g.uuid === l.UUID && instance;
    return l.gpu !== undefined && l.node === g.node.name && l.gpu === String(g.index) && instance;
  });
  for (const gpu of gpus) gpuProblems(gpu);
  if (l.pod !== undefined && l.namespace !== undefined) {
    for (const pod of s.idlePods) if (pod.name === l.pod && pod.namespace === l.namespace) out.add(`idle ${pod.namespace}/${pod.name}`);
    for (const pod of s.neuronErrors) if (pod.name === l.pod && pod.namespace === l.namespace) out.add(`neuron ${pod.namespace}/${pod.name}`);
    // a pod-level alert about a pod holding a sick GPU
    if (gpus.length === 0) for (const gpu of cluster.gpus.filter((g) => g.holders.some((h) => h.pod.name === l.pod && h.pod.namespace === l.namespace))) gpuProblems(gpu);
  }
  if (l.model_name !== undefined) {
    for (const v of s.saturatedVllm) if (v.modelName === l.model_name && (l.namespace === undefined || l.namespace === v.namespace)) out.add(`vllm ${v.namespace}/${v.modelName}`);
  }
  if (l.ray_io_cluster !== undefined) {
    for (const c of s.rayOomKills) if (c.name === l.ray_io_cluster && (l.namespace === undefined || l.namespace === c.namespace)) out.add(`ray-oom ${c.namespace}/${c.name}`);
    for (const v of s.saturatedVllm) if (v.rayCluster.name === l.ray_io_cluster && (l.namespace === undefined || l.namespace === v.namespace)) out.add(`vllm ${v.namespace}/${v.modelName}`);
  }
  // a node-level alert (a node, no GPU, no pod of the workload): GPUs gone or taken out of service, Neuron errors
  const aboutWorkloadPod = l.pod !== undefined && cluster.pods.some((p) => p.name === l.pod && p.role.kind !== 'system');
  if (l.node !== undefined && l.gpu === undefined && l.UUID === undefined && l.model_name === undefined && !aboutWorkloadPod) {
    for (const gpu of s.vanishedGpus) if (gpu.node.name === l.node) out.add(`vanished ${gpuName(gpu)}`);
    for (const x of s.xidGpus) if (x.gpu.node.name === l.node) out.add(`xid ${gpuName(x.gpu)}`);
    for (const pod of s.neuronErrors) if (pod.node.name === l.node) out.add(`neuron ${pod.namespace}/${pod.name}`);
  }
  return [...out];
}

/**
 * Alerts the current rules raise about nothing sick on the realistic fixture, with the section of
 * docs/issue-10-fix-plan.md that fixes them. They are reported, not failed, and do not count as reporting a
 * problem. Remove an entry with its fix.
 */
export const KNOWN_FALSE_ALERTS: Readonly<Record<string, string>> = {
  GpuXidError: 'DCGM_FI_DEV_XID_ERRORS is sticky: it pages the next tenant of a GPU that once had an XID (fix 3)',
};

/** Problems no current rule reports on the realistic fixture, with the fix that adds the alert. */
export function knownUnreported(cluster: ClusterModel, problem: Problem): string | undefined {
  if (problem.startsWith('vanished ')) return 'GPU fell off the bus: GpuMissing (fix 3)';
  if (problem.startsWith('xid ')) return 'GpuFatalXidError resolves with the 5-minute window (fix 3)';
  const idleMig = cluster.sick.idlePods.some((p) => problem === `idle ${p.namespace}/${p.name}` && p.gpus.some((g) => g.mig));
  if (idleMig) return 'MIG utilisation reads 0 and MIG requests are not counted (fix 4)';
  return undefined;
}

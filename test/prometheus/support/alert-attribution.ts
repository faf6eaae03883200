/**
 * Which sick-day problem an alert is about (test code): an alert points at a GPU (UUID, or node + gpu), a pod
 * (namespace + pod) or a model (model_name); the fixture knows which GPUs, pods and models are sick.
 */
import type { ClusterModel, GpuInstance } from '../fixture/cluster.js';
import type { PromAlert } from './prometheus-runner.js';

/** A sick-day problem, e.g. `xid gpu-node-1/0`, `idle ml-research/notebook-alice-0`, `vllm meta-llama/...`. */
export type Problem = string;

function gpuName(gpu: GpuInstance): string {
  return `${gpu.node.name}/${gpu.index}`;
}

/** Every problem of the cluster's scenario (none on a healthy day). */
export function problemsOf(cluster: ClusterModel): Problem[] {
  return [
    ...cluster.sick.idleAllocatedGpus.map((g) => `idle ${g.holder!.pod.namespace}/${g.holder!.pod.name}`),
    ...cluster.sick.xidGpus.map((x) => `xid ${gpuName(x.gpu)}`),
    ...cluster.sick.throttlingGpus.map((g) => `throttling ${gpuName(g)}`),
    ...cluster.sick.saturatedVllm.map((s) => `vllm ${s.namespace}/${s.modelName}`),
  ];
}

/** The problems an alert points at (empty when it points at nothing sick). */
export function problemsOfAlert(cluster: ClusterModel, alert: PromAlert): Problem[] {
  const l = alert.labels;
  const out = new Set<Problem>();
  const gpus = cluster.gpus.filter(
    (g) => (l.UUID !== undefined && g.uuid === l.UUID) || (l.UUID === undefined && l.gpu !== undefined && l.node === g.node.name && l.gpu === String(g.index)),
  );
  const podGpus = l.pod !== undefined && l.namespace !== undefined && gpus.length === 0 ? cluster.gpus.filter((g) => g.holder?.pod.name === l.pod && g.holder.pod.namespace === l.namespace) : [];
  for (const gpu of [...gpus, ...podGpus]) {
    if (cluster.sick.idleAllocatedGpus.includes(gpu)) out.add(`idle ${gpu.holder!.pod.namespace}/${gpu.holder!.pod.name}`);
    if (cluster.sick.xidGpus.some((x) => x.gpu === gpu)) out.add(`xid ${gpuName(gpu)}`);
    if (cluster.sick.throttlingGpus.includes(gpu)) out.add(`throttling ${gpuName(gpu)}`);
  }
  if (l.model_name !== undefined) {
    for (const s of cluster.sick.saturatedVllm) if (s.modelName === l.model_name && (l.namespace === undefined || l.namespace === s.namespace)) out.add(`vllm ${s.namespace}/${s.modelName}`);
  }
  return [...out];
}

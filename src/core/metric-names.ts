/**
 * Metric-name helpers (histogram series suffixes) and the labels our own scrape configuration adds to every series.
 * The exporters' metric names live with their component (gpu/, vllm/, ray/, opencost/, prometheus/, logs/).
 * @module
 */

/** Series suffixes of a Prometheus histogram. */
export const HISTOGRAM_SUFFIXES = { bucket: '_bucket', sum: '_sum', count: '_count' } as const;

/** `<name>_bucket` of a histogram metric. */
export function bucket(name: string): string {
  return `${name}${HISTOGRAM_SUFFIXES.bucket}`;
}
/** `<name>_sum` of a histogram/summary metric. */
export function sum(name: string): string {
  return `${name}${HISTOGRAM_SUFFIXES.sum}`;
}
/** `<name>_count` of a histogram/summary metric. */
export function count(name: string): string {
  return `${name}${HISTOGRAM_SUFFIXES.count}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Labels our own scrape configuration adds (relabelings of the ServiceMonitors / PodMonitors this library emits)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Prometheus labels the library's ServiceMonitors / PodMonitors attach to every series they scrape, so GPU, Ray
 * and vLLM series can be joined: `node` (the Kubernetes node, on GPU/Neuron exporter and Ray series) and the Ray
 * labels from KubeRay's pod labels. Not exporter facts: these are ours (see gpu-exporters.ts, ray-endpoints.ts).
 */
export const TARGET_LABELS = {
  /** Kubernetes node name, from `__meta_kubernetes_pod_node_name`. */
  NODE: 'node',
  /** RayCluster name, from the `ray.io/cluster` pod label. */
  RAY_CLUSTER: 'ray_io_cluster',
  /** `head` or `worker`, from the `ray.io/node-type` pod label. */
  RAY_NODE_TYPE: 'ray_io_node_type',
  /** Worker group name, from the `ray.io/group` pod label. */
  RAY_GROUP: 'ray_io_group',
} as const;

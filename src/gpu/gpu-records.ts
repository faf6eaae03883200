/**
 * Names of the GPU recording rules (gpu-rules.ts), so dashboards query the pre-aggregated series instead of
 * re-aggregating raw ones. Naming follows the Prometheus convention `level:metric:operations` (level = the labels kept).
 * @module
 */

/** GPU recording rules (dcgm-exporter joined with kube-state-metrics). */
export const GPU_RECORDS = {
  /** Mean GPU utilisation (percent 0-100) per workload pod: labels namespace, pod. */
  UTIL_BY_POD: 'namespace_pod:dcgm_gpu_utilization:avg',
  /** Mean GPU utilisation (percent 0-100) per namespace: label namespace. */
  UTIL_BY_NAMESPACE: 'namespace:dcgm_gpu_utilization:avg',
  /** Mean GPU utilisation (percent 0-100) per node: label node. */
  UTIL_BY_NODE: 'node:dcgm_gpu_utilization:avg',
  /** Mean GPU utilisation (percent 0-100) per Ray cluster: labels namespace, ray_io_cluster. */
  UTIL_BY_RAY_CLUSTER: 'namespace_ray_io_cluster:dcgm_gpu_utilization:avg',
  /** Mean tensor-pipe activity (ratio 0-1) per workload pod: labels namespace, pod. */
  TENSOR_ACTIVE_BY_POD: 'namespace_pod:dcgm_tensor_active:avg',
  /** GPU framebuffer used / (used + free), ratio 0-1, per GPU: labels node, gpu, UUID, modelName, namespace, pod. */
  MEMORY_USED_RATIO: 'gpu:dcgm_fb_used:ratio',
  /** GPUs requested by running pods, per namespace: label namespace. */
  ALLOCATED_BY_NAMESPACE: 'namespace:kube_pod_gpu_requests:sum',
  /** GPUs requested by running pods, cluster total (no labels). */
  ALLOCATED: 'cluster:kube_pod_gpu_requests:sum',
  /** Allocatable GPUs, cluster total (no labels). */
  ALLOCATABLE: 'cluster:kube_node_gpu_allocatable:sum',
  /** GPUs whose 5m mean utilisation is above the idle threshold, cluster total (no labels). */
  BUSY: 'cluster:dcgm_gpu_busy:count',
  /** GPUs whose 5m mean utilisation is above the idle threshold, per namespace: label namespace. */
  BUSY_BY_NAMESPACE: 'namespace:dcgm_gpu_busy:count',
  /** Per workload pod: GPUs requested while the pod's GPUs' 5m mean utilisation is at or below the idle threshold. */
  ALLOCATED_IDLE_BY_POD: 'namespace_pod:kube_pod_gpu_requests_idle:sum',
  /**
   * GPU spend rate in dollars per hour, per namespace: OpenCost's `container_gpu_allocation` of each pod times
   * `node_gpu_hourly_cost` of the pod's node (OpenCost's own node label): label namespace.
   */
  ALLOCATED_COST_BY_NAMESPACE: 'namespace:container_gpu_allocation_hourly_cost:sum',
  /**
   * Spend rate of the allocated but idle GPUs in dollars per hour, per namespace: {@link GPU_RECORDS.ALLOCATED_IDLE_BY_POD}
   * placed on the pod's node by `kube_pod_info` and priced at that node's `node_gpu_hourly_cost`: label namespace.
   */
  IDLE_COST_BY_NAMESPACE: 'namespace:kube_pod_gpu_requests_idle_hourly_cost:sum',
  /**
   * As {@link GPU_RECORDS.IDLE_COST_BY_NAMESPACE}, per job: the pods' controller from `kube_pod_owner`; labels
   * namespace, owner_kind, owner_name.
   */
  IDLE_COST_BY_OWNER: 'namespace_owner_kind_owner_name:kube_pod_gpu_requests_idle_hourly_cost:sum',
} as const;

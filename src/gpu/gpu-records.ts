/**
 * Names of the GPU recording rules (gpu-rules.ts), so dashboards query the pre-aggregated series instead of
 * re-aggregating raw ones. Naming follows the Prometheus convention `level:metric:operations` (level = the labels kept).
 * @module
 */

/** GPU recording rules (dcgm-exporter joined with kube-state-metrics). */
export const GPU_RECORDS = {
  /**
   * Activity of each GPU or MIG instance, percent 0-100: DCGM_FI_DEV_GPU_UTIL on whole GPUs, 100 x
   * DCGM_FI_PROF_GR_ENGINE_ACTIVE on MIG instances (where GPU_UTIL reads 0); the labels of the DCGM series.
   */
  ACTIVITY: 'gpu:dcgm_gpu_activity:percent',
  /**
   * What each GPU series is worth in GPU-equivalents: 1 for a whole GPU, compute slices / 7 for a MIG instance (by
   * GPU_I_PROFILE, e.g. 1g.10gb = 1/7); the labels of {@link GPU_RECORDS.ACTIVITY}. Means over GPUs weigh by it.
   */
  SHARE: 'gpu:dcgm_gpu_share:ratio',
  /** Mean activity (percent 0-100) per workload pod, weighted by GPU-equivalents: labels namespace, pod. */
  UTIL_BY_POD: 'namespace_pod:dcgm_gpu_utilization:avg',
  /** Mean activity (percent 0-100) per namespace, weighted by GPU-equivalents: label namespace. */
  UTIL_BY_NAMESPACE: 'namespace:dcgm_gpu_utilization:avg',
  /** Mean activity (percent 0-100) of a node's GPUs (held or not), weighted by GPU-equivalents: label node. */
  UTIL_BY_NODE: 'node:dcgm_gpu_utilization:avg',
  /** Mean activity (percent 0-100) per Ray cluster, weighted by GPU-equivalents: labels namespace, ray_io_cluster. */
  UTIL_BY_RAY_CLUSTER: 'namespace_ray_io_cluster:dcgm_gpu_utilization:avg',
  /** Mean tensor-pipe activity (ratio 0-1) per workload pod, weighted by GPU-equivalents: labels namespace, pod. */
  TENSOR_ACTIVE_BY_POD: 'namespace_pod:dcgm_tensor_active:avg',
  /** GPU framebuffer used / (used + free), ratio 0-1, per GPU: labels node, gpu, UUID, modelName, namespace, pod. */
  MEMORY_USED_RATIO: 'gpu:dcgm_fb_used:ratio',
  /**
   * GPU-equivalents requested by each running pod (kube-state-metrics' own series only: `nvidia.com/gpu` = 1,
   * `nvidia.com/mig-<N>g.*` = N/7): labels namespace, pod, node.
   */
  ALLOCATED_BY_POD: 'namespace_pod:kube_pod_gpu_requests:sum',
  /** GPU-equivalents requested by running pods, per namespace: label namespace. */
  ALLOCATED_BY_NAMESPACE: 'namespace:kube_pod_gpu_requests:sum',
  /** GPU-equivalents requested by running pods, cluster total (no labels). */
  ALLOCATED: 'cluster:kube_pod_gpu_requests:sum',
  /** GPU-equivalents each node has (kube_node_status_capacity, healthy or not): label node. */
  NODE_CAPACITY: 'node:kube_node_gpu_capacity:sum',
  /** GPU-equivalents each node offers to pods (kube_node_status_allocatable: the device plugin's healthy GPUs): label node. */
  NODE_ALLOCATABLE: 'node:kube_node_gpu_allocatable:sum',
  /** Allocatable GPU-equivalents, cluster total (no labels). */
  ALLOCATABLE: 'cluster:kube_node_gpu_allocatable:sum',
  /** Physical GPUs dcgm-exporter reports per node (a GPU that fell off the bus has no series): label node. */
  NODE_REPORTED: 'node:dcgm_gpus_reported:count',
  /** GPU-equivalents whose 5m mean activity is above the idle threshold, cluster total (no labels). */
  BUSY: 'cluster:dcgm_gpu_busy:count',
  /** GPU-equivalents whose 5m mean activity is above the idle threshold, per namespace: label namespace. */
  BUSY_BY_NAMESPACE: 'namespace:dcgm_gpu_busy:count',
  /**
   * Per workload pod: GPU-equivalents requested while every GPU (or MIG instance) of the pod has a 5m mean activity
   * at or below the idle threshold: labels namespace, pod, node.
   */
  ALLOCATED_IDLE_BY_POD: 'namespace_pod:kube_pod_gpu_requests_idle:sum',
  /**
   * As {@link GPU_RECORDS.ALLOCATED_IDLE_BY_POD}, per job: the pods' controller, a Deployment for a Deployment's pods
   * (kube_pod_owner, and kube_replicaset_owner for ReplicaSets); labels namespace, owner_kind, owner_name.
   */
  IDLE_BY_OWNER: 'namespace_owner_kind_owner_name:kube_pod_gpu_requests_idle:sum',
  /**
   * GPU spend rate in dollars per hour, per namespace: {@link GPU_RECORDS.ALLOCATED_BY_POD} (GPU-equivalents, MIG
   * included) times OpenCost's `node_gpu_hourly_cost` of the pod's node: label namespace.
   */
  ALLOCATED_COST_BY_NAMESPACE: 'namespace:kube_pod_gpu_requests_hourly_cost:sum',
  /**
   * Spend rate of the allocated but idle GPUs in dollars per hour, per namespace: {@link GPU_RECORDS.ALLOCATED_IDLE_BY_POD}
   * priced at the pod's node's `node_gpu_hourly_cost`: label namespace.
   */
  IDLE_COST_BY_NAMESPACE: 'namespace:kube_pod_gpu_requests_idle_hourly_cost:sum',
  /** As {@link GPU_RECORDS.IDLE_COST_BY_NAMESPACE}, per job (as {@link GPU_RECORDS.IDLE_BY_OWNER}); labels namespace, owner_kind, owner_name. */
  IDLE_COST_BY_OWNER: 'namespace_owner_kind_owner_name:kube_pod_gpu_requests_idle_hourly_cost:sum',
} as const;

/**
 * Metric and label names of OpenCost.
 *
 * Facts come from `../shared/metrics/catalog.yaml`; `test/core/metrics.test.ts` holds every name here against it,
 * so a typo fails the build. Dashboards and rules import these constants instead of re-typing names.
 * @module
 */

/** OpenCost metric names. */
export const OPENCOST_METRICS = {
  NODE_TOTAL_HOURLY_COST: 'node_total_hourly_cost',
  NODE_CPU_HOURLY_COST: 'node_cpu_hourly_cost',
  NODE_RAM_HOURLY_COST: 'node_ram_hourly_cost',
  NODE_GPU_HOURLY_COST: 'node_gpu_hourly_cost',
  NODE_GPU_COUNT: 'node_gpu_count',
  NODE_IS_SPOT: 'kubecost_node_is_spot',
  PV_HOURLY_COST: 'pv_hourly_cost',
  CONTAINER_CPU_ALLOCATION: 'container_cpu_allocation',
  CONTAINER_MEMORY_ALLOCATION_BYTES: 'container_memory_allocation_bytes',
  CONTAINER_GPU_ALLOCATION: 'container_gpu_allocation',
  CLUSTER_MANAGEMENT_COST: 'kubecost_cluster_management_cost',
} as const;

/** Labels OpenCost sets. */
export const OPENCOST_LABELS = {
  NODE: 'node',
  INSTANCE_TYPE: 'instance_type',
  NAMESPACE: 'namespace',
  POD: 'pod',
  CONTAINER: 'container',
} as const;

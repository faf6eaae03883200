/**
 * Names of the Ray recording rules (ray-rules.ts), so dashboards query the pre-aggregated series instead of
 * re-aggregating raw ones. Naming follows the Prometheus convention `level:metric:operations` (level = the labels kept).
 * @module
 */

/** Ray recording rules; labels namespace and ray_io_cluster. */
export const RAY_RECORDS = {
  /** Percent of GCS UpdateResourceUsage calls served fast, over 30 days (ray_gcs_update_resource_usage_time). */
  GCS_AVAILABILITY_30D: 'ray_gcs_availability_30d',
  /** Ray nodes reporting metrics per cluster. */
  NODES_REPORTING: 'namespace_ray_io_cluster:ray_node_cpu_utilization:count',
  /** Logical GPUs in use / available per cluster (from ray_resources). */
  GPUS_USED: 'namespace_ray_io_cluster:ray_resources_gpu_used:sum',
  GPUS_AVAILABLE: 'namespace_ray_io_cluster:ray_resources_gpu_available:sum',
} as const;

/**
 * Names of the Ray recording rules (ray-rules.ts), so dashboards query the pre-aggregated series instead of
 * re-aggregating raw ones. Naming follows the Prometheus convention `level:metric:operations` (level = the labels kept).
 * @module
 */

/** Ray recording rules; labels namespace and ray_io_cluster (and what the name's level adds). */
export const RAY_RECORDS = {
  /** Ray nodes reporting metrics per cluster. */
  NODES_REPORTING: 'namespace_ray_io_cluster:ray_node_cpu_utilization:count',
  /** Logical GPUs in use / available per cluster (from ray_resources). */
  GPUS_USED: 'namespace_ray_io_cluster:ray_resources_gpu_used:sum',
  GPUS_AVAILABLE: 'namespace_ray_io_cluster:ray_resources_gpu_available:sum',
  /** Serve HTTP requests per second per application (from ray_serve_num_http_requests_total, the proxy's count). */
  SERVE_HTTP_REQUESTS_RATE: 'namespace_ray_io_cluster_application:ray_serve_num_http_requests:rate5m',
  /** Share (0-1) of the Serve HTTP requests answered with a 5xx status, per application, over 5m. */
  SERVE_HTTP_5XX_RATIO: 'namespace_ray_io_cluster_application:ray_serve_num_http_requests_5xx:ratio_rate5m',
} as const;

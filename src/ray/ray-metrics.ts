/**
 * Metric and label names of Ray (node, Serve, GCS); every system metric carries the ray_ prefix.
 *
 * Facts come from `../shared/metrics/catalog.yaml`; `test/core/metrics.test.ts` holds every name here against it,
 * so a typo fails the build. Dashboards and rules import these constants instead of re-typing names.
 * @module
 */

/** Ray core / node metric names. */
export const RAY_METRICS = {
  TASKS: 'ray_tasks',
  ACTORS: 'ray_actors',
  RESOURCES: 'ray_resources',
  OBJECT_STORE_MEMORY: 'ray_object_store_memory',
  PLACEMENT_GROUPS: 'ray_placement_groups',
  MEMORY_MANAGER_WORKER_EVICTION_TOTAL: 'ray_memory_manager_worker_eviction_total',
  RUNNING_JOBS: 'ray_running_jobs',
  NODE_CPU_UTILIZATION: 'ray_node_cpu_utilization',
  NODE_CPU_COUNT: 'ray_node_cpu_count',
  NODE_MEM_USED: 'ray_node_mem_used',
  NODE_MEM_AVAILABLE: 'ray_node_mem_available',
  NODE_MEM_TOTAL: 'ray_node_mem_total',
  NODE_GPUS_AVAILABLE: 'ray_node_gpus_available',
  NODE_GPUS_UTILIZATION: 'ray_node_gpus_utilization',
  NODE_GRAM_USED: 'ray_node_gram_used',
  NODE_GRAM_AVAILABLE: 'ray_node_gram_available',
  NODE_DISK_USAGE: 'ray_node_disk_usage',
  NODE_DISK_FREE: 'ray_node_disk_free',
  NODE_NETWORK_SEND_SPEED: 'ray_node_network_send_speed',
  NODE_NETWORK_RECEIVE_SPEED: 'ray_node_network_receive_speed',
  COMPONENT_CPU_PERCENTAGE: 'ray_component_cpu_percentage',
  COMPONENT_RSS_MB: 'ray_component_rss_mb',
  COMPONENT_GPU_MEMORY_MB: 'ray_component_gpu_memory_mb',
  CLUSTER_ACTIVE_NODES: 'ray_cluster_active_nodes',
  CLUSTER_FAILED_NODES: 'ray_cluster_failed_nodes',
  CLUSTER_PENDING_NODES: 'ray_cluster_pending_nodes',
} as const;

/** Ray GCS metric names. */
export const RAY_GCS_METRICS = {
  ACTORS_COUNT: 'ray_gcs_actors_count',
  PLACEMENT_GROUP_COUNT: 'ray_gcs_placement_group_count',
  PLACEMENT_GROUP_CREATION_LATENCY_MS: 'ray_gcs_placement_group_creation_latency_ms',
  STORAGE_OPERATION_LATENCY_MS: 'ray_gcs_storage_operation_latency_ms',
  TASK_MANAGER_TASK_EVENTS_DROPPED: 'ray_gcs_task_manager_task_events_dropped',
} as const;

/** Ray Serve metric names. */
export const RAY_SERVE_METRICS = {
  NUM_HTTP_REQUESTS_TOTAL: 'ray_serve_num_http_requests_total',
  NUM_HTTP_ERROR_REQUESTS_TOTAL: 'ray_serve_num_http_error_requests_total',
  HTTP_REQUEST_LATENCY_MS: 'ray_serve_http_request_latency_ms',
  NUM_GRPC_REQUESTS_TOTAL: 'ray_serve_num_grpc_requests_total',
  DEPLOYMENT_REQUEST_COUNTER_TOTAL: 'ray_serve_deployment_request_counter_total',
  DEPLOYMENT_ERROR_COUNTER_TOTAL: 'ray_serve_deployment_error_counter_total',
  DEPLOYMENT_PROCESSING_LATENCY_MS: 'ray_serve_deployment_processing_latency_ms',
  REPLICA_PROCESSING_QUERIES: 'ray_serve_replica_processing_queries',
  DEPLOYMENT_QUEUED_QUERIES: 'ray_serve_deployment_queued_queries',
  DEPLOYMENT_REPLICA_HEALTHY: 'ray_serve_deployment_replica_healthy',
  DEPLOYMENT_REPLICA_STARTS_TOTAL: 'ray_serve_deployment_replica_starts_total',
  NUM_GRPC_ERROR_REQUESTS_TOTAL: 'ray_serve_num_grpc_error_requests_total',
  NUM_ROUTER_REQUESTS_TOTAL: 'ray_serve_num_router_requests_total',
  HANDLE_REQUEST_COUNTER_TOTAL: 'ray_serve_handle_request_counter_total',
  MULTIPLEXED_MODELS_LOAD_COUNTER_TOTAL: 'ray_serve_multiplexed_models_load_counter_total',
  MULTIPLEXED_MODELS_UNLOAD_COUNTER_TOTAL: 'ray_serve_multiplexed_models_unload_counter_total',
  MULTIPLEXED_GET_MODEL_REQUESTS_COUNTER_TOTAL: 'ray_serve_multiplexed_get_model_requests_counter_total',
} as const;

/**
 * Ray Serve's counters (ray.util.metrics Counter: Ray exports `<name>_total` and, while RAY_EXPORT_COUNTER_AS_GAUGE
 * is on, a deprecated gauge `<name>`; python/ray/util/metrics.py, python/ray/_private/metrics_agent.py).
 */
export const RAY_SERVE_COUNTERS: readonly string[] = Object.values(RAY_SERVE_METRICS).filter((name) => name.endsWith('_total'));

/**
 * Ray Train (v2) metric names: gauges a Train worker / controller sets through ray.util.metrics
 * (python/ray/train/v2/_internal/callbacks/metrics.py, Ray 2.44+; labels ray_train_run_name, ray_train_run_id and,
 * per worker, ray_train_worker_world_rank, ray_train_worker_actor_id).
 */
export const RAY_TRAIN_METRICS = {
  /** Cumulative seconds a worker spent blocked in ray.train.report() (checkpoint upload): a gauge that only grows. */
  REPORT_TOTAL_BLOCKED_TIME_S: 'ray_train_report_total_blocked_time_s',
  CONTROLLER_STATE: 'ray_train_controller_state',
} as const;

/**
 * Labels of Ray Serve's proxy counters the metric catalog does not list (it lists the labels the dashboards use),
 * read from python/ray/serve/_private/proxy.py (ray_serve_num_http_requests_total: route, method, application,
 * status_code; ray_serve_num_http_error_requests_total: route, error_code, method, and application in newer releases).
 */
export const RAY_SERVE_PROXY_LABELS = {
  STATUS_CODE: 'status_code',
  METHOD: 'method',
} as const;

/** Ray autoscaler metric names (head node, autoscaler metrics port; no ray_ prefix). */
export const RAY_AUTOSCALER_METRICS = {
  ACTIVE_NODES: 'autoscaler_active_nodes',
  PENDING_NODES: 'autoscaler_pending_nodes',
  RECENTLY_FAILED_NODES: 'autoscaler_recently_failed_nodes',
  CLUSTER_RESOURCES: 'autoscaler_cluster_resources',
  PENDING_RESOURCES: 'autoscaler_pending_resources',
} as const;

/** Labels Ray sets itself. */
export const RAY_LABELS = {
  SESSION_NAME: 'SessionName',
  JOB_ID: 'JobId',
  IP: 'ip',
  IS_HEAD_NODE: 'IsHeadNode',
  RAY_NODE_TYPE: 'RayNodeType',
  GPU_INDEX: 'GpuIndex',
  GPU_DEVICE_NAME: 'GpuDeviceName',
  COMPONENT: 'Component',
  STATE: 'State',
  NAME: 'Name',
  APPLICATION: 'application',
  DEPLOYMENT: 'deployment',
  REPLICA: 'replica',
  ROUTE: 'route',
  /** Object store location (ray_object_store_memory): MMAP_SHM, MMAP_DISK, SPILLED, WORKER_HEAP. */
  LOCATION: 'Location',
  TRAIN_RUN_NAME: 'ray_train_run_name',
  TRAIN_WORKER_WORLD_RANK: 'ray_train_worker_world_rank',
} as const;

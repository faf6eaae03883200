/**
 * Names of the recording rules this library's PrometheusRules produce, so dashboards query the pre-aggregated
 * series instead of re-aggregating raw ones. The rules themselves live next to the alerts of their domain
 * (gpu-rules.ts, vllm-rules.ts, ray-rules.ts); the PromQL checker in test/support/promql.ts accepts these names.
 *
 * Naming follows the Prometheus convention `level:metric:operations` (level = the labels kept).
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

/** vLLM recording rules; every one keeps labels namespace and model_name. */
export const VLLM_RECORDS = {
  /** p50 / p95 / p99 time to first token (seconds) over 5m. */
  TTFT_P50: 'namespace_model_name:vllm_time_to_first_token_seconds:p50_5m',
  TTFT_P95: 'namespace_model_name:vllm_time_to_first_token_seconds:p95_5m',
  TTFT_P99: 'namespace_model_name:vllm_time_to_first_token_seconds:p99_5m',
  /** p50 / p95 / p99 inter-token latency (seconds) over 5m. */
  ITL_P50: 'namespace_model_name:vllm_inter_token_latency_seconds:p50_5m',
  ITL_P95: 'namespace_model_name:vllm_inter_token_latency_seconds:p95_5m',
  ITL_P99: 'namespace_model_name:vllm_inter_token_latency_seconds:p99_5m',
  /** p50 / p95 / p99 end-to-end request latency (seconds) over 5m. */
  E2E_P50: 'namespace_model_name:vllm_e2e_request_latency_seconds:p50_5m',
  E2E_P95: 'namespace_model_name:vllm_e2e_request_latency_seconds:p95_5m',
  E2E_P99: 'namespace_model_name:vllm_e2e_request_latency_seconds:p99_5m',
  /** p95 time requests wait in the queue (seconds) over 5m. */
  QUEUE_TIME_P95: 'namespace_model_name:vllm_request_queue_time_seconds:p95_5m',
  /** Prompt / generation tokens per second over 5m. */
  PROMPT_TOKENS_RATE: 'namespace_model_name:vllm_prompt_tokens:rate5m',
  GENERATION_TOKENS_RATE: 'namespace_model_name:vllm_generation_tokens:rate5m',
  /** Finished requests per second over 5m. */
  REQUEST_SUCCESS_RATE: 'namespace_model_name:vllm_request_success:rate5m',
  /** Preemptions per second over 5m. */
  PREEMPTIONS_RATE: 'namespace_model_name:vllm_num_preemptions:rate5m',
  /** Prefix cache hit ratio (0-1) over 5m. */
  PREFIX_CACHE_HIT_RATIO: 'namespace_model_name:vllm_prefix_cache_hit:ratio_rate5m',
  /** Requests running / waiting (sum over engines and replicas). */
  REQUESTS_RUNNING: 'namespace_model_name:vllm_num_requests_running:sum',
  REQUESTS_WAITING: 'namespace_model_name:vllm_num_requests_waiting:sum',
  /** Highest KV-cache usage (ratio 0-1) among the model's engines. */
  KV_CACHE_USAGE_MAX: 'namespace_model_name:vllm_kv_cache_usage_perc:max',
} as const;

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

/** Every recording-rule name this library produces. */
export const RECORDING_RULE_NAMES: readonly string[] = [
  ...Object.values(GPU_RECORDS),
  ...Object.values(VLLM_RECORDS),
  ...Object.values(RAY_RECORDS),
].sort();

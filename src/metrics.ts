/**
 * Metric names (and the label names we join on) of every exporter this library reads, in one place.
 *
 * Facts come from `../shared/metrics/catalog.yaml` and the dcgm-exporter 4.8.2 CSVs; `test/metrics.test.ts` holds
 * every name here against them, so a typo fails the build. Dashboards and rules import these constants instead
 * of re-typing names.
 *
 * Layout (append-friendly): one `as const` object per exporter (`<EXPORTER>_METRICS`) and one per label family
 * (`<EXPORTER>_LABELS`). Add a key to the right object; the test picks it up automatically.
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

// ---------------------------------------------------------------------------------------------------------------
// NVIDIA dcgm-exporter 4.8.2 (field names are the wire names; no _total suffix even on counters)
// ---------------------------------------------------------------------------------------------------------------

/** dcgm-exporter 4.8.2 metric names (DCGM field names). */
export const DCGM_METRICS = {
  // utilization
  GPU_UTIL: 'DCGM_FI_DEV_GPU_UTIL',
  MEM_COPY_UTIL: 'DCGM_FI_DEV_MEM_COPY_UTIL',
  ENC_UTIL: 'DCGM_FI_DEV_ENC_UTIL',
  DEC_UTIL: 'DCGM_FI_DEV_DEC_UTIL',
  // memory (MiB)
  FB_FREE: 'DCGM_FI_DEV_FB_FREE',
  FB_USED: 'DCGM_FI_DEV_FB_USED',
  FB_RESERVED: 'DCGM_FI_DEV_FB_RESERVED',
  // clocks
  SM_CLOCK: 'DCGM_FI_DEV_SM_CLOCK',
  MEM_CLOCK: 'DCGM_FI_DEV_MEM_CLOCK',
  // temperature / power
  GPU_TEMP: 'DCGM_FI_DEV_GPU_TEMP',
  MEMORY_TEMP: 'DCGM_FI_DEV_MEMORY_TEMP',
  POWER_USAGE: 'DCGM_FI_DEV_POWER_USAGE',
  TOTAL_ENERGY_CONSUMPTION: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
  // throttling (ns counters) / clock events
  POWER_VIOLATION: 'DCGM_FI_DEV_POWER_VIOLATION',
  THERMAL_VIOLATION: 'DCGM_FI_DEV_THERMAL_VIOLATION',
  SYNC_BOOST_VIOLATION: 'DCGM_FI_DEV_SYNC_BOOST_VIOLATION',
  BOARD_LIMIT_VIOLATION: 'DCGM_FI_DEV_BOARD_LIMIT_VIOLATION',
  LOW_UTIL_VIOLATION: 'DCGM_FI_DEV_LOW_UTIL_VIOLATION',
  RELIABILITY_VIOLATION: 'DCGM_FI_DEV_RELIABILITY_VIOLATION',
  CLOCK_EVENTS_COUNT: 'DCGM_EXP_CLOCK_EVENTS_COUNT',
  // errors
  XID_ERRORS: 'DCGM_FI_DEV_XID_ERRORS',
  XID_ERRORS_COUNT: 'DCGM_EXP_XID_ERRORS_COUNT',
  PCIE_REPLAY_COUNTER: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER',
  ECC_SBE_VOL_TOTAL: 'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL',
  ECC_DBE_VOL_TOTAL: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
  ECC_SBE_AGG_TOTAL: 'DCGM_FI_DEV_ECC_SBE_AGG_TOTAL',
  ECC_DBE_AGG_TOTAL: 'DCGM_FI_DEV_ECC_DBE_AGG_TOTAL',
  RETIRED_SBE: 'DCGM_FI_DEV_RETIRED_SBE',
  RETIRED_DBE: 'DCGM_FI_DEV_RETIRED_DBE',
  RETIRED_PENDING: 'DCGM_FI_DEV_RETIRED_PENDING',
  UNCORRECTABLE_REMAPPED_ROWS: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
  CORRECTABLE_REMAPPED_ROWS: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
  ROW_REMAP_FAILURE: 'DCGM_FI_DEV_ROW_REMAP_FAILURE',
  GPU_HEALTH_STATUS: 'DCGM_EXP_GPU_HEALTH_STATUS',
  // NVLink
  NVLINK_BANDWIDTH_TOTAL: 'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL',
  NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL: 'DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL',
  NVLINK_CRC_DATA_ERROR_COUNT_TOTAL: 'DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL',
  NVLINK_REPLAY_ERROR_COUNT_TOTAL: 'DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL',
  NVLINK_RECOVERY_ERROR_COUNT_TOTAL: 'DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL',
  // vGPU
  VGPU_LICENSE_STATUS: 'DCGM_FI_DEV_VGPU_LICENSE_STATUS',
  // Datacenter profiling (DCP; datacenter Volta or newer), ratios 0-1 / bytes per second
  PROF_GR_ENGINE_ACTIVE: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  PROF_SM_ACTIVE: 'DCGM_FI_PROF_SM_ACTIVE',
  PROF_SM_OCCUPANCY: 'DCGM_FI_PROF_SM_OCCUPANCY',
  PROF_PIPE_TENSOR_ACTIVE: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
  PROF_PIPE_FP64_ACTIVE: 'DCGM_FI_PROF_PIPE_FP64_ACTIVE',
  PROF_PIPE_FP32_ACTIVE: 'DCGM_FI_PROF_PIPE_FP32_ACTIVE',
  PROF_PIPE_FP16_ACTIVE: 'DCGM_FI_PROF_PIPE_FP16_ACTIVE',
  PROF_DRAM_ACTIVE: 'DCGM_FI_PROF_DRAM_ACTIVE',
  PROF_PCIE_TX_BYTES: 'DCGM_FI_PROF_PCIE_TX_BYTES',
  PROF_PCIE_RX_BYTES: 'DCGM_FI_PROF_PCIE_RX_BYTES',
} as const;

/** A dcgm-exporter metric name. */
export type DcgmMetric = (typeof DCGM_METRICS)[keyof typeof DCGM_METRICS];

/** Labels dcgm-exporter 4.8.2 puts on every GPU series (pod/namespace/container with pod mapping on). */
export const DCGM_LABELS = {
  GPU: 'gpu',
  UUID: 'UUID',
  PCI_BUS_ID: 'pci_bus_id',
  DEVICE: 'device',
  MODEL_NAME: 'modelName',
  HOSTNAME: 'Hostname',
  DRIVER_VERSION: 'DCGM_FI_DRIVER_VERSION',
  MIG_PROFILE: 'GPU_I_PROFILE',
  MIG_INSTANCE_ID: 'GPU_I_ID',
  /** The GPU workload's pod (pod mapping on; with honorLabels). */
  POD: 'pod',
  NAMESPACE: 'namespace',
  CONTAINER: 'container',
  /** `xid` label of DCGM_EXP_XID_ERRORS_COUNT. */
  XID: 'xid',
  /** `clock_event` label of DCGM_EXP_CLOCK_EVENTS_COUNT. */
  CLOCK_EVENT: 'clock_event',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// vLLM (V1 engine, 0.10-0.12); counters carry _total on the wire
// ---------------------------------------------------------------------------------------------------------------

/** vLLM V1 engine metric names. Histograms are the base name: use {@link bucket}/{@link sum}/{@link count}. */
export const VLLM_METRICS = {
  NUM_REQUESTS_RUNNING: 'vllm:num_requests_running',
  NUM_REQUESTS_WAITING: 'vllm:num_requests_waiting',
  KV_CACHE_USAGE_PERC: 'vllm:kv_cache_usage_perc',
  CACHE_CONFIG_INFO: 'vllm:cache_config_info',
  PREFIX_CACHE_QUERIES_TOTAL: 'vllm:prefix_cache_queries_total',
  PREFIX_CACHE_HITS_TOTAL: 'vllm:prefix_cache_hits_total',
  NUM_PREEMPTIONS_TOTAL: 'vllm:num_preemptions_total',
  PROMPT_TOKENS_TOTAL: 'vllm:prompt_tokens_total',
  GENERATION_TOKENS_TOTAL: 'vllm:generation_tokens_total',
  REQUEST_SUCCESS_TOTAL: 'vllm:request_success_total',
  SPEC_DECODE_NUM_DRAFTS_TOTAL: 'vllm:spec_decode_num_drafts_total',
  SPEC_DECODE_NUM_DRAFT_TOKENS_TOTAL: 'vllm:spec_decode_num_draft_tokens_total',
  SPEC_DECODE_NUM_ACCEPTED_TOKENS_TOTAL: 'vllm:spec_decode_num_accepted_tokens_total',
  // histograms
  REQUEST_PROMPT_TOKENS: 'vllm:request_prompt_tokens',
  REQUEST_GENERATION_TOKENS: 'vllm:request_generation_tokens',
  ITERATION_TOKENS: 'vllm:iteration_tokens_total',
  TIME_TO_FIRST_TOKEN_SECONDS: 'vllm:time_to_first_token_seconds',
  INTER_TOKEN_LATENCY_SECONDS: 'vllm:inter_token_latency_seconds',
  REQUEST_TIME_PER_OUTPUT_TOKEN_SECONDS: 'vllm:request_time_per_output_token_seconds',
  E2E_REQUEST_LATENCY_SECONDS: 'vllm:e2e_request_latency_seconds',
  REQUEST_QUEUE_TIME_SECONDS: 'vllm:request_queue_time_seconds',
  REQUEST_INFERENCE_TIME_SECONDS: 'vllm:request_inference_time_seconds',
  REQUEST_PREFILL_TIME_SECONDS: 'vllm:request_prefill_time_seconds',
  REQUEST_DECODE_TIME_SECONDS: 'vllm:request_decode_time_seconds',
  REQUEST_MAX_NUM_GENERATION_TOKENS: 'vllm:request_max_num_generation_tokens',
  REQUEST_PARAMS_N: 'vllm:request_params_n',
  REQUEST_PARAMS_MAX_TOKENS: 'vllm:request_params_max_tokens',
  // HTTP server (prometheus_fastapi_instrumentator)
  HTTP_REQUESTS_TOTAL: 'http_requests_total',
  HTTP_REQUEST_DURATION_SECONDS: 'http_request_duration_seconds',
} as const;

/**
 * Older vLLM names (V0 engine or deprecated in V1) that differ from {@link VLLM_METRICS}, keyed like their
 * replacement where there is one. For dashboards that must also read old deployments (`or` the two).
 */
export const VLLM_LEGACY_METRICS = {
  /** Replaced by vllm:kv_cache_usage_perc (deprecated 0.9). */
  KV_CACHE_USAGE_PERC: 'vllm:gpu_cache_usage_perc',
  /** Replaced by vllm:prefix_cache_queries_total. */
  PREFIX_CACHE_QUERIES_TOTAL: 'vllm:gpu_prefix_cache_queries_total',
  /** Replaced by vllm:prefix_cache_hits_total. */
  PREFIX_CACHE_HITS_TOTAL: 'vllm:gpu_prefix_cache_hits_total',
  /** Replaced by vllm:inter_token_latency_seconds (deprecated 0.11). */
  INTER_TOKEN_LATENCY_SECONDS: 'vllm:time_per_output_token_seconds',
  /** V0 only, no replacement. */
  NUM_REQUESTS_SWAPPED: 'vllm:num_requests_swapped',
  /** V0 only, no replacement. */
  CPU_CACHE_USAGE_PERC: 'vllm:cpu_cache_usage_perc',
} as const;

/** Labels vLLM sets. */
export const VLLM_LABELS = {
  MODEL_NAME: 'model_name',
  ENGINE: 'engine',
  FINISHED_REASON: 'finished_reason',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Ray (node, Serve, GCS); every system metric carries the ray_ prefix
// ---------------------------------------------------------------------------------------------------------------

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
  /** Histogram; older Ray only (verified: false in the catalog). */
  UPDATE_RESOURCE_USAGE_TIME: 'ray_gcs_update_resource_usage_time',
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
} as const;

// ---------------------------------------------------------------------------------------------------------------
// AWS neuron-monitor (neuron-monitor | neuron-monitor-prometheus.py)
// ---------------------------------------------------------------------------------------------------------------

/** neuron-monitor-prometheus.py metric names. */
export const NEURON_METRICS = {
  NEURONCORE_UTILIZATION_RATIO: 'neuroncore_utilization_ratio',
  RUNTIME_VCPU_USAGE_RATIO: 'neuron_runtime_vcpu_usage_ratio',
  RUNTIME_MEMORY_USED_BYTES: 'neuron_runtime_memory_used_bytes',
  NEURONCORE_MEMORY_USAGE_CONSTANTS: 'neuroncore_memory_usage_constants',
  NEURONCORE_MEMORY_USAGE_MODEL_CODE: 'neuroncore_memory_usage_model_code',
  NEURONCORE_MEMORY_USAGE_MODEL_SHARED_SCRATCHPAD: 'neuroncore_memory_usage_model_shared_scratchpad',
  NEURONCORE_MEMORY_USAGE_RUNTIME_MEMORY: 'neuroncore_memory_usage_runtime_memory',
  NEURONCORE_MEMORY_USAGE_TENSORS: 'neuroncore_memory_usage_tensors',
  EXECUTION_ERRORS_TOTAL: 'execution_errors_total',
  EXECUTION_STATUS_TOTAL: 'execution_status_total',
  EXECUTION_LATENCY_SECONDS: 'execution_latency_seconds',
  HARDWARE_ECC_EVENTS_TOTAL: 'hardware_ecc_events_total',
  SYSTEM_VCPU_COUNT: 'system_vcpu_count',
  SYSTEM_VCPU_USAGE_RATIO: 'system_vcpu_usage_ratio',
  SYSTEM_MEMORY_TOTAL_BYTES: 'system_memory_total_bytes',
  SYSTEM_MEMORY_USED_BYTES: 'system_memory_used_bytes',
  INSTANCE_INFO: 'instance_info',
  NEURON_HARDWARE_INFO: 'neuron_hardware_info',
} as const;

/** Labels neuron-monitor-prometheus.py sets. */
export const NEURON_LABELS = {
  NEURONCORE: 'neuroncore',
  RUNTIME_TAG: 'runtime_tag',
  INSTANCE_ID: 'instance_id',
  INSTANCE_TYPE: 'instance_type',
  INSTANCE_NAME: 'instance_name',
  MEMORY_LOCATION: 'memory_location',
  ERROR_TYPE: 'error_type',
  EVENT_TYPE: 'event_type',
  PERCENTILE: 'percentile',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// OpenCost
// ---------------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------------
// node-exporter
// ---------------------------------------------------------------------------------------------------------------

/** node-exporter metric names. */
export const NODE_EXPORTER_METRICS = {
  CPU_SECONDS_TOTAL: 'node_cpu_seconds_total',
  LOAD1: 'node_load1',
  MEMORY_MEMTOTAL_BYTES: 'node_memory_MemTotal_bytes',
  MEMORY_MEMAVAILABLE_BYTES: 'node_memory_MemAvailable_bytes',
  NETWORK_RECEIVE_BYTES_TOTAL: 'node_network_receive_bytes_total',
  NETWORK_TRANSMIT_BYTES_TOTAL: 'node_network_transmit_bytes_total',
  NETWORK_RECEIVE_DROP_TOTAL: 'node_network_receive_drop_total',
  NETWORK_TRANSMIT_DROP_TOTAL: 'node_network_transmit_drop_total',
  DISK_READ_BYTES_TOTAL: 'node_disk_read_bytes_total',
  DISK_WRITTEN_BYTES_TOTAL: 'node_disk_written_bytes_total',
  DISK_IO_TIME_SECONDS_TOTAL: 'node_disk_io_time_seconds_total',
  FILESYSTEM_AVAIL_BYTES: 'node_filesystem_avail_bytes',
  FILESYSTEM_SIZE_BYTES: 'node_filesystem_size_bytes',
} as const;

/** kube-prometheus(-stack) recording-rule outputs (they exist when kube-prometheus-stack's default rules are on). */
export const KUBE_PROMETHEUS_RECORDS = {
  NODE_CPU_UTILISATION_RATE5M: 'instance:node_cpu_utilisation:rate5m',
  NODE_MEMORY_UTILISATION_RATIO: 'instance:node_memory_utilisation:ratio',
  NODE_NETWORK_RECEIVE_BYTES_EXCLUDING_LO_RATE5M: 'instance:node_network_receive_bytes_excluding_lo:rate5m',
  NODE_NETWORK_TRANSMIT_BYTES_EXCLUDING_LO_RATE5M: 'instance:node_network_transmit_bytes_excluding_lo:rate5m',
  CONTAINER_CPU_USAGE_SUM_RATE5M: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m',
  CONTAINER_MEMORY_WORKING_SET_BYTES: 'node_namespace_pod_container:container_memory_working_set_bytes',
  WORKLOAD_POD_OWNER: 'namespace_workload_pod:kube_pod_owner:relabel',
  NODE_DISK_IO_TIME_RATE5M: 'instance_device:node_disk_io_time_seconds:rate5m',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// kube-state-metrics
// ---------------------------------------------------------------------------------------------------------------

/** kube-state-metrics metric names. */
export const KSM_METRICS = {
  POD_INFO: 'kube_pod_info',
  POD_OWNER: 'kube_pod_owner',
  POD_LABELS: 'kube_pod_labels',
  POD_STATUS_PHASE: 'kube_pod_status_phase',
  POD_STATUS_READY: 'kube_pod_status_ready',
  POD_CONTAINER_STATUS_RESTARTS_TOTAL: 'kube_pod_container_status_restarts_total',
  POD_CONTAINER_STATUS_WAITING_REASON: 'kube_pod_container_status_waiting_reason',
  POD_CONTAINER_RESOURCE_REQUESTS: 'kube_pod_container_resource_requests',
  POD_CONTAINER_RESOURCE_LIMITS: 'kube_pod_container_resource_limits',
  NODE_STATUS_ALLOCATABLE: 'kube_node_status_allocatable',
  NODE_STATUS_CAPACITY: 'kube_node_status_capacity',
  NODE_STATUS_CONDITION: 'kube_node_status_condition',
  NODE_INFO: 'kube_node_info',
  JOB_STATUS_ACTIVE: 'kube_job_status_active',
} as const;

/** kube-state-metrics label names. */
export const KSM_LABELS = {
  NAMESPACE: 'namespace',
  POD: 'pod',
  CONTAINER: 'container',
  NODE: 'node',
  RESOURCE: 'resource',
  UNIT: 'unit',
  PHASE: 'phase',
  OWNER_KIND: 'owner_kind',
  OWNER_NAME: 'owner_name',
  /** `kube_pod_info`: kind / name of the pod's controller (e.g. RayCluster, Job, ReplicaSet). */
  CREATED_BY_KIND: 'created_by_kind',
  CREATED_BY_NAME: 'created_by_name',
} as const;

/** Extended-resource names as kube-state-metrics sanitizes them in its `resource` label. */
export const KSM_RESOURCES = {
  /** `nvidia.com/gpu` */
  NVIDIA_GPU: 'nvidia_com_gpu',
  /** `aws.amazon.com/neuron` */
  AWS_NEURON: 'aws_amazon_com_neuron',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Fluent Bit
// ---------------------------------------------------------------------------------------------------------------

/** Fluent Bit internal metric names (/api/v2/metrics/prometheus). */
export const FLUENT_BIT_METRICS = {
  UPTIME: 'fluentbit_uptime',
  BUILD_INFO: 'fluentbit_build_info',
  INPUT_BYTES_TOTAL: 'fluentbit_input_bytes_total',
  INPUT_RECORDS_TOTAL: 'fluentbit_input_records_total',
  FILTER_DROP_RECORDS_TOTAL: 'fluentbit_filter_drop_records_total',
  OUTPUT_PROC_RECORDS_TOTAL: 'fluentbit_output_proc_records_total',
  OUTPUT_PROC_BYTES_TOTAL: 'fluentbit_output_proc_bytes_total',
  OUTPUT_ERRORS_TOTAL: 'fluentbit_output_errors_total',
  OUTPUT_RETRIES_TOTAL: 'fluentbit_output_retries_total',
  OUTPUT_RETRIES_FAILED_TOTAL: 'fluentbit_output_retries_failed_total',
  OUTPUT_DROPPED_RECORDS_TOTAL: 'fluentbit_output_dropped_records_total',
  OUTPUT_RETRIED_RECORDS_TOTAL: 'fluentbit_output_retried_records_total',
  OUTPUT_CHUNK_AVAILABLE_CAPACITY_PERCENT: 'fluentbit_output_chunk_available_capacity_percent',
} as const;

/** Fluent Bit label names. */
export const FLUENT_BIT_LABELS = {
  NAME: 'name',
  HOSTNAME: 'hostname',
} as const;

/**
 * Every metric-name object of this module, by exporter (as in catalog.yaml `exporters[].name`), for tests and
 * tools that check names. Append new objects here too.
 */
export const METRIC_CATALOG: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>> = {
  'dcgm-exporter': [DCGM_METRICS],
  vllm: [VLLM_METRICS, VLLM_LEGACY_METRICS],
  ray: [RAY_METRICS, RAY_GCS_METRICS, RAY_SERVE_METRICS, RAY_AUTOSCALER_METRICS],
  'neuron-monitor-prometheus': [NEURON_METRICS],
  opencost: [OPENCOST_METRICS],
  'node-exporter': [NODE_EXPORTER_METRICS],
  'kube-prometheus-recording-rules': [KUBE_PROMETHEUS_RECORDS],
  'kube-state-metrics': [KSM_METRICS],
  'fluent-bit': [FLUENT_BIT_METRICS],
};

/** Every label-name object of this module, by exporter (catalog.yaml `exporters[].name`). */
export const LABEL_CATALOG: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>> = {
  'dcgm-exporter': [DCGM_LABELS],
  vllm: [VLLM_LABELS],
  ray: [RAY_LABELS],
  'neuron-monitor-prometheus': [NEURON_LABELS],
  opencost: [OPENCOST_LABELS],
  'kube-state-metrics': [KSM_LABELS],
  'fluent-bit': [FLUENT_BIT_LABELS],
};

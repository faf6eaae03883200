/**
 * Metric names of node-exporter, kube-state-metrics and the kube-prometheus recording rules (the series the
 * kube-prometheus-stack chart brings).
 *
 * Facts come from `../shared/metrics/catalog.yaml`; `test/core/metrics.test.ts` holds every name here against it,
 * so a typo fails the build. Dashboards and rules import these constants instead of re-typing names.
 * @module
 */

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

/**
 * Matcher of kube-state-metrics' own series: kube-prometheus-stack's ServiceMonitor for it sets `job` from the
 * `app.kubernetes.io/name` label (kube-state-metrics). OpenCost emits copies of some kube_* series under its own job
 * (EMIT_KSM_V1_METRICS), so sums over kube_* series select this job.
 */
export const KSM_JOB = 'job="kube-state-metrics"';

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
  /** `aws.amazon.com/neuron`: whole Neuron devices (the Neuron device plugin's device resource) */
  AWS_NEURON: 'aws_amazon_com_neuron',
  /** `aws.amazon.com/neurondevice`: whole Neuron devices (the name older Neuron device plugins also advertised) */
  AWS_NEURONDEVICE: 'aws_amazon_com_neurondevice',
  /** `aws.amazon.com/neuroncore`: single NeuronCores */
  AWS_NEURONCORE: 'aws_amazon_com_neuroncore',
} as const;

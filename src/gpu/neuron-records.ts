/**
 * Names of the Neuron recording rules (neuron-rules.ts), so the Neuron and fleet dashboards query pre-aggregated
 * series. Naming follows the Prometheus convention `level:metric:operations` (level = the labels kept).
 * @module
 */

/** Neuron recording rules (neuron-monitor joined with kube-state-metrics). */
export const NEURON_RECORDS = {
  /** Mean NeuronCore utilisation (ratio 0-1) of the NeuronCores a runtime uses, per node: label node. */
  UTIL_BY_NODE: 'node:neuroncore_utilization:avg',
  /** Executions per second by outcome (execution_summary key), per node: labels node, status_type. */
  EXECUTIONS_BY_STATUS: 'node_status_type:neuron_execution_status:rate5m',
  /** Execution errors per second by type (error_summary key), per node: labels node, error_type. */
  ERRORS_BY_TYPE: 'node_error_type:neuron_execution_errors:rate5m',
  /** Share (0-1) of executions whose outcome is not `completed`, per node (absent without executions): label node. */
  FAILED_RATIO_BY_NODE: 'node:neuron_execution_failed:ratio_rate5m',
  /** Runtime memory in bytes, host RAM vs Neuron device memory, per node: labels node, memory_location. */
  RUNTIME_MEMORY_BY_LOCATION: 'node_memory_location:neuron_runtime_memory_used_bytes:sum',
  /** NeuronCores per Neuron device of each node (allocatable cores / allocatable devices): label node. */
  CORES_PER_DEVICE: 'node:kube_node_neuroncores_per_device:ratio',
  /** Allocatable NeuronCores per node: label node. */
  ALLOCATABLE_BY_NODE: 'node:kube_node_neuroncore_allocatable:sum',
  /**
   * NeuronCores requested by running pods, per namespace and node, in NeuronCores: `aws.amazon.com/neuroncore`
   * requests as they are, whole-device requests (`aws.amazon.com/neuron`, `aws.amazon.com/neurondevice`) times the
   * node's NeuronCores per device: labels namespace, node.
   */
  ALLOCATED_BY_NAMESPACE_NODE: 'namespace_node:kube_pod_neuroncore_requests:sum',
  /** NeuronCores requested by running pods, cluster total (no labels). */
  ALLOCATED: 'cluster:kube_pod_neuroncore_requests:sum',
  /** Allocatable NeuronCores, cluster total (no labels). */
  ALLOCATABLE: 'cluster:kube_node_neuroncore_allocatable:sum',
} as const;

/**
 * Metric and label names of AWS neuron-monitor (neuron-monitor | neuron-monitor-prometheus.py).
 *
 * Facts come from `../shared/metrics/catalog.yaml`; `test/core/metrics.test.ts` holds every name here against it,
 * so a typo fails the build. Dashboards and rules import these constants instead of re-typing names.
 * @module
 */

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
  STATUS_TYPE: 'status_type',
  USAGE_TYPE: 'usage_type',
  NEURON_DEVICE_INDEX: 'neuron_device_index',
} as const;

/** Values of `status_type` (the keys of neuron-monitor's execution_summary): `completed` is the one success. */
export const NEURON_EXECUTION_STATUS = {
  COMPLETED: 'completed',
} as const;

/** Values of `memory_location` on neuron_runtime_memory_used_bytes. */
export const NEURON_MEMORY_LOCATIONS = {
  /** Host (instance) RAM the runtime allocated. */
  HOST: 'host',
  /** Neuron device memory (HBM on Inferentia2 / Trainium, DRAM on Inferentia1). */
  DEVICE: 'neuron_device',
} as const;

/**
 * Metric and label names of Fluent Bit.
 *
 * Facts come from `../shared/metrics/catalog.yaml`; `test/core/metrics.test.ts` holds every name here against it,
 * so a typo fails the build. Dashboards and rules import these constants instead of re-typing names.
 * @module
 */

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

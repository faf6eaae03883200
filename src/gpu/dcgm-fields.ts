import { DCGM_METRICS, type DcgmMetric } from './dcgm-metrics.js';

/** Prometheus type dcgm-exporter gives a field (the CSV's second column). */
export type DcgmFieldType = 'gauge' | 'counter';

/** One row of the counters CSV dcgm-exporter reads: a DCGM field, its Prometheus type, and a help text. */
export interface DcgmField {
  /** The DCGM field name, which is also the metric name on the wire. */
  readonly field: DcgmMetric;
  /** Prometheus type, as the dcgm-exporter 4.8.2 CSVs declare it. */
  readonly type: DcgmFieldType;
  /** Help text exported with the metric. */
  readonly help: string;
}

const field = (name: DcgmMetric, type: DcgmFieldType, help: string): DcgmField => ({ field: name, type, help });

/**
 * The fields this library collects from every NVIDIA GPU: our selection, for the dashboards and alerts we ship.
 * Names and types are facts of dcgm-exporter 4.8.2 (its CSVs); the test holds them against
 * `../shared/metrics/dcgm-exporter-4.8.2.*.csv`.
 *
 * Compared with the exporter's default list it adds the profiling fields (SM active / occupancy), the throttling
 * counters, the clock-event and XID counts and volatile ECC counters, and leaves out what no dashboard or alert
 * reads (encoder/decoder utilisation, reserved framebuffer, vGPU licence status).
 *
 * Series per GPU: one per field (26), plus one per XID code seen (DCGM_EXP_XID_ERRORS_COUNT, zero on a healthy GPU)
 * and one per clock-event reason seen (DCGM_EXP_CLOCK_EVENTS_COUNT, a handful at most). Each MIG instance counts
 * as a GPU.
 */
export const DEFAULT_DCGM_FIELDS: readonly DcgmField[] = [
  // utilisation
  field(DCGM_METRICS.GPU_UTIL, 'gauge', 'GPU utilization (in %).'),
  field(DCGM_METRICS.MEM_COPY_UTIL, 'gauge', 'Memory utilization (in %).'),
  // memory
  field(DCGM_METRICS.FB_FREE, 'gauge', 'Framebuffer memory free (in MiB).'),
  field(DCGM_METRICS.FB_USED, 'gauge', 'Framebuffer memory used (in MiB).'),
  // clocks, temperature, power
  field(DCGM_METRICS.SM_CLOCK, 'gauge', 'SM clock frequency (in MHz).'),
  field(DCGM_METRICS.MEM_CLOCK, 'gauge', 'Memory clock frequency (in MHz).'),
  field(DCGM_METRICS.GPU_TEMP, 'gauge', 'GPU temperature (in C).'),
  field(DCGM_METRICS.MEMORY_TEMP, 'gauge', 'Memory temperature (in C).'),
  field(DCGM_METRICS.POWER_USAGE, 'gauge', 'Power draw (in W).'),
  field(DCGM_METRICS.TOTAL_ENERGY_CONSUMPTION, 'counter', 'Total energy consumption since boot (in mJ).'),
  // throttling: time spent throttled, and the clock-event (throttle) reasons seen
  field(DCGM_METRICS.POWER_VIOLATION, 'counter', 'Throttling duration due to power constraints (in ns).'),
  field(DCGM_METRICS.THERMAL_VIOLATION, 'counter', 'Throttling duration due to thermal constraints (in ns).'),
  field(DCGM_METRICS.CLOCK_EVENTS_COUNT, 'counter', 'Samples in the last 5 minutes with this clock event (throttle reason) per clock_event (a windowed count; not a counter).'),
  // errors
  field(DCGM_METRICS.XID_ERRORS, 'gauge', 'Value of the last XID error encountered.'),
  field(DCGM_METRICS.XID_ERRORS_COUNT, 'counter', 'XID errors in the last 5 minutes per xid (a windowed count; not a counter).'),
  field(DCGM_METRICS.ECC_SBE_VOL_TOTAL, 'counter', 'Total number of single-bit volatile ECC errors.'),
  field(DCGM_METRICS.ECC_DBE_VOL_TOTAL, 'counter', 'Total number of double-bit volatile ECC errors.'),
  field(DCGM_METRICS.UNCORRECTABLE_REMAPPED_ROWS, 'counter', 'Number of remapped rows for uncorrectable errors.'),
  field(DCGM_METRICS.ROW_REMAP_FAILURE, 'gauge', 'Whether remapping of rows has failed.'),
  field(DCGM_METRICS.PCIE_REPLAY_COUNTER, 'counter', 'Total number of PCIe retries.'),
  // interconnect
  field(DCGM_METRICS.NVLINK_BANDWIDTH_TOTAL, 'counter', 'Total number of NVLink bandwidth counters for all lanes.'),
  field(DCGM_METRICS.PROF_PCIE_TX_BYTES, 'gauge', 'Rate of data transmitted over PCIe incl. headers (bytes/s).'),
  field(DCGM_METRICS.PROF_PCIE_RX_BYTES, 'gauge', 'Rate of data received over PCIe incl. headers (bytes/s).'),
  // datacenter profiling (DCP, datacenter Volta or newer)
  field(DCGM_METRICS.PROF_GR_ENGINE_ACTIVE, 'gauge', 'Ratio of time the graphics engine is active.'),
  field(DCGM_METRICS.PROF_SM_ACTIVE, 'gauge', 'Ratio of cycles an SM has at least 1 warp assigned.'),
  field(DCGM_METRICS.PROF_SM_OCCUPANCY, 'gauge', 'Ratio of warps resident on an SM to the maximum.'),
  field(DCGM_METRICS.PROF_PIPE_TENSOR_ACTIVE, 'gauge', 'Ratio of cycles the tensor (HMMA) pipe is active.'),
  field(DCGM_METRICS.PROF_DRAM_ACTIVE, 'gauge', 'Ratio of cycles the device memory interface is active.'),
];

/** Fields whose series multiply by a label value (xid, clock_event) instead of being one series per GPU. */
export const DCGM_EVENT_FIELDS: readonly DcgmMetric[] = [DCGM_METRICS.XID_ERRORS_COUNT, DCGM_METRICS.CLOCK_EVENTS_COUNT];

/** Renders fields as the counters CSV dcgm-exporter reads (`field, type, help` per line). */
export function dcgmCountersCsv(fields: readonly DcgmField[]): string {
  const header = ['# DCGM field, Prometheus metric type, help message', '# Generated by aiml-observability (DcgmExporter).'];
  return [...header, ...fields.map((f) => `${f.field}, ${f.type}, ${f.help.replace(/,/g, ';')}`)].join('\n') + '\n';
}

/**
 * DCGM's watch period with dcgm-exporter 4.8.2's defaults (`--collect-interval` 30000 ms, pkg/cmd/app.go): a field's
 * value changes at most this often, whatever the scrape interval.
 */
export const DCGM_COLLECT_INTERVAL_SECONDS = 30;
/**
 * The window of the event fields ({@link DCGM_EVENT_FIELDS}) with dcgm-exporter 4.8.2's defaults
 * (`--xid-count-window-size`, `--clock-events-count-window-size` 300000 ms, pkg/cmd/app.go): each series is the number
 * of DCGM samples in the last window (internal/pkg/collector/expcollector.go), not a counter: `rate()` and
 * `increase()` do not apply. A GPU without an XID in the window has one series without `xid` at 0; a GPU whose
 * clock-event reasons were 0 in every sample has no clock-event series at all.
 */
export const DCGM_EVENT_WINDOW_SECONDS = 300;
/** DCGM samples in one event window: a clock-event count divided by this is the share of the window with that reason. */
export const DCGM_SAMPLES_PER_EVENT_WINDOW = DCGM_EVENT_WINDOW_SECONDS / DCGM_COLLECT_INTERVAL_SECONDS;

/** Series per GPU a field list yields, not counting the event fields (one series per XID / clock event seen). */
export function dcgmSeriesPerGpu(fields: readonly DcgmField[]): number {
  return fields.filter((f) => !DCGM_EVENT_FIELDS.includes(f.field)).length;
}

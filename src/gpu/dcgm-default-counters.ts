/**
 * What the NVIDIA GPU operator's dcgm-exporter collects when it is left alone, and what our dashboards and alerts
 * then miss (issue 10 item 10: `exporters.dcgm.mode: existing`).
 * @module
 */
import type { DcgmField } from './dcgm-fields.js';

/**
 * The fields of dcgm-exporter 4.8.2's `etc/default-counters.csv`, the list the exporter reads unless told otherwise
 * (its `-f` / DCGM_EXPORTER_COLLECTORS default, pkg/cmd/app.go). A test holds this list against
 * `../shared/metrics/dcgm-exporter-4.8.2.default-counters.csv`.
 */
export const DCGM_EXPORTER_DEFAULT_COUNTERS: readonly string[] = [
  'DCGM_FI_DEV_SM_CLOCK',
  'DCGM_FI_DEV_MEM_CLOCK',
  'DCGM_FI_DEV_MEMORY_TEMP',
  'DCGM_FI_DEV_GPU_TEMP',
  'DCGM_FI_DEV_POWER_USAGE',
  'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
  'DCGM_FI_DEV_PCIE_REPLAY_COUNTER',
  'DCGM_FI_DEV_GPU_UTIL',
  'DCGM_FI_DEV_MEM_COPY_UTIL',
  'DCGM_FI_DEV_ENC_UTIL',
  'DCGM_FI_DEV_DEC_UTIL',
  'DCGM_FI_DEV_XID_ERRORS',
  'DCGM_FI_DEV_FB_FREE',
  'DCGM_FI_DEV_FB_USED',
  'DCGM_FI_DEV_FB_RESERVED',
  'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL',
  'DCGM_FI_DEV_VGPU_LICENSE_STATUS',
  'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
  'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
  'DCGM_FI_DEV_ROW_REMAP_FAILURE',
  'DCGM_FI_DRIVER_VERSION',
  'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
  'DCGM_FI_PROF_DRAM_ACTIVE',
  'DCGM_FI_PROF_PCIE_TX_BYTES',
  'DCGM_FI_PROF_PCIE_RX_BYTES',
];

/**
 * The key the GPU operator reads a custom counters list from: ClusterPolicy `spec.dcgmExporter.config.name` names a
 * ConfigMap in the operator's namespace whose `dcgm-metrics.csv` it mounts at /etc/dcgm-exporter/dcgm-metrics.csv
 * and passes as DCGM_EXPORTER_COLLECTORS (NVIDIA/gpu-operator controllers/object_controls.go, MetricsConfigFileName).
 */
export const GPU_OPERATOR_DCGM_METRICS_KEY = 'dcgm-metrics.csv';

/** The fields of `fields` the exporter's default list lacks, in `fields`' order. */
export function fieldsMissingFromDefaultCounters(fields: readonly DcgmField[]): string[] {
  const shipped = new Set(DCGM_EXPORTER_DEFAULT_COUNTERS);
  return fields.map((f) => f.field).filter((f) => !shipped.has(f));
}

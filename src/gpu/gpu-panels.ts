/**
 * GPU panels shared by the training and inference dashboards, for the GPUs of a set of pods (dcgm-exporter with
 * pod mapping: `namespace`/`pod` name the workload using the GPU; our ServiceMonitor adds `node`).
 * @module
 */
import { DCGM_LABELS, DCGM_METRICS } from './dcgm-metrics.js';
import { DCGM_COLLECT_INTERVAL_SECONDS, DCGM_EVENT_WINDOW_SECONDS, DCGM_SAMPLES_PER_EVENT_WINDOW } from './dcgm-fields.js';
import { GPU_RECORDS } from './gpu-records.js';
import { prom, stat, timeseries, type PanelDraft } from '../dashboards/toolkit/panels.js';
import { by, NODE_LABEL, sel } from '../dashboards/toolkit/promql.js';

/** Legend of a per-GPU series: pod and GPU index. */
export const GPU_LEGEND = `{{${DCGM_LABELS.POD}}} · GPU {{${DCGM_LABELS.GPU}}}`;

/** The GPUs a panel shows: label matchers on dcgm-exporter series (and on our GPU recording rules). */
export interface GpuScope {
  readonly matchers: readonly string[];
}

function gpu(metric: string, scope: GpuScope, ...matchers: string[]): string {
  return sel(metric, ...scope.matchers, ...matchers);
}

/**
 * DCGM updates a field every 30 s (dcgm-exporter 4.8.2 `--collect-interval`): a rate window must span several
 * updates. `$__rate_interval` is at least 4 x the datasource's scrape interval (2 minutes with Grafana's and
 * kube-prometheus-stack's 30 s), i.e. 4 DCGM updates; a datasource scrape interval below 15 s would make it too short.
 */
const DCGM_RATE_WINDOW = '$__rate_interval';

/** GPU activity: DCGM's GPU utilisation on whole GPUs, graphics-engine activity on MIG instances. */
export function gpuUtilisation(scope: GpuScope, width = 12): PanelDraft {
  return timeseries({
    title: 'GPU utilisation',
    description:
      `Percent of time at least one kernel was running on each GPU (recording rule ${GPU_RECORDS.ACTIVITY}: ${DCGM_METRICS.GPU_UTIL} on ` +
      `whole GPUs; on MIG instances, where ${DCGM_METRICS.GPU_UTIL} reads 0, 100 x ${DCGM_METRICS.PROF_GR_ENGINE_ACTIVE} of the instance). ` +
      'It says nothing about how much of the GPU the kernels used: a single small kernel counts as 100 %. Read it with SM active, ' +
      'tensor pipe active and DRAM active. Bad: below ~70 % during steady training or serving means the GPU waits (data loading, ' +
      'host-to-device copies, checkpointing, collective communication, a CPU-bound tokenizer); 0 % on an allocated GPU means it is idle.',
    queries: [prom(gpu(GPU_RECORDS.ACTIVITY, scope), { legend: `${GPU_LEGEND}{{${DCGM_LABELS.MIG_PROFILE}}}` })],
    unit: 'percent',
    min: 0,
    max: 100,
    width,
  });
}

/** Graphics engine and SM activity: how much of the GPU the "utilised" time really uses. */
export function smActive(scope: GpuScope, width = 12): PanelDraft {
  return timeseries({
    title: 'SM active and graphics engine active',
    description:
      `Fraction of cycles at least one warp was resident on a streaming multiprocessor, averaged over all SMs ` +
      `(${DCGM_METRICS.PROF_SM_ACTIVE}), and fraction of time the graphics/compute engine was busy ` +
      `(${DCGM_METRICS.PROF_GR_ENGINE_ACTIVE}). Datacenter GPUs (Volta or newer) only. ` +
      'Bad: SM active far below GPU utilisation (e.g. 100 % vs 0.3) means kernels are too small or too few to fill the GPU: ' +
      'raise the batch size, fuse kernels, or use CUDA graphs.',
    queries: [
      prom(gpu(DCGM_METRICS.PROF_SM_ACTIVE, scope), { legend: `SM active · ${GPU_LEGEND}` }),
      prom(gpu(DCGM_METRICS.PROF_GR_ENGINE_ACTIVE, scope), { legend: `engine active · ${GPU_LEGEND}` }),
    ],
    unit: 'percentunit',
    min: 0,
    max: 1,
    width,
  });
}

/** Tensor-core pipe activity. */
export function tensorActive(scope: GpuScope, width = 12): PanelDraft {
  return timeseries({
    title: 'Tensor pipe active',
    description:
      `Fraction of cycles the tensor (HMMA) pipes were busy (${DCGM_METRICS.PROF_PIPE_TENSOR_ACTIVE}). Matrix multiplies in ` +
      'FP16/BF16/TF32/FP8 run here; this is the closest DCGM gets to "useful work" for transformer training and inference. ' +
      'Bad: near 0 while GPU utilisation is high means the model runs in FP32 without TF32, or spends its time outside ' +
      'matrix multiplies (element-wise ops, communication); well-tuned LLM training typically sits at 0.3-0.7.',
    queries: [prom(gpu(DCGM_METRICS.PROF_PIPE_TENSOR_ACTIVE, scope), { legend: GPU_LEGEND })],
    unit: 'percentunit',
    min: 0,
    max: 1,
    width,
  });
}

/** Device-memory interface activity. */
export function dramActive(scope: GpuScope, width = 12): PanelDraft {
  return timeseries({
    title: 'DRAM active',
    description:
      `Fraction of cycles the device-memory interface was sending or receiving data (${DCGM_METRICS.PROF_DRAM_ACTIVE}). ` +
      'Bad: close to 1 while the tensor pipe is low means the work is memory-bandwidth bound (typical of LLM decode at small ' +
      'batch sizes); raising the batch size or quantising weights helps. Near 0 with high GPU utilisation points to tiny kernels.',
    queries: [prom(gpu(DCGM_METRICS.PROF_DRAM_ACTIVE, scope), { legend: GPU_LEGEND })],
    unit: 'percentunit',
    min: 0,
    max: 1,
    width,
  });
}

/** GPU framebuffer memory in use. */
export function gpuMemory(scope: GpuScope, width = 12, note = ''): PanelDraft {
  return timeseries({
    title: 'GPU memory used',
    description:
      `Framebuffer memory used / (used + free) per GPU (recording rule ${GPU_RECORDS.MEMORY_USED_RATIO}, from ` +
      `${DCGM_METRICS.FB_USED} and ${DCGM_METRICS.FB_FREE}). Bad: above 0.95 risks CUDA out-of-memory errors and allocator ` +
      `fragmentation; persistently low memory on a training job means the batch size could grow.${note ? ` ${note}` : ''}`,
    queries: [prom(gpu(GPU_RECORDS.MEMORY_USED_RATIO, scope), { legend: GPU_LEGEND })],
    unit: 'percentunit',
    min: 0,
    max: 1,
    thresholds: { base: 'green', steps: [{ value: 0.9, color: 'orange' }, { value: 0.97, color: 'red' }] },
    width,
  });
}

/** Power draw. */
export function gpuPower(scope: GpuScope, width = 12): PanelDraft {
  return timeseries({
    title: 'Power draw',
    description:
      `Power drawn by each GPU in watts (${DCGM_METRICS.POWER_USAGE}). A busy H100 SXM draws 500-700 W, an A100 250-400 W. ` +
      'Bad: low power while utilisation reads 100 % is another sign of a stalled or memory-bound GPU; power pinned at the board ' +
      'limit together with power throttling below means the clocks are being capped.',
    queries: [prom(gpu(DCGM_METRICS.POWER_USAGE, scope), { legend: GPU_LEGEND })],
    unit: 'watt',
    min: 0,
    width,
  });
}

/** GPU and memory temperature. */
export function gpuTemperature(scope: GpuScope, width = 12): PanelDraft {
  return timeseries({
    title: 'Temperature',
    description:
      `GPU die (${DCGM_METRICS.GPU_TEMP}) and HBM memory (${DCGM_METRICS.MEMORY_TEMP}) temperature in °C. ` +
      'Bad: GPU above ~85 °C or memory above ~95 °C leads to thermal throttling (see the throttling panel) and, when sustained, ' +
      'to hardware errors; one GPU much hotter than its neighbours points at cooling on that node.',
    queries: [
      prom(gpu(DCGM_METRICS.GPU_TEMP, scope), { legend: `GPU · ${GPU_LEGEND}` }),
      prom(gpu(DCGM_METRICS.MEMORY_TEMP, scope), { legend: `memory · ${GPU_LEGEND}` }),
    ],
    unit: 'celsius',
    thresholds: { base: 'green', steps: [{ value: 85, color: 'orange' }, { value: 95, color: 'red' }] },
    width,
  });
}

/** Throttling: fraction of time capped by power or temperature, and the clock-event reasons of the last 5 minutes. */
export function gpuThrottling(scope: GpuScope, width = 12): PanelDraft {
  const nsToRatio = (metric: string) => `rate(${gpu(metric, scope)}[${DCGM_RATE_WINDOW}]) / 1e9`;
  return timeseries({
    title: 'Clock throttling',
    description:
      `Fraction of time each GPU's clocks were capped because of its power limit (${DCGM_METRICS.POWER_VIOLATION}) or temperature ` +
      `(${DCGM_METRICS.THERMAL_VIOLATION}), both nanosecond counters turned into a ratio (over $__rate_interval, at least 4 scrape intervals: DCGM updates them ` +
      `every ${DCGM_COLLECT_INTERVAL_SECONDS} s), and per clock-event (throttle) reason the share of the last ${DCGM_EVENT_WINDOW_SECONDS / 60} minutes' ` +
      `DCGM samples that had it (${DCGM_METRICS.CLOCK_EVENTS_COUNT} / ${DCGM_SAMPLES_PER_EVENT_WINDOW}: a windowed count of samples, not a counter; ` +
      'gpu_idle left out). Bad: any sustained thermal throttling (sw_thermal, hw_thermal: a cooling problem), hw_slowdown or ' +
      'hw_power_brake, or power capping that slows a step more than a few percent; one throttled GPU slows every synchronous ' +
      'data-parallel rank down to its speed.',
    queries: [
      prom(nsToRatio(DCGM_METRICS.POWER_VIOLATION), { legend: `power · ${GPU_LEGEND}` }),
      prom(nsToRatio(DCGM_METRICS.THERMAL_VIOLATION), { legend: `thermal · ${GPU_LEGEND}` }),
      prom(
        `max ${by(NODE_LABEL, DCGM_LABELS.POD, DCGM_LABELS.GPU, DCGM_LABELS.CLOCK_EVENT)} (${gpu(DCGM_METRICS.CLOCK_EVENTS_COUNT, scope, `${DCGM_LABELS.CLOCK_EVENT}!="gpu_idle"`)}) / ${DCGM_SAMPLES_PER_EVENT_WINDOW}`,
        { legend: `{{${DCGM_LABELS.CLOCK_EVENT}}} share of 5 min · ${GPU_LEGEND}` },
      ),
    ],
    unit: 'percentunit',
    min: 0,
    width,
  });
}

/** The SM clock. */
export function smClock(scope: GpuScope, width = 12): PanelDraft {
  return timeseries({
    title: 'SM clock',
    description:
      `Streaming-multiprocessor clock of each GPU (${DCGM_METRICS.SM_CLOCK}, MHz shown in Hz). Under load it should sit near the ` +
      "GPU's boost clock (e.g. 1.98 GHz on H100 SXM). Bad: drops under load coincide with throttling; GPUs of one job running at " +
      'different clocks make the fast ones wait for the slow one.',
    queries: [prom(`${gpu(DCGM_METRICS.SM_CLOCK, scope)} * 1e6`, { legend: GPU_LEGEND })],
    unit: 'hertz',
    min: 0,
    width,
  });
}

/**
 * XID errors per GPU, as an instant query over the selected range: 1 on a GPU with an XID in dcgm-exporter's window
 * at any time of the range, 0 on a GPU reporting none. `DCGM_EXP_XID_ERRORS_COUNT` is a windowed count (a series per
 * xid while the XID is in the 5-minute window, a zero series without xid otherwise), so `increase()` reads nothing.
 */
export function xidInViewPerGpu(matchers: readonly string[]): string {
  const g = (extra: string[]) => sel(DCGM_METRICS.XID_ERRORS_COUNT, ...matchers, ...extra);
  const key = by(NODE_LABEL, DCGM_LABELS.GPU, DCGM_LABELS.MIG_INSTANCE_ID);
  return `max ${key} (max_over_time(${g([`${DCGM_LABELS.XID}!=""`])}[$__range]) > bool 0) or max ${key} (${g([])} * 0)`;
}

/** XID errors: the last XID per GPU, whether each GPU had one in the range, and per XID code the most in one window. */
export function xidErrors(scope: GpuScope, width = 12): PanelDraft {
  return stat({
    title: 'XID errors',
    description:
      `The last XID error code each GPU reported (${DCGM_METRICS.XID_ERRORS}; 0 = none since the exporter started: DCGM keeps it until ` +
      `it restarts, also after the GPU went to another pod), whether each GPU had an XID in the selected time range (1) or not (0), ` +
      `and per XID code the most seen in one 5-minute window (${DCGM_METRICS.XID_ERRORS_COUNT} is a count of the last 5 minutes, not a counter). ` +
      'Bad: anything but 0. XIDs 13, 31 and 43 usually mean an application fault (illegal memory access, killed context); 48, 63, 64, ' +
      '74, 79, 92, 94, 95 and 119 point at hardware, NVLink or driver problems: drain the node and check `nvidia-smi -q` / the kernel log.',
    queries: [
      prom(`max ${by(DCGM_LABELS.POD, DCGM_LABELS.GPU, NODE_LABEL)} (${gpu(DCGM_METRICS.XID_ERRORS, scope)})`, { legend: `last XID · {{${NODE_LABEL}}} · ${GPU_LEGEND}` }),
      prom(xidInViewPerGpu(scope.matchers), { legend: `XID in range · {{${NODE_LABEL}}} · GPU {{${DCGM_LABELS.GPU}}}`, instant: true }),
      prom(`max ${by(DCGM_LABELS.XID)} (max_over_time(${gpu(DCGM_METRICS.XID_ERRORS_COUNT, scope, `${DCGM_LABELS.XID}!=""`)}[$__range]))`, {
        legend: `XID {{${DCGM_LABELS.XID}}} in range`,
        instant: true,
      }),
    ],
    thresholds: { base: 'green', steps: [{ value: 1, color: 'red' }] },
    decimals: 0,
    width,
  });
}

/** NVLink and PCIe throughput per GPU. */
export function gpuInterconnect(scope: GpuScope, width = 12): PanelDraft {
  return timeseries({
    title: 'NVLink and PCIe throughput',
    description:
      `Per GPU, NVLink traffic (rate of ${DCGM_METRICS.NVLINK_BANDWIDTH_TOTAL}, all links; 0 on GPUs without NVLink such as L40S, and on MIG ` +
      `instances) and PCIe transmit / receive (${DCGM_METRICS.PROF_PCIE_TX_BYTES}, ${DCGM_METRICS.PROF_PCIE_RX_BYTES}, bytes per second incl. headers). ` +
      'Bad: NVLink near 0 on a multi-GPU job that should all-reduce over it (the collective fell back to PCIe or the network: check ' +
      'NCCL_P2P settings and `nvidia-smi topo -m`); PCIe saturated (~25 GB/s on Gen4 x16, ~50 on Gen5) means host-device copies limit the job.',
    queries: [
      prom(`sum ${by(NODE_LABEL, DCGM_LABELS.POD, DCGM_LABELS.GPU)} (rate(${gpu(DCGM_METRICS.NVLINK_BANDWIDTH_TOTAL, scope)}[${DCGM_RATE_WINDOW}]))`, {
        legend: `NVLink · ${GPU_LEGEND}`,
      }),
      prom(`max ${by(NODE_LABEL, DCGM_LABELS.POD, DCGM_LABELS.GPU)} (${gpu(DCGM_METRICS.PROF_PCIE_TX_BYTES, scope)})`, { legend: `PCIe TX · ${GPU_LEGEND}` }),
      prom(`max ${by(NODE_LABEL, DCGM_LABELS.POD, DCGM_LABELS.GPU)} (${gpu(DCGM_METRICS.PROF_PCIE_RX_BYTES, scope)})`, { legend: `PCIe RX · ${GPU_LEGEND}` }),
    ],
    unit: 'Bps',
    min: 0,
    width,
  });
}

/**
 * GPU panels shared by the training and inference dashboards, for the GPUs of a set of pods (dcgm-exporter with
 * pod mapping: `namespace`/`pod` name the workload using the GPU; our ServiceMonitor adds `node`).
 * @module
 */
import { DCGM_LABELS, DCGM_METRICS } from './dcgm-metrics.js';
import { GPU_RECORDS } from './gpu-records.js';
import { prom, stat, timeseries, type PanelDraft } from '../dashboards/toolkit/panels.js';
import { by, NODE_LABEL, sel } from '../dashboards/toolkit/promql.js';

/** Legend of a per-GPU series: pod and GPU index. */
export const GPU_LEGEND = `{{${DCGM_LABELS.POD}}} · GPU {{${DCGM_LABELS.GPU}}}`;

/** The GPUs a panel shows: label matchers on dcgm-exporter series (and on our GPU recording rules). */
export interface GpuScope {
  readonly matchers: readonly string[];
}

function gpu(metric: string, scope: GpuScope): string {
  return sel(metric, ...scope.matchers);
}

/** GPU utilisation as DCGM reports it (percent of time a kernel was resident). */
export function gpuUtilisation(scope: GpuScope, width = 12): PanelDraft {
  return timeseries({
    title: 'GPU utilisation',
    description:
      `Percent of time at least one kernel was running on each GPU (${DCGM_METRICS.GPU_UTIL}). It says nothing about how much of the GPU ` +
      'the kernels used: a single small kernel counts as 100 %. Read it with SM active, tensor pipe active and DRAM active. ' +
      'Bad: below ~70 % during steady training or serving means the GPU waits (data loading, host-to-device copies, ' +
      'checkpointing, collective communication, a CPU-bound tokenizer); 0 % on an allocated GPU means it is idle.',
    queries: [prom(gpu(DCGM_METRICS.GPU_UTIL, scope), { legend: GPU_LEGEND })],
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

/** Throttling: fraction of time capped by power or temperature, the SM clock, and the clock-event reasons. */
export function gpuThrottling(scope: GpuScope, width = 12): PanelDraft {
  const nsToRatio = (metric: string) => `rate(${gpu(metric, scope)}[$__rate_interval]) / 1e9`;
  return timeseries({
    title: 'Clock throttling',
    description:
      `Fraction of time each GPU's clocks were capped because of its power limit (${DCGM_METRICS.POWER_VIOLATION}) or temperature ` +
      `(${DCGM_METRICS.THERMAL_VIOLATION}), both nanosecond counters turned into a ratio, and the clock-event (throttle) reasons ` +
      `DCGM reported per second (${DCGM_METRICS.CLOCK_EVENTS_COUNT}, by clock_event). ` +
      'Bad: any sustained thermal throttling (cooling problem), or power throttling that slows a step more than a few percent; ' +
      'one throttled GPU slows every synchronous data-parallel rank down to its speed.',
    queries: [
      prom(nsToRatio(DCGM_METRICS.POWER_VIOLATION), { legend: `power · ${GPU_LEGEND}` }),
      prom(nsToRatio(DCGM_METRICS.THERMAL_VIOLATION), { legend: `thermal · ${GPU_LEGEND}` }),
      prom(
        `sum ${by(DCGM_LABELS.POD, DCGM_LABELS.GPU, DCGM_LABELS.CLOCK_EVENT)} (rate(${gpu(DCGM_METRICS.CLOCK_EVENTS_COUNT, scope)}[$__rate_interval]))`,
        { legend: `{{${DCGM_LABELS.CLOCK_EVENT}}} events/s · ${GPU_LEGEND}` },
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

/** XID errors: the last XID per GPU and the XIDs reported over the range. */
export function xidErrors(scope: GpuScope, width = 12): PanelDraft {
  return stat({
    title: 'XID errors',
    description:
      `The last XID error code each GPU reported (${DCGM_METRICS.XID_ERRORS}; 0 = none since the exporter started) and, per XID, ` +
      `how many were reported in the selected time range (${DCGM_METRICS.XID_ERRORS_COUNT}). Bad: anything but 0. XIDs 13, 31 and ` +
      '43 usually mean an application fault (illegal memory access, killed context); 48, 63, 64, 74, 79, 92, 94, 95 and 119 point ' +
      'at hardware, NVLink or driver problems: drain the node and check `nvidia-smi -q` / the kernel log.',
    queries: [
      prom(`max ${by(DCGM_LABELS.POD, DCGM_LABELS.GPU, NODE_LABEL)} (${gpu(DCGM_METRICS.XID_ERRORS, scope)})`, { legend: `last XID · {{${NODE_LABEL}}} · ${GPU_LEGEND}` }),
      prom(`sum ${by(DCGM_LABELS.XID)} (increase(${gpu(DCGM_METRICS.XID_ERRORS_COUNT, scope)}[$__range]))`, {
        legend: `XID {{${DCGM_LABELS.XID}}} in range`,
        instant: true,
      }),
    ],
    thresholds: { base: 'green', steps: [{ value: 1, color: 'red' }] },
    decimals: 0,
    width,
  });
}

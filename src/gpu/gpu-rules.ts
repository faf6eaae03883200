import { DCGM_LABELS, DCGM_METRICS } from './dcgm-metrics.js';
import { KSM_LABELS, KSM_METRICS, KSM_RESOURCES } from '../prometheus/kube-metrics.js';
import { OPENCOST_LABELS, OPENCOST_METRICS } from '../opencost/opencost-metrics.js';
import { TARGET_LABELS } from '../core/metric-names.js';
import { GPU_RECORDS } from './gpu-records.js';
import { type AlertRuleSpec, checkDuration, checkThreshold, num, type RecordingRuleSpec, type RuleGroupSpec } from '../core/rule-types.js';

/** Thresholds of the GPU alerts; every field has a default. */
export interface GpuAlertThresholds {
  /**
   * A GPU whose 5-minute mean utilisation is at or below this (percent) counts as idle; above it, as busy.
   * @default 5
   */
  readonly idleUtilizationPercent?: number;
  /**
   * How long GPUs must stay allocated and idle before GpuAllocatedButIdle fires.
   * @default "30m"
   */
  readonly idleFor?: string;
  /**
   * Framebuffer used / (used + free) above which GpuMemoryNearlyFull fires (0-1). vLLM pre-allocates
   * `gpu_memory_utilization` (0.9 by default) of the memory, which stays below the default.
   * @default 0.95
   */
  readonly memoryUsedRatio?: number;
  /**
   * GPU temperature (°C) above which GpuTemperatureHigh fires.
   * @default 85
   */
  readonly temperatureCelsius?: number;
  /**
   * Fraction of time (0-1) a GPU may be throttled for thermal or power reasons before the throttling alerts fire.
   * @default 0.1
   */
  readonly throttleRatio?: number;
  /**
   * Correctable (single-bit) ECC errors per hour above which GpuCorrectableEccErrorsHigh fires.
   * @default 100
   */
  readonly correctableEccErrorsPerHour?: number;
  /**
   * XID codes that mean the GPU needs draining (critical): double-bit ECC (48), micro-controller halt (61, 62),
   * row-remap failure (64), NVLink error (74), fallen off the bus (79), contained/uncontained ECC (94, 95),
   * GSP errors (119, 120). Any other XID is a warning.
   * @default FATAL_XIDS
   */
  readonly fatalXids?: readonly number[];
}

/** XID codes treated as fatal by default (see {@link GpuAlertThresholds.fatalXids}). */
export const FATAL_XIDS: readonly number[] = [48, 61, 62, 64, 74, 79, 94, 95, 119, 120];

/** Name of the PrometheusRule with the GPU rules (and of its promtool rule file, `<name>.yaml`). */
export const GPU_RULES_NAME = 'gpu-rules';

const GPU_REQUESTS = `${KSM_METRICS.POD_CONTAINER_RESOURCE_REQUESTS}{resource="${KSM_RESOURCES.NVIDIA_GPU}"}`;
const RUNNING_PODS = `max by (namespace, pod) (${KSM_METRICS.POD_STATUS_PHASE}{phase="Running"} == 1)`;
const UTIL = DCGM_METRICS.GPU_UTIL;
const GPU_ID = `GPU {{ $labels.${DCGM_LABELS.GPU} }} ({{ $labels.${DCGM_LABELS.MODEL_NAME} }}) on node {{ $labels.${TARGET_LABELS.NODE} }}`;

// GPU spend: OpenCost's price of one GPU-hour on a node, and the joins that put per-pod GPU counts on a node and a job.
const { NAMESPACE, POD, OWNER_KIND, OWNER_NAME } = KSM_LABELS;
/** GPU price per hour of each node (one series per node even if OpenCost restarted). */
const NODE_GPU_PRICE = `max by (${OPENCOST_LABELS.NODE}) (${OPENCOST_METRICS.NODE_GPU_HOURLY_COST})`;
/** Prices per-pod GPU counts that carry OpenCost's node label: dollars per hour. */
const pricedOnNode = (perPodGpus: string) => `${perPodGpus}\n  * on (${OPENCOST_LABELS.NODE}) group_left () ${NODE_GPU_PRICE}`;
/** Places per-pod series (namespace, pod) on their node (kube_pod_info's node label). */
const onPodNode = (expr: string) =>
  `${expr}\n  * on (${NAMESPACE}, ${POD}) group_left (${KSM_LABELS.NODE}) max by (${NAMESPACE}, ${POD}, ${KSM_LABELS.NODE}) (${KSM_METRICS.POD_INFO})`;
/** Adds the pod's controller (the "job") to per-pod series. */
const withOwner = (expr: string) =>
  `${expr}\n  * on (${NAMESPACE}, ${POD}) group_left (${OWNER_KIND}, ${OWNER_NAME}) max by (${NAMESPACE}, ${POD}, ${OWNER_KIND}, ${OWNER_NAME}) (${KSM_METRICS.POD_OWNER})`;

/** The GPU alert thresholds, checked, with their defaults applied. */
interface GpuThresholds {
  readonly idle: number;
  readonly idleFor: string;
  readonly memory: number;
  readonly temperature: number;
  readonly throttle: number;
  readonly sbe: number;
  readonly fatal: readonly number[];
}

/** Checks the thresholds (the error names the prop) and applies the defaults. */
function gpuThresholds(thresholds: GpuAlertThresholds): GpuThresholds {
  const idle = checkThreshold('gpu.idleUtilizationPercent', thresholds.idleUtilizationPercent ?? 5, 0, 100);
  const idleFor = checkDuration('gpu.idleFor', thresholds.idleFor ?? '30m');
  const memory = checkThreshold('gpu.memoryUsedRatio', thresholds.memoryUsedRatio ?? 0.95, 0, 1);
  const temperature = checkThreshold('gpu.temperatureCelsius', thresholds.temperatureCelsius ?? 85, 0, 150);
  const throttle = checkThreshold('gpu.throttleRatio', thresholds.throttleRatio ?? 0.1, 0, 1);
  const sbe = checkThreshold('gpu.correctableEccErrorsPerHour', thresholds.correctableEccErrorsPerHour ?? 100, 0);
  const fatal = thresholds.fatalXids ?? FATAL_XIDS;
  if (fatal.length === 0 || fatal.some((x) => !Number.isInteger(x) || x <= 0)) {
    throw new Error(`gpu.fatalXids: ${JSON.stringify(fatal)} must be a non-empty list of positive XID codes`);
  }
  return { idle, idleFor, memory, temperature, throttle, sbe, fatal };
}

/** The GPU recording rules and alerts: utilisation per workload, allocated vs busy, errors, throttling, idle. */
export function gpuRuleGroups(thresholds: GpuAlertThresholds = {}): RuleGroupSpec[] {
  const t = gpuThresholds(thresholds);
  return [
    { name: 'gpu.records', rules: gpuRecords(t) },
    { name: 'gpu.alerts', rules: [...xidAlerts(t), ...eccAlerts(t), ...throttlingAlerts(t), ...usageAlerts(t)] },
  ];
}

/** Recording rules: utilisation by pod, namespace, node and Ray cluster; allocated, allocatable, busy and idle GPUs; GPU spend. */
function gpuRecords({ idle }: GpuThresholds): RecordingRuleSpec[] {
  const busyExpr = (by: string) => `avg_over_time(${UTIL}${by}[5m]) > ${num(idle)}`;
  return [
    { record: GPU_RECORDS.UTIL_BY_POD, expr: `avg by (namespace, pod) (${UTIL}{pod!=""})` },
    { record: GPU_RECORDS.UTIL_BY_NAMESPACE, expr: `avg by (namespace) (${UTIL}{namespace!=""})` },
    { record: GPU_RECORDS.UTIL_BY_NODE, expr: `avg by (${TARGET_LABELS.NODE}) (${UTIL})` },
    {
      record: GPU_RECORDS.UTIL_BY_RAY_CLUSTER,
      expr:
        `avg by (namespace, ${TARGET_LABELS.RAY_CLUSTER}) (\n  ${UTIL}{pod!=""}\n  * on (namespace, pod) group_left (${TARGET_LABELS.RAY_CLUSTER})\n` +
        `  label_replace(max by (namespace, pod, owner_name) (${KSM_METRICS.POD_OWNER}{owner_kind="RayCluster"}), "${TARGET_LABELS.RAY_CLUSTER}", "$1", "owner_name", "(.+)")\n)`,
    },
    { record: GPU_RECORDS.TENSOR_ACTIVE_BY_POD, expr: `avg by (namespace, pod) (${DCGM_METRICS.PROF_PIPE_TENSOR_ACTIVE}{pod!=""})` },
    {
      record: GPU_RECORDS.MEMORY_USED_RATIO,
      expr: `${DCGM_METRICS.FB_USED} / (${DCGM_METRICS.FB_USED} + ${DCGM_METRICS.FB_FREE})`,
    },
    {
      record: GPU_RECORDS.ALLOCATED_BY_NAMESPACE,
      expr: `sum by (namespace) (\n  ${GPU_REQUESTS}\n  * on (namespace, pod) group_left () ${RUNNING_PODS}\n)`,
    },
    { record: GPU_RECORDS.ALLOCATED, expr: `sum(${GPU_RECORDS.ALLOCATED_BY_NAMESPACE}) or vector(0)` },
    { record: GPU_RECORDS.ALLOCATABLE, expr: `sum(${KSM_METRICS.NODE_STATUS_ALLOCATABLE}{resource="${KSM_RESOURCES.NVIDIA_GPU}"}) or vector(0)` },
    { record: GPU_RECORDS.BUSY, expr: `count(${busyExpr('')}) or vector(0)` },
    { record: GPU_RECORDS.BUSY_BY_NAMESPACE, expr: `count by (namespace) (${busyExpr('{namespace!=""}')})` },
    {
      record: GPU_RECORDS.ALLOCATED_IDLE_BY_POD,
      expr:
        `sum by (namespace, pod) (\n  ${GPU_REQUESTS}\n  * on (namespace, pod) group_left () ${RUNNING_PODS}\n)\n` +
        `and on (namespace, pod)\n(max by (namespace, pod) (avg_over_time(${UTIL}{pod!=""}[5m])) <= ${num(idle)})`,
    },
    // GPU spend rates (dollars per hour), recorded so the cost dashboard does not join OpenCost, kube-state-metrics
    // and the idle record over its whole time range at query time. The idle ones read ALLOCATED_IDLE_BY_POD,
    // recorded above in the same group (and so in the same evaluation).
    {
      record: GPU_RECORDS.ALLOCATED_COST_BY_NAMESPACE,
      expr: `sum by (${NAMESPACE}) (\n  ${pricedOnNode(`sum by (${OPENCOST_LABELS.NAMESPACE}, ${OPENCOST_LABELS.POD}, ${OPENCOST_LABELS.NODE}) (${OPENCOST_METRICS.CONTAINER_GPU_ALLOCATION})`)}\n)`,
    },
    {
      record: GPU_RECORDS.IDLE_COST_BY_NAMESPACE,
      expr: `sum by (${NAMESPACE}) (\n  ${pricedOnNode(onPodNode(GPU_RECORDS.ALLOCATED_IDLE_BY_POD))}\n)`,
    },
    {
      record: GPU_RECORDS.IDLE_COST_BY_OWNER,
      expr: `sum by (${NAMESPACE}, ${OWNER_KIND}, ${OWNER_NAME}) (\n  ${pricedOnNode(onPodNode(withOwner(GPU_RECORDS.ALLOCATED_IDLE_BY_POD)))}\n)`,
    },
  ];
}

/** XID errors the driver reports: fatal ones (drain the GPU) and any other (find out whose). */
function xidAlerts({ fatal }: GpuThresholds): AlertRuleSpec[] {
  return [
    {
      alert: 'GpuFatalXidError',
      expr: `max by (${TARGET_LABELS.NODE}, gpu, UUID, modelName, xid) (${DCGM_METRICS.XID_ERRORS_COUNT}{xid=~"${fatal.join('|')}"}) > 0`,
      severity: 'critical',
      summary: `${GPU_ID} reported fatal XID {{ $labels.xid }}`,
      description:
        'The NVIDIA driver reported an XID error that means the GPU is not usable as is (ECC, NVLink, bus or GSP failure). ' +
        'Jobs on it will crash or produce wrong results until the GPU is reset.',
      runbook: [
        'Cordon the node: kubectl cordon {{ $labels.node }}.',
        'Look the XID code up in the NVIDIA XID catalogue and read `dmesg | grep -i xid` on the node for context.',
        'Drain the GPU workloads, then reset the GPU (nvidia-smi -r) or reboot the node.',
        'If the XID comes back after a reset, have the GPU / node replaced.',
      ],
    },
    {
      alert: 'GpuXidError',
      expr: `${DCGM_METRICS.XID_ERRORS} > 0`,
      for: '5m',
      severity: 'warning',
      summary: `${GPU_ID} reported XID {{ $value }}`,
      description:
        'DCGM holds the code of the last XID error the driver reported for this GPU. Many XIDs are caused by the application ' +
        '(e.g. 13, 31, 43: illegal memory access or a killed context); others point at hardware.',
      runbook: [
        'Find the workload on the GPU (label pod / namespace on the GPU series, or kubectl describe node {{ $labels.node }}).',
        'Look the XID code up in the NVIDIA XID catalogue: application errors go to the job owner, hardware errors to the node owner.',
        'Check dmesg on the node for the full driver message.',
        'The value is the last XID code DCGM saw, not a count: compare with dmesg to see whether errors are still occurring.',
      ],
    },
  ];
}

/** Memory errors: uncorrectable ECC, failed row remapping, a high rate of correctable ECC. */
function eccAlerts({ sbe }: GpuThresholds): AlertRuleSpec[] {
  return [
    {
      alert: 'GpuUncorrectableEccErrors',
      expr: `increase(${DCGM_METRICS.ECC_DBE_VOL_TOTAL}[10m]) > 0 or increase(${DCGM_METRICS.UNCORRECTABLE_REMAPPED_ROWS}[10m]) > 0`,
      severity: 'critical',
      summary: `${GPU_ID} had uncorrectable (double-bit) ECC errors`,
      description: 'Uncorrectable memory errors corrupt data: results computed on this GPU since the error cannot be trusted.',
      runbook: [
        'Cordon the node: kubectl cordon {{ $labels.node }}.',
        'Tell the owners of the workloads on this GPU to re-run from their last good checkpoint.',
        'Reset the GPU so row remapping takes effect; if remapping fails (GpuRowRemapFailed) have the GPU replaced.',
      ],
    },
    {
      alert: 'GpuRowRemapFailed',
      expr: `${DCGM_METRICS.ROW_REMAP_FAILURE} > 0`,
      severity: 'critical',
      summary: `${GPU_ID}: memory row remapping failed`,
      description: 'The GPU ran out of spare memory rows to remap bad ones to: the memory errors will keep happening.',
      runbook: ['Cordon and drain the node: kubectl drain {{ $labels.node }} --ignore-daemonsets.', 'Have the GPU replaced (RMA).'],
    },
    {
      alert: 'GpuCorrectableEccErrorsHigh',
      expr: `increase(${DCGM_METRICS.ECC_SBE_VOL_TOTAL}[1h]) > ${num(sbe)}`,
      severity: 'warning',
      summary: `${GPU_ID}: {{ $value }} correctable ECC errors in the last hour`,
      description: 'Correctable errors are fixed in flight, but a high rate often comes before uncorrectable errors.',
      runbook: [
        'Watch the trend on the GPU fleet dashboard; plan a maintenance window for the node.',
        'Reset the GPU at the next opportunity; if the rate stays high, have it checked by the vendor.',
      ],
    },
  ];
}

/** Thermal and power throttling, and high temperature. */
function throttlingAlerts({ temperature, throttle }: GpuThresholds): AlertRuleSpec[] {
  return [
    {
      alert: 'GpuThermalThrottling',
      expr: `rate(${DCGM_METRICS.THERMAL_VIOLATION}[5m]) / 1e9 > ${num(throttle)}`,
      for: '10m',
      severity: 'warning',
      summary: `${GPU_ID} is thermally throttled {{ $value | humanizePercentage }} of the time`,
      description: 'The GPU lowers its clocks to stay within temperature limits, so jobs on it run slower than they should.',
      runbook: [
        'Check GPU and memory temperature on the GPU dashboard, and whether all GPUs of the node are affected (cooling) or one (that GPU).',
        'Check the node for failed fans or blocked airflow (cloud: report the instance to the provider).',
        'Move latency-sensitive work off the node until it is fixed.',
      ],
    },
    {
      alert: 'GpuTemperatureHigh',
      expr: `${DCGM_METRICS.GPU_TEMP} > ${num(temperature)}`,
      for: '10m',
      severity: 'warning',
      summary: `${GPU_ID} is at {{ $value }}°C`,
      description: `The GPU has been above ${num(temperature)}°C for 10 minutes; it will throttle and may shut down.`,
      runbook: [
        'Check cooling of the node (fans, airflow, data-centre temperature).',
        'See whether GpuThermalThrottling fires as well; move work off the node if it does.',
      ],
    },
    {
      alert: 'GpuPowerThrottling',
      expr: `rate(${DCGM_METRICS.POWER_VIOLATION}[5m]) / 1e9 > ${num(throttle)}`,
      for: '15m',
      severity: 'warning',
      summary: `${GPU_ID} is power-capped {{ $value | humanizePercentage }} of the time`,
      description: 'The GPU holds its clocks down to stay within its power limit, so it delivers less than its rated throughput.',
      runbook: [
        'Check the power limit (nvidia-smi -q -d POWER): a lowered limit or a power-capped instance explains it.',
        'Compare power draw with the limit on the GPU dashboard; check the node power supply if draw is below the limit.',
      ],
    },
  ];
}

/** A nearly full framebuffer, and GPUs allocated but idle. */
function usageAlerts({ idle, idleFor, memory }: GpuThresholds): AlertRuleSpec[] {
  return [
    {
      alert: 'GpuMemoryNearlyFull',
      expr: `${GPU_RECORDS.MEMORY_USED_RATIO} > ${num(memory)}`,
      for: '15m',
      severity: 'warning',
      summary: `${GPU_ID} framebuffer is {{ $value | humanizePercentage }} full`,
      description: 'The next allocation on this GPU will fail with CUDA out-of-memory.',
      runbook: [
        'Find the workload (labels pod / namespace) and check whether its memory keeps growing (leak) or is steady (sized too big).',
        'Lower the batch size / max sequence length, or for vLLM gpu_memory_utilization; or give the job a GPU with more memory.',
      ],
    },
    {
      alert: 'GpuAllocatedButIdle',
      expr: `${GPU_RECORDS.ALLOCATED_IDLE_BY_POD} > 0`,
      for: idleFor,
      severity: 'warning',
      summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} holds {{ $value }} GPU(s) that are idle',
      description:
        `The pod has requested GPUs for ${idleFor} while their utilisation stayed at or below ${num(idle)}%: ` +
        `those GPUs cost money (see ${OPENCOST_METRICS.NODE_GPU_HOURLY_COST} on the cost dashboard) and nobody else can use them.`,
      runbook: [
        'Ask the owner of {{ $labels.namespace }}/{{ $labels.pod }} whether the job is stuck (data loading, a hung collective) or finished without exiting.',
        'For notebooks and dev pods: stop them, or move them to a smaller / shared GPU (MIG, time-slicing).',
        'For inference: scale the deployment down, or enable autoscaling to zero.',
      ],
    },
  ];
}

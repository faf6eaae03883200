import { DCGM_JOB, DCGM_LABELS, DCGM_METRICS } from './dcgm-metrics.js';
import { KSM_JOB, KSM_LABELS, KSM_METRICS, KSM_RESOURCES } from '../prometheus/kube-metrics.js';
import { OPENCOST_LABELS, OPENCOST_METRICS } from '../opencost/opencost-metrics.js';
import { TARGET_LABELS } from '../core/metric-names.js';
import { GPU_RECORDS } from './gpu-records.js';
import { propError } from '../core/prop-error.js';
import { type AlertRuleSpec, num, type RecordingRuleSpec, type RuleGroupSpec } from '../core/rule-types.js';
import { checkProp } from '../core/value-types.js';
import { GPU_ALERT_VALUE_TYPES } from './gpu-value-types.js';

/** The thresholds of the GPU alerts when left out. */
export const GPU_ALERT_DEFAULTS = {
  idleUtilizationPercent: 5,
  idleFor: '30m',
  memoryUsedRatio: 0.95,
  temperatureCelsius: 85,
  throttleRatio: 0.1,
  correctableEccErrorsPerHour: 100,
  migComputeSlices: 7,
} as const;

/** Thresholds of the GPU alerts; every field has a default ({@link GPU_ALERT_DEFAULTS}). */
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
  /**
   * Compute slices of a whole GPU in MIG mode: a MIG instance with N compute slices (`nvidia.com/mig-<N>g.*`,
   * GPU_I_PROFILE `<N>g.*`) counts as N / this many GPUs in the GPU counts, spend and weighted means. 7 on A100, H100,
   * H200 and B200; 4 on A30 (set it when all MIG GPUs of the cluster are A30s).
   * @default 7
   */
  readonly migComputeSlices?: number;
}

/** XID codes treated as fatal by default (see {@link GpuAlertThresholds.fatalXids}). */
export const FATAL_XIDS: readonly number[] = [48, 61, 62, 64, 74, 79, 94, 95, 119, 120];

/** Name of the PrometheusRule with the GPU rules (and of its promtool rule file, `<name>.yaml`). */
export const GPU_RULES_NAME = 'gpu-rules';

const { NAMESPACE, POD, OWNER_KIND, OWNER_NAME } = KSM_LABELS;
const NODE = TARGET_LABELS.NODE;
/** Pods in phase Running (kube-state-metrics' own series; OpenCost's copy appears with EMIT_DEPRECATED_METRICS). */
const RUNNING_PODS = `max by (${NAMESPACE}, ${POD}) (${KSM_METRICS.POD_STATUS_PHASE}{${KSM_JOB}, phase="Running"} == 1)`;
const GPU_ID = `GPU {{ $labels.${DCGM_LABELS.GPU} }} ({{ $labels.${DCGM_LABELS.MODEL_NAME} }}) on node {{ $labels.${NODE} }}`;
/** Labels that name one physical GPU (MIG instances share them). */
const PHYSICAL_GPU = [NODE, DCGM_LABELS.GPU, DCGM_LABELS.UUID, DCGM_LABELS.MODEL_NAME].join(', ');

/**
 * GPU-equivalents of a kube-state-metrics resource series (requests, capacity, allocatable), kube-state-metrics'
 * own series only (`job`): `nvidia.com/gpu` counts 1, a MIG resource of the mixed strategy
 * (`nvidia.com/mig-<N>g.<mem>gb`, sanitized to `nvidia_com_mig_<N>g_...`) counts N / `slices`. Labels of the series.
 */
function gpuEquivalents(metric: string, slices: number): string {
  const parts = [`${metric}{${KSM_JOB}, resource="${KSM_RESOURCES.NVIDIA_GPU}"}`];
  for (let n = 1; n <= slices; n++) parts.push(`${metric}{${KSM_JOB}, resource=~"${KSM_RESOURCES.NVIDIA_MIG_PREFIX}${n}g_.+"} * ${n} / ${slices}`);
  return parts.join('\n  or ');
}

/**
 * The job of each pod (labels namespace, pod, owner_kind, owner_name): its controller from kube_pod_owner, and for a
 * pod of a ReplicaSet owned by a Deployment that Deployment (kube_replicaset_owner, kube-state-metrics
 * internal/store/replicaset.go), so a rollout (a new ReplicaSet) stays one job.
 */
const POD_JOB =
  `(\n  max by (${NAMESPACE}, ${POD}, ${OWNER_KIND}, ${OWNER_NAME}) (\n` +
  `      max by (${NAMESPACE}, ${POD}, ${KSM_LABELS.REPLICASET}) (label_replace(${KSM_METRICS.POD_OWNER}{${KSM_JOB}, ${OWNER_KIND}="ReplicaSet"}, "${KSM_LABELS.REPLICASET}", "$1", "${OWNER_NAME}", "(.+)"))\n` +
  `    * on (${NAMESPACE}, ${KSM_LABELS.REPLICASET}) group_left (${OWNER_KIND}, ${OWNER_NAME})\n` +
  `      max by (${NAMESPACE}, ${KSM_LABELS.REPLICASET}, ${OWNER_KIND}, ${OWNER_NAME}) (${KSM_METRICS.REPLICASET_OWNER}{${KSM_JOB}, ${OWNER_KIND}="Deployment"})\n` +
  `  )\n  or on (${NAMESPACE}, ${POD})\n  max by (${NAMESPACE}, ${POD}, ${OWNER_KIND}, ${OWNER_NAME}) (${KSM_METRICS.POD_OWNER}{${KSM_JOB}})\n)`;
/** Adds the pod's job (owner_kind, owner_name) to per-pod series. */
const withJob = (expr: string) => `${expr}\n  * on (${NAMESPACE}, ${POD}) group_left (${OWNER_KIND}, ${OWNER_NAME}) ${POD_JOB}`;
/** GPU price per hour of each node (one series per node even if OpenCost restarted). */
const NODE_GPU_PRICE = `max by (${OPENCOST_LABELS.NODE}) (${OPENCOST_METRICS.NODE_GPU_HOURLY_COST})`;
/** Prices per-pod GPU-equivalents that carry the pod's node (kube-state-metrics' node label): dollars per hour. */
const pricedOnNode = (perPodGpus: string) => `${perPodGpus}\n  * on (${NODE}) group_left () ${NODE_GPU_PRICE}`;
/** Mean of a per-GPU series over `by`, weighted by GPU-equivalents. */
const weightedMean = (by: string, series: string, filter = '') =>
  `sum by (${by}) (${series}${filter} * ${GPU_RECORDS.SHARE})\n/\nsum by (${by}) (${GPU_RECORDS.SHARE}${filter})`;

/** The GPU alert thresholds, checked, with their defaults applied. */
interface GpuThresholds {
  readonly idle: number;
  readonly idleFor: string;
  readonly memory: number;
  readonly temperature: number;
  readonly throttle: number;
  readonly sbe: number;
  readonly fatal: readonly number[];
  readonly slices: number;
}

/** Checks the thresholds (a PropError names the prop) and applies the defaults. */
function gpuThresholds(thresholds: GpuAlertThresholds): GpuThresholds {
  const [T, D] = [GPU_ALERT_VALUE_TYPES, GPU_ALERT_DEFAULTS];
  const idle = checkProp(T.idleUtilizationPercent, thresholds.idleUtilizationPercent ?? D.idleUtilizationPercent, ['gpu', 'idleUtilizationPercent']);
  const idleFor = checkProp(T.idleFor, thresholds.idleFor ?? D.idleFor, ['gpu', 'idleFor']);
  const memory = checkProp(T.memoryUsedRatio, thresholds.memoryUsedRatio ?? D.memoryUsedRatio, ['gpu', 'memoryUsedRatio']);
  const temperature = checkProp(T.temperatureCelsius, thresholds.temperatureCelsius ?? D.temperatureCelsius, ['gpu', 'temperatureCelsius']);
  const throttle = checkProp(T.throttleRatio, thresholds.throttleRatio ?? D.throttleRatio, ['gpu', 'throttleRatio']);
  const sbe = checkProp(T.correctableEccErrorsPerHour, thresholds.correctableEccErrorsPerHour ?? D.correctableEccErrorsPerHour, ['gpu', 'correctableEccErrorsPerHour']);
  const fatal = thresholds.fatalXids ?? FATAL_XIDS;
  if (fatal.length === 0 || fatal.some((x) => !Number.isInteger(x) || x <= 0)) {
    throw propError('gpu.fatalXids', `${JSON.stringify(fatal)} is not allowed: must be a non-empty list of positive XID codes`);
  }
  const slices = thresholds.migComputeSlices ?? D.migComputeSlices;
  if (!Number.isInteger(slices) || slices < 1 || slices > 8) {
    throw propError('gpu.migComputeSlices', `${JSON.stringify(slices)} is not allowed: must be an integer from 1 to 8 (7 on A100/H100, 4 on A30)`);
  }
  return { idle, idleFor, memory, temperature, throttle, sbe, fatal, slices };
}

/** The GPU recording rules and alerts: utilisation per workload, allocated vs busy, errors, throttling, idle. */
export function gpuRuleGroups(thresholds: GpuAlertThresholds = {}): RuleGroupSpec[] {
  const t = gpuThresholds(thresholds);
  return [
    { name: 'gpu.records', rules: gpuRecords(t) },
    { name: 'gpu.alerts', rules: [...xidAlerts(t), ...eccAlerts(t), ...fleetAlerts(), ...throttlingAlerts(t), ...usageAlerts(t)] },
  ];
}

/** Recording rules: activity and share per GPU; utilisation by pod, namespace, node and Ray cluster; allocated, allocatable, busy and idle GPU-equivalents; GPU spend. */
function gpuRecords({ idle, slices }: GpuThresholds): RecordingRuleSpec[] {
  const A = GPU_RECORDS.ACTIVITY;
  const migShares = Array.from(
    { length: slices },
    (_, i) => `${DCGM_METRICS.PROF_GR_ENGINE_ACTIVE}{${DCGM_LABELS.MIG_INSTANCE_ID}!="", ${DCGM_LABELS.MIG_PROFILE}=~"${i + 1}g[.].+"} * 0 + ${i + 1} / ${slices}`,
  );
  // the 5-minute mean activity of the GPUs pods hold, from the raw series (as the activity record computes it)
  const podActivity5m =
    `avg_over_time(${DCGM_METRICS.GPU_UTIL}{${DCGM_LABELS.MIG_INSTANCE_ID}="", pod!=""}[5m])\n  or\n` +
    `  100 * avg_over_time(${DCGM_METRICS.PROF_GR_ENGINE_ACTIVE}{${DCGM_LABELS.MIG_INSTANCE_ID}!="", pod!=""}[5m])`;
  const allocatedByPod =
    `sum by (${NAMESPACE}, ${POD}, ${NODE}) (\n  ${gpuEquivalents(KSM_METRICS.POD_CONTAINER_RESOURCE_REQUESTS, slices)}\n)\n* on (${NAMESPACE}, ${POD}) group_left () ${RUNNING_PODS}`;
  const rayClusterOfPod =
    `label_replace(max by (${NAMESPACE}, ${POD}, ${OWNER_NAME}) (${KSM_METRICS.POD_OWNER}{${KSM_JOB}, ${OWNER_KIND}="RayCluster"}), ` +
    `"${TARGET_LABELS.RAY_CLUSTER}", "$1", "${OWNER_NAME}", "(.+)")`;
  const onRayCluster = (expr: string) => `(${expr}) * on (${NAMESPACE}, ${POD}) group_left (${TARGET_LABELS.RAY_CLUSTER}) ${rayClusterOfPod}`;
  const busy = (filter: string) => `${GPU_RECORDS.SHARE}${filter} and (avg_over_time(${A}${filter}[5m]) > ${num(idle)})`;
  return [
    // per GPU: activity (MIG instances report DCGM_FI_DEV_GPU_UTIL 0: dcgm-exporter issues #216, #430) and share
    {
      record: A,
      expr: `${DCGM_METRICS.GPU_UTIL}{${DCGM_LABELS.MIG_INSTANCE_ID}=""}\nor\n100 * ${DCGM_METRICS.PROF_GR_ENGINE_ACTIVE}{${DCGM_LABELS.MIG_INSTANCE_ID}!=""}`,
    },
    // from the raw series, like the activity (same labels), so the records that read both need one backfill level
    { record: GPU_RECORDS.SHARE, expr: [`${DCGM_METRICS.GPU_UTIL}{${DCGM_LABELS.MIG_INSTANCE_ID}=""} * 0 + 1`, ...migShares].join('\nor\n') },
    { record: GPU_RECORDS.UTIL_BY_POD, expr: weightedMean(`${NAMESPACE}, ${POD}`, A, '{pod!=""}') },
    { record: GPU_RECORDS.UTIL_BY_NAMESPACE, expr: weightedMean(NAMESPACE, A, '{namespace!=""}') },
    { record: GPU_RECORDS.UTIL_BY_NODE, expr: weightedMean(NODE, A) },
    {
      record: GPU_RECORDS.UTIL_BY_RAY_CLUSTER,
      expr:
        `sum by (${NAMESPACE}, ${TARGET_LABELS.RAY_CLUSTER}) (${onRayCluster(`${A}{pod!=""} * ${GPU_RECORDS.SHARE}`)})\n/\n` +
        `sum by (${NAMESPACE}, ${TARGET_LABELS.RAY_CLUSTER}) (${onRayCluster(`${GPU_RECORDS.SHARE}{pod!=""}`)})`,
    },
    {
      record: GPU_RECORDS.TENSOR_ACTIVE_BY_POD,
      expr:
        `sum by (${NAMESPACE}, ${POD}) (${DCGM_METRICS.PROF_PIPE_TENSOR_ACTIVE}{pod!=""} * ${GPU_RECORDS.SHARE})\n/\n` +
        `sum by (${NAMESPACE}, ${POD}) (${GPU_RECORDS.SHARE}{pod!=""} and ${DCGM_METRICS.PROF_PIPE_TENSOR_ACTIVE})`,
    },
    {
      record: GPU_RECORDS.MEMORY_USED_RATIO,
      expr: `${DCGM_METRICS.FB_USED} / (${DCGM_METRICS.FB_USED} + ${DCGM_METRICS.FB_FREE})`,
    },
    // allocation in GPU-equivalents (kube-state-metrics' own series: OpenCost's copies would double every sum)
    {
      record: GPU_RECORDS.ALLOCATED_BY_POD,
      expr: allocatedByPod,
    },
    { record: GPU_RECORDS.ALLOCATED_BY_NAMESPACE, expr: `sum by (${NAMESPACE}) (${GPU_RECORDS.ALLOCATED_BY_POD})` },
    { record: GPU_RECORDS.ALLOCATED, expr: `sum(${GPU_RECORDS.ALLOCATED_BY_POD}) or vector(0)` },
    { record: GPU_RECORDS.NODE_CAPACITY, expr: `sum by (${NODE}) (\n  ${gpuEquivalents(KSM_METRICS.NODE_STATUS_CAPACITY, slices)}\n)` },
    { record: GPU_RECORDS.NODE_ALLOCATABLE, expr: `sum by (${NODE}) (\n  ${gpuEquivalents(KSM_METRICS.NODE_STATUS_ALLOCATABLE, slices)}\n)` },
    { record: GPU_RECORDS.ALLOCATABLE, expr: `sum(${GPU_RECORDS.NODE_ALLOCATABLE}) or vector(0)` },
    { record: GPU_RECORDS.NODE_REPORTED, expr: `count by (${NODE}) (count by (${NODE}, ${DCGM_LABELS.GPU}) (${DCGM_METRICS.GPU_TEMP}))` },
    { record: GPU_RECORDS.BUSY, expr: `sum(${busy('')}) or vector(0)` },
    { record: GPU_RECORDS.BUSY_BY_NAMESPACE, expr: `sum by (${NAMESPACE}) (${busy('{namespace!=""}')})` },
    {
      record: GPU_RECORDS.ALLOCATED_IDLE_BY_POD,
      // from raw series (as the allocation and activity records compute them): the records below read it
      expr: `(\n${allocatedByPod}\n)\nand on (${NAMESPACE}, ${POD})\n(max by (${NAMESPACE}, ${POD}) (\n  ${podActivity5m}\n) <= ${num(idle)})`,
    },
    // per job (recorded: the idle-hours-per-job panel sums it over its whole range)
    { record: GPU_RECORDS.IDLE_BY_OWNER, expr: `sum by (${NAMESPACE}, ${OWNER_KIND}, ${OWNER_NAME}) (\n  ${withJob(GPU_RECORDS.ALLOCATED_IDLE_BY_POD)}\n)` },
    // GPU spend rates (dollars per hour), recorded so the cost dashboard does not join OpenCost and the idle record
    // over its whole time range at query time. They read records recorded above in the same group (same evaluation).
    { record: GPU_RECORDS.ALLOCATED_COST_BY_NAMESPACE, expr: `sum by (${NAMESPACE}) (\n  ${pricedOnNode(GPU_RECORDS.ALLOCATED_BY_POD)}\n)` },
    { record: GPU_RECORDS.IDLE_COST_BY_NAMESPACE, expr: `sum by (${NAMESPACE}) (\n  ${pricedOnNode(GPU_RECORDS.ALLOCATED_IDLE_BY_POD)}\n)` },
    {
      record: GPU_RECORDS.IDLE_COST_BY_OWNER,
      expr: `sum by (${NAMESPACE}, ${OWNER_KIND}, ${OWNER_NAME}) (\n  ${withJob(`(${pricedOnNode(GPU_RECORDS.ALLOCATED_IDLE_BY_POD)})`)}\n)`,
    },
  ];
}

/**
 * XID errors the driver reports: a fatal one (drain and reset the GPU) from DCGM's last XID, which stays until
 * DCGM restarts, as the GPU stays unusable until a reset; any other from dcgm-exporter's 5-minute window, with the
 * pod that held the GPU then (the last XID would page whoever holds the GPU later).
 */
function xidAlerts({ fatal }: GpuThresholds): AlertRuleSpec[] {
  const lastXidIsFatal = fatal.map((x) => `${DCGM_METRICS.XID_ERRORS} == ${x}`).join(' or ');
  return [
    {
      alert: 'GpuFatalXidError',
      expr: `max by (${PHYSICAL_GPU}) (${lastXidIsFatal})`,
      severity: 'critical',
      summary: `${GPU_ID} reported fatal XID {{ $value }}`,
      description:
        'The NVIDIA driver reported an XID error that means the GPU is not usable as is (ECC, NVLink, bus or GSP failure). ' +
        `Jobs on it will crash or produce wrong results until the GPU is reset. The alert reads DCGM's last XID (${DCGM_METRICS.XID_ERRORS}), ` +
        'which DCGM keeps until it restarts: it does not resolve by itself.',
      runbook: [
        'Cordon the node: kubectl cordon {{ $labels.node }}.',
        'Look the XID code up in the NVIDIA XID catalogue and read `dmesg | grep -i xid` on the node for context.',
        'Drain the GPU workloads, then reset the GPU (nvidia-smi -r) or reboot the node.',
        "After the reset, restart the node's dcgm-exporter pod (kubectl delete pod on {{ $labels.node }}): DCGM keeps the last XID until it restarts, and so does this alert.",
        'If the XID comes back after a reset, have the GPU / node replaced.',
      ],
    },
    {
      alert: 'GpuXidError',
      expr:
        `max by (${PHYSICAL_GPU}, ${DCGM_LABELS.MIG_INSTANCE_ID}, ${DCGM_LABELS.NAMESPACE}, ${DCGM_LABELS.POD}, ${DCGM_LABELS.XID}) ` +
        `(${DCGM_METRICS.XID_ERRORS_COUNT}{${DCGM_LABELS.XID}!="", ${DCGM_LABELS.XID}!~"${fatal.join('|')}"}) > 0`,
      keepFiringFor: '10m',
      severity: 'warning',
      summary: `${GPU_ID} reported XID {{ $labels.xid }} ({{ $value }} in the last 5 minutes){{ if $labels.pod }} while pod {{ $labels.namespace }}/{{ $labels.pod }} held it{{ end }}`,
      description:
        `dcgm-exporter counts the XID errors of the last 5 minutes (${DCGM_METRICS.XID_ERRORS_COUNT}); the alert fires while one is in ` +
        'that window and 10 minutes longer, naming the pod that held the GPU then. Many XIDs are caused by the application ' +
        '(e.g. 13, 31, 43: illegal memory access or a killed context); others point at hardware.',
      runbook: [
        'Tell the owner of the pod named in the alert (if any): application XIDs (13, 31, 43, 45, 68) usually mean their process crashed or hit an illegal address.',
        'Look the XID code up in the NVIDIA XID catalogue: application errors go to the job owner, hardware errors to the node owner.',
        'Check dmesg on the node {{ $labels.node }} for the full driver message.',
      ],
    },
  ];
}

/** Memory errors: uncorrectable ECC, failed row remapping, a high rate of correctable ECC. */
function eccAlerts({ sbe }: GpuThresholds): AlertRuleSpec[] {
  return [
    {
      alert: 'GpuUncorrectableEccErrors',
      expr:
        `max by (${PHYSICAL_GPU}) (${DCGM_METRICS.ECC_DBE_VOL_TOTAL} > 0)\n` +
        `or\nmax by (${PHYSICAL_GPU}) (increase(${DCGM_METRICS.UNCORRECTABLE_REMAPPED_ROWS}[10m]) > 0)`,
      severity: 'critical',
      summary: `${GPU_ID} had uncorrectable (double-bit) ECC errors`,
      description:
        `Uncorrectable memory errors corrupt data: results computed on this GPU since the error cannot be trusted. ${DCGM_METRICS.ECC_DBE_VOL_TOTAL} ` +
        'counts them since the last GPU reset (volatile), so the alert holds until the GPU is reset.',
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

/** GPUs gone from a node, taken out of service by the device plugin, or not watched at all. */
function fleetAlerts(): AlertRuleSpec[] {
  return [
    {
      alert: 'GpuMissing',
      expr: `ceil(${GPU_RECORDS.NODE_CAPACITY}) > ${GPU_RECORDS.NODE_REPORTED}`,
      for: '5m',
      severity: 'critical',
      summary: 'Node {{ $labels.node }} has {{ $value }} GPU(s) but dcgm-exporter reports fewer',
      description:
        `kube_node_status_capacity says how many GPUs the node has (${GPU_RECORDS.NODE_CAPACITY}); dcgm-exporter reports fewer ` +
        `(${GPU_RECORDS.NODE_REPORTED}): a GPU that fell off the bus (XID 79) or that the driver no longer sees has no series at all.`,
      runbook: [
        'Run nvidia-smi on node {{ $labels.node }} and read `dmesg | grep -i xid` (XID 79: fallen off the bus).',
        'Cordon and drain the node: kubectl drain {{ $labels.node }} --ignore-daemonsets.',
        'Reboot the node; if the GPU stays missing, have the node replaced.',
      ],
    },
    {
      alert: 'GpuUnhealthy',
      expr: `round(${GPU_RECORDS.NODE_CAPACITY} - ${GPU_RECORDS.NODE_ALLOCATABLE}, 0.001) > 0`,
      for: '5m',
      severity: 'warning',
      summary: 'Node {{ $labels.node }}: the device plugin took {{ $value }} GPU(s) out of service',
      description:
        'Allocatable GPUs are below capacity: the NVIDIA device plugin marked GPUs unhealthy (after an XID other than 13, 31, 43, 45, 68, ' +
        'NVIDIA/k8s-device-plugin internal/rm/health.go, or a GPU that vanished), so no new pod gets them.',
      runbook: [
        'Read the device plugin log on node {{ $labels.node }} for the XID that marked the GPU unhealthy; see GpuFatalXidError / GpuMissing.',
        'Drain the node and reset the GPU or reboot; the device plugin offers the GPU again when it restarts and finds it healthy.',
      ],
    },
    {
      alert: 'GpuExporterDown',
      expr: `${GPU_RECORDS.NODE_CAPACITY} > 0\nunless on (${NODE})\nmax by (${NODE}) (up{job="${DCGM_JOB}"} == 1)`,
      for: '10m',
      severity: 'warning',
      summary: 'No dcgm-exporter is up on GPU node {{ $labels.node }}',
      description:
        'The node has NVIDIA GPUs but no dcgm-exporter target on it is up: its GPUs are not watched (no utilisation, no XID, ' +
        'no temperature) and the other GPU alerts cannot fire for them.',
      runbook: [
        'kubectl get pods -A -o wide | grep dcgm-exporter | grep {{ $labels.node }}: is the pod scheduled (node selector, taints) and running?',
        'Read its log: a DCGM that cannot start (driver mismatch, profiling module busy) crash-loops the exporter.',
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

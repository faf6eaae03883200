/**
 * GPU fleet and cost dashboard: GPUs allocated to pods (kube-state-metrics requests of `nvidia.com/gpu` and the MIG
 * resources, in GPU-equivalents: a MIG slice counts its share of the GPU) against GPUs actually busy (DCGM), what the
 * allocated-but-idle GPU hours cost (OpenCost's per-node GPU price), per namespace and per job (the pod's controller:
 * RayCluster, Job, StatefulSet, and the Deployment for a Deployment's pods), and the health of every GPU whoever holds it.
 *
 * Allocation, busy and idle counts come from our GPU recording rules, and so do the spend rates (dollars per hour):
 * the rules multiply per-pod GPU-equivalents by OpenCost's `node_gpu_hourly_cost` of the pod's node and record the
 * result per namespace and, for idle GPUs, per job. GPU hours and dollars over the dashboard's time range sum a
 * 5-minute subquery (`sum_over_time(x[$__range:5m]) / 12`).
 * @module
 */
import type { DashboardContext } from '../src/dashboards/toolkit/context.js';
import { DashboardBuilder } from '../src/dashboards/toolkit/builder.js';
import { DASHBOARD_VARIABLES as V, GPU_DASHBOARD_TAG, GPU_DASHBOARD_UIDS } from '../src/dashboards/toolkit/dashboard-ids.js';
import type { GrafanaDashboard } from '../src/dashboards/toolkit/model.js';
import { bargauge, prom, stat, table, timeseries, type PanelDraft, type Thresholds } from '../src/dashboards/toolkit/panels.js';
import { by, re, sel, v } from '../src/dashboards/toolkit/promql.js';
import { KSM_JOB, KSM_LABELS, KSM_METRICS, KSM_RESOURCES } from '../src/prometheus/kube-metrics.js';
import { DCGM_LABELS, DCGM_METRICS } from '../src/gpu/dcgm-metrics.js';
import { xidInViewPerGpu } from '../src/gpu/gpu-panels.js';
import { OPENCOST_LABELS, OPENCOST_METRICS } from '../src/opencost/opencost-metrics.js';
import { GPU_RECORDS } from '../src/gpu/gpu-records.js';
import { allocatableNeuronCores, allocatedNeuronCores } from '../src/gpu/neuron-panels.js';
import { NEURON_METRICS } from '../src/gpu/neuron-metrics.js';
import { NEURON_RECORDS } from '../src/gpu/neuron-records.js';

const { NAMESPACE, NODE, OWNER_KIND, OWNER_NAME, RESOURCE } = KSM_LABELS;
/** Subquery step of the GPU-hour sums, and samples per hour at that step. */
const STEP = '5m';
const SAMPLES_PER_HOUR = 12;

/** The selected namespaces. */
const NS = re(NAMESPACE, v(V.namespace));
/** GPUs allocated to pods whose GPUs idle, per pod. */
const IDLE = sel(GPU_RECORDS.ALLOCATED_IDLE_BY_POD, NS);
/** Dollars per hour (recorded): of the GPUs allocated per namespace, of the idle ones per namespace and per job. */
const ALLOCATED_COST = sel(GPU_RECORDS.ALLOCATED_COST_BY_NAMESPACE, NS);
const IDLE_COST = sel(GPU_RECORDS.IDLE_COST_BY_NAMESPACE, NS);
const IDLE_COST_BY_JOB = sel(GPU_RECORDS.IDLE_COST_BY_OWNER, NS);
/** Idle GPU-equivalents per job (recorded). */
const IDLE_BY_JOB = sel(GPU_RECORDS.IDLE_BY_OWNER, NS);
/** Per physical GPU, whoever holds it. */
const PER_GPU = by(NODE, DCGM_LABELS.GPU);
/** Sum over the dashboard's range of a GPU count or $/h series, in hours. */
const hours = (expr: string, labels: string[]) => `sum ${by(...labels)} (sum_over_time((${expr})[$__range:${STEP}])) / ${SAMPLES_PER_HOUR}`;

/** A GPU-count tile of the "Fleet now" row. */
const gpuCount = (title: string, description: string, expr: string, legend: string, thresholds?: Thresholds) =>
  stat({ title, description, queries: [prom(expr, { legend })], unit: 'short', decimals: 0, ...(thresholds ? { thresholds } : {}), width: 4, height: 5 });

/** The GPU fleet and cost dashboard for a cluster described by `context`. */
export function fleetAndCostDashboard(context: DashboardContext): GrafanaDashboard {
  const d = new DashboardBuilder({
    uid: GPU_DASHBOARD_UIDS.fleetAndCost,
    title: 'GPU fleet and cost',
    description: 'GPUs allocated vs busy, and the hours and money spent on allocated but idle GPUs, per namespace and job.',
    tags: [GPU_DASHBOARD_TAG, 'gpu', 'cost'],
    prometheusVariable: V.datasource,
    from: 'now-24h',
  });
  d.datasourceVariables({ prometheusUid: context.prometheusDatasourceUid })
    .queryVariable({
      name: V.namespace,
      label: 'Namespace',
      description: 'Namespaces with pods requesting GPUs.',
      query: `label_values(${sel(KSM_METRICS.POD_CONTAINER_RESOURCE_REQUESTS, KSM_JOB, re(RESOURCE, `${KSM_RESOURCES.NVIDIA_GPU}|${KSM_RESOURCES.NVIDIA_MIG_PREFIX}.+`))}, ${NAMESPACE})`,
      multi: true,
      includeAll: true,
    })
    .linkToTag(GPU_DASHBOARD_TAG, 'GPU dashboards');
  d.row('Fleet now').panels([...gpuCountPanels(), ...shareAndSpendPanels()]);
  d.row('Allocated vs busy over time').panels([...allocationPanels(), ...utilisationPanels()]);
  d.row('Idle but allocated: GPU hours and cost over the selected time range').panels([
    ...idleHoursPanels(),
    ...idleCostPanels(),
    ...allocatedCostPanels(),
  ]);
  if (context.neuron) d.row('Neuron (Inferentia / Trainium): NeuronCores, counted apart from GPUs').panels(neuronPanels());
  d.row('GPU health, every GPU whoever holds it').panels(healthPanels());
  return d.build();
}

/** GPUs allocatable, allocated, busy, and allocated but idle, now. */
function gpuCountPanels(): PanelDraft[] {
  return [
    gpuCount(
      'Allocatable GPUs',
      `GPU-equivalents the nodes offer to pods (${GPU_RECORDS.ALLOCATABLE}, from kube-state-metrics' ${KSM_METRICS.NODE_STATUS_ALLOCATABLE} of ${KSM_RESOURCES.NVIDIA_GPU} and the MIG resources: a MIG slice counts compute slices / 7). Bad: fewer than the nodes have means the device plugin took GPUs out (see the health row and GpuUnhealthy).`,
      GPU_RECORDS.ALLOCATABLE,
      'allocatable',
    ),
    gpuCount(
      'Allocated GPUs',
      `GPU-equivalents requested by running pods (${GPU_RECORDS.ALLOCATED}, from kube-state-metrics' ${KSM_METRICS.POD_CONTAINER_RESOURCE_REQUESTS} of ${KSM_RESOURCES.NVIDIA_GPU} and the MIG resources; OpenCost's copies of these series are not counted). Bad: equal to allocatable while jobs queue means the fleet is full; check the idle count before buying more.`,
      GPU_RECORDS.ALLOCATED,
      'allocated',
    ),
    gpuCount(
      'Busy GPUs',
      `GPU-equivalents whose 5-minute mean activity is above the idle threshold (${GPU_RECORDS.BUSY}, from ${GPU_RECORDS.ACTIVITY}: DCGM GPU utilisation, graphics-engine activity on MIG instances). Bad: far below allocated means reserved GPUs do no work.`,
      GPU_RECORDS.BUSY,
      'busy',
    ),
    gpuCount(
      'Allocated but idle GPUs',
      `GPU-equivalents requested by pods whose GPUs (or MIG slices) are all at or below the idle threshold (sum of ${GPU_RECORDS.ALLOCATED_IDLE_BY_POD}). Bad: anything above 0 for long is money spent on nothing: notebooks left open, finished jobs whose pods linger, servers without traffic.`,
      `sum(${IDLE})`,
      'idle',
      { base: 'green', steps: [{ value: 1, color: 'orange' }] },
    ),
  ];
}

/** The busy share of the allocated GPUs and what the allocated GPUs cost per hour, now. */
function shareAndSpendPanels(): PanelDraft[] {
  return [
    stat({
      title: 'Busy share of allocated GPUs',
      description: `Busy GPUs divided by allocated GPUs (${GPU_RECORDS.BUSY} / ${GPU_RECORDS.ALLOCATED}; 0 when nothing is allocated). Busy GPUs nobody requested (rare) count too. Bad: below ~0.7 means a large part of the reserved fleet idles.`,
      queries: [prom(`(${GPU_RECORDS.BUSY} / (${GPU_RECORDS.ALLOCATED} > 0)) or on () vector(0)`, { legend: 'busy / allocated' })],
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: { base: 'red', steps: [{ value: 0.5, color: 'orange' }, { value: 0.8, color: 'green' }] },
      width: 4,
      height: 5,
    }),
    stat({
      title: 'GPU spend rate',
      description: `Dollars per hour for the GPUs allocated in the selected namespaces: each running pod's GPU-equivalents (${GPU_RECORDS.ALLOCATED_BY_POD}, MIG slices as their share) times OpenCost's ${OPENCOST_METRICS.NODE_GPU_HOURLY_COST} of its node (recording rule ${GPU_RECORDS.ALLOCATED_COST_BY_NAMESPACE}; OpenCost's own ${OPENCOST_METRICS.CONTAINER_GPU_ALLOCATION} is not used: it has nothing for MIG requests). Prices are OpenCost's (on-demand list price unless a custom pricing sheet is configured). Bad: a rate above budget; the idle panels below show how much of it buys nothing.`,
      queries: [prom(`sum(${ALLOCATED_COST})`, { legend: '$/h' })],
      unit: 'currencyUSD',
      width: 4,
      height: 5,
    }),
  ];
}

/** Allocatable, allocated and busy GPUs over time, in the cluster and per namespace. */
function allocationPanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Cluster: allocatable, allocated and busy GPUs',
      description: `Allocatable (${GPU_RECORDS.ALLOCATABLE}), allocated (${GPU_RECORDS.ALLOCATED}) and busy (${GPU_RECORDS.BUSY}) GPUs over time. Bad: a wide, lasting gap between allocated and busy.`,
      queries: [
        prom(GPU_RECORDS.ALLOCATABLE, { legend: 'allocatable' }),
        prom(GPU_RECORDS.ALLOCATED, { legend: 'allocated' }),
        prom(GPU_RECORDS.BUSY, { legend: 'busy' }),
      ],
      unit: 'short',
      min: 0,
    }),
    timeseries({
      title: 'Allocated GPUs per namespace',
      description: `GPU-equivalents requested by running pods per namespace (${GPU_RECORDS.ALLOCATED_BY_NAMESPACE}), stacked. Bad: a namespace holding GPUs it does not use (compare with busy GPUs per namespace).`,
      queries: [prom(sel(GPU_RECORDS.ALLOCATED_BY_NAMESPACE, NS), { legend: `{{${NAMESPACE}}}` })],
      unit: 'short',
      min: 0,
      stack: true,
    }),
    timeseries({
      title: 'Busy GPUs per namespace',
      description: `GPU-equivalents above the idle threshold per namespace (${GPU_RECORDS.BUSY_BY_NAMESPACE}), stacked. Bad: well below the same namespace's allocated GPUs.`,
      queries: [prom(sel(GPU_RECORDS.BUSY_BY_NAMESPACE, NS), { legend: `{{${NAMESPACE}}}` })],
      unit: 'short',
      min: 0,
      stack: true,
    }),
  ];
}

/** Mean GPU utilisation per namespace and per node. */
function utilisationPanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Mean GPU utilisation per namespace',
      description: `Mean activity of the GPUs used by each namespace, each GPU weighted by its GPU-equivalents (${GPU_RECORDS.UTIL_BY_NAMESPACE}; a MIG slice weighs its share). Bad: below ~50 % for training namespaces; remember utilisation overstates real work (see the training dashboard).`,
      queries: [prom(sel(GPU_RECORDS.UTIL_BY_NAMESPACE, NS), { legend: `{{${NAMESPACE}}}` })],
      unit: 'percent',
      min: 0,
      max: 100,
    }),
    timeseries({
      title: 'Mean GPU utilisation per node',
      description: `Mean activity of each node's GPUs, held or not, weighted by GPU-equivalents (${GPU_RECORDS.UTIL_BY_NODE}). Bad: nodes near 0 that still carry GPU pods (allocated but idle), or a node much lower than its peers in one job (a straggler).`,
      queries: [prom(GPU_RECORDS.UTIL_BY_NODE, { legend: `{{${NODE}}}` })],
      unit: 'percent',
      min: 0,
      max: 100,
      width: 24,
    }),
  ];
}

/** Idle GPU hours over the time range, per namespace and per job. */
function idleHoursPanels(): PanelDraft[] {
  return [
    bargauge({
      title: 'Idle GPU hours per namespace',
      description: `GPU hours requested by pods whose GPUs were idle, summed over the dashboard's time range (${GPU_RECORDS.ALLOCATED_IDLE_BY_POD} sampled every ${STEP}). Bad: every hour here was paid for and unused.`,
      queries: [prom(`sort_desc(${hours(IDLE, [NAMESPACE])})`, { legend: `{{${NAMESPACE}}}`, instant: true })],
      unit: 'short',
      decimals: 1,
      thresholds: { base: 'green', steps: [{ value: 1, color: 'orange' }, { value: 24, color: 'red' }] },
    }),
    bargauge({
      title: 'Idle GPU hours per job (top 10)',
      description: `As on the left, per job (${GPU_RECORDS.IDLE_BY_OWNER}): the pods' controller from ${KSM_METRICS.POD_OWNER} (a RayCluster for Ray jobs, a Job, a StatefulSet), and for a Deployment's pods the Deployment (${KSM_METRICS.REPLICASET_OWNER}), so a rollout stays one job. Bad: jobs that keep GPUs after their work ended.`,
      queries: [
        prom(`topk(10, ${hours(IDLE_BY_JOB, [NAMESPACE, OWNER_KIND, OWNER_NAME])})`, {
          legend: `{{${NAMESPACE}}}/{{${OWNER_NAME}}} ({{${OWNER_KIND}}})`,
          instant: true,
        }),
      ],
      unit: 'short',
      decimals: 1,
      thresholds: { base: 'green', steps: [{ value: 1, color: 'orange' }, { value: 24, color: 'red' }] },
    }),
  ];
}

/** What the idle GPU hours cost, per namespace and per job, and the spend rate of allocated vs idle GPUs. */
function idleCostPanels(): PanelDraft[] {
  return [
    bargauge({
      title: 'Cost of idle GPU hours per namespace',
      description: `Idle GPU hours priced at OpenCost's ${OPENCOST_METRICS.NODE_GPU_HOURLY_COST} of the node each pod ran on (${GPU_RECORDS.IDLE_COST_BY_NAMESPACE} sampled every ${STEP}), summed over the time range. Bad: the money that reclaiming idle GPUs would save.`,
      queries: [prom(`sort_desc(${hours(IDLE_COST, [NAMESPACE])})`, { legend: `{{${NAMESPACE}}}`, instant: true })],
      unit: 'currencyUSD',
      decimals: 2,
    }),
    bargauge({
      title: 'Cost of idle GPU hours per job (top 10)',
      description: `Idle GPU cost per job (pod controller, the Deployment for a Deployment's pods; ${GPU_RECORDS.IDLE_COST_BY_OWNER} sampled every ${STEP}), over the time range. Bad: the jobs to stop or shrink first.`,
      queries: [
        prom(`topk(10, ${hours(IDLE_COST_BY_JOB, [NAMESPACE, OWNER_KIND, OWNER_NAME])})`, {
          legend: `{{${NAMESPACE}}}/{{${OWNER_NAME}}} ({{${OWNER_KIND}}})`,
          instant: true,
        }),
      ],
      unit: 'currencyUSD',
      decimals: 2,
    }),
    timeseries({
      title: 'GPU spend rate: allocated vs idle',
      description: `Dollars per hour for all allocated GPUs (GPU-equivalents requested times the node's GPU price, ${GPU_RECORDS.ALLOCATED_COST_BY_NAMESPACE}) and for the idle ones among them (${GPU_RECORDS.IDLE_COST_BY_NAMESPACE}). Bad: the idle line a large fraction of the allocated line.`,
      queries: [prom(`sum(${ALLOCATED_COST})`, { legend: 'allocated $/h' }), prom(`sum(${IDLE_COST})`, { legend: 'idle $/h' })],
      unit: 'currencyUSD',
      min: 0,
    }),
  ];
}

/** What the allocated GPUs cost per namespace, and the GPU prices the cost panels use. */
function allocatedCostPanels(): PanelDraft[] {
  return [
    bargauge({
      title: 'GPU cost per namespace (allocated)',
      description: `Cost of all GPUs allocated per namespace over the time range (GPU-equivalents requested times node GPU price, ${GPU_RECORDS.ALLOCATED_COST_BY_NAMESPACE} sampled every ${STEP}). Context for the idle cost: which teams spend the most. Bad: a namespace whose spend is mostly idle cost (compare with the panel above).`,
      queries: [prom(`sort_desc(${hours(ALLOCATED_COST, [NAMESPACE])})`, { legend: `{{${NAMESPACE}}}`, instant: true })],
      unit: 'currencyUSD',
      decimals: 2,
    }),
    table({
      title: 'GPU price per node',
      description: `OpenCost's hourly price of one GPU (${OPENCOST_METRICS.NODE_GPU_HOURLY_COST}) and GPU count (${OPENCOST_METRICS.NODE_GPU_COUNT}) per node and instance type: the prices the cost panels use. Bad: a price of 0 (no pricing for that instance type: configure OpenCost's custom pricing), which makes every cost above too low.`,
      queries: [
        prom(`max ${by(NODE, OPENCOST_LABELS.INSTANCE_TYPE)} (${OPENCOST_METRICS.NODE_GPU_HOURLY_COST})`, { format: 'table', instant: true }),
        prom(`max ${by(NODE, OPENCOST_LABELS.INSTANCE_TYPE)} (${OPENCOST_METRICS.NODE_GPU_COUNT})`, { format: 'table', instant: true }),
      ],
      width: 24,
    }),
  ];
}

/** NeuronCores offered, allocated and used, and the allocated ones per namespace (all namespaces: see the description). */
function neuronPanels(): PanelDraft[] {
  return [
    allocatableNeuronCores(4),
    allocatedNeuronCores(4),
    stat({
      title: 'Mean NeuronCore utilisation',
      description:
        `Mean utilisation of the NeuronCores a Neuron runtime uses (${NEURON_METRICS.NEURONCORE_UTILIZATION_RATIO}, neuron-monitor). Cores no runtime uses have no series. ` +
        'Bad: low while the cores are allocated means reserved Inferentia / Trainium capacity does no work.',
      queries: [prom(`avg(${NEURON_METRICS.NEURONCORE_UTILIZATION_RATIO})`, { legend: 'mean' })],
      unit: 'percentunit',
      min: 0,
      max: 1,
      width: 4,
      height: 5,
    }),
    stat({
      title: 'Neuron node spend rate',
      description:
        `What the Neuron nodes cost per hour: OpenCost's ${OPENCOST_METRICS.NODE_TOTAL_HOURLY_COST} of the nodes offering NeuronCores ` +
        `(${NEURON_RECORDS.ALLOCATABLE_BY_NODE} > 0). OpenCost prices no Neuron device apart from its node, so this is the whole instance. ` +
        'Bad: a high rate while the NeuronCore utilisation stays low.',
      queries: [
        prom(`sum(max ${by(OPENCOST_LABELS.NODE)} (${OPENCOST_METRICS.NODE_TOTAL_HOURLY_COST}) and on (${NODE}) (${NEURON_RECORDS.ALLOCATABLE_BY_NODE} > 0)) or on () vector(0)`, {
          legend: '$/h',
        }),
      ],
      unit: 'currencyUSD',
      decimals: 2,
      width: 4,
      height: 5,
    }),
    timeseries({
      title: 'Allocated NeuronCores per namespace',
      description:
        `NeuronCores requested by running pods, per namespace (${NEURON_RECORDS.ALLOCATED_BY_NAMESPACE_NODE}). Every namespace: the Namespace variable lists ` +
        'namespaces with GPU requests, which a Neuron-only namespace does not have. Bad: a namespace holding cores for hours while ' +
          'the Neuron dashboard shows them idle.',
      queries: [prom(`sum ${by(NAMESPACE)} (${NEURON_RECORDS.ALLOCATED_BY_NAMESPACE_NODE})`, { legend: `{{${NAMESPACE}}}` })],
      unit: 'short',
      min: 0,
      stack: true,
      width: 8,
      height: 5,
    }),
  ];
}

/** Per node and per GPU, whoever holds it (no namespace filter): GPUs reported vs capacity, temperature, power, errors. */
function healthPanels(): PanelDraft[] {
  return [
    table({
      title: 'GPUs per node: capacity, allocatable, reported by DCGM',
      description:
        `Per node, GPU-equivalents the node has (${GPU_RECORDS.NODE_CAPACITY}) and offers to pods (${GPU_RECORDS.NODE_ALLOCATABLE}), ` +
        `and physical GPUs dcgm-exporter reports (${GPU_RECORDS.NODE_REPORTED}). Bad: allocatable below capacity (the device plugin ` +
        'marked GPUs unhealthy: GpuUnhealthy), reported below capacity (a GPU fell off the bus: GpuMissing), nothing reported (GpuExporterDown).',
      queries: [
        prom(GPU_RECORDS.NODE_CAPACITY, { format: 'table', instant: true }),
        prom(GPU_RECORDS.NODE_ALLOCATABLE, { format: 'table', instant: true }),
        prom(GPU_RECORDS.NODE_REPORTED, { format: 'table', instant: true }),
      ],
      width: 12,
    }),
    table({
      title: 'GPU errors per GPU',
      description:
        `Per physical GPU: the last XID DCGM holds (${DCGM_METRICS.XID_ERRORS}, kept until DCGM restarts), whether an XID was in ` +
        `dcgm-exporter's 5-minute window during the selected range (1 / 0), and uncorrectable ECC errors since the last GPU reset ` +
        `(${DCGM_METRICS.ECC_DBE_VOL_TOTAL}). GPUs nobody holds are listed too. Bad: a fatal XID (48, 61, 62, 64, 74, 79, 94, 95, 119, 120) ` +
        'or any uncorrectable ECC error: drain the node and reset the GPU.',
      queries: [
        prom(`max ${PER_GPU} (${DCGM_METRICS.XID_ERRORS})`, { format: 'table', instant: true }),
        prom(xidInViewPerGpu([]), { format: 'table', instant: true }),
        prom(`max ${PER_GPU} (${DCGM_METRICS.ECC_DBE_VOL_TOTAL})`, { format: 'table', instant: true }),
      ],
      width: 12,
    }),
    timeseries({
      title: 'GPU temperature, every GPU',
      description: `Temperature of every physical GPU in °C (${DCGM_METRICS.GPU_TEMP}), held by a pod or not. Bad: above ~85 °C (throttling), or one GPU much hotter than its neighbours (cooling).`,
      queries: [prom(`max ${PER_GPU} (${DCGM_METRICS.GPU_TEMP})`, { legend: `{{${NODE}}} · GPU {{${DCGM_LABELS.GPU}}}` })],
      unit: 'celsius',
      thresholds: { base: 'green', steps: [{ value: 85, color: 'orange' }, { value: 95, color: 'red' }] },
    }),
    timeseries({
      title: 'GPU power draw, every GPU',
      description: `Power drawn by every physical GPU in watts (${DCGM_METRICS.POWER_USAGE}), held by a pod or not. Bad: a GPU nobody holds drawing far above idle power (a stray process), or a busy one far below its peers.`,
      queries: [prom(`max ${PER_GPU} (${DCGM_METRICS.POWER_USAGE})`, { legend: `{{${NODE}}} · GPU {{${DCGM_LABELS.GPU}}}` })],
      unit: 'watt',
      min: 0,
    }),
  ];
}

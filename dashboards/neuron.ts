/**
 * Neuron dashboard (AWS Inferentia / Trainium): NeuronCore utilisation per node and core, runtime memory (host RAM
 * vs Neuron device memory, and what the device memory holds), executions by outcome, errors by type, latency
 * percentiles, the runtimes' vCPU use and device ECC events, for the selected Neuron nodes; and the NeuronCores
 * the pods ask for against what the nodes offer.
 *
 * Everything comes from neuron-monitor | neuron-monitor-prometheus.py (aws-neuronx-tools, Neuron SDK 2.x), which
 * reads the Neuron runtimes of a node: its series name the runtime (`runtime_tag`, the runtime's pid) and the
 * NeuronCore, never a pod or namespace; our PodMonitor adds `node`. Latency is a gauge per percentile of the last
 * report period, not a histogram: percentiles of several runtimes cannot be combined, so panels show the worst
 * runtime of a node (max).
 * @module
 */
import type { DashboardContext } from '../src/dashboards/toolkit/context.js';
import { DashboardBuilder } from '../src/dashboards/toolkit/builder.js';
import { DASHBOARD_VARIABLES as V, GPU_DASHBOARD_TAG, GPU_DASHBOARD_UIDS } from '../src/dashboards/toolkit/dashboard-ids.js';
import type { GrafanaDashboard } from '../src/dashboards/toolkit/model.js';
import { prom, stat, timeseries, type PanelDraft } from '../src/dashboards/toolkit/panels.js';
import { by, eq, NODE_LABEL, re, sel, v } from '../src/dashboards/toolkit/promql.js';
import { NEURON_LABELS as L, NEURON_MEMORY_LOCATIONS, NEURON_METRICS as M } from '../src/gpu/neuron-metrics.js';
import { allocatableNeuronCores, allocatedNeuronCores } from '../src/gpu/neuron-panels.js';
import { NEURON_RECORDS as R } from '../src/gpu/neuron-records.js';

const NODES = re(NODE_LABEL, v(V.node));
/** A series of the selected nodes. */
const n = (metric: string, ...matchers: string[]) => sel(metric, NODES, ...matchers);
const CORE_LEGEND = `{{${NODE_LABEL}}} · core {{${L.NEURONCORE}}}`;
/** neuroncore_memory_usage_* series: what the device memory of a NeuronCore holds. */
const DEVICE_MEMORY_USES: readonly [string, string][] = [
  ['tensors', M.NEURONCORE_MEMORY_USAGE_TENSORS],
  ['constants', M.NEURONCORE_MEMORY_USAGE_CONSTANTS],
  ['model code', M.NEURONCORE_MEMORY_USAGE_MODEL_CODE],
  ['shared scratchpad', M.NEURONCORE_MEMORY_USAGE_MODEL_SHARED_SCRATCHPAD],
  ['runtime', M.NEURONCORE_MEMORY_USAGE_RUNTIME_MEMORY],
];

/** The Neuron dashboard for a cluster described by `context`. */
export function neuronDashboard(context: DashboardContext): GrafanaDashboard {
  const d = new DashboardBuilder({
    uid: GPU_DASHBOARD_UIDS.neuron,
    title: 'Neuron (Inferentia / Trainium)',
    description: 'NeuronCore utilisation, runtime and device memory, executions, errors and latency of the Neuron runtimes, per node.',
    tags: [GPU_DASHBOARD_TAG, 'neuron', 'inferentia', 'trainium'],
    prometheusVariable: V.datasource,
  });
  d.datasourceVariables({ prometheusUid: context.prometheusDatasourceUid })
    .queryVariable({
      name: V.node,
      label: 'Node',
      description: 'Neuron nodes (those with a neuron-monitor).',
      query: `label_values(${M.INSTANCE_INFO}, ${NODE_LABEL})`,
      multi: true,
      includeAll: true,
    })
    .linkToTag(GPU_DASHBOARD_TAG, 'GPU dashboards');
  d.row('Now').panels(nowPanels());
  d.row('NeuronCore utilisation').panels(utilisationPanels());
  d.row('Memory').panels(memoryPanels());
  d.row('Executions, errors and latency').panels([...executionPanels(), ...latencyPanels()]);
  d.row('Host and hardware').panels(hostPanels());
  return d.build();
}

function nowPanels(): PanelDraft[] {
  const tile = (title: string, description: string, expr: string, unit: string, extra: Partial<Parameters<typeof stat>[0]> = {}) =>
    stat({ title, description, queries: [prom(expr, { legend: title })], unit, width: 6, height: 5, ...extra });
  return [
    allocatableNeuronCores(),
    allocatedNeuronCores(),
    tile(
      'Mean NeuronCore utilisation',
      `Mean utilisation of the NeuronCores a runtime uses on the selected nodes (${M.NEURONCORE_UTILIZATION_RATIO}). Cores no runtime uses have no series. ` +
        'Bad: low while cores are allocated means the model waits (host pre-processing, small batches) or the pods hold cores they do not use.',
      `avg(${n(M.NEURONCORE_UTILIZATION_RATIO)})`,
      'percentunit',
      { min: 0, max: 1 },
    ),
    tile(
      'Failed executions',
      `Share of executions whose outcome is not "completed" over the last 5 minutes, worst selected node (${R.FAILED_RATIO_BY_NODE}). ` +
        'Bad: anything above 0 means requests fail; see errors by type below and the NeuronExecutionErrors alert.',
      `max(${n(R.FAILED_RATIO_BY_NODE)})`,
      'percentunit',
      { min: 0, thresholds: { base: 'green', steps: [{ value: 0.001, color: 'orange' }, { value: 0.01, color: 'red' }] } },
    ),
  ];
}

function utilisationPanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'NeuronCore utilisation',
      description:
        `Utilisation of each NeuronCore a Neuron runtime uses (${M.NEURONCORE_UTILIZATION_RATIO}, ratio 0-1; neuroncore is the core's index on the instance). ` +
        'Bad: a few cores busy and the others near 0 means the model is not spread over the cores it holds (tensor parallel degree, NEURON_RT_VISIBLE_CORES).',
      queries: [prom(`max ${by(NODE_LABEL, L.NEURONCORE)} (${n(M.NEURONCORE_UTILIZATION_RATIO)})`, { legend: CORE_LEGEND })],
      unit: 'percentunit',
      min: 0,
      max: 1,
    }),
    timeseries({
      title: 'Mean NeuronCore utilisation per node',
      description: `Mean utilisation of the used NeuronCores of each node (${R.UTIL_BY_NODE}). Bad: one node far below the others in a data-parallel job means it waits on its input.`,
      queries: [prom(n(R.UTIL_BY_NODE), { legend: `{{${NODE_LABEL}}}` })],
      unit: 'percentunit',
      min: 0,
      max: 1,
    }),
  ];
}

function memoryPanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Runtime memory: host vs device',
      description:
        `Memory the Neuron runtimes of each node hold (${R.RUNTIME_MEMORY_BY_LOCATION}, from ${M.RUNTIME_MEMORY_USED_BYTES}): host RAM and Neuron device memory ` +
        '(HBM on Inferentia2 / Trainium). Bad: device memory near the device size (16 GiB per Inferentia2 device, 32 GiB per Trainium1 device) makes loading a larger model or batch fail.',
      queries: [
        prom(n(R.RUNTIME_MEMORY_BY_LOCATION, eq(L.MEMORY_LOCATION, NEURON_MEMORY_LOCATIONS.DEVICE)), { legend: `{{${NODE_LABEL}}} · device` }),
        prom(n(R.RUNTIME_MEMORY_BY_LOCATION, eq(L.MEMORY_LOCATION, NEURON_MEMORY_LOCATIONS.HOST)), { legend: `{{${NODE_LABEL}}} · host` }),
      ],
      unit: 'bytes',
      min: 0,
    }),
    timeseries({
      title: 'Device memory by use',
      description:
        'What the NeuronCores\' device memory holds, summed over the cores of each node (neuroncore_memory_usage_*): tensors (inputs, outputs, KV cache), ' +
        'constants (weights), model code, shared scratchpad and runtime. Bad: tensors growing without bound means a leak or an unbounded cache.',
      queries: DEVICE_MEMORY_USES.map(([use, metric]) => prom(`sum ${by(NODE_LABEL)} (${n(metric)})`, { legend: `{{${NODE_LABEL}}} · ${use}` })),
      unit: 'bytes',
      min: 0,
      stack: true,
    }),
  ];
}

function executionPanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Executions by outcome',
      description:
        `Executions per second of the selected nodes' runtimes, by outcome (${R.EXECUTIONS_BY_STATUS}, from ${M.EXECUTION_STATUS_TOTAL}): completed, ` +
        'completed_with_err, completed_with_num_err, timed_out, incorrect_input, failed_to_queue. Bad: any outcome but completed.',
      queries: [prom(`sum ${by(L.STATUS_TYPE)} (${n(R.EXECUTIONS_BY_STATUS)})`, { legend: `{{${L.STATUS_TYPE}}}` })],
      unit: 'ops',
      min: 0,
      width: 8,
    }),
    timeseries({
      title: 'Execution errors by type',
      description:
        `Execution errors per second by type (${R.ERRORS_BY_TYPE}, from ${M.EXECUTION_ERRORS_TOTAL}) and node. numerical and model errors come from the model or its inputs; ` +
        'hardware and runtime errors from the device or the driver. Bad: anything above 0.',
      queries: [prom(`${n(R.ERRORS_BY_TYPE)} > 0`, { legend: `{{${NODE_LABEL}}} · {{${L.ERROR_TYPE}}}` })],
      unit: 'ops',
      min: 0,
      width: 8,
    }),
  ];
}

function latencyPanels(): PanelDraft[] {
  const percentile = (p: string) => prom(`max ${by(NODE_LABEL)} (${n(M.EXECUTION_LATENCY_SECONDS, eq(L.PERCENTILE, p))})`, { legend: `{{${NODE_LABEL}}} · ${p}` });
  return [
    timeseries({
      title: 'Execution latency',
      description:
        `Latency of one execution (one model invocation on the NeuronCores) at the 50th and 99th percentile of each report period (${M.EXECUTION_LATENCY_SECONDS}; ` +
        'a gauge per percentile that neuron-monitor computes per runtime; the worst runtime of each node). It excludes queueing in the model server. ' +
        'Bad: p99 rising while the request rate is flat means the cores are contended or the inputs grew.',
      queries: [percentile('p50'), percentile('p99')],
      unit: 's',
      min: 0,
      width: 8,
    }),
  ];
}

function hostPanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Runtime vCPU usage',
      description:
        `Share of the instance's vCPUs the Neuron runtimes use, user and system (${M.RUNTIME_VCPU_USAGE_RATIO}), next to the whole instance (${M.SYSTEM_VCPU_USAGE_RATIO}). ` +
        'Bad: the instance near 1 while NeuronCores idle means pre-processing on the host is the bottleneck.',
      queries: [
        prom(`sum ${by(NODE_LABEL)} (${n(M.RUNTIME_VCPU_USAGE_RATIO)})`, { legend: `{{${NODE_LABEL}}} · runtimes` }),
        prom(`sum ${by(NODE_LABEL)} (${n(M.SYSTEM_VCPU_USAGE_RATIO)})`, { legend: `{{${NODE_LABEL}}} · instance` }),
      ],
      unit: 'percentunit',
      min: 0,
      max: 1,
    }),
    timeseries({
      title: 'Device ECC events',
      description:
        `ECC events of the Neuron devices in the last 10 minutes, by device and kind (${M.HARDWARE_ECC_EVENTS_TOTAL}). ` +
        'Bad: any uncorrected event (mem_ecc_uncorrected, sram_ecc_uncorrected) corrupts data: cordon the node and have the instance replaced.',
      queries: [
        prom(`sum ${by(NODE_LABEL, L.NEURON_DEVICE_INDEX, L.EVENT_TYPE)} (increase(${n(M.HARDWARE_ECC_EVENTS_TOTAL)}[10m]))`, {
          legend: `{{${NODE_LABEL}}} · device {{${L.NEURON_DEVICE_INDEX}}} · {{${L.EVENT_TYPE}}}`,
        }),
      ],
      unit: 'short',
      min: 0,
    }),
  ];
}

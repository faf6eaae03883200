import { KSM_JOB, KSM_LABELS, KSM_METRICS, KSM_RESOURCES } from '../prometheus/kube-metrics.js';
import { TARGET_LABELS } from '../core/metric-names.js';
import type { AlertRuleSpec, RecordingRuleSpec, RuleGroupSpec } from '../core/rule-types.js';
import { NEURON_EXECUTION_STATUS, NEURON_LABELS, NEURON_METRICS as M } from './neuron-metrics.js';
import { NEURON_RECORDS as R } from './neuron-records.js';

/** Name of the PrometheusRule with the Neuron rules (and of its promtool rule file, `<name>.yaml`). */
export const NEURON_RULES_NAME = 'neuron-rules';

const NODE = TARGET_LABELS.NODE;
const { NAMESPACE, POD } = KSM_LABELS;
/** Rate window of the execution counters: neuron-monitor reports every 5 s, Prometheus scrapes every 30 s. */
const WINDOW = '5m';
/** kube-state-metrics' `resource` values of whole Neuron devices, and of single NeuronCores. */
const DEVICE_RESOURCES = `${KSM_RESOURCES.AWS_NEURON}|${KSM_RESOURCES.AWS_NEURONDEVICE}`;
const CORE_RESOURCE = KSM_RESOURCES.AWS_NEURONCORE;
const ksm = (metric: string, resource: string) => `${metric}{${KSM_JOB}, resource=~"${resource}"}`;
const RUNNING_PODS = `max by (${NAMESPACE}, ${POD}) (${KSM_METRICS.POD_STATUS_PHASE}{${KSM_JOB}, phase="Running"} == 1)`;
/** Requests of running pods of some resources, per namespace, pod and node (KSM puts the pod's node on requests). */
const runningRequests = (resource: string) =>
  `sum by (${NAMESPACE}, ${POD}, ${NODE}) (${ksm(KSM_METRICS.POD_CONTAINER_RESOURCE_REQUESTS, resource)}) * on (${NAMESPACE}, ${POD}) group_left () ${RUNNING_PODS}`;

/**
 * The Neuron recording rules and alerts, for the neuron-monitor scraped under `job`.
 *
 * Series of neuron-monitor-prometheus.py carry no pod or namespace of the workload (it reads the Neuron runtimes
 * of the node, keyed by the runtime's pid, `runtime_tag`); the `node` label is the one join to Kubernetes. The
 * execution counters are prometheus_client Counters the script increments by each report's per-period counts, so
 * rate() works on them; the script clears every series when no runtime runs (a counter reset).
 */
export function neuronRuleGroups(job: string): RuleGroupSpec[] {
  return [
    { name: 'neuron.records', rules: neuronRecords() },
    { name: 'neuron.alerts', rules: neuronAlerts(job) },
  ];
}

function neuronRecords(): RecordingRuleSpec[] {
  const status = `sum by (${NODE}, ${NEURON_LABELS.STATUS_TYPE}) (rate(${M.EXECUTION_STATUS_TOTAL}[${WINDOW}]))`;
  return [
    { record: R.UTIL_BY_NODE, expr: `avg by (${NODE}) (${M.NEURONCORE_UTILIZATION_RATIO})` },
    { record: R.EXECUTIONS_BY_STATUS, expr: status },
    { record: R.ERRORS_BY_TYPE, expr: `sum by (${NODE}, ${NEURON_LABELS.ERROR_TYPE}) (rate(${M.EXECUTION_ERRORS_TOTAL}[${WINDOW}]))` },
    {
      record: R.FAILED_RATIO_BY_NODE,
      expr:
        `sum by (${NODE}) (${R.EXECUTIONS_BY_STATUS}{${NEURON_LABELS.STATUS_TYPE}!="${NEURON_EXECUTION_STATUS.COMPLETED}"})\n` +
        `/ (sum by (${NODE}) (${R.EXECUTIONS_BY_STATUS}) > 0)`,
    },
    { record: R.RUNTIME_MEMORY_BY_LOCATION, expr: `sum by (${NODE}, ${NEURON_LABELS.MEMORY_LOCATION}) (${M.RUNTIME_MEMORY_USED_BYTES})` },
    {
      record: R.CORES_PER_DEVICE,
      expr:
        `max by (${NODE}) (${ksm(KSM_METRICS.NODE_STATUS_ALLOCATABLE, CORE_RESOURCE)})\n` +
        `/ (max by (${NODE}) (${ksm(KSM_METRICS.NODE_STATUS_ALLOCATABLE, DEVICE_RESOURCES)}) > 0)`,
    },
    { record: R.ALLOCATABLE_BY_NODE, expr: `sum by (${NODE}) (${ksm(KSM_METRICS.NODE_STATUS_ALLOCATABLE, CORE_RESOURCE)})` },
    {
      // A pod asks for cores or for whole devices (the device plugin hands it all cores of each device): both in cores.
      record: R.ALLOCATED_BY_NAMESPACE_NODE,
      expr:
        `sum by (${NAMESPACE}, ${NODE}) (\n  ${runningRequests(CORE_RESOURCE)}\n  or\n` +
        `  label_replace(${runningRequests(DEVICE_RESOURCES)}\n    * on (${NODE}) group_left () ${R.CORES_PER_DEVICE}, "resource", "devices", "", "")\n)`,
    },
    { record: R.ALLOCATED, expr: `sum(${R.ALLOCATED_BY_NAMESPACE_NODE}) or vector(0)` },
    { record: R.ALLOCATABLE, expr: `sum(${R.ALLOCATABLE_BY_NODE}) or vector(0)` },
  ];
}

function neuronAlerts(job: string): AlertRuleSpec[] {
  const anyNeuron = `${KSM_RESOURCES.AWS_NEURON}|${KSM_RESOURCES.AWS_NEURONDEVICE}|${KSM_RESOURCES.AWS_NEURONCORE}`;
  return [
    {
      alert: 'NeuronExecutionErrors',
      expr: `sum by (${NODE}) (${R.ERRORS_BY_TYPE}) > 0`,
      for: '5m',
      severity: 'warning',
      summary: 'Neuron runtimes on node {{ $labels.node }} fail {{ $value | humanize }} executions per second',
      description:
        'neuron-monitor counts execution errors of the Neuron runtimes on this node (error_type generic, numerical, transient, ' +
        'model, runtime or hardware): requests to the model running there fail or return wrong results. The series name the ' +
        'runtime (runtime_tag, its pid), not the pod.',
      runbook: [
        'See the error types and the failed share on the Neuron dashboard (node {{ $labels.node }}).',
        'Find the pods on the node that hold Neuron devices: kubectl get pods -A --field-selector spec.nodeName={{ $labels.node }}, and read their logs.',
        'numerical / model errors point at the model or its inputs (tell the owner); hardware or runtime errors at the device: run neuron-top / neuron-ls on the node, and cordon it if they persist.',
      ],
    },
    {
      alert: 'NeuronMonitorDown',
      expr:
        `(max by (${NODE}) (${KSM_METRICS.NODE_STATUS_ALLOCATABLE}{${KSM_JOB}, resource=~"${anyNeuron}"}) > 0)\n` +
        `unless on (${NODE}) (max by (${NODE}) (up{job="${job}"}) == 1)`,
      for: '10m',
      severity: 'warning',
      summary: 'No neuron-monitor answers on Neuron node {{ $labels.node }}',
      description:
        'The node offers Neuron devices but no neuron-monitor on it is scraped successfully (the pod is missing, not ready, or ' +
        'its /metrics fails): NeuronCore utilisation, memory and execution errors of the node are blind, and NeuronExecutionErrors cannot fire.',
      runbook: [
        'Check the neuron-monitor pod of the node: kubectl get pods -A -o wide --field-selector spec.nodeName={{ $labels.node }} | grep neuron-monitor.',
        'No pod: the node\'s instance type is not in the DaemonSet\'s list (gpuExporters.neuron.instanceTypes) or a taint is not tolerated.',
        'A pod that is not ready: read its logs (neuron-monitor needs the Neuron driver and /dev/neuron*; the container is privileged).',
      ],
    },
  ];
}

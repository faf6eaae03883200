import { TARGET_LABELS } from '../core/metric-names.js';
import { GPU_DASHBOARD_UIDS } from '../dashboards/toolkit/dashboard-ids.js';
import { DCGM_LABELS, DCGM_METRICS } from '../gpu/dcgm-metrics.js';
import { GPU_RECORDS } from '../gpu/gpu-records.js';
import { KUBE_PROMETHEUS_RECORDS } from '../prometheus/kube-metrics.js';
import { RAY_RECORDS } from '../ray/ray-records.js';
import { VLLM_RECORDS } from '../vllm/vllm-records.js';

/** Which MCP server a playbook step uses. */
export type PlaybookServer = 'prometheus' | 'kubernetes' | 'opensearch';

/** One step of a playbook. */
export interface PlaybookStep {
  /** What the step finds out, and how to read the answer. */
  readonly purpose: string;
  readonly server: PlaybookServer;
  /** For Prometheus steps: the query, runnable as written (add label matchers to narrow it). */
  readonly promql?: string;
  /** For Kubernetes / OpenSearch steps: what to ask for. */
  readonly request?: string;
}

/** A diagnosis the agent knows how to run. */
export interface Playbook {
  readonly id: 'slow-training-job' | 'idle-gpus-cost' | 'vllm-latency';
  readonly title: string;
  /** Questions that call for it. */
  readonly triggers: readonly string[];
  /** The dashboard to point the user at. */
  readonly dashboardUid: string;
  readonly steps: readonly PlaybookStep[];
  /** What the answer must contain. */
  readonly answer: string;
}

const { NODE } = TARGET_LABELS;
const GPU_ID = `${NODE}, ${DCGM_LABELS.GPU}, ${DCGM_LABELS.UUID}, namespace, pod`;

/**
 * Several series by name in one query. `a or b` would drop every `b` series whose labels equal an `a` series
 * (set operators ignore the metric name), so each gets a `series` label naming it.
 */
export function eachSeries(...names: readonly string[]): string {
  return names.map((n) => `label_replace(${n}, "series", "${n}", "", "")`).join(' or ');
}

/** Thresholds the playbooks quote (the alert thresholds in force). */
export interface PlaybookThresholds {
  readonly idleUtilizationPercent: number;
  readonly temperatureCelsius: number;
  readonly throttleRatio: number;
  readonly ttftSloSeconds: number;
  readonly queueLength: number;
  readonly kvCacheUsageRatio: number;
}

/** The three diagnoses: a slow training job, idle-but-allocated GPUs and their cost, vLLM latency or queueing. */
export function diagnosisPlaybooks(t: PlaybookThresholds): readonly Playbook[] {
  return [
    {
      id: 'slow-training-job',
      title: 'Slow training job',
      triggers: ['why is my training job slow?', 'GPU utilisation of my job is low', 'my Ray job got slower'],
      dashboardUid: GPU_DASHBOARD_UIDS.training,
      steps: [
        {
          purpose: 'How busy each Ray cluster\'s GPUs are (percent). A training job well below ~70 % waits on something.',
          server: 'prometheus',
          promql: `sort(${GPU_RECORDS.UTIL_BY_RAY_CLUSTER})`,
        },
        {
          purpose: 'Busy but not computing: mean tensor-pipe activity (0-1) per pod. Near 0 with high utilisation: tiny kernels, FP32, or waiting on communication.',
          server: 'prometheus',
          promql: `sort(${GPU_RECORDS.TENSOR_ACTIVE_BY_POD})`,
        },
        {
          purpose: 'GPUs that reported an XID error (the value is the last XID code). A fatal XID (48 = double-bit ECC, 79 = fell off the bus, ...) stalls or crashes the whole job.',
          server: 'prometheus',
          promql: `max by (${GPU_ID}) (${DCGM_METRICS.XID_ERRORS}) > 0`,
        },
        {
          purpose: `Thermal throttling: fraction of time each GPU was held back for heat (alert above ${t.throttleRatio}). One slow GPU slows every synchronous data-parallel step.`,
          server: 'prometheus',
          promql: `topk(5, max by (${GPU_ID}) (rate(${DCGM_METRICS.THERMAL_VIOLATION}[5m]) / 1e9))`,
        },
        {
          purpose: `Temperature of the hottest GPUs (°C, alert above ${t.temperatureCelsius}): a throttled GPU runs hot.`,
          server: 'prometheus',
          promql: `topk(5, max by (${GPU_ID}) (${DCGM_METRICS.GPU_TEMP}))`,
        },
        {
          purpose: 'Host side of the nodes: CPU utilisation (0-1). Near 1 on a GPU node means data loading or preprocessing starves the GPUs.',
          server: 'prometheus',
          promql: `sort_desc(${KUBE_PROMETHEUS_RECORDS.NODE_CPU_UTILISATION_RATE5M})`,
        },
        {
          purpose: 'Ray\'s view: logical GPUs in use vs still available per cluster. Free GPUs while the job waits means a placement or resource-shape mismatch.',
          server: 'prometheus',
          promql: eachSeries(RAY_RECORDS.GPUS_USED, RAY_RECORDS.GPUS_AVAILABLE),
        },
        {
          purpose: 'Alerts firing now, to confirm or add to what the metrics show.',
          server: 'prometheus',
          promql: 'ALERTS{alertstate="firing"}',
        },
        {
          purpose: 'The pods of the job (RayCluster), their nodes and GPU requests, restarts and recent events; the training code and config often live in ConfigMaps.',
          server: 'kubernetes',
          request: 'list the pods in the job\'s namespace (label ray.io/cluster=<cluster>), then get the sick pod and the events of the namespace',
        },
      ],
      answer:
        'Name the sick GPU (node, GPU index and UUID) and the pod and job it belongs to, the evidence (XID code, throttling ' +
        'fraction and temperature, utilisation), and the fix: cordon and drain the node for a fatal XID and restart the job ' +
        'from its last checkpoint; cooling / power capping for throttling; data-loader workers or faster storage for a starving host.',
    },
    {
      id: 'idle-gpus-cost',
      title: 'Idle but allocated GPUs and their cost',
      triggers: ['what are the most expensive workloads?', 'are we wasting GPUs?', 'can we optimise GPU cost?'],
      dashboardUid: GPU_DASHBOARD_UIDS.fleetAndCost,
      steps: [
        {
          purpose: `Pods holding GPUs whose 5-minute mean utilisation is at or below ${t.idleUtilizationPercent} % (value: GPUs held, in GPU-equivalents: a MIG slice counts its share, e.g. 1g = 1/7).`,
          server: 'prometheus',
          promql: GPU_RECORDS.ALLOCATED_IDLE_BY_POD,
        },
        {
          purpose: 'What the idle GPUs cost per hour (OpenCost prices), by owning workload (StatefulSet, RayCluster, Job, the Deployment of a ReplicaSet, ...).',
          server: 'prometheus',
          promql: `sort_desc(${GPU_RECORDS.IDLE_COST_BY_OWNER})`,
        },
        {
          purpose: 'GPU spend per hour by namespace, allocated vs idle: the share of spend that buys nothing.',
          server: 'prometheus',
          promql: eachSeries(GPU_RECORDS.ALLOCATED_COST_BY_NAMESPACE, GPU_RECORDS.IDLE_COST_BY_NAMESPACE),
        },
        {
          purpose: 'Fleet totals: allocatable, allocated and busy GPUs.',
          server: 'prometheus',
          promql: eachSeries(GPU_RECORDS.ALLOCATABLE, GPU_RECORDS.ALLOCATED, GPU_RECORDS.BUSY),
        },
        {
          purpose: 'What the idle pod is (a notebook, a stuck job, an over-sized request), who owns it and since when.',
          server: 'kubernetes',
          request: 'get the idle pod (namespace and name from the first query): owner, labels, node, GPU request, start time',
        },
      ],
      answer:
        'Name each idle pod (namespace/name, owner) with the GPUs it holds and the idle cost per hour (and per month at 730 h), ' +
        'and propose the change: stop or scale the workload to zero, an idle culler for notebooks, or a smaller GPU request.',
    },
    {
      id: 'vllm-latency',
      title: 'vLLM latency or queueing',
      triggers: ['why is my model slow?', 'why does inference time out?', 'why do users wait for the first token?'],
      dashboardUid: GPU_DASHBOARD_UIDS.inference,
      steps: [
        {
          purpose: `p95 time to first token per model (seconds; the SLO is ${t.ttftSloSeconds} s).`,
          server: 'prometheus',
          promql: `sort_desc(${VLLM_RECORDS.TTFT_P95})`,
        },
        {
          purpose: `Requests waiting per model (alert above ${t.queueLength}): a growing queue is admission, not compute.`,
          server: 'prometheus',
          promql: `sort_desc(${VLLM_RECORDS.REQUESTS_WAITING})`,
        },
        {
          purpose: `Highest KV-cache usage among the model's engines (0-1, alert above ${t.kvCacheUsageRatio}): a full cache stops admission.`,
          server: 'prometheus',
          promql: `sort_desc(${VLLM_RECORDS.KV_CACHE_USAGE_MAX})`,
        },
        {
          purpose: 'Preemptions per second: requests evicted and recomputed because the KV cache is full.',
          server: 'prometheus',
          promql: `sort_desc(${VLLM_RECORDS.PREEMPTIONS_RATE})`,
        },
        {
          purpose: 'Where the time goes: p95 queue time, inter-token latency and the prompt-token rate (long prompts make prefill slow).',
          server: 'prometheus',
          promql: eachSeries(VLLM_RECORDS.QUEUE_TIME_P95, VLLM_RECORDS.ITL_P95, VLLM_RECORDS.PROMPT_TOKENS_RATE),
        },
        {
          purpose: 'The GPUs serving the model: utilisation per pod (a saturated model has busy GPUs; an idle one with a queue has a stuck engine).',
          server: 'prometheus',
          promql: `sort_desc(${GPU_RECORDS.UTIL_BY_POD})`,
        },
        {
          purpose: 'The serving pods (RayService / Deployment), their replicas and restarts.',
          server: 'kubernetes',
          request: 'list the pods in the model\'s namespace with their status and node',
        },
      ],
      answer:
        'Name the model (model_name and namespace), the numbers (p95 TTFT vs the SLO, waiting requests, KV-cache usage, ' +
        'preemptions), the cause (capacity: KV cache full and queueing; or prefill; or a sick GPU), and the fix: more replicas / ' +
        'autoscaling max, lower max_num_seqs or max_model_len, higher gpu_memory_utilization, prefix caching or chunked prefill.',
    },
  ];
}

/**
 * GPU training dashboard: one Ray cluster (a RayJob runs on a RayCluster of its own) and the nodes it runs on.
 * GPU utilisation next to what it hides (SM, tensor pipe and DRAM activity), GPU memory, power, temperature,
 * throttling and XID errors, Ray's tasks, actors, OOM kills, object store and Train checkpoint reports, the pods'
 * CPU and memory, the nodes' CPU, RAM, network and disk, and the job's logs.
 *
 * Variables: namespace and Ray cluster from the Ray scrape (`ray_io_cluster`, added by our PodMonitor from the
 * `ray.io/cluster` pod label); the cluster's pods and nodes from kube-state-metrics (`kube_pod_info`, whose
 * `created_by_name` is the RayCluster KubeRay made the pods' controller).
 * @module
 */
import type { DashboardContext, LogsSource } from '../src/dashboards/toolkit/context.js';
import { DashboardBuilder } from '../src/dashboards/toolkit/builder.js';
import { DASHBOARD_VARIABLES as V, GPU_DASHBOARD_TAG, GPU_DASHBOARD_UIDS } from '../src/dashboards/toolkit/dashboard-ids.js';
import {
  dramActive,
  gpuMemory,
  gpuPower,
  gpuTemperature,
  gpuThrottling,
  gpuUtilisation,
  smActive,
  smClock,
  tensorActive,
  xidErrors,
  type GpuScope,
} from '../src/gpu/gpu-panels.js';
import { podLogsQuery } from '../src/dashboards/toolkit/logs-query.js';
import type { GrafanaDashboard } from '../src/dashboards/toolkit/model.js';
import { logs, logsQuery, prom, timeseries, type PanelDraft } from '../src/dashboards/toolkit/panels.js';
import { by, eq, onNode, re, sel, v } from '../src/dashboards/toolkit/promql.js';
import { DCGM_LABELS } from '../src/gpu/dcgm-metrics.js';
import { KSM_LABELS, KSM_METRICS, KUBE_PROMETHEUS_RECORDS } from '../src/prometheus/kube-metrics.js';
import { RAY_LABELS, RAY_METRICS, RAY_TRAIN_METRICS } from '../src/ray/ray-metrics.js';
import { NODE_LAYERED_DISKS_REGEX, NODE_RECORDS, NODE_VIRTUAL_INTERFACES_REGEX } from '../src/prometheus/node-records.js';
import { RAY_PROMETHEUS_LABELS } from '../src/ray/ray-endpoints.js';
import { GPU_RECORDS } from '../src/gpu/gpu-records.js';
import { RAY_RECORDS } from '../src/ray/ray-records.js';

/** `created_by_kind` of pods KubeRay creates. */
const RAY_CLUSTER_KIND = 'RayCluster';

const { NAMESPACE, POD, NODE } = KSM_LABELS;
/** Label matchers of the selected pods of the job. */
const JOB_PODS = [eq(NAMESPACE, v(V.namespace)), re(POD, v(V.pod))];
/** The GPUs of the selected pods of the job. */
const SCOPE: GpuScope = { matchers: [eq(DCGM_LABELS.NAMESPACE, v(V.namespace)), re(DCGM_LABELS.POD, v(V.pod))] };

/** The GPU training dashboard for a cluster described by `context`. */
export function trainingDashboard(context: DashboardContext): GrafanaDashboard {
  const d = new DashboardBuilder({
    uid: GPU_DASHBOARD_UIDS.training,
    title: 'GPU training',
    description: 'A Ray training job (its RayCluster) and its nodes: GPU activity and health, host resources, and logs.',
    tags: [GPU_DASHBOARD_TAG, 'gpu', 'training', 'ray'],
    prometheusVariable: V.datasource,
    logsVariable: V.logsDatasource,
  });
  addVariables(d, context);
  d.row('GPU activity: utilisation and what it hides').panels(gpuActivityPanels());
  d.row('GPU memory, power, temperature, clocks and errors').panels([
    gpuMemory(SCOPE, 8),
    gpuPower(SCOPE, 8),
    gpuTemperature(SCOPE, 8),
    gpuThrottling(SCOPE, 8),
    smClock(SCOPE, 8),
    xidErrors(SCOPE, 8),
  ]);
  d.row('Ray: tasks, actors, memory and Train').panels(rayPanels());
  d.row('Host: CPU, RAM, network and disk').panels([...podPanels(), ...nodePanels()]);
  d.row('Logs').panel(jobLogs(context.logs));
  return d.build();
}

/** Datasources; namespace, Ray cluster, its pods and their nodes; the link to the other GPU dashboards. */
function addVariables(d: DashboardBuilder, context: DashboardContext): void {
  const rayPods = sel(
    KSM_METRICS.POD_INFO,
    eq(NAMESPACE, v(V.namespace)),
    eq(KSM_LABELS.CREATED_BY_KIND, RAY_CLUSTER_KIND),
    eq(KSM_LABELS.CREATED_BY_NAME, v(V.rayCluster)),
  );
  d.datasourceVariables({ prometheusUid: context.prometheusDatasourceUid, logsUid: context.logs.datasourceUid })
    .queryVariable({
      name: V.namespace,
      label: 'Namespace',
      description: 'Namespaces with Ray clusters reporting metrics.',
      query: `label_values(${RAY_METRICS.NODE_CPU_UTILIZATION}, ${NAMESPACE})`,
    })
    .queryVariable({
      name: V.rayCluster,
      label: 'Ray cluster / job',
      description: 'RayCluster of the training job (a RayJob creates one named after it).',
      query: `label_values(${sel(RAY_METRICS.NODE_CPU_UTILIZATION, eq(NAMESPACE, v(V.namespace)))}, ${RAY_PROMETHEUS_LABELS.CLUSTER})`,
    })
    .queryVariable({
      name: V.pod,
      label: 'Pod',
      description: "Pods of the Ray cluster (head and workers), from kube-state-metrics' kube_pod_info.",
      query: `label_values(${rayPods}, ${POD})`,
      multi: true,
      includeAll: true,
    })
    .queryVariable({
      name: V.node,
      label: 'Node',
      description: 'Nodes the selected pods run on.',
      query: `label_values(${sel(KSM_METRICS.POD_INFO, eq(NAMESPACE, v(V.namespace)), re(POD, v(V.pod)))}, ${NODE})`,
      multi: true,
      includeAll: true,
    })
    .linkToTag(GPU_DASHBOARD_TAG, 'GPU dashboards');
}

/** GPU utilisation next to what it hides (SM, tensor and DRAM activity), and Ray's logical GPUs. */
function gpuActivityPanels(): PanelDraft[] {
  return [
    gpuUtilisation(SCOPE),
    timeseries({
      title: 'Job mean: GPU utilisation vs tensor pipe active',
      description:
        `Mean over the job's GPUs of GPU utilisation (${GPU_RECORDS.UTIL_BY_POD}) and of tensor pipe activity ` +
        `(${GPU_RECORDS.TENSOR_ACTIVE_BY_POD}, shown as percent). The gap between the two lines is what "GPU utilisation" hides. ` +
        'Bad: utilisation near 100 % with tensor activity near 0 means the GPUs are occupied but not doing matrix math.',
      queries: [
        prom(`avg(${sel(GPU_RECORDS.UTIL_BY_POD, ...JOB_PODS)})`, { legend: 'GPU utilisation' }),
        prom(`100 * avg(${sel(GPU_RECORDS.TENSOR_ACTIVE_BY_POD, ...JOB_PODS)})`, { legend: 'tensor pipe active' }),
      ],
      unit: 'percent',
      min: 0,
      max: 100,
    }),
    smActive(SCOPE, 8),
    tensorActive(SCOPE, 8),
    dramActive(SCOPE, 8),
    timeseries({
      title: 'Ray logical GPUs: in use vs available',
      description:
        `GPUs the Ray scheduler has handed to tasks and actors (${RAY_RECORDS.GPUS_USED}) and GPUs it still has free ` +
        `(${RAY_RECORDS.GPUS_AVAILABLE}) in the cluster. Bad: free GPUs while the job waits means placement-group or ` +
        'resource-shape mismatches; in-use GPUs with low utilisation above mean reserved but unused accelerators.',
      queries: [
        prom(sel(RAY_RECORDS.GPUS_USED, eq(NAMESPACE, v(V.namespace)), eq(RAY_PROMETHEUS_LABELS.CLUSTER, v(V.rayCluster))), { legend: 'in use' }),
        prom(sel(RAY_RECORDS.GPUS_AVAILABLE, eq(NAMESPACE, v(V.namespace)), eq(RAY_PROMETHEUS_LABELS.CLUSTER, v(V.rayCluster))), { legend: 'available' }),
      ],
      unit: 'short',
      min: 0,
      width: 24,
      height: 6,
    }),
  ];
}

/** Series of the selected Ray cluster. */
const RAY_CLUSTER = [eq(NAMESPACE, v(V.namespace)), eq(RAY_PROMETHEUS_LABELS.CLUSTER, v(V.rayCluster))];
/**
 * `expr`, or 0 while the selected cluster reports Ray metrics but `expr` has no series: Ray exports a counter only once
 * it is first recorded (no OOM kill yet) and Train metrics only while a Train run exists, so "nothing" there means 0.
 */
const orZeroWhileReporting = (expr: string) => `${expr} or on () (0 * count(${sel(RAY_METRICS.NODE_CPU_COUNT, ...RAY_CLUSTER)}))`;

/** Ray's own view of the job: task and actor states, OOM kills, the object store, Train's checkpoint reports. */
function rayPanels(): PanelDraft[] {
  const { STATE, NAME, LOCATION, TRAIN_WORKER_WORLD_RANK } = RAY_LABELS;
  return [
    timeseries({
      title: 'Ray tasks by state',
      description:
        `Tasks of the cluster per state (${RAY_METRICS.TASKS}: RUNNING, PENDING_*, SUBMITTED_TO_WORKER, FINISHED, FAILED, ...). ` +
        'Ray reports a task from its owner and from the worker executing it with +1 / -1 points, so only the sum over all ' +
        'series is the count. Bad: tasks piling up in PENDING_NODE_ASSIGNMENT (no resources) or a growing FAILED count.',
      queries: [prom(`sum ${by(STATE)} (${sel(RAY_METRICS.TASKS, ...RAY_CLUSTER)})`, { legend: `{{${STATE}}}` })],
      unit: 'short',
      min: 0,
      width: 8,
    }),
    timeseries({
      title: 'Ray actors by state',
      description:
        `Actors of the cluster per state (${RAY_METRICS.ACTORS}: ALIVE, PENDING_CREATION, RESTARTING, DEAD, ...). Bad: Train workers ` +
        'RESTARTING or DEAD (a worker died: node lost, OOM), or actors stuck in PENDING_CREATION (no room for their resources).',
      queries: [prom(`sum ${by(STATE)} (${sel(RAY_METRICS.ACTORS, ...RAY_CLUSTER)})`, { legend: `{{${STATE}}}` })],
      unit: 'short',
      min: 0,
      width: 8,
    }),
    timeseries({
      title: 'Ray OOM kills',
      description:
        `Tasks and actors the Ray OOM killer killed, by task or actor name (${RAY_METRICS.MEMORY_MANAGER_WORKER_EVICTION_TOTAL}, ` +
        'cumulative since the Ray node started; the series appears with the first kill). Bad: any step up: the node ran out of ' +
        'memory and Ray killed work to survive (alert RayOomKills); set memory requests on the task or lower its concurrency.',
      queries: [prom(orZeroWhileReporting(`sum ${by(NAME)} (${sel(RAY_METRICS.MEMORY_MANAGER_WORKER_EVICTION_TOTAL, ...RAY_CLUSTER)})`), { legend: `{{${NAME}}}` })],
      unit: 'short',
      min: 0,
      width: 8,
    }),
    timeseries({
      title: 'Ray object store memory by location',
      description:
        `Object store bytes of the cluster by location (${RAY_METRICS.OBJECT_STORE_MEMORY}, label ${LOCATION}): MMAP_SHM (shared memory), ` +
        'MMAP_DISK (fallback allocation on disk), SPILLED (objects spilled to disk because the store was full), WORKER_HEAP. ' +
        'Bad: SPILLED growing means the object store is too small for the job; reads of spilled objects are slow.',
      queries: [prom(`sum ${by(LOCATION)} (${sel(RAY_METRICS.OBJECT_STORE_MEMORY, ...RAY_CLUSTER)})`, { legend: `{{${LOCATION}}}` })],
      unit: 'bytes',
      min: 0,
      width: 12,
    }),
    timeseries({
      title: 'Ray Train: time blocked in report per rank',
      description:
        `Share of time each Train worker spent blocked in ray.train.report() (checkpoint upload and the cross-rank barrier), from ` +
        `${RAY_TRAIN_METRICS.REPORT_TOTAL_BLOCKED_TIME_S} (cumulative seconds, a gauge Ray Train v2 sets; rate over 5 minutes); ` +
        '0 for a cluster without a Ray Train run. ' +
        'Bad: a large share means checkpointing eats training time (checkpoint less often, or to faster storage); one rank ' +
        'far above the others is a straggler.',
      queries: [
        prom(orZeroWhileReporting(`sum ${by(TRAIN_WORKER_WORLD_RANK)} (rate(${sel(RAY_TRAIN_METRICS.REPORT_TOTAL_BLOCKED_TIME_S, ...RAY_CLUSTER)}[5m]))`), {
          legend: `rank {{${TRAIN_WORKER_WORLD_RANK}}}`,
        }),
      ],
      unit: 'percentunit',
      min: 0,
      width: 12,
    }),
  ];
}

/** CPU and memory of the job's pods. */
function podPanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Pod CPU usage',
      description:
        `CPU cores used by each pod of the job (cAdvisor via the kubelet, recording rule ${KUBE_PROMETHEUS_RECORDS.CONTAINER_CPU_USAGE_SUM_RATE5M}). ` +
        'Bad: a pod pinned at its CPU limit starves data loading and the GPU waits; compare with GPU utilisation dips.',
      queries: [prom(`sum ${by(POD)} (${sel(KUBE_PROMETHEUS_RECORDS.CONTAINER_CPU_USAGE_SUM_RATE5M, ...JOB_PODS)})`, { legend: `{{${POD}}}` })],
      unit: 'short',
      min: 0,
    }),
    timeseries({
      title: 'Pod memory (working set)',
      description:
        `Working-set memory of each pod of the job (cAdvisor, recording rule ${KUBE_PROMETHEUS_RECORDS.CONTAINER_MEMORY_WORKING_SET_BYTES}). ` +
        'Bad: growth towards the memory limit ends in an OOMKill of the Ray worker (and usually of the step); steady growth ' +
        'across steps is a host-memory leak (dataloader workers, object store spilling).',
      queries: [prom(`sum ${by(POD)} (${sel(KUBE_PROMETHEUS_RECORDS.CONTAINER_MEMORY_WORKING_SET_BYTES, ...JOB_PODS)})`, { legend: `{{${POD}}}` })],
      unit: 'bytes',
      min: 0,
    }),
  ];
}

/** The ratio (0-1) of a node-exporter recording rule on each of the job's nodes, busiest series per node. */
function perNodeRatio(title: string, description: string, record: string, width?: number): PanelDraft {
  return timeseries({
    title,
    description,
    queries: [prom(`max ${by(NODE)} (${onNode(record, v(V.node))})`, { legend: `{{${NODE}}}` })],
    unit: 'percentunit',
    min: 0,
    max: 1,
    ...(width ? { width } : {}),
  });
}

/** CPU, memory, network and disk of the nodes the job runs on. */
function nodePanels(): PanelDraft[] {
  const nodes = v(V.node);
  const { NODE_CPU_UTILISATION_RATE5M, NODE_MEMORY_UTILISATION_RATIO, NODE_DISK_IO_TIME_RATE5M } = KUBE_PROMETHEUS_RECORDS;
  return [
    perNodeRatio(
      'Node CPU utilisation',
      `CPU busy fraction of each node (node-exporter, recording rule ${NODE_CPU_UTILISATION_RATE5M}). ` +
        'Bad: above ~90 % the input pipeline and NCCL progress threads compete for CPU and the GPUs stall.',
      NODE_CPU_UTILISATION_RATE5M,
      8,
    ),
    perNodeRatio(
      'Node memory utilisation',
      `Fraction of each node's memory in use (node-exporter, recording rule ${NODE_MEMORY_UTILISATION_RATIO}). ` +
        'Bad: above ~90 % the kernel starts reclaiming page cache (slower data loading) and the OOM killer is near.',
      NODE_MEMORY_UTILISATION_RATIO,
      8,
    ),
    nodeNetwork(nodes),
    nodeDisk(nodes),
    perNodeRatio(
      'Node disk busy',
      `Fraction of time each node's busiest disk was doing I/O (node-exporter, recording rule ` +
        `${NODE_DISK_IO_TIME_RATE5M}). Bad: near 1 means the disk is saturated; training steps that read ` +
        'shards or write checkpoints then wait on I/O.',
      NODE_DISK_IO_TIME_RATE5M,
    ),
  ];
}

function nodeNetwork(nodes: string): PanelDraft {
  const { NETWORK_RECEIVE_BYTES_PHYSICAL_RATE5M: RECEIVE, NETWORK_TRANSMIT_BYTES_PHYSICAL_RATE5M: TRANSMIT } = NODE_RECORDS;
  return timeseries({
    title: 'Node network throughput',
    description:
      `Bytes received and transmitted per second by each node on its own interfaces (node-exporter, recording rules ` +
      `${RECEIVE} / ${TRANSMIT}): loopback, pod veths, bridges and tunnels (${NODE_VIRTUAL_INTERFACES_REGEX}) are left out, ` +
      "since pod traffic crosses them and a NIC and would count twice. " +
      'Bad: a flat line at the NIC line rate during all-reduce or data loading means the network is the bottleneck; ' +
      'very uneven traffic between nodes of one job points at a straggler.',
    queries: [
      prom(`sum ${by(NODE)} (${onNode(RECEIVE, nodes)})`, { legend: `{{${NODE}}} receive` }),
      prom(`sum ${by(NODE)} (${onNode(TRANSMIT, nodes)})`, { legend: `{{${NODE}}} transmit` }),
    ],
    unit: 'Bps',
    min: 0,
    width: 8,
  });
}

function nodeDisk(nodes: string): PanelDraft {
  const { DISK_READ_BYTES_PHYSICAL_RATE5M: READ, DISK_WRITTEN_BYTES_PHYSICAL_RATE5M: WRITTEN } = NODE_RECORDS;
  return timeseries({
    title: 'Node disk throughput',
    description:
      `Bytes read from and written to the disks of each node per second (node-exporter, recording rules ${READ} / ${WRITTEN}); ` +
      `md RAID and device-mapper devices (${NODE_LAYERED_DISKS_REGEX}) are left out, since the disks beneath them already count ` +
      "their I/O. Bad: reads capped at the volume's throughput limit while GPUs idle " +
      'mean data loading from local disk is the bottleneck; write bursts line up with checkpoints.',
    queries: [
      prom(`sum ${by(NODE)} (${onNode(READ, nodes)})`, { legend: `{{${NODE}}} read` }),
      prom(`sum ${by(NODE)} (${onNode(WRITTEN, nodes)})`, { legend: `{{${NODE}}} write` }),
    ],
    unit: 'Bps',
    min: 0,
  });
}

/** Container logs of the selected pods. */
function jobLogs(source: LogsSource): PanelDraft {
  return logs({
    title: 'Job logs',
    description:
      `Container log lines of the selected pods of the Ray cluster (head and workers), newest first, from the log data streams ` +
      `${source.indexPattern} (fields ${source.namespaceField} and ${source.podField}), to read next to the panels above. ` +
      'Bad: NCCL watchdog timeouts, "CUDA out of memory", Xid messages, Ray worker or actor deaths and Python tracebacks: ' +
      'they usually explain the GPU or host panel that turned bad at the same time.',
    queries: [logsQuery(podLogsQuery(source, V.namespace, V.pod), source.timeField)],
    width: 24,
    height: 12,
  });
}

import { TARGET_LABELS } from '../core/metric-names.js';
import { KSM_METRICS } from '../prometheus/kube-metrics.js';
import { RAY_LABELS, RAY_METRICS, RAY_SERVE_METRICS, RAY_SERVE_PROXY_LABELS } from './ray-metrics.js';
import { RAY_RECORDS } from './ray-records.js';
import { type AlertRuleSpec, checkDuration, checkThreshold, num, type RecordingRuleSpec, type RuleGroupSpec } from '../core/rule-types.js';

/** The thresholds of the Ray alerts when left out. */
export const RAY_ALERT_DEFAULTS = {
  metricsMissingFor: '10m',
  serveHttp5xxRatio: 0.05,
  serveHttp5xxFor: '5m',
  oomKillWindow: '10m',
} as const;

/** Thresholds of the Ray rules; every field has a default ({@link RAY_ALERT_DEFAULTS}). */
export interface RayAlertThresholds {
  /**
   * How long a RayCluster may have running pods without any Ray metrics before RayMetricsMissing fires.
   * @default "10m"
   */
  readonly metricsMissingFor?: string;
  /**
   * Share (0-1) of a Serve application's HTTP requests answered 5xx above which RayServeHttp5xx fires.
   * @default 0.05
   */
  readonly serveHttp5xxRatio?: number;
  /**
   * How long the 5xx share must stay above {@link serveHttp5xxRatio} before RayServeHttp5xx fires.
   * @default "5m"
   */
  readonly serveHttp5xxFor?: string;
  /**
   * RayOomKills fires while the Ray OOM killer killed a task or actor within this window.
   * @default "10m"
   */
  readonly oomKillWindow?: string;
}

/** Name of the PrometheusRule with the Ray rules (and of its promtool rule file, `<name>.yaml`). */
export const RAY_RULES_NAME = 'ray-rules';

const BY = `namespace, ${TARGET_LABELS.RAY_CLUSTER}`;
const BY_APPLICATION = `${BY}, ${RAY_LABELS.APPLICATION}`;
const CLUSTER = 'Ray cluster {{ $labels.namespace }}/{{ $labels.ray_io_cluster }}';

/**
 * Ray recording rules (nodes reporting, logical GPUs, Serve request rate and 5xx share) and alerts (metrics missing,
 * OOM kills, Serve 5xx, Serve replicas unhealthy).
 */
export function rayRuleGroups(thresholds: RayAlertThresholds = {}): RuleGroupSpec[] {
  const D = RAY_ALERT_DEFAULTS;
  const missingFor = checkDuration('ray.metricsMissingFor', thresholds.metricsMissingFor ?? D.metricsMissingFor);
  const ratio = checkThreshold('ray.serveHttp5xxRatio', thresholds.serveHttp5xxRatio ?? D.serveHttp5xxRatio, 0, 1);
  const http5xxFor = checkDuration('ray.serveHttp5xxFor', thresholds.serveHttp5xxFor ?? D.serveHttp5xxFor);
  const oomWindow = checkDuration('ray.oomKillWindow', thresholds.oomKillWindow ?? D.oomKillWindow);
  const requests = RAY_SERVE_METRICS.NUM_HTTP_REQUESTS_TOTAL;
  const evictions = RAY_METRICS.MEMORY_MANAGER_WORKER_EVICTION_TOTAL;

  const records: RecordingRuleSpec[] = [
    { record: RAY_RECORDS.NODES_REPORTING, expr: `count by (${BY}) (${RAY_METRICS.NODE_CPU_COUNT})` },
    { record: RAY_RECORDS.GPUS_USED, expr: `sum by (${BY}) (${RAY_METRICS.RESOURCES}{Name="GPU", State="USED"})` },
    { record: RAY_RECORDS.GPUS_AVAILABLE, expr: `sum by (${BY}) (${RAY_METRICS.RESOURCES}{Name="GPU", State="AVAILABLE"})` },
    // the proxy counts every HTTP request with its status code (python/ray/serve/_private/proxy.py, tag_keys route,
    // method, application, status_code); ray_serve_num_http_error_requests_total lacks `application` before Ray 2.x
    // releases that added it, so both sides of the ratio come from the one counter
    { record: RAY_RECORDS.SERVE_HTTP_REQUESTS_RATE, expr: `sum by (${BY_APPLICATION}) (rate(${requests}[5m]))` },
    {
      record: RAY_RECORDS.SERVE_HTTP_5XX_RATIO,
      expr:
        `sum by (${BY_APPLICATION}) (rate(${requests}{${RAY_SERVE_PROXY_LABELS.STATUS_CODE}=~"5.."}[5m]))\n/\n` +
        `(${RAY_RECORDS.SERVE_HTTP_REQUESTS_RATE} > 0)`,
    },
  ];

  // RayCluster pods that are running, by cluster (kube-state-metrics: the pods' owner is the RayCluster).
  const runningRayPods =
    `count by (${BY}) (\n  label_replace(\n    max by (namespace, pod, owner_name) (${KSM_METRICS.POD_OWNER}{owner_kind="RayCluster"})\n` +
    `    * on (namespace, pod) group_left ()\n    max by (namespace, pod) (${KSM_METRICS.POD_STATUS_PHASE}{phase="Running"} == 1),\n` +
    `    "${TARGET_LABELS.RAY_CLUSTER}", "$1", "owner_name", "(.+)"\n  )\n)`;
  // kills in the window: increase() of the counter, and the first kill of a (Type, Name), whose series only
  // appears with it (Ray exports no zero before it), so increase() cannot see it
  const oomBy = `${BY}, ${RAY_LABELS.NAME}`;
  const oomKills =
    `sum by (${oomBy}) (increase(${evictions}[${oomWindow}])) > 0\nor\n` +
    `sum by (${oomBy}) (${evictions} unless ${evictions} offset ${oomWindow}) > 0`;

  const alerts: AlertRuleSpec[] = [
    {
      alert: 'RayMetricsMissing',
      expr: `${runningRayPods}\nunless on (${BY})\ncount by (${BY}) (${RAY_METRICS.NODE_CPU_COUNT})`,
      for: missingFor,
      severity: 'warning',
      summary: `${CLUSTER} runs but sends no Ray metrics`,
      description:
        `The RayCluster has had running pods for ${missingFor} but Prometheus has no Ray node metrics from it, ` +
        'so its dashboards are empty and its GPU usage cannot be joined with Ray jobs.',
      runbook: [
        'Check the Prometheus targets page for the ray-head / ray-workers jobs of this cluster (down, or not discovered).',
        'Check that the head and worker Ray containers declare the `metrics` port (8080) and that the pods carry the ray.io/node-type and ray.io/cluster labels KubeRay sets.',
        'Check that the Ray image includes ray[default] (the metrics agent) and that the pod logs show no dashboard-agent failure.',
      ],
    },
    {
      alert: 'RayOomKills',
      expr: oomKills,
      severity: 'warning',
      summary: `The Ray OOM killer killed {{ $value }} of {{ $labels.Name }} in ${CLUSTER} in the last ${oomWindow}`,
      description:
        `Ray's memory monitor killed tasks or actors (${evictions}) because the node ran out of memory. Killed tasks are ` +
        'retried (and may be killed again); killed actors fail their callers. Left alone, the job slows down or fails.',
      runbook: [
        'Open the training dashboard for the cluster: pod memory and the object store (spilled bytes) show which node filled up.',
        'Give the named task or actor a memory request (`memory=` in @ray.remote) so Ray schedules fewer of them per node, or lower its parallelism (e.g. the batch size or concurrency of Ray Data map_batches).',
        'If the object store spills a lot, raise object_store_memory or the node size; check the Ray logs (raylet.out) for the OOM killer message with the process memory.',
      ],
    },
    {
      alert: 'RayServeHttp5xx',
      expr: `${RAY_RECORDS.SERVE_HTTP_5XX_RATIO} > ${num(ratio)}`,
      for: http5xxFor,
      severity: 'warning',
      summary: `{{ $value | humanizePercentage }} of the HTTP requests of Serve application {{ $labels.application }} in ${CLUSTER} fail with 5xx`,
      description:
        `More than ${num(Math.round(ratio * 1e4) / 100)} % of the requests the Serve proxy answered for the application over 5 minutes were 5xx ` +
        '(503: no replica could take the request, backpressure; 500: the deployment raised) for ' + `${http5xxFor}.`,
      runbook: [
        'Open the inference dashboard: Serve QPS per replica and the vLLM queue show whether the replicas are saturated (503) or failing (500).',
        'For 503s: add replicas (autoscaling_config max_replicas) or raise max_ongoing_requests / max_queued_requests if the engines have room.',
        'For 500s: read the replica logs (ray logs, or the server logs panel) for the exception.',
      ],
    },
    {
      alert: 'RayServeReplicaUnhealthy',
      expr: `max by (${BY_APPLICATION}, ${RAY_LABELS.DEPLOYMENT}, ${RAY_LABELS.REPLICA}) (${RAY_SERVE_METRICS.DEPLOYMENT_REPLICA_HEALTHY}) == 0`,
      for: '5m',
      severity: 'warning',
      summary: `Serve replica {{ $labels.replica }} of {{ $labels.application }}/{{ $labels.deployment }} in ${CLUSTER} fails its health check`,
      description:
        `${RAY_SERVE_METRICS.DEPLOYMENT_REPLICA_HEALTHY} has been 0 for 5 minutes: the controller's health check of the replica ` +
        '(check_health, for an LLMServer the vLLM engine) fails, so the replica gets no traffic and will be replaced.',
      runbook: [
        'Read the replica logs for the failing health check (for vLLM: engine-core died, CUDA errors).',
        'Check the GPU of the replica on the GPU dashboards (XID errors, memory) and the node events.',
        'If replicas keep being replaced, see ray_serve_deployment_replica_starts_total and the Serve controller logs.',
      ],
    },
  ];

  return [
    { name: 'ray.records', rules: records },
    { name: 'ray.alerts', rules: alerts },
  ];
}

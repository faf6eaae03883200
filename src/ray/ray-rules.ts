import { bucket, count, TARGET_LABELS } from '../core/metric-names.js';
import { KSM_METRICS } from '../prometheus/kube-metrics.js';
import { RAY_GCS_METRICS, RAY_METRICS } from './ray-metrics.js';
import { RAY_RECORDS } from './ray-records.js';
import { propError } from '../core/prop-error.js';
import { type AlertRuleSpec, checkDuration, checkThreshold, type RecordingRuleSpec, type RuleGroupSpec } from '../core/rule-types.js';

/** Thresholds of the Ray rules; every field has a default. */
export interface RayAlertThresholds {
  /**
   * How long a RayCluster may have running pods without any Ray metrics before RayMetricsMissing fires.
   * @default "10m"
   */
  readonly metricsMissingFor?: string;
  /**
   * GCS UpdateResourceUsage RPCs faster than this many milliseconds count as available (a bucket boundary of
   * ray_gcs_update_resource_usage_time: 1, 2, 5, 10, 20, 50, 100, ...).
   * @default 20
   */
  readonly gcsLatencyBucketMs?: number;
  /**
   * Alert when a Ray cluster reports metrics but no GCS latency histogram. Recent Ray releases may no longer
   * export ray_gcs_update_resource_usage_time; turn this off there.
   * @default true
   */
  readonly gcsMetricsMissingAlert?: boolean;
}

/** Name of the PrometheusRule with the Ray rules (and of its promtool rule file, `<name>.yaml`). */
export const RAY_RULES_NAME = 'ray-rules';

/** The `le` values the Ray GCS latency histogram has (Ray src/ray/stats/metric_defs). */
const GCS_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];

const BY = `namespace, ${TARGET_LABELS.RAY_CLUSTER}`;
const CLUSTER = 'Ray cluster {{ $labels.namespace }}/{{ $labels.ray_io_cluster }}';

/** Ray recording rules (GCS availability, nodes reporting, logical GPUs) and alerts (metrics missing). */
export function rayRuleGroups(thresholds: RayAlertThresholds = {}): RuleGroupSpec[] {
  const missingFor = checkDuration('ray.metricsMissingFor', thresholds.metricsMissingFor ?? '10m');
  const le = checkThreshold('ray.gcsLatencyBucketMs', thresholds.gcsLatencyBucketMs ?? 20, 1);
  if (!GCS_BUCKETS_MS.includes(le)) throw propError('ray.gcsLatencyBucketMs', `${le} is not a bucket boundary; allowed: ${GCS_BUCKETS_MS.join(', ')}`);
  const gcs = RAY_GCS_METRICS.UPDATE_RESOURCE_USAGE_TIME;

  const records: RecordingRuleSpec[] = [
    {
      record: RAY_RECORDS.GCS_AVAILABILITY_30D,
      expr:
        `100 * sum by (${BY}) (rate(${bucket(gcs)}{le="${le.toFixed(1)}"}[30d]))\n/\n` +
        `sum by (${BY}) (rate(${count(gcs)}[30d]))`,
    },
    { record: RAY_RECORDS.NODES_REPORTING, expr: `count by (${BY}) (${RAY_METRICS.NODE_CPU_COUNT})` },
    { record: RAY_RECORDS.GPUS_USED, expr: `sum by (${BY}) (${RAY_METRICS.RESOURCES}{Name="GPU", State="USED"})` },
    { record: RAY_RECORDS.GPUS_AVAILABLE, expr: `sum by (${BY}) (${RAY_METRICS.RESOURCES}{Name="GPU", State="AVAILABLE"})` },
  ];

  // RayCluster pods that are running, by cluster (kube-state-metrics: the pods' owner is the RayCluster).
  const runningRayPods =
    `count by (${BY}) (\n  label_replace(\n    max by (namespace, pod, owner_name) (${KSM_METRICS.POD_OWNER}{owner_kind="RayCluster"})\n` +
    `    * on (namespace, pod) group_left ()\n    max by (namespace, pod) (${KSM_METRICS.POD_STATUS_PHASE}{phase="Running"} == 1),\n` +
    `    "${TARGET_LABELS.RAY_CLUSTER}", "$1", "owner_name", "(.+)"\n  )\n)`;

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
  ];
  if (thresholds.gcsMetricsMissingAlert ?? true) {
    alerts.push({
      alert: 'RayGcsMetricsMissing',
      expr: `count by (${BY}) (${RAY_METRICS.NODE_CPU_COUNT})\nunless on (${BY})\ncount by (${BY}) (${count(gcs)})`,
      for: missingFor,
      severity: 'info',
      summary: `${CLUSTER} reports no GCS latency histogram`,
      description: `${gcs} is missing, so ${RAY_RECORDS.GCS_AVAILABILITY_30D} (GCS availability) cannot be computed for this cluster.`,
      runbook: [
        'Check the head pod: GCS metrics come from the head node through the `metrics` port.',
        `Recent Ray releases may not export ${gcs} any more: if so, disable this alert (rayEndpoints alerts.gcsMetricsMissingAlert: false).`,
      ],
    });
  }

  return [
    { name: 'ray.records', rules: records },
    { name: 'ray.alerts', rules: alerts },
  ];
}


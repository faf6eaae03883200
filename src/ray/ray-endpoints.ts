import {
  PodMonitor,
  PodMonitorSpecPodMetricsEndpointsMetricRelabelingsAction,
  PodMonitorSpecPodMetricsEndpointsRelabelingsAction,
  ServiceMonitor,
  ServiceMonitorSpecEndpointsMetricRelabelingsAction,
  ServiceMonitorSpecEndpointsRelabelingsAction,
} from '../../imports/monitoring.coreos.com.js';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import { bucket, TARGET_LABELS } from '../core/metric-names.js';
import { RAY_SERVE_COUNTERS, RAY_SERVE_METRICS } from './ray-metrics.js';
import { VLLM_COUNTERS, VLLM_METRICS } from '../vllm/vllm-metrics.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import { RAY_RULES_NAME, type RayAlertThresholds, rayRuleGroups } from './ray-rules.js';
import { addPrometheusRule, type RuleGroupSpec } from '../core/rule-types.js';
import { escapeRegex, nodeNameRelabeling, podLabelRelabeling, type RelabelConfig, relabelingsFor } from '../core/relabel.js';
import { propError } from '../core/prop-error.js';

// --- Kubernetes labels KubeRay 1.7 puts on Ray pods and on the head Service (ray-operator utils/constant.go) ---

/** Pod / Service label with the node type, `head` or `worker`. */
export const RAY_NODE_TYPE_LABEL = 'ray.io/node-type';
/** Pod / Service label with the RayCluster name. KubeRay's RayService head Service lacks it (see {@link RayEndpoints}). */
export const RAY_CLUSTER_LABEL = 'ray.io/cluster';
/** Pod label with the worker group name (`headgroup` on the head). */
export const RAY_GROUP_LABEL = 'ray.io/group';
/** Pod label KubeRay sets to `yes` on every Ray pod. */
export const RAY_IS_RAY_NODE_LABEL = 'ray.io/is-ray-node';
/** Values of {@link RAY_NODE_TYPE_LABEL}. */
export const RAY_NODE_TYPES = { HEAD: 'head', WORKER: 'worker' } as const;

// --- Port names and numbers (KubeRay defaults; the autoscaler / dashboard metrics ports as the Ray docs name them) ---

/** Name of the Ray metrics-export port on head and worker containers and on the head Service. */
export const RAY_METRICS_PORT_NAME = 'metrics';
/** Ray metrics-export port (KubeRay passes --metrics-export-port=8080 and adds the port when missing). */
export const RAY_METRICS_PORT = 8080;
/** Name of the autoscaler metrics port; declare it on the head container for KubeRay to put it on the head Service. */
export const RAY_AUTOSCALER_METRICS_PORT_NAME = 'as-metrics';
/** Autoscaler metrics port (Ray's AUTOSCALER_METRIC_PORT). */
export const RAY_AUTOSCALER_METRICS_PORT = 44217;
/** Name of the dashboard metrics port; declare it on the head container for KubeRay to put it on the head Service. */
export const RAY_DASHBOARD_METRICS_PORT_NAME = 'dash-metrics';
/** Dashboard metrics port (Ray's DASHBOARD_METRIC_PORT). */
export const RAY_DASHBOARD_METRICS_PORT = 44227;
/** Name of the Ray Serve HTTP port (KubeRay's default `serve`, 8000). Serve's metrics go out through the metrics port. */
export const RAY_SERVE_PORT_NAME = 'serve';
/** Ray Serve HTTP port. */
export const RAY_SERVE_PORT = 8000;
/** Name of the Ray dashboard port (8265). */
export const RAY_DASHBOARD_PORT_NAME = 'dashboard';
/** Ray dashboard port. */
export const RAY_DASHBOARD_PORT = 8265;

/**
 * Ports the head container should declare (name and number) so every metrics endpoint is on the head Service.
 * KubeRay copies the head container's ports onto the head Service; when the container declares none it uses its
 * defaults (client, gcs, dashboard, metrics, serve), which lack the autoscaler and dashboard metrics ports.
 */
export const RAY_HEAD_METRICS_PORTS: readonly { readonly name: string; readonly containerPort: number }[] = [
  { name: RAY_METRICS_PORT_NAME, containerPort: RAY_METRICS_PORT },
  { name: RAY_AUTOSCALER_METRICS_PORT_NAME, containerPort: RAY_AUTOSCALER_METRICS_PORT },
  { name: RAY_DASHBOARD_METRICS_PORT_NAME, containerPort: RAY_DASHBOARD_METRICS_PORT },
];

/** Prometheus labels every Ray series scraped by {@link RayEndpoints} carries (besides namespace / pod / container). */
export const RAY_PROMETHEUS_LABELS = {
  /** RayCluster name (from the `ray.io/cluster` pod label). */
  CLUSTER: TARGET_LABELS.RAY_CLUSTER,
  /** `head` or `worker` (from the `ray.io/node-type` pod label). */
  NODE_TYPE: TARGET_LABELS.RAY_NODE_TYPE,
  /** Worker group (from the `ray.io/group` pod label). */
  GROUP: TARGET_LABELS.RAY_GROUP,
  /** Kubernetes node of the pod (joins with the GPU series' `node`). */
  NODE: TARGET_LABELS.NODE,
} as const;

/** Job label values of the two monitors. */
export const RAY_JOBS = { HEAD: 'ray-head', WORKERS: 'ray-workers' } as const;

/**
 * Histograms Ray exports (vLLM's under Ray Serve LLM, and Ray Serve's) whose buckets no dashboard, recording rule
 * or alert of this library reads, dropped at scrape time by {@link RayEndpoints} (see
 * {@link RayEndpointsProps.dropUnreadHistogramBuckets}). Only the `_bucket` series go, which are nearly all of a
 * histogram's series (one per bucket boundary, model and engine, or deployment and replica); `_sum` and `_count`
 * stay, so means (`rate(x_sum[5m]) / rate(x_count[5m])`) remain available for troubleshooting.
 *
 * At 1,000 GPUs (docs/prometheus-proof.md) these buckets were about 12 head series per GPU. The vLLM histograms the
 * dashboards and rules read (time to first token, inter-token latency, end-to-end latency, queue time, prompt and
 * generation tokens per request, prefill and decode time) are kept; a test holds this list against every name the
 * dashboards and rules read.
 */
export const RAY_UNREAD_HISTOGRAMS: readonly string[] = [
  VLLM_METRICS.REQUEST_INFERENCE_TIME_SECONDS,
  VLLM_METRICS.REQUEST_TIME_PER_OUTPUT_TOKEN_SECONDS,
  VLLM_METRICS.ITERATION_TOKENS,
  VLLM_METRICS.REQUEST_MAX_NUM_GENERATION_TOKENS,
  VLLM_METRICS.REQUEST_PARAMS_N,
  VLLM_METRICS.REQUEST_PARAMS_MAX_TOKENS,
  RAY_SERVE_METRICS.DEPLOYMENT_PROCESSING_LATENCY_MS,
];

/**
 * The names Ray gives a vLLM metric it re-exports, undone by the rename relabeling: newer vLLM sanitises the name
 * before handing it to ray.util.metrics (`vllm:x` -> `ray_vllm_x`; vllm/v1/metrics/ray_wrappers.py,
 * `_get_sanitized_opentelemetry_name`), older vLLM passed it as is (`ray_vllm:x`).
 */
function rayExportNames(vllmName: string): string[] {
  return [`ray_${vllmName.replace(':', '_')}`, `ray_${vllmName}`];
}

/** Matches both names Ray re-exports vLLM's metrics under (`ray_vllm_x`, `ray_vllm:x`); group 1 is `x`. */
export const RAY_VLLM_NAME_REGEX = 'ray_vllm[_:](.+)';

/**
 * Metric relabeling that drops the `_bucket` series of `histograms`; vLLM names are matched both as vLLM names them
 * and as Ray re-exports them (`ray_vllm_*`, older `ray_vllm:*`), so the drop works with and without the rename.
 */
export function dropHistogramBuckets(histograms: readonly string[]): RelabelConfig {
  const names = histograms.flatMap((h) => (h.startsWith('vllm:') ? [h, ...rayExportNames(h)] : [h])).map(bucket);
  return { action: 'drop', sourceLabels: ['__name__'], regex: [...new Set(names)].sort().map(escapeRegex).join('|') };
}

/**
 * The deprecated gauge twins of the counters this library reads or knows (Ray Serve's and vLLM's): Ray exports every
 * ray.util.metrics Counter as `<name>_total` and, while RAY_EXPORT_COUNTER_AS_GAUGE is on (the default since Ray 2.10),
 * also as a gauge `<name>` with the same values (python/ray/_private/metrics_agent.py, python/ray/util/metrics.py).
 * Built from {@link RAY_SERVE_COUNTERS} and {@link VLLM_COUNTERS}: each counter without `_total`, vLLM's in the three
 * names it can reach the relabeling under (`vllm:x`, `ray_vllm_x`, `ray_vllm:x`). Sorted, without duplicates.
 */
export const RAY_COUNTER_GAUGE_TWINS: readonly string[] = [
  ...new Set([
    ...RAY_SERVE_COUNTERS.map((c) => c.replace(/_total$/, '')),
    ...VLLM_COUNTERS.flatMap((c) => {
      const twin = c.replace(/_total$/, '');
      return [twin, ...rayExportNames(twin)];
    }),
  ]),
].sort();

/** Metric relabeling that drops the series named in `names` (exact names). */
export function dropMetricNames(names: readonly string[]): RelabelConfig {
  return { action: 'drop', sourceLabels: ['__name__'], regex: names.map(escapeRegex).join('|') };
}

/** What {@link RayEndpoints} does for props left out: normalize the vLLM names, drop the unread buckets and the counters' gauge twins. */
export const RAY_ENDPOINTS_DEFAULTS = { normalizeVllmMetricNames: true, dropUnreadHistogramBuckets: true, dropCounterGaugeTwins: true } as const;

/** Props of {@link RayEndpoints}. */
export interface RayEndpointsProps {
  /** The Prometheus that scrapes Ray. */
  readonly prometheus: PrometheusTarget;
  /**
   * Namespace of the monitors and the PrometheusRule.
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * Namespaces whose Ray clusters are scraped.
   * @default every namespace
   */
  readonly rayNamespaces?: readonly string[];
  /**
   * Scrape interval.
   * @default "30s"
   */
  readonly scrapeInterval?: string;
  /**
   * Rename the vLLM metrics Ray Serve LLM re-exports (`ray_vllm_*`, or `ray_vllm:*` with older vLLM) to vLLM's own
   * names (`vllm:*`), so the vLLM
   * dashboards and alerts work whether vLLM runs under Ray Serve or on its own.
   * @default {@link RAY_ENDPOINTS_DEFAULTS}
   */
  readonly normalizeVllmMetricNames?: boolean;
  /**
   * Drop, at scrape time, the `_bucket` series of the histograms in {@link RAY_UNREAD_HISTOGRAMS}, which nothing
   * this library ships reads (about 12 head series per GPU with vLLM under Ray Serve). Set `false` to keep them,
   * e.g. for a vLLM dashboard of your own that charts prefill / decode time or request parameters.
   * @default {@link RAY_ENDPOINTS_DEFAULTS}
   */
  readonly dropUnreadHistogramBuckets?: boolean;
  /**
   * Drop, at scrape time, the deprecated gauge twins Ray exports next to every counter of Ray Serve and vLLM
   * ({@link RAY_COUNTER_GAUGE_TWINS}): same values as the `<name>_total` counters the dashboards read, so they only
   * cost series. The other way to be rid of them is RAY_EXPORT_COUNTER_AS_GAUGE=0 in the Ray containers' environment,
   * which also covers counters of your own. Set `false` to keep them (a dashboard of your own reads the gauges).
   * @default {@link RAY_ENDPOINTS_DEFAULTS}
   */
  readonly dropCounterGaugeTwins?: boolean;
  /**
   * Ray recording rules and alerts (metrics missing, OOM kills, Serve 5xx and unhealthy replicas), with their thresholds; `false` for none.
   * @default enabled with default thresholds
   */
  readonly alerts?: RayAlertThresholds | false;
}

/**
 * Scrape configuration for Ray on Kubernetes (KubeRay 1.7): a ServiceMonitor for Ray heads (metrics, autoscaler
 * and dashboard metrics ports of the head Service) and a PodMonitor for Ray workers (metrics port), both attaching
 * the RayCluster name (`ray_io_cluster`), node type, worker group and Kubernetes node (`node`) to every series so
 * GPU metrics join with Ray jobs; plus a PrometheusRule with the Ray recording rules and alerts (metrics missing,
 * OOM kills, Serve 5xx, unhealthy Serve replicas). Metric relabelings rename the vLLM metrics Ray re-exports to
 * vLLM's names, drop the buckets of the histograms nothing reads ({@link RAY_UNREAD_HISTOGRAMS}) and the counters'
 * deprecated gauge twins ({@link RAY_COUNTER_GAUGE_TWINS}).
 *
 * The head ServiceMonitor selects Services with `ray.io/node-type: head` that also carry `ray.io/cluster`: that is
 * the RayCluster's head Service; the extra head Service a RayService creates lacks `ray.io/cluster`, so the head
 * is not scraped twice.
 */
export class RayEndpoints extends Construct {
  /** Name of the head ServiceMonitor. */
  public readonly headMonitorName = RAY_JOBS.HEAD;
  /** Name of the worker PodMonitor. */
  public readonly workerMonitorName = RAY_JOBS.WORKERS;
  /** Name of the PrometheusRule, when alerts are on. */
  public readonly ruleName?: string;
  /** The rule groups emitted (empty when alerts are off). */
  public readonly ruleGroups: readonly RuleGroupSpec[];

  constructor(scope: Construct, id: string, props: RayEndpointsProps) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const labels = { ...props.prometheus.monitorSelectorLabels };
    const namespaceSelector = props.rayNamespaces ? { matchNames: [...props.rayNamespaces] } : { any: true };
    if (props.rayNamespaces && props.rayNamespaces.length === 0) throw propError('rayNamespaces', 'must name at least one namespace, or be left out for all');
    const interval = props.scrapeInterval ?? '30s';

    const metricRelabelings = rayMetricRelabelings(props);

    new ServiceMonitor(this, 'head-monitor', {
      metadata: { name: this.headMonitorName, namespace, labels },
      spec: {
        namespaceSelector,
        selector: {
          matchLabels: { [RAY_NODE_TYPE_LABEL]: RAY_NODE_TYPES.HEAD },
          matchExpressions: [{ key: RAY_CLUSTER_LABEL, operator: 'Exists' }],
        },
        endpoints: RAY_HEAD_METRICS_PORTS.map((p) => ({
          port: p.name,
          path: '/metrics',
          interval,
          relabelings: relabelingsFor(ServiceMonitorSpecEndpointsRelabelingsAction, rayTargetRelabelings(RAY_JOBS.HEAD)),
          metricRelabelings: relabelingsFor(ServiceMonitorSpecEndpointsMetricRelabelingsAction, metricRelabelings),
        })),
      },
    });
    new PodMonitor(this, 'worker-monitor', {
      metadata: { name: this.workerMonitorName, namespace, labels },
      spec: {
        namespaceSelector,
        selector: {
          matchLabels: { [RAY_NODE_TYPE_LABEL]: RAY_NODE_TYPES.WORKER },
          matchExpressions: [{ key: RAY_CLUSTER_LABEL, operator: 'Exists' }],
        },
        podMetricsEndpoints: [
          {
            port: RAY_METRICS_PORT_NAME,
            path: '/metrics',
            interval,
            relabelings: relabelingsFor(PodMonitorSpecPodMetricsEndpointsRelabelingsAction, rayTargetRelabelings(RAY_JOBS.WORKERS)),
            metricRelabelings: relabelingsFor(PodMonitorSpecPodMetricsEndpointsMetricRelabelingsAction, metricRelabelings),
          },
        ],
      },
    });
    this.ruleGroups = props.alerts === false ? [] : rayRuleGroups(props.alerts ?? {});
    if (this.ruleGroups.length > 0) {
      this.ruleName = RAY_RULES_NAME;
      addPrometheusRule(this, 'rules', { name: RAY_RULES_NAME, namespace, prometheus: props.prometheus, groups: this.ruleGroups });
    }
  }
}

/**
 * Target relabelings of both monitors: the RayCluster, node type and worker group from the pod labels, the node,
 * and a stable `job` (a ServiceMonitor's default job is the Service name, different for every RayCluster).
 */
function rayTargetRelabelings(job: string): RelabelConfig[] {
  return [
    podLabelRelabeling(RAY_CLUSTER_LABEL, RAY_PROMETHEUS_LABELS.CLUSTER),
    podLabelRelabeling(RAY_NODE_TYPE_LABEL, RAY_PROMETHEUS_LABELS.NODE_TYPE),
    podLabelRelabeling(RAY_GROUP_LABEL, RAY_PROMETHEUS_LABELS.GROUP),
    nodeNameRelabeling(),
    { action: 'replace', targetLabel: 'job', replacement: job },
  ];
}

/** Metric relabelings of both monitors: vLLM names back (unless turned off), unread histogram buckets and counter gauge twins dropped. */
function rayMetricRelabelings(props: RayEndpointsProps): RelabelConfig[] {
  return [
    ...((props.normalizeVllmMetricNames ?? RAY_ENDPOINTS_DEFAULTS.normalizeVllmMetricNames)
      ? [{ action: 'replace' as const, sourceLabels: ['__name__'], regex: RAY_VLLM_NAME_REGEX, targetLabel: '__name__', replacement: 'vllm:$1' }]
      : []),
    ...((props.dropUnreadHistogramBuckets ?? RAY_ENDPOINTS_DEFAULTS.dropUnreadHistogramBuckets) ? [dropHistogramBuckets(RAY_UNREAD_HISTOGRAMS)] : []),
    ...((props.dropCounterGaugeTwins ?? RAY_ENDPOINTS_DEFAULTS.dropCounterGaugeTwins) ? [dropMetricNames(RAY_COUNTER_GAUGE_TWINS)] : []),
  ];
}

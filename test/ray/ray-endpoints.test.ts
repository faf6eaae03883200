import { describe, expect, it } from 'vitest';
import { bucket, count, sum } from '../../src/core/metric-names.js';
import { RAY_GCS_METRICS, RAY_SERVE_COUNTERS, RAY_SERVE_METRICS } from '../../src/ray/ray-metrics.js';
import { VLLM_COUNTERS, VLLM_LEGACY_METRICS, VLLM_METRICS } from '../../src/vllm/vllm-metrics.js';
import {
  RAY_AUTOSCALER_METRICS_PORT_NAME,
  RAY_CLUSTER_LABEL,
  RAY_DASHBOARD_METRICS_PORT_NAME,
  RAY_HEAD_METRICS_PORTS,
  RAY_JOBS,
  RAY_METRICS_PORT,
  RAY_METRICS_PORT_NAME,
  RAY_NODE_TYPE_LABEL,
  RAY_PROMETHEUS_LABELS,
  RAY_UNREAD_HISTOGRAMS,
} from '../../src/ray/ray-endpoints.js';
import { RAY_RECORDS } from '../../src/ray/ray-records.js';
import { metricNames } from '../support/promql.js';
import { ofKind, one, synthStack } from '../support/synth.js';

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

/** Kubernetes label-selector semantics (matchLabels AND matchExpressions). */
function selects(selector: Selector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpr = (selector.matchExpressions ?? []).every((e) => {
    switch (e.operator) {
      case 'Exists': return e.key in labels;
      case 'DoesNotExist': return !(e.key in labels);
      case 'In': return e.values!.includes(labels[e.key]!);
      case 'NotIn': return !e.values!.includes(labels[e.key]!);
      default: throw new Error(e.operator);
    }
  });
  return byLabel && byExpr;
}

/** Applies Prometheus target relabelings of kind `replace` to a set of discovered labels. */
function relabel(configs: any[], discovered: Record<string, string>): Record<string, string> {
  const labels = { ...discovered };
  for (const c of configs) {
    if ((c.action ?? 'replace') !== 'replace') continue;
    const value = (c.sourceLabels ?? []).map((l: string) => labels[l] ?? '').join(c.separator ?? ';');
    const match = new RegExp(`^(?:${c.regex ?? '(.*)'})$`).exec(value);
    if (!match) continue;
    const replacement = (c.replacement ?? '$1').replace(/\$(\d+)/g, (_: string, i: string) => match[Number(i)] ?? '');
    if (replacement === '') delete labels[c.targetLabel];
    else labels[c.targetLabel] = replacement;
  }
  return labels;
}

// A KubeRay 1.7 head Service of RayCluster "llama" (labels from ray-operator common/service.go HeadServiceLabels),
// the extra head Service a RayService "llama-svc" creates, and the pods' meta labels as Prometheus discovers them.
const RAYCLUSTER_HEAD_SERVICE = { 'ray.io/cluster': 'llama', 'ray.io/node-type': 'head', 'ray.io/identifier': 'llama-head', 'app.kubernetes.io/name': 'kuberay', 'app.kubernetes.io/created-by': 'kuberay-operator' };
const RAYSERVICE_HEAD_SERVICE = { 'ray.io/originated-from-cr-name': 'llama-svc', 'ray.io/originated-from-crd': 'RayService', 'ray.io/node-type': 'head', 'ray.io/identifier': 'llama-svc-head' };
const WORKER_POD = { 'ray.io/cluster': 'llama', 'ray.io/node-type': 'worker', 'ray.io/group': 'gpu-group', 'ray.io/is-ray-node': 'yes' };

describe('RayEndpoints', () => {
  const { objects } = synthStack();
  const head = one(objects, 'ServiceMonitor', RAY_JOBS.HEAD);
  const workers = one(objects, 'PodMonitor', RAY_JOBS.WORKERS);

  it('both monitors carry the Prometheus selector labels and look in every namespace', () => {
    for (const m of [head, workers]) {
      expect(m.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
      expect(m.spec.namespaceSelector).toEqual({ any: true });
    }
  });

  it('the head ServiceMonitor selects the RayCluster head Service, not the duplicate RayService head Service', () => {
    expect(selects(head.spec.selector, RAYCLUSTER_HEAD_SERVICE)).toBe(true);
    expect(selects(head.spec.selector, RAYSERVICE_HEAD_SERVICE)).toBe(false);
    expect(selects(head.spec.selector, WORKER_POD)).toBe(false);
  });

  it('the worker PodMonitor selects Ray worker pods only', () => {
    expect(selects(workers.spec.selector, WORKER_POD)).toBe(true);
    expect(selects(workers.spec.selector, { ...WORKER_POD, 'ray.io/node-type': 'head' })).toBe(false);
  });

  it('scrapes the metrics, autoscaler and dashboard metrics ports of the head, and the metrics port of workers', () => {
    expect(head.spec.endpoints.map((e: any) => e.port)).toEqual([RAY_METRICS_PORT_NAME, RAY_AUTOSCALER_METRICS_PORT_NAME, RAY_DASHBOARD_METRICS_PORT_NAME]);
    expect(RAY_HEAD_METRICS_PORTS.map((p) => p.containerPort)).toEqual([8080, 44217, 44227]);
    expect(RAY_METRICS_PORT).toBe(8080);
    expect(workers.spec.podMetricsEndpoints.map((e: any) => e.port)).toEqual([RAY_METRICS_PORT_NAME]);
  });

  it('attaches ray_io_cluster, node type, group and node to every target so GPU metrics join with Ray jobs', () => {
    const discovered = {
      __meta_kubernetes_pod_label_ray_io_cluster: 'llama',
      __meta_kubernetes_pod_label_ray_io_node_type: 'worker',
      __meta_kubernetes_pod_label_ray_io_group: 'gpu-group',
      __meta_kubernetes_pod_node_name: 'gpu-node-7',
    };
    for (const endpoint of [...head.spec.endpoints, ...workers.spec.podMetricsEndpoints]) {
      const labels = relabel(endpoint.relabelings, discovered);
      expect(labels).toMatchObject({
        [RAY_PROMETHEUS_LABELS.CLUSTER]: 'llama',
        [RAY_PROMETHEUS_LABELS.NODE_TYPE]: 'worker',
        [RAY_PROMETHEUS_LABELS.GROUP]: 'gpu-group',
        [RAY_PROMETHEUS_LABELS.NODE]: 'gpu-node-7',
      });
    }
    expect(relabel(head.spec.endpoints[0].relabelings, discovered).job).toBe('ray-head');
    expect(relabel(workers.spec.podMetricsEndpoints[0].relabelings, discovered).job).toBe('ray-workers');
    // the meta label the relabeling reads is the one Prometheus derives from the KubeRay pod label
    expect(JSON.stringify(head.spec.endpoints[0].relabelings)).toContain(`__meta_kubernetes_pod_label_${RAY_CLUSTER_LABEL.replace(/[./]/g, '_')}`);
    expect(RAY_NODE_TYPE_LABEL).toBe('ray.io/node-type');
  });

  it('renames the vLLM metrics Ray Serve LLM re-exports (ray_vllm_*, older ray_vllm:*) to vLLM names', () => {
    const [rename] = workers.spec.podMetricsEndpoints[0].metricRelabelings;
    const renamed = relabel([rename], { __name__: 'ray_vllm_num_requests_waiting' }).__name__;
    expect(renamed).toBe(VLLM_METRICS.NUM_REQUESTS_WAITING);
    // older vLLM under Ray kept the colon: ray_vllm:num_requests_waiting
    expect(relabel([rename], { __name__: 'ray_vllm:num_requests_waiting' }).__name__).toBe(VLLM_METRICS.NUM_REQUESTS_WAITING);
    expect(relabel([rename], { __name__: 'ray_node_cpu_count' }).__name__).toBe('ray_node_cpu_count');
    const { objects: kept } = synthStack({ rayEndpoints: { normalizeVllmMetricNames: false } });
    const relabelings = one(kept, 'PodMonitor', RAY_JOBS.WORKERS).spec.podMetricsEndpoints[0].metricRelabelings ?? [];
    expect(relabelings.filter((r: any) => r.action === 'replace')).toEqual([]);
  });

  describe('drops the buckets of the histograms nothing reads', () => {
    /** Does a `drop` metric relabeling (fully anchored RE2 regex on __name__) drop a series of this name? */
    const drops = (config: any, name: string) => new RegExp(`^(?:${config.regex})$`).test(name);
    const dropOf = (endpoint: any) => (endpoint.metricRelabelings ?? []).find((r: any) => r.action === 'drop' && String(r.regex).includes('_bucket'));

    /** Every metric name a dashboard query, a dashboard variable or a rule of the synthesized stack reads. */
    function namesReadByTheStack(): Set<string> {
      const read = new Set<string>();
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if ((key === 'expr' || key === 'query') && typeof value === 'string') for (const n of metricNames(value.replace(/^(label_values|query_result)\((.*)\)$/s, '$2').replace(/,\s*\w+\s*$/, ''), { grafana: true })) read.add(n);
            else walk(value);
          }
        }
      };
      for (const cm of ofKind(objects, 'ConfigMap')) for (const [key, text] of Object.entries<string>(cm.data ?? {})) if (key.endsWith('.json')) walk(JSON.parse(text));
      for (const rule of ofKind(objects, 'PrometheusRule')) for (const g of rule.spec.groups) for (const r of g.rules) for (const n of metricNames(String(r.expr))) read.add(n);
      return read;
    }

    it('after the rename, on head and workers, and nothing a dashboard, rule or alert reads', () => {
      const read = namesReadByTheStack();
      expect(read.size).toBeGreaterThan(50);
      expect(read).toContain(bucket(VLLM_METRICS.TIME_TO_FIRST_TOKEN_SECONDS)); // the walk finds the histograms panels read
      for (const endpoint of [...head.spec.endpoints, ...workers.spec.podMetricsEndpoints]) {
        const relabelings = endpoint.metricRelabelings;
        expect(relabelings.map((r: any) => r.action)).toEqual(['replace', 'drop', 'drop']); // rename first: the drops see vLLM names
        expect([...read].filter((n) => drops(relabelings[1], n) || drops(relabelings[2], n))).toEqual([]);
      }
    });

    it('drops every bucket series of the listed histograms, in vLLM and Ray export names, and keeps _sum and _count', () => {
      const drop = dropOf(workers.spec.podMetricsEndpoints[0]);
      for (const h of RAY_UNREAD_HISTOGRAMS) {
        expect(drops(drop, bucket(h)), bucket(h)).toBe(true);
        expect(drops(drop, sum(h)), sum(h)).toBe(false);
        expect(drops(drop, count(h)), count(h)).toBe(false);
      }
      expect(drops(drop, 'ray_vllm_request_inference_time_seconds_bucket')).toBe(true);
      expect(drops(drop, bucket(VLLM_METRICS.REQUEST_INFERENCE_TIME_SECONDS))).toBe(true);
      expect(drops(drop, bucket(RAY_SERVE_METRICS.DEPLOYMENT_PROCESSING_LATENCY_MS))).toBe(true);
      // kept: what the inference dashboard and the vLLM / Ray rules read, and Ray Serve's HTTP latency
      for (const kept of [
        bucket(VLLM_METRICS.TIME_TO_FIRST_TOKEN_SECONDS),
        bucket(VLLM_METRICS.INTER_TOKEN_LATENCY_SECONDS),
        bucket(VLLM_LEGACY_METRICS.INTER_TOKEN_LATENCY_SECONDS),
        bucket(VLLM_METRICS.E2E_REQUEST_LATENCY_SECONDS),
        bucket(VLLM_METRICS.REQUEST_QUEUE_TIME_SECONDS),
        bucket(VLLM_METRICS.REQUEST_PROMPT_TOKENS),
        bucket(VLLM_METRICS.REQUEST_PREFILL_TIME_SECONDS),
        bucket(VLLM_METRICS.REQUEST_DECODE_TIME_SECONDS),
        'ray_vllm_time_to_first_token_seconds_bucket',
        bucket(RAY_SERVE_METRICS.HTTP_REQUEST_LATENCY_MS),
        bucket(RAY_GCS_METRICS.STORAGE_OPERATION_LATENCY_MS),
      ]) {
        expect(drops(drop, kept), kept).toBe(false);
      }
    });

    it('can be turned off, and works without the rename', () => {
      const endpointWith = (rayEndpoints: object) => one(synthStack({ rayEndpoints }).objects, 'PodMonitor', RAY_JOBS.WORKERS).spec.podMetricsEndpoints[0];
      expect(dropOf(endpointWith({ dropUnreadHistogramBuckets: false }))).toBeUndefined();
      expect(endpointWith({ dropUnreadHistogramBuckets: false, dropCounterGaugeTwins: false, normalizeVllmMetricNames: false }).metricRelabelings ?? []).toEqual([]);
      const withoutRename = endpointWith({ normalizeVllmMetricNames: false });
      expect(drops(dropOf(withoutRename), 'ray_vllm_request_inference_time_seconds_bucket')).toBe(true);
      expect(drops(dropOf(withoutRename), 'ray_vllm:request_inference_time_seconds_bucket')).toBe(true);
    });
  });

  describe("drops the counters' deprecated gauge twins (issue 10 item 6)", () => {
    const drops = (config: any, name: string) => new RegExp(`^(?:${config.regex})$`).test(name);
    const twinsDrop = (endpoint: any) => (endpoint.metricRelabelings ?? []).find((r: any) => r.action === 'drop' && !String(r.regex).includes('_bucket'));

    it('drops <name> next to <name>_total for every Serve and vLLM counter, in every naming, and keeps the counters and gauges', () => {
      for (const endpoint of [...head.spec.endpoints, ...workers.spec.podMetricsEndpoints]) {
        const drop = twinsDrop(endpoint);
        expect(drop).toBeDefined();
        for (const c of [...RAY_SERVE_COUNTERS, ...VLLM_COUNTERS]) {
          expect(drops(drop, c), c).toBe(false);
          expect(drops(drop, c.replace(/_total$/, '')), c).toBe(true);
        }
        for (const twin of ['ray_vllm_prompt_tokens', 'ray_vllm:prompt_tokens', 'vllm:request_success', 'ray_serve_num_http_requests']) expect(drops(drop, twin), twin).toBe(true);
        // gauges, histograms and what is not a counter stay
        for (const kept of [VLLM_METRICS.NUM_REQUESTS_RUNNING, VLLM_METRICS.KV_CACHE_USAGE_PERC, bucket(VLLM_METRICS.ITERATION_TOKENS), VLLM_METRICS.ITERATION_TOKENS, RAY_SERVE_METRICS.DEPLOYMENT_REPLICA_HEALTHY, 'ray_tasks', 'ray_memory_manager_worker_eviction_total']) {
          expect(drops(drop, kept), kept).toBe(false);
        }
      }
    });

    it('can be turned off', () => {
      const { objects: kept } = synthStack({ rayEndpoints: { dropCounterGaugeTwins: false } });
      expect(twinsDrop(one(kept, 'PodMonitor', RAY_JOBS.WORKERS).spec.podMetricsEndpoints[0])).toBeUndefined();
    });
  });

  it('ships the Ray recording rules and alerts, and no rule on the GCS histogram current Ray does not export', () => {
    const rule = one(objects, 'PrometheusRule', 'ray-rules');
    const rules = rule.spec.groups.flatMap((g: any) => g.rules);
    expect(rules.map((r: any) => r.record ?? r.alert)).toEqual(
      expect.arrayContaining([RAY_RECORDS.SERVE_HTTP_5XX_RATIO, 'RayMetricsMissing', 'RayOomKills', 'RayServeHttp5xx', 'RayServeReplicaUnhealthy']),
    );
    // issue 10 item 8: ray_gcs_update_resource_usage_time is not exported by the Ray versions we follow
    expect(JSON.stringify(rules)).not.toContain('ray_gcs_update_resource_usage_time');
    expect(rule.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
  });

  it('can be limited to some namespaces, and turned off', () => {
    const { objects: some } = synthStack({ rayEndpoints: { rayNamespaces: ['ml', 'serving'] } });
    expect(one(some, 'PodMonitor', RAY_JOBS.WORKERS).spec.namespaceSelector).toEqual({ matchNames: ['ml', 'serving'] });
    const { objects: none } = synthStack({ rayEndpoints: { enabled: false } });
    expect([...ofKind(none, 'ServiceMonitor', RAY_JOBS.HEAD), ...ofKind(none, 'PodMonitor', RAY_JOBS.WORKERS), ...ofKind(none, 'PrometheusRule', 'ray-rules')]).toEqual([]);
  });
});

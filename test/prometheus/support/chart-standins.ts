/**
 * Stand-ins for what the upstream charts render at install time and the library therefore never synthesizes
 * (test code; there is no helm here to render the charts):
 *
 * - the ServiceMonitors of kube-prometheus-stack's node-exporter, kube-state-metrics and kubelet, and of the
 *   OpenCost chart, written as their chart templates render them from the chart's default values
 *   (test/upstream/helm-values) merged with the values the library sets (read from the synthesized HelmReleases);
 *   the kubelet monitor is written with plain HTTP and no bearer token, since the fixture's kubelet serves HTTP
 *   (TLS and auth do not change labels);
 * - the kube-prometheus-stack default recording rules our dashboards read (groups node-exporter.rules and
 *   k8s.rules.container_*), when the library leaves `defaultRules.create` on. Their expressions follow the
 *   record definitions in the metric catalog, test/upstream/metrics/catalog.json (kube-prometheus-recording-rules).
 *
 * Everything the library itself synthesizes (dcgm-exporter and Ray monitors, our PrometheusRules) is used as
 * synthesized, never re-written here.
 */
import { deepMerge, isPlainObject, type JsonObject } from '../../../src/core/deep-merge.js';
import { defaultValues } from '../../support/helm-values.js';
import type { MonitorObject } from './monitor-translator.js';
import type { PrometheusRuleObject } from './rule-files.js';

/** What the stand-ins need from the synthesized stack. */
export interface ChartContext {
  /** Namespace of the chart releases. */
  readonly namespace: string;
  readonly kubePrometheusStack?: { readonly release: string; readonly values: JsonObject };
  readonly openCost?: { readonly release: string; readonly fullname: string; readonly values: JsonObject };
}

function get(values: JsonObject, path: string): unknown {
  let cur: unknown = values;
  for (const key of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function nonEmpty(value: unknown): unknown[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value : undefined;
}

/** ServiceMonitors the charts render (kube-prometheus-stack exporters, OpenCost). */
export function chartMonitors(ctx: ChartContext): MonitorObject[] {
  const monitors: MonitorObject[] = [];
  const kps = ctx.kubePrometheusStack;
  if (kps) {
    const values = deepMerge(defaultValues('kube-prometheus-stack'), kps.values);
    const rel = kps.release;
    const selectLabels = { release: rel };
    if (get(values, 'nodeExporter.enabled') !== false && get(values, 'prometheus-node-exporter.prometheus.monitor.enabled') !== false) {
      const monitor = (get(values, 'prometheus-node-exporter.prometheus.monitor') ?? {}) as JsonObject;
      monitors.push({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        // prometheus-node-exporter's monitor-namespace helper: prometheus.monitor.namespace, else namespaceOverride,
        // else the release namespace (chart 4.56.1 templates/_helpers.tpl); the monitor selects its own namespace.
        metadata: {
          name: `${rel}-prometheus-node-exporter`,
          namespace: ((monitor.namespace as string) || (get(values, 'prometheus-node-exporter.namespaceOverride') as string) || ctx.namespace),
          labels: selectLabels,
        },
        spec: {
          jobLabel: (monitor.jobLabel as string) || 'app.kubernetes.io/name',
          selector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus-node-exporter', 'app.kubernetes.io/instance': rel } },
          endpoints: [
            {
              port: (get(values, 'prometheus-node-exporter.service.portName') as string) ?? 'http-metrics',
              scheme: 'http',
              ...(monitor.interval ? { interval: monitor.interval } : {}),
              ...(nonEmpty(monitor.relabelings) ? { relabelings: monitor.relabelings } : {}),
              ...(nonEmpty(monitor.metricRelabelings) ? { metricRelabelings: monitor.metricRelabelings } : {}),
            },
          ],
        },
      });
    }
    if (get(values, 'kubeStateMetrics.enabled') !== false && get(values, 'kube-state-metrics.prometheus.monitor.enabled') !== false) {
      const monitor = (get(values, 'kube-state-metrics.prometheus.monitor') ?? {}) as JsonObject;
      const http = (monitor.http ?? {}) as JsonObject;
      monitors.push({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: `${rel}-kube-state-metrics`, namespace: ctx.namespace, labels: selectLabels },
        spec: {
          jobLabel: (monitor.jobLabel as string) || 'app.kubernetes.io/name',
          selector: { matchLabels: { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': rel } },
          endpoints: [
            {
              port: 'http',
              ...(http.honorLabels ? { honorLabels: true } : {}),
              ...(nonEmpty(http.relabelings) ? { relabelings: http.relabelings } : {}),
              ...(nonEmpty(http.metricRelabelings) ? { metricRelabelings: http.metricRelabelings } : {}),
            },
          ],
        },
      });
    }
    const kubelet = (get(values, 'kubelet.serviceMonitor') ?? {}) as JsonObject;
    if (get(values, 'kubelet.enabled') !== false && kubelet.enabled !== false) {
      const common = { port: 'https-metrics', honorLabels: kubelet.honorLabels ?? true, honorTimestamps: kubelet.honorTimestamps ?? true };
      const endpoints: JsonObject[] = [];
      if (kubelet.kubelet !== false) endpoints.push({ ...common, relabelings: kubelet.relabelings, metricRelabelings: kubelet.metricRelabelings });
      if (kubelet.cAdvisor !== false) {
        endpoints.push({ ...common, path: '/metrics/cadvisor', ...(kubelet.cAdvisorInterval ? { interval: kubelet.cAdvisorInterval } : {}), relabelings: kubelet.cAdvisorRelabelings, metricRelabelings: kubelet.cAdvisorMetricRelabelings });
      }
      if (kubelet.probes !== false) endpoints.push({ ...common, path: '/metrics/probes', relabelings: kubelet.probesRelabelings, metricRelabelings: kubelet.probesMetricRelabelings });
      monitors.push({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: `${rel}-kubelet`, namespace: (get(values, 'kubelet.namespace') as string) ?? 'kube-system', labels: selectLabels },
        spec: {
          jobLabel: 'k8s-app',
          namespaceSelector: { matchNames: [(get(values, 'kubelet.namespace') as string) ?? 'kube-system'] },
          selector: { matchLabels: { 'app.kubernetes.io/name': 'kubelet', 'k8s-app': 'kubelet' } },
          endpoints: endpoints.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)))),
        },
      });
    }
  }
  const oc = ctx.openCost;
  if (oc) {
    const values = deepMerge(defaultValues('opencost'), oc.values);
    const sm = (get(values, 'opencost.metrics.serviceMonitor') ?? {}) as JsonObject;
    if (sm.enabled) {
      monitors.push({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: oc.fullname, namespace: (sm.namespace as string) || ctx.namespace, labels: (sm.additionalLabels ?? {}) as Record<string, string> },
        spec: {
          endpoints: [
            {
              port: 'http',
              scheme: (sm.scheme as string) ?? 'http',
              path: '/metrics',
              interval: sm.scrapeInterval,
              ...(sm.scrapeTimeout ? { scrapeTimeout: sm.scrapeTimeout } : {}),
              ...(sm.honorLabels ? { honorLabels: true } : {}),
              ...(nonEmpty(sm.relabelings) ? { relabelings: sm.relabelings } : {}),
              ...(nonEmpty(sm.metricRelabelings) ? { metricRelabelings: sm.metricRelabelings } : {}),
            },
          ],
          selector: { matchLabels: { 'app.kubernetes.io/name': 'opencost', 'app.kubernetes.io/instance': oc.release } },
          namespaceSelector: { matchNames: [ctx.namespace] },
        },
      });
    }
  }
  return monitors;
}

const NODE = 'job="node-exporter"';
const DISKS = 'device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"';
const CADVISOR = 'job="kubelet", metrics_path="/metrics/cadvisor", image!=""';
const POD_NODE = 'topk by (cluster, namespace, pod) (1, max by (cluster, namespace, pod, node) (kube_pod_info{node!=""}))';

/** The kube-prometheus-stack default recording rules the dashboards read, if the library keeps them on. */
export function chartRecordingRules(ctx: ChartContext): PrometheusRuleObject[] {
  const kps = ctx.kubePrometheusStack;
  if (!kps) return [];
  const values = deepMerge(defaultValues('kube-prometheus-stack'), kps.values);
  if (get(values, 'defaultRules.create') === false) return [];
  const on = (key: string) => get(values, `defaultRules.rules.${key}`) !== false;
  const groups: { name: string; rules: { record: string; expr: string }[] }[] = [];
  if (on('nodeExporterRecording')) {
    groups.push({
      name: 'node-exporter.rules',
      rules: [
        { record: 'instance:node_num_cpu:sum', expr: `count without (cpu, mode) (node_cpu_seconds_total{${NODE},mode="idle"})` },
        { record: 'instance:node_cpu_utilisation:rate5m', expr: `1 - avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{${NODE}, mode=~"idle|iowait|steal"}[5m])))` },
        { record: 'instance:node_load1_per_cpu:ratio', expr: `(node_load1{${NODE}} / instance:node_num_cpu:sum{${NODE}})` },
        {
          record: 'instance:node_memory_utilisation:ratio',
          expr: `1 - ((node_memory_MemAvailable_bytes{${NODE}} or (node_memory_Buffers_bytes{${NODE}} + node_memory_Cached_bytes{${NODE}} + node_memory_MemFree_bytes{${NODE}} + node_memory_Slab_bytes{${NODE}})) / node_memory_MemTotal_bytes{${NODE}})`,
        },
        { record: 'instance:node_vmstat_pgmajfault:rate5m', expr: `rate(node_vmstat_pgmajfault{${NODE}}[5m])` },
        { record: 'instance_device:node_disk_io_time_seconds:rate5m', expr: `rate(node_disk_io_time_seconds_total{${NODE}, ${DISKS}}[5m])` },
        { record: 'instance_device:node_disk_io_time_weighted_seconds:rate5m', expr: `rate(node_disk_io_time_weighted_seconds_total{${NODE}, ${DISKS}}[5m])` },
        { record: 'instance:node_network_receive_bytes_excluding_lo:rate5m', expr: `sum without (device) (rate(node_network_receive_bytes_total{${NODE}, device!="lo"}[5m]))` },
        { record: 'instance:node_network_transmit_bytes_excluding_lo:rate5m', expr: `sum without (device) (rate(node_network_transmit_bytes_total{${NODE}, device!="lo"}[5m]))` },
        { record: 'instance:node_network_receive_drop_excluding_lo:rate5m', expr: `sum without (device) (rate(node_network_receive_drop_total{${NODE}, device!="lo"}[5m]))` },
        { record: 'instance:node_network_transmit_drop_excluding_lo:rate5m', expr: `sum without (device) (rate(node_network_transmit_drop_total{${NODE}, device!="lo"}[5m]))` },
      ],
    });
  }
  const k8s: { record: string; expr: string }[] = [];
  if (on('k8sContainerCpuUsageSecondsTotal')) {
    k8s.push({
      record: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m',
      expr: `sum by (cluster, namespace, pod, container) (rate(container_cpu_usage_seconds_total{${CADVISOR}}[5m])) * on (cluster, namespace, pod) group_left (node) ${POD_NODE}`,
    });
  }
  if (on('k8sContainerMemoryWorkingSetBytes')) {
    k8s.push({ record: 'node_namespace_pod_container:container_memory_working_set_bytes', expr: `container_memory_working_set_bytes{${CADVISOR}} * on (cluster, namespace, pod) group_left (node) ${POD_NODE}` });
  }
  if (on('k8sContainerMemoryRss')) {
    k8s.push({ record: 'node_namespace_pod_container:container_memory_rss', expr: `container_memory_rss{${CADVISOR}} * on (cluster, namespace, pod) group_left (node) ${POD_NODE}` });
  }
  if (k8s.length > 0) groups.push({ name: 'k8s.rules.container', rules: k8s });
  return [{ kind: 'PrometheusRule', metadata: { name: `${kps.release}-default-records-standin`, namespace: ctx.namespace }, spec: { groups } }];
}

/**
 * The synthesized stack, read the way the cluster would read it (test code): which monitors and
 * PrometheusRules the stack's Prometheus selects (by the selector labels in the kube-prometheus-stack values the
 * library sets), which dashboards Grafana's sidecar loads (ConfigMaps carrying the sidecar label), the names the
 * upstream charts will give their objects, the dcgm-exporter counters CSV in use and kube-state-metrics' pod
 * label allowlist.
 */
import { deepMerge, isPlainObject, type JsonObject } from '../../../src/core/deep-merge.js';
import { defaultValues } from '../../support/helm-values.js';
import { synthStack, type K8sObject, type StackProps } from '../../support/synth.js';
import { upstreamMetricsText } from '../../support/upstream.js';
import { fullname, parseDcgmCsv, type DcgmField, type SystemNames } from '../fixture/cluster.js';
import { chartMonitors, chartRecordingRules, type ChartContext } from './chart-standins.js';
import type { DashboardJson } from './grafana.js';
import type { MonitorObject } from './monitor-translator.js';
import type { PrometheusRuleObject } from './rule-files.js';

/** A dashboard as Grafana's sidecar would load it. */
export interface LoadedDashboard {
  readonly configMap: string;
  readonly key: string;
  readonly json: DashboardJson;
}

export interface SynthesizedStack {
  readonly objects: readonly K8sObject[];
  readonly namespace: string;
  /** Monitors the library synthesizes that the stack's Prometheus selects. */
  readonly monitors: MonitorObject[];
  /** Monitors the library synthesizes that the Prometheus does NOT select (wrong labels): a bug if any. */
  readonly unselectedMonitors: MonitorObject[];
  /** Stand-ins for the monitors the charts render (see chart-standins.ts). */
  readonly chartMonitors: MonitorObject[];
  /** PrometheusRules the library synthesizes that the Prometheus selects. */
  readonly rules: PrometheusRuleObject[];
  readonly unselectedRules: PrometheusRuleObject[];
  /** Stand-ins for the chart's default recording rules our dashboards read. */
  readonly chartRules: PrometheusRuleObject[];
  readonly dashboards: LoadedDashboard[];
  readonly names: SystemNames;
  readonly ksmPodLabelAllowlist: string[];
  readonly dcgmFields: DcgmField[];
  /** Where the dcgm fields came from (ConfigMap or shipped CSV). */
  readonly dcgmFieldsSource: string;
  /** The Grafana Prometheus datasource uid dashboards default to. */
  readonly prometheusDatasourceUid: string;
  /** kube-prometheus-stack's `prometheus.prometheusSpec` (chart defaults with our values over them). */
  readonly prometheusSpec: JsonObject;
}

function helmRelease(objects: readonly K8sObject[], chart: string): { release: string; values: JsonObject } | undefined {
  const hr = objects.find((o) => o.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart === chart);
  return hr ? { release: hr.spec.releaseName ?? hr.metadata.name, values: (hr.spec.values ?? {}) as JsonObject } : undefined;
}

function get(values: JsonObject, path: string): unknown {
  let cur: unknown = values;
  for (const key of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function matchesSelector(labels: Readonly<Record<string, string>> | undefined, selector: unknown): boolean {
  if (!isPlainObject(selector)) return true; // an empty selector selects everything
  const matchLabels = (selector.matchLabels ?? {}) as Record<string, string>;
  return Object.entries(matchLabels).every(([k, v]) => labels?.[k] === v);
}

/** Parses kube-state-metrics' `--metric-labels-allowlist` entries for pods, e.g. `pods=[ray.io/cluster,app]`. */
export function podLabelAllowlist(entries: unknown): string[] {
  const out: string[] = [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    const m = /^pods=\[(.*)\]$/.exec(String(entry).trim());
    if (m) out.push(...m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  }
  return out;
}

/** The dcgm-exporter counters CSV the deployed exporter reads, and where it comes from. */
function dcgmCounters(objects: readonly K8sObject[], values: JsonObject | undefined): { fields: DcgmField[]; source: string } {
  const shipped = (file: string) => ({ fields: parseDcgmCsv(upstreamMetricsText(file)), source: `test/upstream/metrics/${file}` });
  const args = (values?.arguments ?? []) as string[];
  const path = args[args.indexOf('-f') + 1];
  if (!values || !path) return shipped('dcgm-exporter-4.8.2.default-counters.csv');
  if (path.endsWith('/default-counters.csv')) return shipped('dcgm-exporter-4.8.2.default-counters.csv');
  if (path.endsWith('/dcp-metrics-included.csv')) return shipped('dcgm-exporter-4.8.2.dcp-metrics-included.csv');
  const mount = ((values.extraVolumeMounts ?? []) as { name: string; mountPath: string; subPath?: string }[]).find((m) => m.mountPath === path);
  const volume = ((values.extraConfigMapVolumes ?? []) as { name: string; configMap?: { name: string; items?: { key: string; path: string }[] } }[]).find((v) => v.name === mount?.name);
  if (!mount || !volume?.configMap) throw new Error(`dcgm-exporter reads ${path}, which is neither a shipped CSV nor a mounted ConfigMap`);
  const item = volume.configMap.items?.find((i) => i.path === (mount.subPath ?? i.path));
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap!.name);
  const text = cm?.data?.[item?.key ?? Object.keys(cm?.data ?? {})[0] ?? ''];
  if (typeof text !== 'string') throw new Error(`dcgm-exporter counters ConfigMap ${volume.configMap.name} not found in the synthesized objects`);
  return { fields: parseDcgmCsv(text), source: `ConfigMap ${volume.configMap.name}` };
}

/**
 * What the proof synthesizes by default: everything on, including AWS neuron-monitor (off by default in the
 * library: it only runs on Inferentia / Trainium nodes, which the fixture's cluster has).
 */
export const PROOF_STACK_PROPS: StackProps = { gpuExporters: { neuron: { enabled: true } } };

/** The neuron-monitor DaemonSet the library deploys, as the fixture needs it (pod labels, metrics port). */
function neuronMonitorOf(objects: readonly K8sObject[]): SystemNames['neuronMonitor'] {
  const ds = objects.find((o) => o.kind === 'DaemonSet' && o.spec?.template?.spec?.containers?.some((c: { name: string }) => c.name === 'neuron-monitor'));
  if (!ds) return undefined;
  const port = (ds.spec.template.spec.containers[0].ports ?? [])[0] as { name: string; containerPort: number };
  return { name: ds.metadata.name, namespace: ds.metadata.namespace!, podLabels: ds.spec.template.metadata.labels, portName: port.name, port: port.containerPort };
}

/** Synthesizes the stack (flux delivery, everything on unless `props` says otherwise) and reads it. */
export function synthesizeStack(props: StackProps = PROOF_STACK_PROPS): SynthesizedStack {
  const { chart, objects } = synthStack(props);
  const namespace = chart.stackNamespace;
  const kps = helmRelease(objects, 'kube-prometheus-stack');
  const kpsValues = kps ? deepMerge(defaultValues('kube-prometheus-stack'), kps.values) : {};
  const spec = (get(kpsValues, 'prometheus.prometheusSpec') ?? {}) as JsonObject;

  const monitorsAll = objects.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor') as unknown as MonitorObject[];
  const selected = (m: MonitorObject) => matchesSelector(m.metadata.labels, m.kind === 'ServiceMonitor' ? spec.serviceMonitorSelector : spec.podMonitorSelector);
  const rulesAll = objects.filter((o) => o.kind === 'PrometheusRule') as unknown as (PrometheusRuleObject & { metadata: { labels?: Record<string, string> } })[];

  const sidecar = (get(kpsValues, 'grafana.sidecar.dashboards') ?? {}) as JsonObject;
  const label = (sidecar.label as string) ?? 'grafana_dashboard';
  const labelValue = sidecar.labelValue as string | undefined;
  const dashboards: LoadedDashboard[] = [];
  for (const o of objects) {
    if (o.kind !== 'ConfigMap' || !(label in (o.metadata.labels ?? {}))) continue;
    if (labelValue !== undefined && labelValue !== null && o.metadata.labels![label] !== labelValue) continue;
    for (const [key, text] of Object.entries((o.data ?? {}) as Record<string, string>)) {
      if (key.endsWith('.json')) dashboards.push({ configMap: o.metadata.name, key, json: JSON.parse(text) as DashboardJson });
    }
  }

  const dcgm = helmRelease(objects, 'dcgm-exporter');
  const openCost = helmRelease(objects, 'opencost');
  const fluentBit = objects.find((o) => o.kind === 'FluentBit');
  const names: SystemNames = {
    namespace,
    nodeAgentsNamespace: chart.nodeAgentsNamespace,
    kubePrometheusStackRelease: kps?.release ?? 'kube-prometheus-stack',
    dcgmRelease: dcgm?.release ?? 'dcgm-exporter',
    dcgmFullname: (dcgm?.values.fullnameOverride as string) || fullname(dcgm?.release ?? 'dcgm-exporter', 'dcgm-exporter'),
    dcgmPodLabels: (dcgm?.values.podLabels ?? {}) as Record<string, string>,
    openCostRelease: openCost?.release ?? 'opencost',
    openCostFullname: (openCost?.values.fullnameOverride as string) || fullname(openCost?.release ?? 'opencost', 'opencost'),
    fluentBitName: fluentBit?.metadata.name ?? 'fluent-bit',
    fluentBitLabels: (fluentBit?.metadata.labels as Record<string, string> | undefined) ?? { 'app.kubernetes.io/name': 'fluent-bit' },
    neuronMonitor: neuronMonitorOf(objects),
  };
  const ctx: ChartContext = {
    namespace,
    kubePrometheusStack: kps,
    openCost: openCost ? { ...openCost, fullname: names.openCostFullname } : undefined,
  };
  const counters = dcgmCounters(objects, dcgm?.values);
  return {
    objects,
    namespace,
    monitors: monitorsAll.filter(selected),
    unselectedMonitors: monitorsAll.filter((m) => !selected(m)),
    chartMonitors: chartMonitors(ctx).filter(selected),
    rules: rulesAll.filter((r) => matchesSelector(r.metadata.labels, spec.ruleSelector)),
    unselectedRules: rulesAll.filter((r) => !matchesSelector(r.metadata.labels, spec.ruleSelector)),
    chartRules: chartRecordingRules(ctx),
    dashboards,
    names,
    ksmPodLabelAllowlist: podLabelAllowlist(get(kpsValues, 'kube-state-metrics.metricLabelsAllowlist')),
    dcgmFields: counters.fields,
    dcgmFieldsSource: counters.source,
    prometheusDatasourceUid: chart.prometheusStack?.prometheusDatasourceUid ?? 'prometheus',
    prometheusSpec: spec,
  };
}

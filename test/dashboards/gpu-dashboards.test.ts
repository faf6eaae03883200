import { readFileSync } from 'node:fs';
import { Chart, Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDashboardsDoc } from '../../scripts/dashboards-doc-render.js';
import { MemoryCredentialStore } from '../../src/core/credential-store.js';
import { GPU_DASHBOARD_NAMES, GPU_DASHBOARD_UIDS, GPU_DASHBOARD_VARIABLES, DASHBOARD_VARIABLES } from '../../src/dashboards/toolkit/dashboard-ids.js';
import { GRAFANA_SCHEMA_VERSION, OPENSEARCH_DATASOURCE_TYPE, PROMETHEUS_DATASOURCE_TYPE } from '../../src/dashboards/toolkit/model.js';
import { DEFAULT_DCGM_FIELDS } from '../../src/gpu/dcgm-fields.js';
import { CONFIGMAP_MAX_BYTES, GpuDashboards } from '../../src/dashboards/gpu-dashboards.js';
import { LOG_FIELDS, LOG_INDEX_PATTERN, LOG_SOURCES } from '../../src/logs/log-fields.js';
import { OPENSEARCH_DATASOURCE_FILE, OPENSEARCH_LOGS_DATASOURCE_UID, OpenSearchDatasource } from '../../src/logs/opensearch/opensearch-datasource.js';
import { VLLM_LEGACY_METRICS, VLLM_METRICS } from '../../src/vllm/vllm-metrics.js';
import { PropError } from '../../src/core/prop-error.js';
import type { OpenSearchTarget } from '../../src/core/opensearch-target.js';
import { CLUSTER_LABEL } from '../../src/core/cluster-label.js';
import { PrometheusStack } from '../../src/prometheus/prometheus-stack.js';
import { ExternalDelivery } from '../../src/delivery/external-delivery.js';
import { VLLM_RECORDS } from '../../src/vllm/vllm-records.js';
import { catalogExporters, checkPromQL, metricNames } from '../support/promql.js';
import { kubeValidate } from '../support/kube-validate.js';
import { helmReleaseValues, ofKind, synthStack, type K8sObject } from '../support/synth.js';
import { configToProps } from '../../src/config/config-schema.js';
import { ConfigFileError, parseConfig } from '../../src/config/load-config.js';
import { configProblems } from '../support/config.js';

/** Grafana's built-in variables (not defined by a dashboard). */
const GRAFANA_BUILTINS = new Set(['__rate_interval', '__interval', '__range', '__range_s', '__all']);
/** Limit of the `kubectl.kubernetes.io/last-applied-configuration` annotation (client-side apply). */
const ANNOTATIONS_MAX_BYTES = 262144;

type Json = Record<string, any>;

function dashboardConfigMaps(objects: K8sObject[], labels: Readonly<Record<string, string>>): K8sObject[] {
  return ofKind(objects, 'ConfigMap').filter((cm) => Object.entries(labels).every(([k, value]) => cm.metadata.labels?.[k] === value));
}

function dashboardsOf(objects: K8sObject[], labels: Readonly<Record<string, string>>): Json[] {
  return dashboardConfigMaps(objects, labels).flatMap((cm) => Object.values<string>(cm.data).map((json) => JSON.parse(json) as Json));
}

function dataPanels(dashboard: Json): Json[] {
  return dashboard.panels.filter((p: Json) => p.type !== 'row');
}

function promTargets(dashboard: Json): Array<{ panel: string; expr: string }> {
  return dataPanels(dashboard).flatMap((p) => p.targets.filter((t: Json) => 'expr' in t).map((t: Json) => ({ panel: p.title, expr: t.expr as string })));
}

/** The selector of a `label_values(selector, label)` variable query, and the label. */
function labelValues(query: string): { selector: string; label: string } {
  const match = /^label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(query);
  if (!match) throw new Error(`not a label_values query: ${query}`);
  return { selector: match[1]!, label: match[2]! };
}

/**
 * Series names of histograms the catalog lists only as deprecated (no type there): a deprecated name whose
 * replacement is a histogram was a histogram too, so its _bucket/_sum/_count series are real.
 */
function legacyHistogramSeries(): string[] {
  const extra: string[] = [];
  for (const exporter of catalogExporters()) {
    const histograms = new Set((exporter.metrics ?? []).filter((m) => m.type === 'histogram').map((m) => m.name));
    for (const old of (exporter as any).deprecated ?? []) {
      if (histograms.has(old.replaced_by)) extra.push(`${old.name}_bucket`, `${old.name}_sum`, `${old.name}_count`);
    }
  }
  return extra;
}

/** Labels the catalog says a metric's series carry (its own, its exporter's common labels and label sets). */
function catalogLabels(metric: string): Set<string> {
  const tokens = (entry: string) => entry.split(/[\s,/()]+/).filter((t) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(t));
  const labels = new Set<string>();
  for (const exporter of catalogExporters() as any[]) {
    const entry = (exporter.metrics ?? []).find((m: Json) => m.name === metric);
    if (!entry) continue;
    const sets: Record<string, string[]> = exporter.label_sets ?? {};
    for (const l of entry.labels ?? []) for (const t of tokens(String(l))) (sets[t] ?? [t]).flatMap(tokens).forEach((x) => labels.add(x));
    for (const l of exporter.common_labels ?? []) tokens(l.name).forEach((t) => labels.add(t));
  }
  return labels;
}

/** Target labels Prometheus puts on every series scraped through a ServiceMonitor / PodMonitor. */
const SCRAPE_TARGET_LABELS = ['namespace', 'pod', 'container', 'service', 'endpoint', 'job', 'instance'];

describe('GpuDashboards in the default stack', () => {
  let objects: K8sObject[];
  let chart: ReturnType<typeof synthStack>['chart'];
  let dashboards: Json[];

  beforeAll(() => {
    // neuron-monitor on, so the Neuron dashboard and the fleet view's Neuron row are checked with the others
    ({ objects, chart } = synthStack({ gpuExporters: { neuron: { enabled: true } } }));
    dashboards = dashboardsOf(objects, chart.prometheusStack!.dashboardLabels);
  });

  it('leaves the Neuron dashboard and the fleet view\'s Neuron row out while neuron-monitor is off (the default)', () => {
    const { objects: plain, chart: plainChart } = synthStack();
    const uids = dashboardsOf(plain, plainChart.prometheusStack!.dashboardLabels).map((d) => d.uid).sort();
    expect(uids).toEqual([GPU_DASHBOARD_UIDS.fleetAndCost, GPU_DASHBOARD_UIDS.training, GPU_DASHBOARD_UIDS.inference, GPU_DASHBOARD_UIDS.fleet].sort());
    const rows = (uid: string, ds: Json[]) => ds.find((d) => d.uid === uid)!.panels.filter((p: Json) => p.type === 'row').map((p: Json) => p.title as string);
    expect(rows(GPU_DASHBOARD_UIDS.fleetAndCost, dashboardsOf(plain, plainChart.prometheusStack!.dashboardLabels)).some((t: string) => t.startsWith('Neuron'))).toBe(false);
    expect(rows(GPU_DASHBOARD_UIDS.fleetAndCost, dashboards).some((t: string) => t.startsWith('Neuron'))).toBe(true);
  });

  it('delivers the five dashboards, one ConfigMap each, labelled for the sidecar the stack configures', () => {
    const stack = chart.prometheusStack!;
    const configMaps = dashboardConfigMaps(objects, stack.dashboardLabels);
    expect(configMaps.map((cm) => cm.metadata.name).sort()).toEqual(Object.values(chart.gpuDashboards!.configMapNames).sort());
    expect(dashboards.map((d) => d.uid).sort()).toEqual(Object.values(GPU_DASHBOARD_UIDS).sort());
    // The label is the one the chart's Grafana sidecar watches, in every namespace.
    const sidecar = helmReleaseValues(objects, stack.releaseName).grafana.sidecar.dashboards;
    expect(sidecar.enabled).toBe(true);
    expect(sidecar.searchNamespace).toBe('ALL');
    for (const cm of configMaps) {
      expect(cm.metadata.labels?.[sidecar.label]).toBe(sidecar.labelValue);
      expect(cm.metadata.namespace).toBe(chart.stackNamespace);
    }
  });

  it('fits every dashboard in a ConfigMap, as plain data (no annotations), under the client-side apply limit', () => {
    for (const cm of dashboardConfigMaps(objects, chart.prometheusStack!.dashboardLabels)) {
      expect(cm.metadata.annotations ?? {}).toEqual({});
      const dataBytes = Object.values<string>(cm.data).reduce((n, json) => n + Buffer.byteLength(json, 'utf8'), 0);
      expect(dataBytes).toBeLessThan(CONFIGMAP_MAX_BYTES);
      expect(Buffer.byteLength(JSON.stringify(cm), 'utf8')).toBeLessThan(ANNOTATIONS_MAX_BYTES);
    }
  });

  it('writes valid Grafana dashboard JSON for the Grafana 12 of kube-prometheus-stack 88.5.3', () => {
    for (const d of dashboards) {
      expect(d.schemaVersion, d.uid).toBe(GRAFANA_SCHEMA_VERSION);
      // Grafana 12.0/12.1 know schema versions up to 41; a higher one would not be migrated consistently.
      expect(d.schemaVersion).toBeLessThanOrEqual(41);
      expect(d.uid.length).toBeLessThanOrEqual(40);
      expect(typeof d.title).toBe('string');
      expect(d.refresh).toBe('5s');
      expect(Array.isArray(d.templating.list)).toBe(true);
      expect(Array.isArray(d.annotations.list)).toBe(true);
      const ids = d.panels.map((p: Json) => p.id);
      expect(new Set(ids).size, `${d.uid}: panel ids unique`).toBe(ids.length);
      for (const p of d.panels) {
        expect(typeof p.type).toBe('string');
        for (const key of ['h', 'w', 'x', 'y']) expect(Number.isInteger(p.gridPos[key]), `${d.uid}/${p.title} gridPos.${key}`).toBe(true);
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      }
    }
  });

  it('lays panels out without overlaps', () => {
    for (const d of dashboards) {
      const boxes = d.panels.map((p: Json) => ({ title: p.title, ...p.gridPos }));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i];
          const b = boxes[j];
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${d.uid}: '${a.title}' overlaps '${b.title}'`).toBe(false);
        }
      }
    }
  });

  it('gives every panel a datasource variable, a query with a refId, and a description saying what a bad value means', () => {
    for (const d of dashboards) {
      const datasourceVariables = new Map<string, string>(
        d.templating.list.filter((v: Json) => v.type === 'datasource').map((v: Json) => [`\${${v.name}}`, v.query as string]),
      );
      for (const p of d.panels) {
        if (p.type === 'row') {
          expect(p.targets, `${d.uid}: row '${p.title}'`).toBeUndefined();
          continue;
        }
        const where = `${d.uid}/${p.title}`;
        expect(datasourceVariables.get(p.datasource?.uid), `${where}: datasource is a datasource variable of the dashboard`).toBe(p.datasource.type);
        expect(p.targets.length, where).toBeGreaterThan(0);
        const refIds = p.targets.map((t: Json) => t.refId);
        expect(new Set(refIds).size, `${where}: refIds unique`).toBe(refIds.length);
        for (const t of p.targets) {
          expect(t.refId, where).toMatch(/^[A-Z]+$/);
          expect(t.datasource, where).toEqual(p.datasource);
          if (p.datasource.type === PROMETHEUS_DATASOURCE_TYPE) expect(t.expr?.trim(), where).toBeTruthy();
          else expect(t.query?.trim(), where).toBeTruthy();
        }
        expect(p.description.length, where).toBeGreaterThan(40);
        expect(p.description, `${where}: says what a bad value means`).toMatch(/Bad: \S/);
      }
    }
  });

  it('defaults the Prometheus datasource variable to the stack datasource uid', () => {
    for (const d of dashboards) {
      const variable = d.templating.list.find((v: Json) => v.name === DASHBOARD_VARIABLES.datasource);
      expect(variable.type).toBe('datasource');
      expect(variable.query).toBe(PROMETHEUS_DATASOURCE_TYPE);
      expect(variable.current.value).toBe(chart.prometheusStack!.prometheusDatasourceUid);
    }
  });

  it('defines every variable a query uses, and exactly the variables gpuDashboardUrl accepts', () => {
    for (const name of GPU_DASHBOARD_NAMES) {
      const d = dashboards.find((x) => x.uid === GPU_DASHBOARD_UIDS[name])!;
      const defined = d.templating.list.map((v: Json) => v.name);
      expect(defined).toEqual(GPU_DASHBOARD_VARIABLES[name]);
      const texts = [
        ...dataPanels(d).flatMap((p) => p.targets.map((t: Json) => t.expr ?? t.query)),
        ...d.templating.list.filter((v: Json) => v.type === 'query').map((v: Json) => v.query.query),
        ...dataPanels(d).map((p) => p.datasource.uid),
      ];
      for (const text of texts) {
        for (const [, ref] of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
          expect(defined.includes(ref) || GRAFANA_BUILTINS.has(ref), `${d.uid}: $${ref} in ${text}`).toBe(true);
        }
      }
    }
  });

  it('parses every PromQL expression and reads only catalogued metrics or recording rules the stack records', () => {
    const recorded = new Set(
      ofKind(objects, 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: Json) => g.rules.filter((x: Json) => x.record).map((x: Json) => x.record))),
    );
    const kubePrometheusRecords = new Set((catalogExporters().find((e) => e.name === 'kube-prometheus-recording-rules')?.metrics ?? []).map((m) => m.name));
    const extra = legacyHistogramSeries();
    let checked = 0;
    for (const d of dashboards) {
      const exprs = [
        ...promTargets(d).map((t) => ({ where: `${d.uid}/${t.panel}`, expr: t.expr })),
        ...d.templating.list.filter((v: Json) => v.type === 'query').map((v: Json) => ({ where: `${d.uid}/$${v.name}`, expr: labelValues(v.query.query).selector })),
      ];
      for (const { where, expr } of exprs) {
        expect(checkPromQL(expr, { grafana: true, extra }), `${where}: ${expr}`).toEqual([]);
        // A recording-rule name must be recorded by a rule of this synth, or by kube-prometheus-stack's defaults.
        for (const name of metricNames(expr, { grafana: true }).filter((n) => n.includes(':') && !n.startsWith('vllm:'))) {
          expect(recorded.has(name) || kubePrometheusRecords.has(name), `${where}: ${name} is recorded`).toBe(true);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('reads only DCGM fields the default dcgm-exporter collects and keeps', () => {
    const collected = new Set<string>(DEFAULT_DCGM_FIELDS.map((f) => f.field));
    for (const d of dashboards) {
      for (const { panel, expr } of promTargets(d)) {
        for (const name of metricNames(expr, { grafana: true }).filter((n) => n.startsWith('DCGM_'))) {
          expect(collected.has(name), `${d.uid}/${panel}: ${name}`).toBe(true);
        }
      }
    }
  });

  it('resolves template variables from labels that exist on the series they query', () => {
    const ourLabels = new Set(
      [...ofKind(objects, 'ServiceMonitor').flatMap((m) => m.spec.endpoints), ...ofKind(objects, 'PodMonitor').flatMap((m) => m.spec.podMetricsEndpoints)]
        .flatMap((e: Json) => e.relabelings ?? [])
        .map((r: Json) => r.targetLabel)
        .filter(Boolean),
    );
    for (const d of dashboards) {
      for (const variable of d.templating.list.filter((v: Json) => v.type === 'query')) {
        const { selector, label } = labelValues(variable.query.query);
        const [metric] = metricNames(selector, { grafana: true });
        // `cluster` is the external label every series carries once it leaves its cluster's Prometheus.
        const labels = new Set([...catalogLabels(metric!), ...SCRAPE_TARGET_LABELS, ...ourLabels, CLUSTER_LABEL]);
        expect(labels.has(label), `${d.uid}: $${variable.name} reads label '${label}' of ${metric}`).toBe(true);
        for (const [, matcherLabel] of selector.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=~?\s*"/g)) {
          expect(labels.has(matcherLabel!), `${d.uid}: $${variable.name} filters ${metric} on '${matcherLabel}'`).toBe(true);
        }
      }
    }
    // The Ray cluster variable uses the label our Ray PodMonitors add from the ray.io/cluster pod label.
    const training = dashboards.find((x) => x.uid === GPU_DASHBOARD_UIDS.training)!;
    const rayCluster = training.templating.list.find((v: Json) => v.name === DASHBOARD_VARIABLES.rayCluster);
    expect(ourLabels.has(labelValues(rayCluster.query.query).label)).toBe(true);
  });

  it("reads the GPU allocation from kube-state-metrics' own series with the sanitized resource names, MIG included", () => {
    const fleet = dashboards.find((x) => x.uid === GPU_DASHBOARD_UIDS.fleetAndCost)!;
    const namespaceVariable = fleet.templating.list.find((v: Json) => v.name === DASHBOARD_VARIABLES.namespace);
    expect(namespaceVariable.query.query).toBe('label_values(kube_pod_container_resource_requests{cluster=~"$cluster", job="kube-state-metrics", resource=~"nvidia_com_gpu|nvidia_com_mig_.+"}, namespace)');
  });

  it('reads old and new vLLM names where they differ (current or legacy)', () => {
    const inference = dashboards.find((x) => x.uid === GPU_DASHBOARD_UIDS.inference)!;
    const exprs = promTargets(inference).map((t) => t.expr);
    const records = new Set<string>(Object.values(VLLM_RECORDS));
    for (const key of ['KV_CACHE_USAGE_PERC', 'INTER_TOKEN_LATENCY_SECONDS', 'PREFIX_CACHE_HITS_TOTAL', 'PREFIX_CACHE_QUERIES_TOTAL'] as const) {
      const legacy = VLLM_LEGACY_METRICS[key];
      const withLegacy = exprs.filter((e) => metricNames(e, { grafana: true }).some((n) => n.startsWith(legacy)));
      expect(withLegacy.length, legacy).toBeGreaterThan(0);
      for (const expr of withLegacy) {
        expect(expr).toMatch(/ or /);
        // The left side of `or` reads the current metric, or one of our vLLM recording rules (built from it).
        const left = metricNames(expr.slice(0, expr.indexOf(' or ')), { grafana: true });
        expect(left.some((n) => n.startsWith(VLLM_METRICS[key]) || records.has(n)), expr).toBe(true);
        expect(left.some((n) => n.startsWith(legacy)), expr).toBe(false);
      }
    }
    // The V1 panels the issue names are all there.
    const read = new Set(exprs.flatMap((e) => metricNames(e, { grafana: true })));
    for (const metric of [
      VLLM_METRICS.REQUEST_SUCCESS_TOTAL,
      `${VLLM_METRICS.REQUEST_PROMPT_TOKENS}_bucket`,
      `${VLLM_METRICS.REQUEST_GENERATION_TOKENS}_bucket`,
      `${VLLM_METRICS.REQUEST_QUEUE_TIME_SECONDS}_bucket`,
      VLLM_METRICS.KV_CACHE_USAGE_PERC,
    ]) {
      expect(read.has(metric), metric).toBe(true);
    }
  });

  it('queries the logs through the logs datasource, on the fields the logs pipeline writes', () => {
    for (const name of ['training', 'inference'] as const) {
      const d = dashboards.find((x) => x.uid === GPU_DASHBOARD_UIDS[name])!;
      const variable = d.templating.list.find((v: Json) => v.name === DASHBOARD_VARIABLES.logsDatasource);
      expect(variable.query).toBe(OPENSEARCH_DATASOURCE_TYPE);
      expect(variable.current.value).toBe(OPENSEARCH_LOGS_DATASOURCE_UID);
      const logPanels = dataPanels(d).filter((p) => p.type === 'logs');
      expect(logPanels.length, d.uid).toBe(1);
      for (const p of logPanels) {
        expect(p.datasource).toEqual({ type: OPENSEARCH_DATASOURCE_TYPE, uid: `\${${DASHBOARD_VARIABLES.logsDatasource}}` });
        const [target] = p.targets;
        expect(target.metrics).toEqual([{ id: '1', type: 'logs' }]);
        expect(target.timeField).toBe(LOG_FIELDS.timestamp);
        expect(target.query).toBe(
          `${LOG_FIELDS.source}:${LOG_SOURCES.container} AND ${LOG_FIELDS.namespace}:\${namespace:lucene} AND ${LOG_FIELDS.pod}:\${pod:lucene}`,
        );
      }
    }
  });

  it('points the log panels at the datasource the logs pipeline provisions on the log index pattern', () => {
    // Render the logs helper's datasource and check the uid our variable defaults to searches LOG_INDEX_PATTERN.
    const chart2 = new Chart(Testing.app(), 'ds');
    const target: OpenSearchTarget = { namespace: 'observability', clusterName: 'logs', host: 'logs.observability.svc', port: 9200, url: 'https://logs.observability.svc:9200', logIndexPattern: LOG_INDEX_PATTERN };
    new OpenSearchDatasource(chart2, 'ds', { target, credentialsSecret: 'grafana-logs-reader', version: '3.1.0', grafana: { prometheusNamespace: 'observability', datasourceLabels: { grafana_datasource: '1' } } });
    const secret = chart2.toJson().find((o: Json) => o.kind === 'Secret');
    const provisioned = parseYaml(secret.stringData[OPENSEARCH_DATASOURCE_FILE]).datasources[0];
    expect(provisioned.uid).toBe(OPENSEARCH_LOGS_DATASOURCE_UID);
    expect(provisioned.jsonData.database).toBe(LOG_INDEX_PATTERN);
    expect(provisioned.jsonData.timeField).toBe(LOG_FIELDS.timestamp);
  });

  it('links between the dashboards, in the link bar', () => {
    for (const d of dashboards) {
      const links = d.links.filter((l: Json) => l.type === 'dashboards' && l.includeVars && d.tags.includes(l.tags[0]));
      expect(links.length, d.uid).toBe(1);
      // The SDK's link builder defaults to `placement: inControlsMenu`, which hides the link in the controls menu.
      expect(links[0].placement, d.uid).toBeUndefined();
    }
  });
});

describe('GpuDashboards stability', () => {
  it('synthesizes byte-identical ConfigMaps with the same UIDs every time, whatever the namespace', () => {
    const first = synthStack();
    const second = synthStack();
    const labels = first.chart.prometheusStack!.dashboardLabels;
    expect(JSON.stringify(dashboardConfigMaps(second.objects, labels))).toBe(JSON.stringify(dashboardConfigMaps(first.objects, labels)));
    const elsewhere = synthStack({ namespace: 'gpu-obs' });
    expect(dashboardsOf(elsewhere.objects, labels).map((d) => d.uid)).toEqual(dashboardsOf(first.objects, labels).map((d) => d.uid));
  });
});

describe('GpuDashboards props', () => {
  const stackIn = (chart: Chart) => new PrometheusStack(chart, 'stack', { delivery: new ExternalDelivery(), credentials: new MemoryCredentialStore() });

  it('delivers only the dashboards asked for', () => {
    const chart = new Chart(Testing.app(), 'c');
    const d = new GpuDashboards(chart, 'd', { grafana: stackIn(chart), dashboards: ['fleetAndCost'] });
    expect(Object.keys(d.dashboards)).toEqual(['fleetAndCost']);
    expect(chart.toJson().filter((o: Json) => o.kind === 'ConfigMap')).toHaveLength(1);
  });

  it('rejects unknown or repeated dashboard names, naming the allowed ones', () => {
    const chart = new Chart(Testing.app(), 'c');
    const grafana = stackIn(chart);
    expect(() => new GpuDashboards(chart, 'a', { grafana, dashboards: ['gpu' as any] })).toThrow(/'gpu' is not a dashboard; allowed: training, inference, fleetAndCost, neuron/);
    expect(() => new GpuDashboards(chart, 'b', { grafana, dashboards: ['training', 'training'] })).toThrow(/twice/);
  });

  it('uses the given datasource uids and log fields', () => {
    const chart = new Chart(Testing.app(), 'c');
    const d = new GpuDashboards(chart, 'd', {
      grafana: { dashboardLabels: { grafana_dashboard: '1' }, prometheusDatasourceUid: 'thanos' },
      logs: { datasourceUid: 'my-logs', namespaceField: 'k8s.ns', podField: 'k8s.pod' },
    });
    const training = d.dashboards.training!;
    const vars = Object.fromEntries(training.templating.list.map((v) => [v.name, v]));
    expect(vars[DASHBOARD_VARIABLES.datasource]!.current).toMatchObject({ value: 'thanos' });
    expect(vars[DASHBOARD_VARIABLES.logsDatasource]!.current).toMatchObject({ value: 'my-logs' });
    expect(JSON.stringify(training)).toContain('k8s.ns:${namespace:lucene} AND k8s.pod:${pod:lucene}');
  });
});

describe('ObservabilityChart wiring', () => {
  it('is on by default and off with gpuDashboards.enabled false', () => {
    expect(synthStack().chart.gpuDashboards).toBeDefined();
    const { chart, objects } = synthStack({ gpuDashboards: { enabled: false } });
    expect(chart.gpuDashboards).toBeUndefined();
    expect(dashboardConfigMaps(objects, { grafana_dashboard: '1' }).filter((cm) => cm.metadata.name.startsWith('grafana-dashboard-aiml'))).toEqual([]);
  });

  it('leaves the dashboards out without the Prometheus stack, and refuses them when asked for explicitly', () => {
    expect(synthStack({ prometheusStack: { enabled: false }, openCost: { enabled: false } }).chart.gpuDashboards).toBeUndefined();
    expect(() => synthStack({ prometheusStack: { enabled: false }, openCost: { enabled: false }, gpuDashboards: { enabled: true } })).toThrow(PropError);
    expect(() => synthStack({ prometheusStack: { enabled: false }, openCost: { enabled: false }, gpuDashboards: { enabled: true } })).toThrow(/gpuDashboards\.enabled.*prometheusStack/);
  });
});

describe('config file', () => {
  it('turns the dashboards off with dashboards.enabled: false, and leaves them on by default', () => {
    expect(configToProps(parseConfig('{}')).gpuDashboards?.enabled).toBeUndefined();
    const props = configToProps(parseConfig('dashboards:\n  enabled: false\n'));
    expect(props.gpuDashboards).toEqual({ enabled: false });
    expect(synthStack({ gpuDashboards: props.gpuDashboards }).chart.gpuDashboards).toBeUndefined();
  });

  it('names dashboards.enabled when it is asked for without the Prometheus stack, or is not a boolean', () => {
    const conflict = 'prometheus-stack:\n  enabled: false\nopencost:\n  enabled: false\ndashboards:\n  enabled: true\n';
    expect(configProblems(conflict)).toEqual([expect.stringMatching(/^dashboards\.enabled: .*prometheus-stack\.enabled/)]);
    expect(() => parseConfig('dashboards:\n  enabled: "yes"\n')).toThrow(ConfigFileError);
    expect(() => parseConfig('dashboards:\n  enabled: "yes"\n')).toThrow(/dashboards\.enabled/);
    expect(() => parseConfig('dashboards:\n  folder: gpu\n')).toThrow(/dashboards\.folder/);
  });
});

describe('strict schema validation', () => {
  it('accepts the dashboard ConfigMaps', () => {
    const { chart, objects } = synthStack();
    const result = kubeValidate(dashboardConfigMaps(objects, chart.prometheusStack!.dashboardLabels));
    expect(result.invalid, result.output).toBe(0);
  });
});

describe('docs/dashboards.md', () => {
  it('is current (regenerate with npx tsx scripts/dashboards-doc.ts)', () => {
    const doc = readFileSync(new URL('../../docs/dashboards.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderDashboardsDoc((expr) => metricNames(expr, { grafana: true })));
  });

  it('names every dashboard UID and the Grafana port-forward', () => {
    const doc = readFileSync(new URL('../../docs/dashboards.md', import.meta.url), 'utf8');
    for (const uid of Object.values(GPU_DASHBOARD_UIDS)) expect(doc).toContain(`/d/${uid}`);
    expect(doc).toContain('port-forward svc/kube-prometheus-stack-grafana 3000:80');
  });
});

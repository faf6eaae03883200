import { describe, expect, it } from 'vitest';
import { DashboardBuilder } from '../../src/dashboards/toolkit/builder.js';
import { gpuDashboardUrl } from '../../src/dashboards/toolkit/dashboard-ids.js';
import type { LogsSource } from '../../src/dashboards/toolkit/context.js';
import { escapeLucene, podLogsQuery } from '../../src/dashboards/toolkit/logs-query.js';
import { splitDescription } from '../../scripts/dashboards-markdown.js';
import { GRAFANA_SCHEMA_VERSION, isPrometheusQuery, isRow, OPENSEARCH_DATASOURCE_TYPE, type PanelView } from '../../src/dashboards/toolkit/model.js';
import { heatmap, logs, logsQuery, prom, stat, timeseries } from '../../src/dashboards/toolkit/panels.js';
import { onNode } from '../../src/dashboards/toolkit/promql.js';
import { checkPromQL } from '../support/promql.js';

/** Panels as the JSON Grafana loads (all their options, which the dashboard type does not spell out). */
const json = (panels: readonly PanelView[]): any[] => JSON.parse(JSON.stringify(panels));
const builder = () => new DashboardBuilder({ uid: 'test', title: 'Test', description: 'd', prometheusVariable: 'datasource' });
const panel = (title: string, width?: number) =>
  timeseries({ title, description: 'What it shows. Bad: something.', queries: [prom('up'), prom('up * 2')], width });

describe('DashboardBuilder', () => {
  it('flows panels left to right and wraps to a new line, rows start a new line', () => {
    const d = builder().panel(panel('a')).panel(panel('b', 8)).panel(panel('c', 8)).row('r').panel(panel('d', 24)).build();
    const at = Object.fromEntries(d.panels.map((p) => [p.title, p.gridPos]));
    expect(at.a).toEqual({ h: 8, w: 12, x: 0, y: 0 });
    expect(at.b).toEqual({ h: 8, w: 8, x: 12, y: 0 });
    expect(at.c).toEqual({ h: 8, w: 8, x: 0, y: 8 });
    expect(at.r).toEqual({ h: 1, w: 24, x: 0, y: 16 });
    expect(at.d).toEqual({ h: 8, w: 24, x: 0, y: 17 });
    expect(d.panels.map((p) => p.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('binds queries to the datasource variable and numbers them A, B, ...', () => {
    const [p] = builder().panel(panel('a')).build().panels;
    if (!p || isRow(p)) throw new Error('expected a data panel');
    expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    expect((p.targets ?? []).filter(isPrometheusQuery).map((t) => [t.refId, t.datasource?.uid])).toEqual([
      ['A', '${datasource}'],
      ['B', '${datasource}'],
    ]);
  });

  it('refuses panels without description or query, mixed datasources, and log panels without a logs variable', () => {
    expect(() => builder().panel(stat({ title: 't', description: ' ', queries: [prom('up')] }))).toThrow(/'t' has no description/);
    expect(() => builder().panel(stat({ title: 't', description: 'd', queries: [] }))).toThrow(/'t' has no query/);
    expect(() => builder().panel(stat({ title: 't', description: 'd', queries: [prom('up'), logsQuery('*', '@timestamp')] }))).toThrow(/mixes datasources/);
    expect(() => builder().panel(logs({ title: 'l', description: 'd', queries: [logsQuery('*', '@timestamp')] }))).toThrow(/no logs datasource variable/);
    expect(() => builder().panel(panel('wide', 25))).toThrow(/width 25/);
  });

  it('refuses a uid Grafana would not accept and variables defined twice', () => {
    expect(() => new DashboardBuilder({ uid: 'x'.repeat(41), title: 't', description: 'd', prometheusVariable: 'ds' })).toThrow(/1-40 characters/);
    const b = builder().queryVariable({ name: 'namespace', label: 'N', description: 'd', query: 'label_values(up, namespace)' });
    expect(() => b.queryVariable({ name: 'namespace', label: 'N', description: 'd', query: 'label_values(up, namespace)' })).toThrow(/defined twice/);
  });

  it("writes the options that make each panel readable, not the SDK's blank defaults", () => {
    const query = [prom('up')];
    const d = builder()
      .panels([
        timeseries({ title: 'ts', description: 'd', queries: query }),
        stat({ title: 'st', description: 'd', queries: query }),
        heatmap({ title: 'hm', description: 'd', queries: [prom('x_bucket', { format: 'heatmap' })], unit: 's' }),
      ])
      .build();
    const [ts, st, hm] = json(d.panels);
    // The SDK defaults to a hidden legend and a single-series tooltip.
    expect(ts.options.legend).toMatchObject({ showLegend: true, displayMode: 'list' });
    expect(ts.options.tooltip).toEqual({ mode: 'multi', sort: 'desc' });
    expect(ts.fieldConfig.defaults.color).toEqual({ mode: 'palette-classic' });
    // The SDK defaults to no reducer at all.
    expect(st.options.reduceOptions.calcs).toEqual(['lastNotNull']);
    // Grafana's heatmap needs the colour mode; the SDK's default colour options leave it out.
    expect(hm.options.color.mode).toBe('scheme');
    expect(hm.options.yAxis.unit).toBe('s');
    expect(hm.targets[0]).toMatchObject({ format: 'heatmap', range: true, instant: false, editorMode: 'code' });
    // Grafana 12.0 and 12.1 know schema versions up to 41; the SDK writes 42.
    expect(d.schemaVersion).toBe(GRAFANA_SCHEMA_VERSION);
  });

  it('shows log lines with their time, wrapped, newest first', () => {
    const logsBuilder = new DashboardBuilder({ uid: 'l', title: 'L', description: 'd', prometheusVariable: 'datasource', logsVariable: 'logs' });
    const [panel] = json(logsBuilder.panel(logs({ title: 'l', description: 'd', queries: [logsQuery('*', '@timestamp')] })).build().panels);
    expect(panel.options).toMatchObject({ showTime: true, wrapLogMessage: true, enableLogDetails: true, sortOrder: 'Descending' });
    expect(panel.targets[0]).toEqual({
      refId: 'A',
      datasource: { type: OPENSEARCH_DATASOURCE_TYPE, uid: '${logs}' },
      queryType: 'lucene',
      query: '*',
      metrics: [{ id: '1', type: 'logs' }],
      bucketAggs: [],
      timeField: '@timestamp',
    });
  });

  it('preselects "All" for multi-value variables', () => {
    const d = builder().queryVariable({ name: 'pod', label: 'P', description: 'd', query: 'label_values(up, pod)', multi: true, includeAll: true }).build();
    expect(d.templating.list[0]).toMatchObject({ multi: true, includeAll: true, current: { value: '$__all' }, refresh: 2 });
  });
});

describe('gpuDashboardUrl', () => {
  it('builds /d/<uid> with var- parameters (repeated for several values) and the time range', () => {
    expect(gpuDashboardUrl('training')).toBe('/d/aiml-gpu-training');
    expect(gpuDashboardUrl('training', { variables: { ray_cluster: 'llama', namespace: 'ml' }, from: 'now-6h' })).toBe(
      '/d/aiml-gpu-training?var-namespace=ml&var-ray_cluster=llama&from=now-6h',
    );
    expect(gpuDashboardUrl('inference', { variables: { pod: ['a', 'b'] } })).toBe('/d/aiml-vllm-inference?var-pod=a&var-pod=b');
  });

  it('rejects a variable the dashboard does not have', () => {
    expect(() => gpuDashboardUrl('fleetAndCost', { variables: { node: 'n1' } })).toThrow(/'fleetAndCost' has no variable 'node'; its variables are: datasource, cluster, namespace/);
  });
});

describe('log queries', () => {
  const source: LogsSource = {
    datasourceUid: 'logs',
    indexPattern: 'logs-*',
    timeField: '@timestamp',
    namespaceField: 'kubernetes.namespace_name',
    podField: 'kubernetes.labels.app_kubernetes_io/name',
    source: { field: 'log_source', containerValue: 'container' },
  };

  it('escapes Lucene special characters in field names and values but keeps object dots', () => {
    expect(escapeLucene('kubernetes.labels.ray_io/cluster')).toBe('kubernetes.labels.ray_io\\/cluster');
    expect(escapeLucene('a:b (c)')).toBe('a\\:b\\ \\(c\\)');
  });

  it('filters container logs by namespace and pods with the lucene variable format', () => {
    expect(podLogsQuery(source, 'namespace', 'pod')).toBe(
      'log_source:container AND kubernetes.namespace_name:${namespace:lucene} AND kubernetes.labels.app_kubernetes_io\\/name:${pod:lucene}',
    );
  });
});

describe('PromQL helpers', () => {
  it('places node-exporter series on their Kubernetes node through kube_pod_info', () => {
    const expr = onNode('instance:node_cpu_utilisation:rate5m', '$node');
    expect(expr).toBe(
      'instance:node_cpu_utilisation:rate5m * on (namespace, pod) group_left (node) max by (namespace, pod, node) (kube_pod_info{node=~"$node"})',
    );
    expect(checkPromQL(expr, { grafana: true })).toEqual([]);
  });
});

describe('splitDescription', () => {
  it('separates what a panel shows from what a bad value means', () => {
    expect(splitDescription('Shows x. Bad: above 1.')).toEqual({ shows: 'Shows x.', bad: 'above 1.' });
    expect(splitDescription('Shows x.')).toEqual({ shows: 'Shows x.', bad: '' });
  });
});

/**
 * The test's stand-in for prometheus-operator (monitor-translator.ts) and its TypeScript relabeling
 * (relabel.ts): generated relabel configs in the operator's order, selection by selector and port, job names,
 * honor_labels, and the fields it refuses. The end-to-end test then checks the same translation against the real
 * Prometheus (the target labels it predicts must be the ones Prometheus reports).
 */
import { describe, expect, it } from 'vitest';
import type { NodeModel, PodModel, ServiceModel } from './fixture/cluster.js';
import { inventoryOf, translateMonitor, TranslatorCoverageError, type Inventory, type MonitorObject, type ScrapeConfig } from './support/monitor-translator.js';
import { expand, relabel, scrapedLabels } from './support/relabel.js';

const node = { name: 'gpu-node-0', ip: '10.1.0.4', labels: { 'kubernetes.io/hostname': 'gpu-node-0' } } as unknown as NodeModel;

function pod(name: string, namespace: string, labels: Record<string, string>, port: { name: string; containerPort: number }): PodModel {
  return {
    name,
    namespace,
    uid: `uid-${name}`,
    ip: '10.100.0.10',
    node,
    labels,
    ownerKind: 'ReplicaSet',
    ownerName: `${name}-rs`,
    containers: [{ name: 'main', image: 'img', ports: [port], cpuRequest: 1, memoryRequestBytes: 1, extended: {} }],
    exporters: [],
    role: { kind: 'notebook' },
    gpus: [],
    lifetime: {},
    hostNetwork: false,
  };
}

const exporterPod = pod('exporter-abc', 'monitoring', { app: 'exporter', tier: 'gpu' }, { name: 'metrics', containerPort: 9400 });
const otherPod = pod('web-xyz', 'monitoring', { app: 'web' }, { name: 'http', containerPort: 8080 });
const services: ServiceModel[] = [
  { name: 'exporter', namespace: 'monitoring', labels: { app: 'exporter', team: 'gpu' }, selector: { app: 'exporter' }, ports: [{ name: 'metrics', port: 9400, targetPort: 9400 }] },
  { name: 'web', namespace: 'monitoring', labels: { app: 'web' }, selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
];
const inventory: Inventory = inventoryOf({ pods: [exporterPod, otherPod], services } as never, {
  addressOfPod: (p) => (p === exporterPod ? '127.0.0.1:19400' : '127.0.0.1:18080'),
  addressOfNode: () => undefined,
});

/** The target label sets a scrape config keeps after relabeling (what Prometheus would scrape). */
function kept(config: ScrapeConfig): Record<string, string>[] {
  return config.static_configs
    .map((g) => relabel({ ...g.labels, __address__: g.targets[0]!, job: config.job_name, __metrics_path__: config.metrics_path ?? '/metrics', __scheme__: 'http' }, config.relabel_configs))
    .filter((l): l is Record<string, string> => l !== undefined)
    .map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !k.startsWith('__'))));
}

const serviceMonitor = (spec: Record<string, unknown>): MonitorObject => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'gpu', namespace: 'monitoring' }, spec });

describe('ServiceMonitor translation', () => {
  const monitor = serviceMonitor({
    selector: { matchLabels: { app: 'exporter' }, matchExpressions: [{ key: 'team', operator: 'Exists' }] },
    endpoints: [{ port: 'metrics', interval: '15s', honorLabels: true, relabelings: [{ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }], metricRelabelings: [{ action: 'keep', sourceLabels: ['__name__'], regex: 'DCGM_.*' }] }],
  });
  const [config] = translateMonitor(monitor, inventory, { defaultNamespace: 'monitoring' });

  it('writes the relabelings in the order prometheus-operator generates them', () => {
    expect(config!.job_name).toBe('serviceMonitor/monitoring/gpu/0');
    expect(config!.honor_labels).toBe(true);
    expect(config!.scrape_interval).toBe('15s');
    const rc = config!.relabel_configs;
    expect(rc[0]).toEqual({ source_labels: ['job'], target_label: '__tmp_prometheus_job_name' });
    expect(rc[1]).toEqual({ action: 'keep', source_labels: ['__meta_kubernetes_service_label_app', '__meta_kubernetes_service_labelpresent_app'], regex: '(exporter);true' });
    expect(rc[2]).toEqual({ action: 'keep', source_labels: ['__meta_kubernetes_service_labelpresent_team'], regex: 'true' });
    expect(rc[3]).toEqual({ action: 'keep', source_labels: ['__meta_kubernetes_endpoint_port_name'], regex: 'metrics' });
    const targets = rc.map((r) => r.target_label);
    expect(targets.indexOf('service')).toBeLessThan(targets.indexOf('job'));
    expect(targets.indexOf('job')).toBeLessThan(targets.indexOf('endpoint'));
    expect(targets.indexOf('endpoint')).toBeLessThan(targets.lastIndexOf('node')); // the user's relabeling comes after the operator's
    expect(rc.at(-1)).toEqual({ source_labels: ['__tmp_hash'], regex: '0', action: 'keep' });
    expect(config!.metric_relabel_configs).toEqual([{ action: 'keep', source_labels: ['__name__'], regex: 'DCGM_.*' }]);
  });

  it('keeps exactly the endpoints of the selected Service and port, with the labels the operator sets', () => {
    expect(kept(config!)).toEqual([{ job: 'exporter', namespace: 'monitoring', service: 'exporter', pod: 'exporter-abc', container: 'main', endpoint: 'metrics', node: 'gpu-node-0' }]);
  });

  it('uses the jobLabel Service label for job when set', () => {
    const [c] = translateMonitor(serviceMonitor({ jobLabel: 'team', selector: { matchLabels: { app: 'exporter' } }, endpoints: [{ port: 'metrics' }] }), inventory, { defaultNamespace: 'monitoring' });
    expect(kept(c!).map((l) => l.job)).toEqual(['gpu']);
  });

  it('selects nothing when the port name or the selector matches nothing', () => {
    const [wrongPort] = translateMonitor(serviceMonitor({ selector: { matchLabels: { app: 'exporter' } }, endpoints: [{ port: 'http-metrics' }] }), inventory, { defaultNamespace: 'monitoring' });
    const [wrongLabel] = translateMonitor(serviceMonitor({ selector: { matchLabels: { app: 'dcgm' } }, endpoints: [{ port: 'metrics' }] }), inventory, { defaultNamespace: 'monitoring' });
    expect(kept(wrongPort!)).toEqual([]);
    expect(kept(wrongLabel!)).toEqual([]);
  });

  it('looks only in the monitor namespace unless namespaceSelector says otherwise', () => {
    const elsewhere: MonitorObject = { ...serviceMonitor({ selector: { matchLabels: { app: 'exporter' } }, endpoints: [{ port: 'metrics' }] }), metadata: { name: 'gpu', namespace: 'observability' } };
    expect(translateMonitor(elsewhere, inventory, { defaultNamespace: 'x' })[0]!.static_configs).toEqual([]);
    const any: MonitorObject = { ...elsewhere, spec: { ...elsewhere.spec, namespaceSelector: { any: true } } };
    expect(kept(translateMonitor(any, inventory, { defaultNamespace: 'x' })[0]!)).toHaveLength(1);
  });

  it('refuses fields it does not translate, naming them', () => {
    expect(() => translateMonitor(serviceMonitor({ selector: {}, endpoints: [{ port: 'metrics', tlsConfig: {} }] }), inventory, { defaultNamespace: 'monitoring' })).toThrow(TranslatorCoverageError);
    expect(() => translateMonitor(serviceMonitor({ selector: {}, endpoints: [{ port: 'metrics', tlsConfig: {} }] }), inventory, { defaultNamespace: 'monitoring' })).toThrow(/'tlsConfig'/);
    expect(() => translateMonitor(serviceMonitor({ selector: {}, endpoints: [{ port: 'metrics', scheme: 'https' }] }), inventory, { defaultNamespace: 'monitoring' })).toThrow(/https/);
    expect(() => translateMonitor({ ...serviceMonitor({}), kind: 'Probe' }, inventory, { defaultNamespace: 'monitoring' })).toThrow(/only ServiceMonitor and PodMonitor/);
  });
});

describe('PodMonitor translation', () => {
  const podMonitor = (spec: Record<string, unknown>): MonitorObject => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'workers', namespace: 'monitoring' }, spec });

  it('names the job <namespace>/<name> and keeps the selected pods on the named port', () => {
    const [c] = translateMonitor(podMonitor({ selector: { matchLabels: { tier: 'gpu' } }, podMetricsEndpoints: [{ port: 'metrics' }] }), inventory, { defaultNamespace: 'monitoring' });
    expect(c!.job_name).toBe('podMonitor/monitoring/workers/0');
    expect(kept(c!)).toEqual([{ job: 'monitoring/workers', namespace: 'monitoring', container: 'main', pod: 'exporter-abc', endpoint: 'metrics' }]);
  });

  it('supports NotIn / DoesNotExist selectors', () => {
    const [notIn] = translateMonitor(podMonitor({ selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, podMetricsEndpoints: [{ port: 'metrics' }] }), inventory, { defaultNamespace: 'monitoring' });
    expect(kept(notIn!).map((l) => l.pod)).toEqual(['exporter-abc']);
    const [absent] = translateMonitor(podMonitor({ selector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, podMetricsEndpoints: [{ port: 'http' }] }), inventory, { defaultNamespace: 'monitoring' });
    expect(kept(absent!).map((l) => l.pod)).toEqual(['web-xyz']);
  });

  it('overrides intervals when asked (the test scrapes every second)', () => {
    const [c] = translateMonitor(podMonitor({ selector: {}, podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }] }), inventory, { defaultNamespace: 'monitoring', intervalOverride: '1s' });
    expect([c!.scrape_interval, c!.scrape_timeout]).toEqual(['1s', '1s']);
  });
});

describe('relabeling (TypeScript copy of Prometheus semantics)', () => {
  it('expands replacements as Go does ($1x names a group "1x")', () => {
    const m = /^(?<name>a)(b)$/.exec('ab')!;
    expect(expand('$1-${2}-$name-$$', m)).toBe('a-b-a-$');
    expect(expand('$1x', m)).toBe('');
  });

  it('runs replace, labelmap, labeldrop, keep and drop', () => {
    const out = relabel({ __meta_x_a: '1', __meta_x_b: '2', keepme: 'k', dropme: 'd' }, [
      { action: 'labelmap', regex: '__meta_x_(.+)' },
      { action: 'labeldrop', regex: 'drop.*' },
      { source_labels: ['a', 'b'], separator: '-', target_label: 'ab' },
      { source_labels: ['a'], regex: '1', action: 'keep' },
    ]);
    expect(out).toMatchObject({ a: '1', b: '2', ab: '1-2', keepme: 'k' });
    expect(out).not.toHaveProperty('dropme');
    expect(relabel({ a: '1' }, [{ source_labels: ['a'], regex: '1', action: 'drop' }])).toBeUndefined();
    expect(relabel({ a: '1' }, [{ source_labels: ['b'], regex: '.+', target_label: 'c', replacement: 'x' }])).toEqual({ a: '1' });
  });

  it('merges target labels with honor_labels semantics', () => {
    const sample = { __name__: 'm', pod: 'workload', namespace: 'ml' };
    const target = { pod: 'exporter', namespace: 'observability', job: 'dcgm' };
    expect(scrapedLabels(sample, target, false, [])).toEqual({ __name__: 'm', pod: 'exporter', namespace: 'observability', exported_pod: 'workload', exported_namespace: 'ml', job: 'dcgm' });
    expect(scrapedLabels(sample, target, true, [])).toEqual({ __name__: 'm', pod: 'workload', namespace: 'ml', job: 'dcgm' });
    expect(scrapedLabels(sample, target, true, [{ source_labels: ['__name__'], regex: 'other', action: 'keep' }])).toBeUndefined();
  });
});

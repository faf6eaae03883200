import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { podClient } from '../../src/core/network-access.js';
import { ObservabilityChart } from '../../src/observability-chart.js';
import { testCredentials } from '../support/credentials.js';
import { allObjects, one } from '../support/synth.js';

/** StackNetwork, the one API through which servers declare their ports and clients register (docs/security.md). */
describe('StackNetwork', () => {
  const build = () => {
    const app = Testing.app();
    const chart = new ObservabilityChart(app, 'obs', { delivery: 'flux', credentials: testCredentials() });
    return { app, chart };
  };

  it('lands a client registered after the chart was built in the server policy, on the ports it named', () => {
    const { app, chart } = build();
    const bootstrap = { 'app.kubernetes.io/name': 'log-bootstrap' };
    chart.network.allow(podClient('log-bootstrap', chart.stackNamespace, bootstrap), 'opensearch', ['http']);
    const policy = one(allObjects(app), 'NetworkPolicy', 'opensearch-ingress');
    const rule = policy.spec.ingress.at(-1);
    expect(rule).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: bootstrap } }],
      ports: [{ protocol: 'TCP', port: 9200 }],
    });
  });

  it('lets a component expose more ports of a declared server (a sidecar) and admit clients to them', () => {
    const { app, chart } = build();
    chart.network.expose('prometheus', [{ name: 'grpc', port: 10901 }]);
    chart.network.allow(podClient('thanos-query', 'observability', { 'app.kubernetes.io/name': 'thanos-query' }), 'prometheus', ['grpc']);
    const ports = one(allObjects(app), 'NetworkPolicy', 'prometheus-ingress').spec.ingress.at(-1).ports;
    expect(ports).toEqual([{ protocol: 'TCP', port: 10901 }]);
    expect(() => chart.network.expose('prometheus', [{ name: 'http-web', port: 1 }])).toThrow(/port names must be unique/);
  });

  it('refuses an unknown server or port, naming what exists', () => {
    const { chart } = build();
    const client = podClient('x', 'observability', { a: 'b' });
    expect(() => chart.network.allow(client, 'thanos')).toThrow(/network server thanos is not declared \(declared: alertmanager, dcgm-exporter, fluent-bit, grafana, /);
    expect(() => chart.network.allow(client, 'prometheus', ['web'])).toThrow(/network server prometheus has no port web \(ports: http-web, reloader-web\)/);
    expect(() => chart.network.serve(chart, chart.network.server('prometheus'))).toThrow(/declared twice/);
  });
});

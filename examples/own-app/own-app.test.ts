/**
 * The test an app that imports the stack keeps: a snapshot of everything it synthesizes, plus assertions on what
 * the app relies on. Run with `npx vitest run examples/own-app`; after an intended change, review the diff and
 * accept it with `-u`.
 */
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { type CredentialStore, MemoryCredentialStore } from '../../src/index.js';
import { ORDERS_API_LABELS, ORDERS_API_METRICS_PORT, buildOwnApp } from './own-app.js';

/**
 * Fixed credentials, so the snapshot is stable. Keys are the ones the stack's components ask for (namespace
 * `monitoring`); `strict` below fails the test, naming the key, if a component asks for one not listed here.
 */
const FIXED_CREDENTIALS: Record<string, string> = {
  'monitoring/kube-prometheus-stack/grafana-admin-password': 'snapshot-only-grafana-admin',
  'monitoring/logs/opensearch-admin-password': 'snapshot-only-opensearch-admin',
  'monitoring/logs/opensearch-dashboards-password': 'snapshot-only-opensearch-dashboards',
  'monitoring/logs/opensearch-log-writer-password': 'snapshot-only-opensearch-log-writer',
  'monitoring/logs/opensearch-log-reader-password': 'snapshot-only-opensearch-log-reader',
  'monitoring/logs/opensearch-bcrypt-salt-seed': 'snapshot-only-bcrypt-salt-seed',
};

/** A credential store that only answers the fixed keys, and records what was asked. */
function strict(fixed: Record<string, string>): CredentialStore & { unknown: string[] } {
  const store = new MemoryCredentialStore(fixed);
  const unknown: string[] = [];
  return {
    unknown,
    getOrCreate(key: string): string {
      if (!(key in fixed)) unknown.push(key);
      return store.getOrCreate(key);
    },
  };
}

function synth() {
  const app = Testing.app();
  const credentials = strict(FIXED_CREDENTIALS);
  const built = buildOwnApp(app, { credentials });
  const objects = app.charts.flatMap((chart) => chart.toJson()) as any[];
  return { ...built, objects, credentials };
}

describe('own app with the observability stack', () => {
  it('synthesizes the same manifests as last time (snapshot)', () => {
    const { objects, credentials } = synth();
    expect(credentials.unknown, `add fixed values for these credential keys: ${credentials.unknown.join(', ')}`).toEqual([]);
    expect(objects).toMatchSnapshot();
  });

  it("gets the app's ServiceMonitor picked up by the stack's Prometheus, and pointed at the app's Service", () => {
    const { objects } = synth();
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor' && o.metadata.name === 'orders-api');
    const release = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'kube-prometheus-stack');
    // The Prometheus the stack deploys selects ServiceMonitors by these labels, in every namespace.
    const { serviceMonitorSelector, serviceMonitorNamespaceSelector } = release.spec.values.prometheus.prometheusSpec;
    expect(serviceMonitorNamespaceSelector).toEqual({});
    for (const [key, value] of Object.entries(serviceMonitorSelector.matchLabels as Record<string, string>)) {
      expect(monitor.metadata.labels[key]).toBe(value);
    }
    // The monitor selects the app's Service, on a port the Service has.
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'orders-api');
    expect(monitor.metadata.namespace).toBe(service.metadata.namespace);
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels as Record<string, string>)) {
      expect(service.metadata.labels[key]).toBe(value);
    }
    expect(monitor.spec.selector.matchLabels).toEqual(ORDERS_API_LABELS);
    expect(service.spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
    expect(monitor.spec.endpoints[0].port).toBe(ORDERS_API_METRICS_PORT);
  });

  it('applies the overridden props', () => {
    const { observability, objects } = synth();
    expect(observability.stackNamespace).toBe('monitoring');
    expect(observability.delivery.mode).toBe('flux');
    const release = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'kube-prometheus-stack');
    expect(release.metadata.namespace).toBe('monitoring');
    expect(release.spec.interval).toBe('1h');
    expect(release.spec.values.prometheus.prometheusSpec.retention).toBe('30d');
    const admin = objects.find((o) => o.kind === 'Secret' && o.metadata.name === observability.prometheusStack!.grafanaAdminSecretName);
    expect(admin.stringData).toEqual({ 'admin-user': 'platform-admin', 'admin-password': FIXED_CREDENTIALS['monitoring/kube-prometheus-stack/grafana-admin-password'] });
    const workers = objects.find((o) => o.kind === 'PodMonitor' && o.metadata.name === observability.rayEndpoints!.workerMonitorName);
    expect(workers.spec.namespaceSelector).toEqual({ matchNames: ['ml-team'] });
  });

  it('needs no helm binary: no rendered chart templates, only Flux objects for upstream charts', () => {
    const { objects } = synth();
    const releases = objects.filter((o) => o.kind === 'HelmRelease');
    expect(releases.length).toBeGreaterThan(0);
    // helm-rendered output would carry the charts' own labels
    expect(objects.some((o) => o.metadata?.labels?.['helm.sh/chart'])).toBe(false);
  });
});

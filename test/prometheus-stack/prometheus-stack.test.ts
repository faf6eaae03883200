import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { MemoryCredentialStore } from '../../src/core/credential-store.js';
import { FluxDelivery } from '../../src/delivery/flux-delivery.js';
import { GRAFANA_ADMIN_SECRET_KEYS, PrometheusStack } from '../../src/prometheus/prometheus-stack.js';
import { helmReleaseValues, ofKind, one, synthStack } from '../support/synth.js';

/**
 * For the tests of the Grafana password a real store generates: the stack without the log path, whose OpenSearch
 * users a fresh store would make every synth hash at bcrypt cost 12.
 */
const WITHOUT_LOGS = { openSearch: { enabled: false }, fluentBit: { enabled: false } } as const;

describe('PrometheusStack', () => {
  it('gives Grafana admin credentials from a Secret that exists in the output, never a default password', () => {
    const { chart, objects } = synthStack({ ...WITHOUT_LOGS, credentials: new MemoryCredentialStore() });
    const stack = chart.prometheusStack!;
    const values = helmReleaseValues(objects, stack.releaseName);
    expect(values.grafana.admin.existingSecret).toBe(stack.grafanaAdminSecretName);
    expect(values.grafana.adminPassword).toBeUndefined();
    const secret = one(objects, 'Secret', stack.grafanaAdminSecretName);
    expect(secret.metadata.namespace).toBe(stack.prometheusNamespace);
    const password = secret.stringData[values.grafana.admin.passwordKey];
    expect(secret.stringData[values.grafana.admin.userKey]).toBe('admin');
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(['prom-operator', 'admin', 'password']).not.toContain(password);
  });

  it('keeps a generated password stable within a credential store and different between stores', () => {
    const store = new MemoryCredentialStore();
    const password = (s: MemoryCredentialStore) =>
      one(synthStack({ ...WITHOUT_LOGS, credentials: s }).objects, 'Secret', 'kube-prometheus-stack-grafana-admin').stringData[GRAFANA_ADMIN_SECRET_KEYS.password];
    expect(password(store)).toBe(password(store));
    expect(password(new MemoryCredentialStore())).not.toBe(password(store));
  });

  it('uses a given password, and with existingSecret emits no Secret at all', () => {
    const given = synthStack({ prometheusStack: { grafana: { adminPassword: 'correct-horse-battery' } } }).objects;
    expect(one(given, 'Secret', 'kube-prometheus-stack-grafana-admin').stringData['admin-password']).toBe('correct-horse-battery');
    const { objects } = synthStack({ prometheusStack: { grafana: { existingSecret: 'grafana-from-vault' } } });
    expect(ofKind(objects, 'Secret').map((s) => s.metadata.name)).not.toContain('kube-prometheus-stack-grafana-admin');
    expect(helmReleaseValues(objects, 'kube-prometheus-stack').grafana.admin.existingSecret).toBe('grafana-from-vault');
  });

  it('selects monitors and rules in every namespace by the one label it hands out', () => {
    const { chart, objects } = synthStack({ prometheusStack: { releaseName: 'prom' } });
    const stack = chart.prometheusStack!;
    expect(stack.monitorSelectorLabels).toEqual({ release: 'prom' });
    const spec = helmReleaseValues(objects, 'prom').prometheus.prometheusSpec;
    for (const kind of ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig']) {
      expect(spec[`${kind}Selector`]).toEqual({ matchLabels: stack.monitorSelectorLabels });
      expect(spec[`${kind}SelectorNilUsesHelmValues`]).toBe(false);
    }
    expect(spec.serviceMonitorNamespaceSelector).toEqual({});
  });

  it('derives the service names the chart creates from one release name', () => {
    const { chart, objects } = synthStack({ prometheusStack: { releaseName: 'prom' } });
    const stack = chart.prometheusStack!;
    const values = helmReleaseValues(objects, 'prom');
    // kube-prometheus-stack names its services "<fullname>-prometheus" / "-alertmanager", and the grafana
    // subchart uses its fullnameOverride; both overrides are set from the release name.
    expect(values.fullnameOverride).toBe('prom');
    expect(stack.prometheusServiceName).toBe(`${values.fullnameOverride}-prometheus`);
    expect(stack.alertmanagerServiceName).toBe(`${values.fullnameOverride}-alertmanager`);
    expect(stack.grafanaServiceName).toBe(values.grafana.fullnameOverride);
    expect(stack.prometheusUrl).toBe('http://prom-prometheus.observability.svc:9090');
  });

  it('installs the OpenSearch datasource plugin and the dashboard/datasource sidecars with the labels it hands out', () => {
    const { chart, objects } = synthStack();
    const stack = chart.prometheusStack!;
    const grafana = helmReleaseValues(objects, stack.releaseName).grafana;
    expect(grafana.plugins).toContain('grafana-opensearch-datasource');
    expect({ [grafana.sidecar.dashboards.label]: grafana.sidecar.dashboards.labelValue }).toEqual(stack.dashboardLabels);
    expect({ [grafana.sidecar.datasources.label]: grafana.sidecar.datasources.labelValue }).toEqual(stack.datasourceLabels);
  });

  it('sets requests and limits for every component it configures', () => {
    const values = helmReleaseValues(synthStack().objects, 'kube-prometheus-stack');
    const resources = [
      values.prometheus.prometheusSpec.resources,
      values.alertmanager.alertmanagerSpec.resources,
      values.prometheusOperator.resources,
      values.prometheusOperator.prometheusConfigReloader.resources,
      values.grafana.resources,
      // the dashboards and datasources sidecars (the grafana chart's one `sidecar.resources`; its default is {})
      values.grafana.sidecar.resources,
      values['kube-state-metrics'].resources,
      values['prometheus-node-exporter'].resources,
    ];
    for (const r of resources) {
      expect(r.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(r.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
  });

  it('bounds the TSDB by size as well as time: 85 % of the volume, in Prometheus base-2 MB', () => {
    const spec = (storageSize?: string) => helmReleaseValues(synthStack({ prometheusStack: { storageSize } }).objects, 'kube-prometheus-stack').prometheus.prometheusSpec;
    expect(spec().retentionSize).toBe('43520MB'); // 50Gi = 51200 MiB
    expect(spec('200Gi').retentionSize).toBe('174080MB');
    expect(spec('1Ti').retentionSize).toBe('891289MB');
    expect(spec('100Mi').retentionSize).toBe('85MB');
    expect(spec().retention).toBe('15d');
  });

  it('rejects a release name the chart would truncate', () => {
    const chart = Testing.chart();
    expect(() => new PrometheusStack(chart, 'p', { delivery: new FluxDelivery(), releaseName: 'a-very-long-release-name-for-prometheus' })).toThrow(
      /releaseName.*at most 26/,
    );
  });

  it('lets pass-through values override computed ones', () => {
    const { objects } = synthStack({ chartValues: { 'kube-prometheus-stack': { prometheus: { prometheusSpec: { retention: '30d' } } } } });
    const spec = helmReleaseValues(objects, 'kube-prometheus-stack').prometheus.prometheusSpec;
    expect(spec.retention).toBe('30d');
    expect(spec.serviceMonitorSelector).toEqual({ matchLabels: { release: 'kube-prometheus-stack' } });
  });
});

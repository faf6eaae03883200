import { describe, expect, it } from 'vitest';
import { UPSTREAM_CHARTS } from '../../src/core/upstream-chart.js';
import { configProblems } from '../support/config.js';
import { defaultValues, undeclaredPaths } from '../support/helm-values.js';
import { kubeValidate } from '../support/kube-validate.js';
import { helmReleaseValues, ofKind, one, synthStack } from '../support/synth.js';

const HUB = { objectStorage: { name: 'thanos-objstore' }, stores: ['sidecar.leaf-a.example.com:10901', 'sidecar.leaf-b.example.com:10901'] };

describe('Thanos hub', () => {
  it('is not deployed unless given', () => {
    const { chart, objects } = synthStack();
    expect(chart.thanosHub).toBeUndefined();
    expect(ofKind(objects, 'HelmRelease').map((r) => r.metadata.name)).not.toContain('thanos');
  });

  const { chart, objects } = synthStack({ thanosHub: HUB });
  const values = helmReleaseValues(objects, 'thanos');

  it('delivers the pinned thanos-community chart, every key it sets declared by that chart version', () => {
    const release = one(objects, 'HelmRelease', 'thanos');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'thanos', version: UPSTREAM_CHARTS.thanos.version });
    expect(undeclaredPaths(values, defaultValues('thanos'))).toEqual([]);
    const result = kubeValidate(objects);
    expect(result.invalid, result.output).toBe(0);
  });

  it('queries the leaves\' sidecars and the bucket (Store Gateway found by the chart), from the Secret it is given', () => {
    expect(values.query.endpoints).toEqual({ autogen: { enabled: true }, static: HUB.stores });
    expect(values.global.objstore).toEqual({ createSecret: false, secretName: 'thanos-objstore', secretKey: 'objstore.yml' });
    expect([values.query.enabled, values.storegateway.enabled, values.compactor.enabled]).toEqual([true, true, true]);
    // Receive is on in the chart's defaults: the leaves upload through sidecars, so the hub runs no write path.
    expect(defaultValues('thanos').receive).toMatchObject({ enabled: true });
    expect([values.receive.enabled, values.bucket.enabled, values.queryFrontend.enabled, values.ruler.enabled]).toEqual([false, false, false, false]);
    expect(values.compactor.retention).toEqual({ resolutionRaw: '30d', resolution5m: '90d', resolution1h: '1y' });
  });

  it('names the Query URL Grafana reads after the Service the chart creates (<fullname>-query, HTTP port 9090)', () => {
    expect(chart.thanosHub!.queryServiceName).toBe(`${values.fullnameOverride}-query`);
    expect(chart.thanosHub!.queryPort).toBe((defaultValues('thanos') as { query: { service: { httpPort: number } } }).query.service.httpPort);
    expect(chart.thanosHub!.queryUrl).toBe('http://thanos-query.observability.svc:9090');
  });

  it('runs under the restricted profile with requests and limits, and is scraped by the stack\'s Prometheus', () => {
    expect(values.global.containerSecurityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    for (const component of ['query', 'storegateway', 'compactor']) {
      expect(values[component].podSecurityContext, component).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(Object.keys(values[component].resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(values[component].resources.limits).sort()).toEqual(['cpu', 'memory']);
      expect(values[component].serviceMonitor).toEqual({ enabled: true, labels: chart.prometheusStack!.monitorSelectorLabels });
    }
  });

  it('config: a hub needs its object storage and at least one sidecar; errors name the key', () => {
    const base = 'charts:\n  delivery: flux\n';
    expect(configProblems(`${base}thanosHub:\n  stores: a.example.com:10901\n`)).toEqual([
      'thanosHub.objectStorage.name: a Thanos hub needs the Secret with its object storage configuration (the bucket the sidecars upload to)',
    ]);
    expect(configProblems(`${base}thanosHub:\n  objectStorage:\n    name: objstore\n`)).toEqual([
      "thanosHub.stores: name at least one leaf cluster's Thanos sidecar (host:port of its gRPC StoreAPI)",
    ]);
    expect(configProblems(`${base}thanosHub:\n  objectStorage:\n    name: objstore\n  stores: http://a.example.com\n`)[0]).toMatch(
      /^thanosHub\.stores: .*must be a gRPC endpoint host:port/,
    );
    expect(configProblems(`${base}thanosHub:\n  objectStorage:\n    name: objstore\n  stores: a.example.com:10901\n  retention:\n    raw: forever\n`)[0]).toMatch(
      /^thanosHub\.retention\.raw: "forever" is not allowed/,
    );
    expect(configProblems(`${base}thanosHub:\n  objectStorage:\n    name: objstore\n  stores: a.example.com:10901\n`)).toEqual([]);
  });
});

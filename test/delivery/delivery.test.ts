import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UPSTREAM_CHARTS } from '../../src/core/upstream-chart.js';
import { ofKind, one, synthStack } from '../support/synth.js';

function fakeHelm(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-helm-'));
  const file = join(dir, 'helm');
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('chart delivery', () => {
  it('flux: one HelmRepository per repository and a HelmRelease per chart, pinned and with CRDs managed', () => {
    const { objects } = synthStack({ delivery: 'flux' });
    const release = one(objects, 'HelmRelease', 'kube-prometheus-stack');
    const chart = UPSTREAM_CHARTS['kube-prometheus-stack'];
    expect(release.spec.chart.spec).toMatchObject({ chart: chart.chart, version: chart.version, sourceRef: { kind: 'HelmRepository', name: chart.repoName } });
    expect(release.spec.install.crds).toBe('CreateReplace');
    expect(release.spec.upgrade.crds).toBe('CreateReplace');
    const repository = one(objects, 'HelmRepository', chart.repoName);
    expect(repository.spec.url).toBe(chart.repoUrl);
    expect(repository.metadata.namespace).toBe(release.spec.chart.spec.sourceRef.namespace);
  });

  it('argocd: an Application per chart in the Argo CD namespace, synced server-side into ours', () => {
    const { objects } = synthStack({ delivery: 'argocd', deliveryOptions: { argocd: { applicationNamespace: 'gitops' } } });
    const app = one(objects, 'Application', 'opencost');
    expect(app.metadata.namespace).toBe('gitops');
    expect(app.spec.source).toMatchObject({ chart: 'opencost', targetRevision: UPSTREAM_CHARTS.opencost.version, repoURL: UPSTREAM_CHARTS.opencost.repoUrl });
    expect(app.spec.destination.namespace).toBe('observability');
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(app.spec.source.helm.valuesObject.opencost.prometheus.internal.serviceName).toBe('kube-prometheus-stack-prometheus');
  });

  it('external: no object for any upstream chart, our own objects stay', () => {
    const { objects } = synthStack({ delivery: 'external' });
    for (const kind of ['HelmRelease', 'HelmRepository', 'Application', 'CustomResourceDefinition', 'Deployment']) {
      expect(ofKind(objects, kind)).toEqual([]);
    }
    one(objects, 'Secret', 'kube-prometheus-stack-grafana-admin');
  });

  it('helm: fails at once without a helm binary, naming the alternatives', () => {
    expect(() => synthStack({ delivery: 'helm', deliveryOptions: { helm: { helmExecutable: '/nonexistent/helm' } } })).toThrow(
      /no '\/nonexistent\/helm' executable was found on PATH.*flux.*argocd.*external/,
    );
  });

  it('helm: rejects a helm older than 3.14', () => {
    const helm = fakeHelm('echo v3.12.3');
    expect(() => synthStack({ delivery: 'helm', deliveryOptions: { helm: { helmExecutable: helm } } })).toThrow(/reports version 'v3\.12\.3'.*>= 3\.14\.0/);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { UPSTREAM_CHARTS } from '../../src/core/upstream-chart.js';
import { HELM_KEEP_ANNOTATION } from '../../src/delivery/flux-delivery.js';

/** The pinned operators' CRDs (../shared, read-only beside the project). */
const SHARED_CRDS = join(import.meta.dirname, '..', '..', '..', 'shared', 'crds');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
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

  it.runIf(hasKubectl)(
    'flux: every CRD a release renders from its templates is marked kept on uninstall (checked with the kustomize in kubectl)',
    () => {
      const { objects } = synthStack({ delivery: 'flux' });
      const releases = ofKind(objects, 'HelmRelease');
      const patches = releases.map((r) => r.spec.postRenderers[0].kustomize.patches);
      for (const p of patches) expect(p).toEqual(patches[0]);
      // What the post-renderer sees: the opensearch-operator chart's CRDs (rendered from templates/, so Helm would
      // delete them on uninstall) beside an ordinary object.
      const dir = mkdtempSync(join(tmpdir(), 'post-render-'));
      const crd = readFileSync(join(SHARED_CRDS, 'opensearch-operator-2.8.0', 'opensearch.opster.io_opensearchclusters.yaml'), 'utf8');
      writeFileSync(join(dir, 'rendered.yaml'), `${crd}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: opensearch-operator\n  namespace: observability\n`);
      writeFileSync(join(dir, 'kustomization.yaml'), stringify({ resources: ['rendered.yaml'], patches: patches[0] }));
      const rendered = parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map((d) => d.toJS());
      const annotations = (kind: string) => rendered.find((o) => o.kind === kind)?.metadata.annotations ?? {};
      expect(annotations('CustomResourceDefinition')).toMatchObject(HELM_KEEP_ANNOTATION);
      expect(annotations('CustomResourceDefinition')['controller-gen.kubebuilder.io/version']).toBeDefined();
      expect(annotations('ServiceAccount')).not.toHaveProperty('helm.sh/resource-policy');
      expect(rendered.find((o) => o.kind === 'CustomResourceDefinition').metadata.name).toBe('opensearchclusters.opensearch.opster.io');
    },
  );

  it('argocd: deleting an Application leaves its resources (no resources finalizer), so uninstall keeps the CRDs', () => {
    const { objects } = synthStack({ delivery: 'argocd' });
    for (const app of ofKind(objects, 'Application')) {
      expect((app.metadata as { finalizers?: string[] }).finalizers ?? []).not.toContain('resources-finalizer.argocd.argoproj.io');
    }
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

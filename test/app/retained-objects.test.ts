/**
 * Uninstall keeps data: `kubectl delete -f dist/` must not reach the Namespaces (their deletion takes the
 * PersistentVolumeClaims of Prometheus and OpenSearch along) or the CRDs (their deletion takes every custom
 * resource along, the OpenSearchCluster included). The app writes those to dist/keep/. Which objects a
 * `kubectl ... -f dist/` visits is shown by the real kubectl: `kubectl label --local -f dist/ -o name` reads the
 * files through the same file visitor as `kubectl delete -f dist/` and needs no cluster.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../../app/main.js';
import { RETAINED_DIRECTORY, RETAINED_KINDS } from '../../app/retained-objects.js';
import { writeTestCredentialsFile, type K8sObject } from '../support/synth.js';

const HELM = join(import.meta.dirname, '..', 'support', 'helm-standin', 'helm.mjs');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

function synthProject(config: string): { dist: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'obs-keep-'));
  writeTestCredentialsFile(dir);
  writeFileSync(join(dir, 'observability.yaml'), config);
  const { files } = synthesize('dist', {}, dir);
  return { dist: join(dir, 'dist'), files: [...files] };
}

const objectsIn = (path: string): K8sObject[] => parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as K8sObject);
const ids = (objects: K8sObject[]) => objects.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`).sort();

describe.each([
  ['helm (stand-in helm renders a CRD per chart)', `charts:\n  delivery: helm\n  helmExecutable: ${HELM}\n`],
  ['flux', 'charts:\n  delivery: flux\n'],
  ['argocd', 'charts:\n  delivery: argocd\n'],
])('dist/keep/ with %s delivery', (_mode, config) => {
  const { dist, files } = synthProject(config);
  const top = readdirSync(dist).filter((f) => f.endsWith('.k8s.yaml')).flatMap((f) => objectsIn(join(dist, f)));
  const kept = readdirSync(join(dist, RETAINED_DIRECTORY)).flatMap((f) => objectsIn(join(dist, RETAINED_DIRECTORY, f)));

  it('holds every Namespace and CRD, and the files directly in dist/ hold none of them', () => {
    expect(kept.length).toBeGreaterThan(0);
    expect(new Set(kept.map((o) => o.kind))).toEqual(new Set(kept.map((o) => o.kind).filter((k) => k in RETAINED_KINDS)));
    expect(top.filter((o) => o.kind in RETAINED_KINDS)).toEqual([]);
    expect(ids(kept)).toContain('namespace/observability');
    expect(files.filter((f) => f.startsWith(`${RETAINED_DIRECTORY}/`)).length).toBeGreaterThan(0);
  });

  it.runIf(hasKubectl)('is out of reach of `kubectl delete -f dist/` (kubectl visits exactly the top-level objects)', () => {
    const visited = execFileSync('kubectl', ['label', '--local', '-f', dist, 'probe=1', '-o', 'name'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .sort();
    expect(visited.length).toBe(top.length);
    expect(visited.filter((name) => /^(namespace|customresourcedefinition)/.test(name))).toEqual([]);
  });
});

describe('dist/keep/ with helm delivery', () => {
  it('carries the CRDs helm rendered', () => {
    const { dist } = synthProject(`charts:\n  delivery: helm\n  helmExecutable: ${HELM}\n`);
    const kept = readdirSync(join(dist, RETAINED_DIRECTORY)).flatMap((f) => objectsIn(join(dist, RETAINED_DIRECTORY, f)));
    expect(ids(kept.filter((o) => o.kind === 'CustomResourceDefinition'))).toEqual(
      expect.arrayContaining(['customresourcedefinition/widgets.kube-prometheus-stack.example.com', 'customresourcedefinition/widgets.opensearch-operator.example.com']),
    );
  });
});

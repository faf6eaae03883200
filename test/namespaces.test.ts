import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR } from './support/helm-values.js';
import { synthStack } from './support/synth.js';

/** Kinds of the pinned operators' CRDs whose scope is Cluster, read from ../shared/crds. */
function clusterScopedCrdKinds(): Set<string> {
  const kinds = new Set<string>();
  const root = join(SHARED_DIR, 'crds');
  for (const dir of readdirSync(root)) {
    for (const file of readdirSync(join(root, dir))) {
      for (const doc of parseAllDocuments(readFileSync(join(root, dir, file), 'utf8'))) {
        const crd = doc.toJS() as { kind?: string; spec?: { scope?: string; names?: { kind?: string } } } | null;
        if (crd?.kind === 'CustomResourceDefinition' && crd.spec?.scope === 'Cluster') kinds.add(crd.spec.names!.kind!);
      }
    }
  }
  return kinds;
}

/** Built-in cluster-scoped kinds this library could emit. */
const BUILT_IN_CLUSTER_SCOPED = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass', 'PersistentVolume', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'IngressClass', 'RuntimeClass'];

describe('namespaces of the synthesized objects', () => {
  const clusterScoped = new Set([...BUILT_IN_CLUSTER_SCOPED, ...clusterScopedCrdKinds()]);
  const { objects } = synthStack({ mcp: { enabled: true, opensearch: { image: 'registry.example.com/opensearch-mcp-server-py:0.10.0' } } });

  it('knows the fluent-operator cluster kinds (the CRD scan works)', () => {
    expect(clusterScoped).toContain('ClusterInput');
    expect(clusterScoped).not.toContain('FluentBit');
  });

  it('cluster-scoped objects carry no namespace (GitOps tools would report them out of sync)', () => {
    const offenders = objects.filter((o) => clusterScoped.has(o.kind) && o.metadata.namespace !== undefined);
    expect(objects.some((o) => clusterScoped.has(o.kind) && o.kind !== 'Namespace')).toBe(true);
    expect(offenders.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });

  it('every namespaced object names its namespace (nothing lands in "default")', () => {
    const missing = objects.filter((o) => !clusterScoped.has(o.kind) && !o.metadata.namespace);
    expect(missing.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });
});

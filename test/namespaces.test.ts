import { describe, expect, it } from 'vitest';
import { TEST_OPENSEARCH_IMAGE } from './support/mcp.js';
import { synthStack } from './support/synth.js';
import { upstreamCrds } from './support/upstream.js';

/** Kinds of the pinned operators' CRDs whose scope is Cluster (test/upstream/crds). */
function clusterScopedCrdKinds(): Set<string> {
  return new Set(upstreamCrds().filter((crd) => crd.spec.scope === 'Cluster').map((crd) => crd.spec.names.kind));
}

/** Built-in cluster-scoped kinds this library could emit. */
const BUILT_IN_CLUSTER_SCOPED = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass', 'PersistentVolume', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'IngressClass', 'RuntimeClass'];

describe('namespaces of the synthesized objects', () => {
  const clusterScoped = new Set([...BUILT_IN_CLUSTER_SCOPED, ...clusterScopedCrdKinds()]);
  const { objects } = synthStack({ mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } } });

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

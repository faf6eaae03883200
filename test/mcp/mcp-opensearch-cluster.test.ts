import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { createDelivery } from '../../src/delivery/create-delivery.js';
import { McpServers } from '../../src/mcp/mcp-servers.js';
import { OpenSearchCluster } from '../../src/logs/opensearch/opensearch-cluster.js';
import { testCredentials } from '../support/credentials.js';
import { kubeValidatePath } from '../support/kube-validate.js';
import { PROMETHEUS_TARGET, TEST_OPENSEARCH_IMAGE } from '../support/mcp.js';
import { allObjects, type K8sObject, ofKind, one } from '../support/synth.js';

/** The OpenSearch MCP server next to the real OpenSearchCluster, as ObservabilityChart arranges them. */
function synthWithCluster(outdir?: string) {
  const app = Testing.app(outdir ? { outdir } : {});
  const setup = new Chart(app, 'setup');
  const main = new Chart(app, 'main');
  main.addDependency(setup);
  const credentials = testCredentials();
  const delivery = createDelivery('flux');
  const cluster = new OpenSearchCluster(main, 'opensearch', { namespace: 'observability', delivery, setupScope: setup, credentials });
  const mcp = new McpServers(main, 'mcp', {
    namespace: 'observability',
    setupScope: setup,
    credentials,
    openSearchTarget: cluster,
    prometheusTarget: PROMETHEUS_TARGET,
    opensearch: { image: TEST_OPENSEARCH_IMAGE },
  });
  return { app, cluster, mcp, objects: allObjects(app) };
}

describe('the OpenSearch MCP server with the real OpenSearchCluster', () => {
  const { cluster, mcp, objects } = synthWithCluster();
  const server = mcp.opensearch!;
  const serverEnv = Object.fromEntries(
    one(objects, 'Deployment', 'opensearch-mcp-server').spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]),
  );
  const secret = (name: string): K8sObject => one(objects, 'Secret', name);

  it("uses credentials that are not the admin's: another Secret, another user, another password", () => {
    const ref = serverEnv.OPENSEARCH_PASSWORD.secretKeyRef;
    expect(ref.name).toBe(server.credentialsSecretName);
    expect(ref.name).not.toBe(cluster.adminCredentialsSecretName);
    const admin = secret(cluster.adminCredentialsSecretName).stringData;
    const own = secret(ref.name).stringData;
    expect(own.username).not.toBe(admin.username);
    expect(own.password).not.toBe(admin.password);
    expect(own.username).toBe(server.username);
  });

  it('creates its user in the cluster the target names, through the operator the cluster is managed by', () => {
    for (const kind of ['OpensearchUser', 'OpensearchRole', 'OpensearchUserRoleBinding']) {
      const resource = one(objects, kind, server.username);
      expect(resource.metadata.namespace).toBe(cluster.namespace);
      expect(resource.spec.opensearchCluster).toEqual({ name: cluster.clusterName });
    }
    one(objects, 'OpenSearchCluster', cluster.clusterName);
  });

  it("may read exactly the log indices the cluster's own log reader may read, and write nothing", () => {
    const mine = one(objects, 'OpensearchRole', server.username).spec.indexPermissions;
    const reader = one(objects, 'OpensearchRole', cluster.logReaderUsername).spec.indexPermissions;
    expect(mine.flatMap((p: any) => p.indexPatterns).sort()).toEqual(reader.flatMap((p: any) => p.indexPatterns).sort());
    for (const p of mine) expect(p.allowedActions).toEqual(['read', 'search', 'view_index_metadata', 'indices_monitor']);
  });

  it("connects to the cluster's URL, verifies it with the cluster's CA, and may reach only its pods", () => {
    expect(serverEnv.OPENSEARCH_URL).toBe(cluster.url);
    const volumes = one(objects, 'Deployment', 'opensearch-mcp-server').spec.template.spec.volumes;
    expect(volumes).toContainEqual(expect.objectContaining({ secret: { secretName: cluster.caSecret.name, items: [{ key: cluster.caSecret.key, path: cluster.caSecret.key }] } }));
    const egress = one(objects, 'NetworkPolicy', 'opensearch-mcp-server').spec.egress[1];
    expect(egress.to[0].podSelector.matchLabels).toEqual(cluster.podSelectorLabels);
    expect(egress.ports).toEqual([{ port: cluster.port, protocol: 'TCP' }]);
  });

  it('passes kube-validate with the cluster (synthesized to a directory)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'mcp-opensearch-'));
    const { app } = synthWithCluster(outdir);
    app.synth();
    const result = kubeValidatePath(outdir);
    expect(result.invalid, result.output).toBe(0);
    expect(ofKind(objects, 'OpensearchUserRoleBinding').length).toBeGreaterThan(0);
  });
});

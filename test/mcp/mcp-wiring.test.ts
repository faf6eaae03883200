import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { configToProps } from '../../src/config/config-schema.js';
import { parseConfig } from '../../src/config/load-config.js';
import { synthesize } from '../../app/main.js';
import { PropError } from '../../src/core/prop-error.js';
import { kubeValidatePath } from '../support/kube-validate.js';
import { OPENSEARCH_TARGET, TEST_OPENSEARCH_IMAGE } from '../support/mcp.js';
import { type K8sObject, ofKind, one, synthStack, writeTestCredentialsFile } from '../support/synth.js';
import { configProblems } from '../support/config.js';

const isMcp = (o: K8sObject) => o.metadata.labels?.['app.kubernetes.io/component'] === 'mcp-server';

const problems = configProblems;

describe('ObservabilityChart prop mcp', () => {
  it('is off by default: no MCP object at all', () => {
    const { chart, objects } = synthStack();
    expect(chart.mcp).toBeUndefined();
    expect(objects.filter(isMcp)).toEqual([]);
  });

  it("when on, deploys each server, wired to the stack's Prometheus and OpenSearch by the names they compute", () => {
    const { chart, objects } = synthStack({ mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } } });
    expect(ofKind(objects, 'Deployment').filter(isMcp).map((d) => d.metadata.name).sort()).toEqual([
      'kubernetes-mcp-server',
      'opensearch-mcp-server',
      'prometheus-mcp-server',
    ]);
    const stack = chart.prometheusStack!;
    const env = one(objects, 'Deployment', 'prometheus-mcp-server').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'PROMETHEUS_URL', value: stack.prometheusUrl });
    const egress = one(objects, 'NetworkPolicy', 'prometheus-mcp-server').spec.egress[1];
    expect(egress.to[0].podSelector.matchLabels).toEqual(stack.prometheusPodLabels);
    expect(egress.ports).toEqual([{ port: stack.prometheusPort, protocol: 'TCP' }]);

    const openSearch = chart.openSearch!;
    const osEnv = one(objects, 'Deployment', 'opensearch-mcp-server').spec.template.spec.containers[0].env;
    expect(osEnv).toContainEqual({ name: 'OPENSEARCH_URL', value: openSearch.url });
    expect(one(objects, 'OpensearchUser', chart.mcp!.opensearch!.username).spec.opensearchCluster).toEqual({ name: openSearch.clusterName });
    const passwordRef = osEnv.find((e: any) => e.name === 'OPENSEARCH_PASSWORD').valueFrom.secretKeyRef;
    expect(passwordRef.name).not.toBe(openSearch.adminCredentialsSecretName);
    // The user's password Secret goes to the setup chart, applied before the operator's custom resources.
    expect(chart.setupChart.toJson().map((o: K8sObject) => `${o.kind}/${o.metadata.name}`)).toContain(`Secret/${passwordRef.name}`);
    expect(chart.toJson().map((o: K8sObject) => o.kind)).toContain('OpensearchUser');
  });

  it('with MCP on and default settings, nothing in the whole output binds edit, admin or cluster-admin, and MCP roles only read', () => {
    const { objects } = synthStack({ mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } } });
    const bindings = objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
    expect(bindings.filter(isMcp).length).toBeGreaterThan(0);
    for (const b of bindings) expect(['edit', 'admin', 'cluster-admin'], `${b.kind}/${b.metadata.name}`).not.toContain(b.roleRef.name);
    for (const role of objects.filter((o) => isMcp(o) && (o.kind === 'Role' || o.kind === 'ClusterRole'))) {
      for (const rule of role.rules) {
        expect(rule.verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
        expect(rule.resources).not.toContain('secrets');
      }
    }
  });

  it('uses an OpenSearch of your own when given mcp.openSearchTarget', () => {
    const { objects } = synthStack({ mcp: { enabled: true, openSearchTarget: OPENSEARCH_TARGET, opensearch: { image: TEST_OPENSEARCH_IMAGE } } });
    const env = one(objects, 'Deployment', 'opensearch-mcp-server').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'OPENSEARCH_URL', value: OPENSEARCH_TARGET.url });
  });

  it('turns servers off one by one', () => {
    const { objects } = synthStack({ mcp: { enabled: true, opensearch: { enabled: false }, prometheus: { enabled: false } } });
    expect(ofKind(objects, 'Deployment').filter(isMcp).map((d) => d.metadata.name)).toEqual(['kubernetes-mcp-server']);
  });

  it('rejects mcp.prometheus without the Prometheus stack, and mcp.opensearch without an OpenSearch, naming the props', () => {
    expect(() => synthStack({ prometheusStack: { enabled: false }, openCost: { enabled: false }, mcp: { enabled: true, opensearch: { enabled: false } } })).toThrow(
      PropError,
    );
    expect(() => synthStack({ prometheusStack: { enabled: false }, openCost: { enabled: false }, mcp: { enabled: true, opensearch: { enabled: false } } })).toThrow(
      /mcp\.prometheus\.enabled: the Prometheus MCP server queries the stack's Prometheus: set prometheusStack\.enabled to true/,
    );
    const noOpenSearch = { openSearch: { enabled: false }, fluentBit: { enabled: false } } as const;
    expect(() => synthStack({ ...noOpenSearch, mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } } })).toThrow(
      /mcp\.opensearch\.enabled: the OpenSearch MCP server searches the logs, and no OpenSearch stores them: set openSearch\.enabled to true, set externalOpenSearch/,
    );
    expect(() => synthStack({ ...noOpenSearch, mcp: { enabled: true, opensearch: { enabled: false } } })).not.toThrow();
    expect(() => synthStack({ mcp: { enabled: true } })).toThrow(/mcp\.opensearch\.image: is required while the OpenSearch server is on: no published image/);
    expect(() => synthStack({ prometheusStack: { enabled: false }, openCost: { enabled: false }, mcp: { enabled: true, opensearch: { enabled: false }, prometheus: { enabled: false } } })).not.toThrow();
  });
});

describe('config file section mcp', () => {
  it('is off by default, and maps onto the chart prop', () => {
    expect(configToProps(parseConfig('')).mcp).toEqual({ enabled: undefined });
    const props = configToProps(
      parseConfig(
        [
          'mcp:',
          '  enabled: true',
          '  agentLabel: { key: example.com/agent, value: sre }',
          '  agentNamespaces: agents, sre',
          '  kubernetes:',
          '    writeNamespaces: team-a,team-b',
          '    apiServerCidr: 10.0.0.10/32',
          '  opensearch:',
          `    image: ${TEST_OPENSEARCH_IMAGE}`,
          '    existingSecret: my-reader',
          '  prometheus:',
          '    transport: sse',
        ].join('\n'),
      ),
    ).mcp!;
    expect(props.enabled).toBe(true);
    expect(props.agentPodLabels).toEqual({ 'example.com/agent': 'sre' });
    expect(props.agentNamespaces).toEqual(['agents', 'sre']);
    expect(configToProps(parseConfig("mcp:\n  agentNamespaces: '*'\n")).mcp!.agentNamespaces).toEqual(['*']);
    expect(props.kubernetes).toMatchObject({ writeNamespaces: ['team-a', 'team-b'], apiServer: { cidrs: ['10.0.0.10/32'] } });
    expect(props.opensearch).toMatchObject({ image: TEST_OPENSEARCH_IMAGE, existingCredentialsSecret: { name: 'my-reader' } });
    expect(props.prometheus).toMatchObject({ transport: 'sse' });
  });

  it('names bad values with their key path and what is allowed', () => {
    expect(problems('mcp:\n  kubernetes:\n    writeNamespaces: Team_A\n')).toEqual([
      'mcp.kubernetes.writeNamespaces: "Team_A" is not allowed: must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
    ]);
    expect(problems('mcp:\n  prometheus:\n    image: ghcr.io/pab1it0/prometheus-mcp-server\n')[0]).toMatch(/^mcp\.prometheus\.image: .* must be an image reference pinned by a tag other than latest or by a digest/);
    expect(problems('mcp:\n  prometheus:\n    transport: websocket\n')[0]).toMatch(/^mcp\.prometheus\.transport: .*allowed: http, sse/);
    expect(problems('mcp:\n  kubernets: {}\n')[0]).toMatch(/^mcp\.kubernets: unknown key \(did you mean 'kubernetes'\?\)/);
  });

  it('rejects combinations that cannot work, naming the keys', () => {
    expect(problems('mcp:\n  enabled: true\n  opensearch:\n    enabled: false\nprometheus-stack:\n  enabled: false\nopencost:\n  enabled: false\n')).toEqual([
      "mcp.prometheus.enabled: the Prometheus MCP server queries the stack's Prometheus: set prometheus-stack.enabled to true, or mcp.prometheus.enabled to false",
    ]);
    expect(problems('mcp:\n  enabled: true\n')).toEqual([expect.stringMatching(/^mcp\.opensearch\.image: is required while the OpenSearch server is on: no published image/)]);
    expect(problems('mcp:\n  enabled: true\n  opensearch: { enabled: false }\n  kubernetes: { allowDestructive: true }\n')).toEqual([
      'mcp.kubernetes.allowDestructive: needs write access: set mcp.kubernetes.writeNamespaces, or leave allowDestructive off',
    ]);
    expect(problems('mcp:\n  enabled: true\n  opensearch: { enabled: false }\n  kubernetes: { clusterWideEditAccessIUnderstandTheRisk: true, writeNamespaces: a }\n')[0]).toMatch(
      /^mcp\.kubernetes\.writeNamespaces: cannot be combined with mcp\.kubernetes\.clusterWideEditAccessIUnderstandTheRisk, which already grants `edit`/,
    );
    const noOpenSearch = 'opensearch:\n  enabled: false\nfluentbit:\n  enabled: false\n';
    expect(problems(`${noOpenSearch}mcp:\n  enabled: true\n  opensearch: { image: ${TEST_OPENSEARCH_IMAGE} }\n`)).toEqual([
      'mcp.opensearch.enabled: the OpenSearch MCP server searches the logs, and no OpenSearch stores them: set opensearch.enabled to true, set opensearch.external, or set mcp.opensearch.enabled to false',
    ]);
    expect(problems(`opensearch:\n  enabled: false\n  external: { host: search.example.com, version: 2.19.2, writerCredentialsSecret: writer }\nmcp:\n  enabled: true\n  opensearch: { image: ${TEST_OPENSEARCH_IMAGE}, existingSecret: reader, egressCidr: 10.20.0.0/16 }\n`)).toEqual([]);
    expect(problems(`opensearch:\n  enabled: false\n  external: { host: search.example.com, version: 2.19.2, writerCredentialsSecret: writer }\nmcp:\n  enabled: true\n  opensearch: { image: ${TEST_OPENSEARCH_IMAGE}, existingSecret: reader }\n`)).toEqual([
      expect.stringMatching(/^mcp\.opensearch\.egressCidr: is required for an OpenSearch outside the cluster \(search\.example\.com\): up to opensearch-mcp-server-py 0\.11\.0 a caller can point a tool call at any URL/),
    ]);
    expect(problems('mcp:\n  enabled: true\n  opensearch: { image: registry.example.com/opensearch-mcp-server-py:0.10.0 }\n')).toEqual([
      expect.stringMatching(/^mcp\.opensearch\.image: 'registry\.example\.com\/opensearch-mcp-server-py:0\.10\.0' is opensearch-mcp-server-py 0\.10\.0; 0\.11\.0 or later is needed/),
    ]);
    expect(problems(`opensearch:\n  enabled: false\n  external: { host: search.example.com, version: 2.19.2, writerCredentialsSecret: writer }\nmcp:\n  enabled: true\n  opensearch: { image: ${TEST_OPENSEARCH_IMAGE} }\n`)).toEqual([
      expect.stringMatching(/^mcp\.opensearch\.egressCidr: is required for an OpenSearch outside the cluster/),
      "mcp.opensearch.existingSecret: is required for an OpenSearch outside the cluster (search.example.com): no operator can create the server's user there; create a read-only user and give its Secret",
    ]);
    // Nothing is checked while MCP is off.
    expect(problems('mcp:\n  enabled: false\nprometheus-stack:\n  enabled: false\nopencost:\n  enabled: false\n')).toEqual([]);
  });
});

describe('the app with MCP on: kube-validate on the synthesized directory', () => {
  it('reports no invalid object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-mcp-'));
    writeTestCredentialsFile(dir);
    writeFileSync(
      join(dir, 'observability.yaml'),
      `charts:\n  delivery: flux\nmcp:\n  enabled: true\n  opensearch:\n    image: ${TEST_OPENSEARCH_IMAGE}\n  kubernetes:\n    writeNamespaces: team-a\n`,
    );
    const { files } = synthesize('dist', {}, dir);
    const written = files.flatMap((f) => parseAllDocuments(readFileSync(join(dir, 'dist', f), 'utf8')).map((d) => d.toJS() as K8sObject));
    // The MCP objects are in what gets validated: the three servers' NetworkPolicies, the OpenSearch user, the write Role.
    expect(ofKind(written.filter(isMcp), 'NetworkPolicy').map((o) => o.metadata.name).sort()).toEqual([
      'kubernetes-mcp-server',
      'opensearch-mcp-server',
      'prometheus-mcp-server',
    ]);
    expect(ofKind(written.filter(isMcp), 'OpensearchUser')).toHaveLength(1);
    expect(ofKind(written.filter(isMcp), 'Role').map((o) => o.metadata.namespace)).toEqual(['team-a']);
    const result = kubeValidatePath(join(dir, 'dist'));
    expect(result.invalid, result.output).toBe(0);
  });
});

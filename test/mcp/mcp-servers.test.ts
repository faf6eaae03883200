import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { MemoryCredentialStore } from '../../src/core/credential-store.js';
import { MCP_SERVER_IMAGES, MIN_OPENSEARCH_MCP_VERSION } from '../../src/mcp/mcp-images.js';
import { OPENSEARCH_API_SPEC_HOST, openSearchMcpStartupSeconds } from '../../src/mcp/opensearch-mcp-server.js';
import { kubeValidatePath } from '../support/kube-validate.js';
import {
  mcpProps,
  OPENSEARCH_TARGET,
  objectKey,
  podTemplates,
  PROMETHEUS_TARGET,
  rbacRules,
  selects,
  synthMcp,
  TEST_OPENSEARCH_IMAGE,
} from '../support/mcp.js';
import { allows } from '../support/rbac.js';
import { type K8sObject, ofKind, one } from '../support/synth.js';

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*'];
const BROAD_ROLES = ['edit', 'admin', 'cluster-admin'];
const SERVERS = ['kubernetes', 'opensearch', 'prometheus'] as const;
const serverName = (s: (typeof SERVERS)[number]) => `${s}-mcp-server`;

function container(objects: K8sObject[], deployment: string): any {
  return one(objects, 'Deployment', deployment).spec.template.spec.containers[0];
}

function env(objects: K8sObject[], deployment: string): Record<string, any> {
  return Object.fromEntries((container(objects, deployment).env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

describe('McpServers with default settings: least privilege', () => {
  const { objects } = synthMcp();

  it('deploys the three servers with their pinned images and ports', () => {
    expect(container(objects, 'kubernetes-mcp-server').image).toBe(MCP_SERVER_IMAGES.kubernetes);
    expect(container(objects, 'prometheus-mcp-server').image).toBe(MCP_SERVER_IMAGES.prometheus);
    expect(container(objects, 'opensearch-mcp-server').image).toBe(TEST_OPENSEARCH_IMAGE);
    const ports = Object.fromEntries(ofKind(objects, 'Service').map((s) => [s.metadata.name, s.spec.ports.map((p: any) => p.port)]));
    expect(ports).toEqual({ 'kubernetes-mcp-server': [8080], 'opensearch-mcp-server': [9900], 'prometheus-mcp-server': [8080] });
  });

  it('binds no edit, admin or cluster-admin role, and only roles it defines', () => {
    const bindings = [...ofKind(objects, 'ClusterRoleBinding'), ...ofKind(objects, 'RoleBinding')];
    expect(bindings.length).toBeGreaterThan(0);
    const defined = new Set(rbacRules(objects).map((r) => `${r.kind}/${r.name}`));
    for (const binding of bindings) {
      expect(BROAD_ROLES).not.toContain(binding.roleRef.name);
      expect(defined).toContain(`${binding.roleRef.kind}/${binding.roleRef.name}`);
    }
  });

  it('grants no create/update/patch/delete or wildcard verb, and no access to secrets', () => {
    const rules = rbacRules(objects);
    expect(rules.length).toBeGreaterThan(0);
    for (const { rule } of rules) {
      expect(rule.verbs.filter((v) => WRITE_VERBS.includes(v))).toEqual([]);
      expect(rule.resources).not.toContain('secrets');
      expect(rule.resources).not.toContain('*');
      expect(rule.apiGroups).not.toContain('*');
    }
  });

  it('lets the Kubernetes server read what diagnosis needs, cluster-wide (resources_list / resources_get on each)', () => {
    const server = { name: 'kubernetes-mcp-server', namespace: 'observability' };
    const needed = ['/pods', '/pods/log', '/events', 'events.k8s.io/events', '/nodes', '/services', '/namespaces', '/configmaps',
      'apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'apps/daemonsets', 'batch/jobs', 'batch/cronjobs',
      'ray.io/rayclusters', 'ray.io/rayjobs', 'ray.io/rayservices',
      // what a stuck pod or an unreachable service is often about
      '/persistentvolumeclaims', '/persistentvolumes', 'storage.k8s.io/storageclasses', '/endpoints', 'discovery.k8s.io/endpointslices',
      'autoscaling/horizontalpodautoscalers', 'policy/poddisruptionbudgets', 'networking.k8s.io/ingresses', '/resourcequotas', '/limitranges'];
    for (const entry of needed) {
      const [apiGroup, ...rest] = entry.split('/');
      for (const verb of ['get', 'list']) {
        expect(allows(objects, server, { verb, apiGroup: apiGroup!, resource: rest.join('/'), namespace: 'any-namespace' }), `${verb} ${entry}`).toBe(true);
      }
    }
    // Never the kubelet API (nodes_log / nodes_stats_summary would need it) nor Secrets.
    for (const resource of ['nodes/proxy', 'secrets']) expect(allows(objects, server, { verb: 'get', apiGroup: '', resource })).toBe(false);
  });

  it("turns the Kubernetes server's own read-only mode on, with the core toolset only", () => {
    const args: string[] = container(objects, 'kubernetes-mcp-server').args;
    expect(args).toContain('--read-only');
    expect(args.join(' ')).toContain('--port 8080');
    expect(args.join(' ')).toContain('--toolsets core');
  });

  it("selects each server's pods by the server's own labels, not by a label derived from the construct tree", () => {
    // A Deployment's selector is immutable: one derived from construct paths would break `kubectl apply` after a refactor.
    for (const d of ofKind(objects, 'Deployment')) {
      expect(d.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': d.metadata.name, 'app.kubernetes.io/component': 'mcp-server' } });
      expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
      expect(one(objects, 'Service', d.metadata.name).spec.selector).toEqual(d.spec.selector.matchLabels);
    }
  });

  it('mounts a ServiceAccount token only into the Kubernetes server', () => {
    const automount = Object.fromEntries(ofKind(objects, 'Deployment').map((d) => [d.metadata.name, d.spec.template.spec.automountServiceAccountToken]));
    expect(automount).toEqual({ 'kubernetes-mcp-server': true, 'opensearch-mcp-server': false, 'prometheus-mcp-server': false });
    const serviceAccounts = ofKind(objects, 'ServiceAccount');
    expect(serviceAccounts.map((sa) => sa.metadata.name).sort()).toEqual(['kubernetes-mcp-server', 'opensearch-mcp-server', 'prometheus-mcp-server']);
    for (const sa of serviceAccounts) expect(sa.automountServiceAccountToken).toBe(sa.metadata.name === 'kubernetes-mcp-server');
  });

  it('points the Prometheus server at the URL the PrometheusTarget computes', () => {
    expect(env(objects, 'prometheus-mcp-server').PROMETHEUS_URL).toBe(PROMETHEUS_TARGET.prometheusUrl);
    expect(env(objects, 'prometheus-mcp-server').PROMETHEUS_MCP_SERVER_TRANSPORT).toBe('http');
  });

  it('runs every server restricted: non-root, read-only root filesystem with /tmp, no capabilities, RuntimeDefault seccomp, requests and limits, probes', () => {
    for (const d of ofKind(objects, 'Deployment')) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
        expect(c.readinessProbe).toBeDefined();
        expect(c.livenessProbe).toBeDefined();
        expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      }
      expect(pod.volumes).toContainEqual(expect.objectContaining({ name: 'tmp', emptyDir: expect.anything() }));
    }
    expect(container(objects, 'kubernetes-mcp-server').readinessProbe.httpGet.path).toBe('/healthz');
    // Probes and the Service's targetPort reach the container's one port.
    for (const d of ofKind(objects, 'Deployment')) {
      const c = d.spec.template.spec.containers[0];
      const [port] = c.ports.map((p: any) => p.containerPort);
      for (const probe of [c.readinessProbe, c.livenessProbe]) expect((probe.httpGet ?? probe.tcpSocket).port, d.metadata.name).toBe(port);
      expect(one(objects, 'Service', d.metadata.name).spec.ports.map((p: any) => p.targetPort)).toEqual([port]);
    }
    expect(container(objects, 'prometheus-mcp-server').readinessProbe.tcpSocket).toBeDefined();
  });
});

describe('start-up: every server gets a startup probe sized to its real start', () => {
  const { objects } = synthMcp();
  const budget = (probe: any) => probe.periodSeconds * probe.failureThreshold;

  it.each([
    ['kubernetes-mcp-server', 60],
    ['prometheus-mcp-server', 60],
    ['opensearch-mcp-server', openSearchMcpStartupSeconds(false)],
  ])('%s: the startup probe allows %i s, and liveness / readiness wait for it instead of an initial delay', (name, seconds) => {
    const server = container(objects, name);
    expect(budget(server.startupProbe)).toBeGreaterThanOrEqual(seconds);
    expect(budget(server.startupProbe)).toBeLessThan(seconds + server.startupProbe.periodSeconds);
    for (const probe of [server.livenessProbe, server.readinessProbe]) {
      expect(probe.initialDelaySeconds ?? 0).toBe(0);
      // Same check as the startup probe, so a server that passed start-up is not killed by a different one.
      expect(probe.httpGet ?? probe.tcpSocket).toEqual(server.startupProbe.httpGet ?? server.startupProbe.tcpSocket);
    }
  });

  it('probes the OpenSearch server on /health', () => {
    expect(container(objects, 'opensearch-mcp-server').startupProbe.httpGet).toMatchObject({ path: '/health', port: 9900 });
  });

  it('by default the OpenSearch server does not download its OpenAPI spec files: the host resolves to the pod itself, and no egress on 443', () => {
    const pod = one(objects, 'Deployment', 'opensearch-mcp-server').spec.template.spec;
    expect(pod.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: [OPENSEARCH_API_SPEC_HOST] }]);
    const egress = one(objects, 'NetworkPolicy', 'opensearch-mcp-server').spec.egress;
    expect(egress.flatMap((rule: any) => rule.ports.map((p: any) => p.port))).not.toContain(443);
  });

  it('with apiSpecDownloadCidrs: egress on 443 to them, no alias, and a startup budget that outlasts two aiohttp timeouts', () => {
    const { objects: downloading } = synthMcp(mcpProps({ opensearch: { apiSpecDownloadCidrs: ['185.199.108.0/22'] } }));
    const pod = one(downloading, 'Deployment', 'opensearch-mcp-server').spec.template.spec;
    expect(pod.hostAliases).toBeUndefined();
    expect(one(downloading, 'NetworkPolicy', 'opensearch-mcp-server').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '185.199.108.0/22' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    expect(budget(pod.containers[0].startupProbe)).toBeGreaterThanOrEqual(2 * 300 + openSearchMcpStartupSeconds(false));
    expect(() => synthMcp(mcpProps({ opensearch: { apiSpecDownloadCidrs: ['github'] } }))).toThrow(/opensearch\.apiSpecDownloadCidrs\.0: "github" is not allowed: must be a CIDR/);
  });
});

describe('the OpenSearch MCP server authenticates as a read-only user, not as admin', () => {
  const credentials = new MemoryCredentialStore({ 'observability/logs/mcp-log-reader-password': 'reader-password-123' });
  const { objects } = synthMcp(mcpProps({ credentials }));
  const serverEnv = env(objects, 'opensearch-mcp-server');

  it("reads its credentials from a Secret of its own, not the admin's", () => {
    const user = serverEnv.OPENSEARCH_USERNAME.secretKeyRef;
    const password = serverEnv.OPENSEARCH_PASSWORD.secretKeyRef;
    expect(user.name).toBe(password.name);
    expect(user.name).not.toBe(OPENSEARCH_TARGET.adminCredentialsSecret!.name);
    const secret = one(objects, 'Secret', user.name);
    expect(secret.stringData[user.key]).toBe('mcp-log-reader');
    expect(secret.stringData[user.key]).not.toBe('admin');
    expect(secret.stringData[password.key]).toBe('reader-password-123');
  });

  it('creates that user through the operator, in the cluster it names, allowed only to read the log indices', () => {
    const user = one(objects, 'OpensearchUser', 'mcp-log-reader');
    expect(user.metadata.namespace).toBe(OPENSEARCH_TARGET.namespace);
    expect(user.spec.opensearchCluster.name).toBe(OPENSEARCH_TARGET.clusterName);
    expect(user.spec.passwordFrom).toEqual({ name: serverEnv.OPENSEARCH_PASSWORD.secretKeyRef.name, key: 'password' });
    const role = one(objects, 'OpensearchRole', 'mcp-log-reader');
    expect(role.spec.opensearchCluster.name).toBe(OPENSEARCH_TARGET.clusterName);
    expect(role.spec.indexPermissions).toEqual([{ indexPatterns: ['logs-*', '.ds-logs-*'], allowedActions: ['read', 'search', 'view_index_metadata', 'indices_monitor'] }]);
    for (const permission of role.spec.clusterPermissions) expect(permission).not.toMatch(/all|manage|admin|write|\*/);
    // The version check before every tool call (GET /) and ClusterHealthTool; never the whole cluster state.
    expect(role.spec.clusterPermissions).toEqual(expect.arrayContaining(['cluster:monitor/main', 'cluster:monitor/health']));
    expect(role.spec.clusterPermissions).not.toContain('cluster:monitor/state');
    expect(role.spec.clusterPermissions).not.toContain('cluster_monitor');
    const binding = one(objects, 'OpensearchUserRoleBinding', 'mcp-log-reader');
    expect(binding.spec).toEqual({ opensearchCluster: { name: 'logs' }, users: ['mcp-log-reader'], roles: ['mcp-log-reader'] });
  });

  it("verifies OpenSearch's certificate with the target's CA, keeps writes off and cannot be pointed elsewhere", () => {
    expect(serverEnv.OPENSEARCH_URL).toBe(OPENSEARCH_TARGET.url);
    expect(serverEnv.OPENSEARCH_SSL_VERIFY).toBe('true');
    expect(serverEnv.OPENSEARCH_CA_CERT_PATH).toBe('/etc/opensearch-mcp/ca/ca.crt');
    expect(serverEnv.OPENSEARCH_SETTINGS_ALLOW_WRITE).toBe('false');
    expect(serverEnv.OPENSEARCH_DYNAMIC_CONNECTION).toBe('false');
    const volumes = one(objects, 'Deployment', 'opensearch-mcp-server').spec.template.spec.volumes;
    expect(volumes).toContainEqual(expect.objectContaining({ secret: { secretName: 'logs-http-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }));
    expect(container(objects, 'opensearch-mcp-server').args).toEqual(['--transport', 'stream', '--host', '0.0.0.0', '--port', '9900']);
  });

  it("refuses the admin's Secret and the admin user", () => {
    expect(() => synthMcp(mcpProps({ opensearch: { existingCredentialsSecret: { name: 'logs-admin-credentials' } } }))).toThrow(
      /opensearch\.existingCredentialsSecret\.name: "logs-admin-credentials" holds the OpenSearch admin credentials/,
    );
    expect(() => synthMcp(mcpProps({ opensearch: { username: 'admin' } }))).toThrow(/opensearch\.username: "admin" is the OpenSearch admin/);
  });

  it('with a Secret of your own, emits no user, role, binding or Secret', () => {
    const { objects: own } = synthMcp(mcpProps({ opensearch: { existingCredentialsSecret: { name: 'my-reader' } } }));
    expect(own.filter((o) => /^Opensearch|^Secret$/.test(o.kind))).toEqual([]);
    expect(env(own, 'opensearch-mcp-server').OPENSEARCH_PASSWORD.secretKeyRef).toEqual({ name: 'my-reader', key: 'password' });
  });

  it('for an OpenSearch outside the cluster: needs a user of your own, and may reach only its port', () => {
    const { podSelectorLabels: _labels, ...outside } = { ...OPENSEARCH_TARGET, host: 'search.example.com', port: 443, url: 'https://search.example.com:443' };
    expect(() => synthMcp({ ...mcpProps(), openSearchTarget: outside })).toThrow(/opensearch\.existingCredentialsSecret: is required for an OpenSearch outside the cluster \(search\.example\.com\)/);
    // Without its addresses the read-only password could be sent anywhere by a redirected tool call.
    expect(() => synthMcp({ ...mcpProps({ opensearch: { existingCredentialsSecret: { name: 'reader' } } }), openSearchTarget: outside })).toThrow(
      /opensearch\.egressCidrs: is required for an OpenSearch outside the cluster \(search\.example\.com\): up to opensearch-mcp-server-py 0\.11\.0 a caller can point a tool call at any URL/,
    );
    const { objects: narrowed } = synthMcp({ ...mcpProps({ opensearch: { existingCredentialsSecret: { name: 'reader' }, egressCidrs: ['10.20.0.0/16'] } }), openSearchTarget: outside });
    expect(one(narrowed, 'NetworkPolicy', 'opensearch-mcp-server').spec.egress[1].to).toEqual([{ ipBlock: { cidr: '10.20.0.0/16' } }]);
  });

  it(`refuses images of releases before ${MIN_OPENSEARCH_MCP_VERSION}, and accepts digests and build tags it cannot read a version from`, () => {
    const image = (tag: string) => synthMcp(mcpProps({ opensearch: { image: `registry.example.com/opensearch-mcp-server-py${tag}` } }));
    expect(() => image(':0.10.0')).toThrow(/opensearch\.image: .*opensearch-mcp-server-py:0\.10\.0' is opensearch-mcp-server-py 0\.10\.0; 0\.11\.0 or later is needed/);
    expect(() => image(':v0.7.0')).toThrow(/0\.11\.0 or later is needed/);
    for (const ok of [':0.11.0', ':v0.12.1', ':1.0.0-rc1', ':0.11.0@sha256:' + 'a'.repeat(64), '@sha256:' + 'b'.repeat(64), ':main-20260701']) expect(() => image(ok), ok).not.toThrow();
  });

  it('needs an explicit image, and says why', () => {
    const props = mcpProps();
    expect(() => synthMcp({ ...props, opensearch: {} })).toThrow(/opensearch\.image: is required while the OpenSearch server is on: no published image of opensearch-mcp-server-py/);
  });

  it('keeps the generated password between synths (same credential store, same output)', () => {
    const store = new MemoryCredentialStore();
    const first = synthMcp(mcpProps({ credentials: store })).objects;
    const second = synthMcp(mcpProps({ credentials: store })).objects;
    expect(second).toEqual(first);
    expect(one(first, 'Secret', 'opensearch-mcp-server-credentials').stringData.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('NetworkPolicies', () => {
  const { objects } = synthMcp();
  const policies = ofKind(objects, 'NetworkPolicy');
  const pods = podTemplates(objects);

  it('each selects the pods of an MCP Deployment, and every MCP Deployment has one', () => {
    expect(policies.length).toBe(3);
    for (const policy of policies) {
      const selected = pods.filter((p) => p.namespace === policy.metadata.namespace && selects(policy.spec.podSelector, p.labels));
      expect(selected.map((p) => p.name), policy.metadata.name).toEqual([policy.metadata.name]);
      // Both directions isolated; the order of policyTypes has no meaning.
      expect([...policy.spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
    }
    for (const pod of pods) expect(policies.filter((p) => selects(p.spec.podSelector, pod.labels)).length, pod.name).toBe(1);
  });

  it("admit only pods carrying the agent label, in the stack's own namespace by default, on the server port", () => {
    for (const policy of policies) {
      expect(policy.spec.ingress).toHaveLength(1);
      const [rule] = policy.spec.ingress;
      expect(rule.from).toEqual([
        { podSelector: { matchLabels: { 'aiml-observability.io/mcp-client': 'true' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': policy.metadata.namespace } } },
      ]);
      const service = one(objects, 'Service', policy.metadata.name);
      expect(rule.ports).toEqual([{ port: service.spec.ports[0].port, protocol: 'TCP' }]);
    }
  });

  it('admit agents from any namespace only when told so with *', () => {
    const { objects: anywhere } = synthMcp(mcpProps({ agentNamespaces: ['*'] }));
    for (const policy of ofKind(anywhere, 'NetworkPolicy')) expect(policy.spec.ingress[0].from[0].namespaceSelector).toEqual({});
  });

  it('use the configured agent label and namespaces', () => {
    const { objects: custom } = synthMcp(mcpProps({ agentPodLabels: { 'team.example.com/agent': 'sre-bot' }, agentNamespaces: ['agents'] }));
    const policies = ofKind(custom, 'NetworkPolicy');
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(policy.spec.ingress[0].from).toEqual([
        { podSelector: { matchLabels: { 'team.example.com/agent': 'sre-bot' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'agents' } } },
      ]);
    }
    // Several namespaces: one peer each (the peers of a rule are alternatives).
    const { objects: two } = synthMcp(mcpProps({ agentNamespaces: ['sre', 'agents'] }));
    for (const policy of ofKind(two, 'NetworkPolicy')) {
      expect(policy.spec.ingress[0].from.map((peer: any) => peer.namespaceSelector)).toEqual([
        { matchLabels: { 'kubernetes.io/metadata.name': 'agents' } },
        { matchLabels: { 'kubernetes.io/metadata.name': 'sre' } },
      ]);
    }
  });

  it('let each server reach only the DNS and what it queries', () => {
    const dnsPorts = [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }];
    const dnsPods = {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: dnsPorts,
    };
    // NodeLocal DNSCache runs in the host network: only its address can be allowed.
    const nodeLocalDns = { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: dnsPorts };
    const inNamespace = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
    expect(one(objects, 'NetworkPolicy', 'prometheus-mcp-server').spec.egress).toEqual([
      dnsPods,
      { to: [{ namespaceSelector: inNamespace('observability'), podSelector: { matchLabels: PROMETHEUS_TARGET.prometheusPodLabels } }], ports: [{ port: 9090, protocol: 'TCP' }] },
      nodeLocalDns,
    ]);
    expect(one(objects, 'NetworkPolicy', 'opensearch-mcp-server').spec.egress).toEqual([
      dnsPods,
      { to: [{ namespaceSelector: inNamespace('observability'), podSelector: { matchLabels: OPENSEARCH_TARGET.podSelectorLabels } }], ports: [{ port: 9200, protocol: 'TCP' }] },
      nodeLocalDns,
    ]);
    // IPv4 and IPv6 API server addresses.
    const apiPorts = [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }];
    expect(one(objects, 'NetworkPolicy', 'kubernetes-mcp-server').spec.egress).toEqual([
      dnsPods,
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: apiPorts },
      { to: [{ ipBlock: { cidr: '::/0' } }], ports: apiPorts },
      nodeLocalDns,
    ]);
    const { objects: noCache } = synthMcp(mcpProps({ dns: { nodeLocalCidrs: [] } }));
    expect(one(noCache, 'NetworkPolicy', 'prometheus-mcp-server').spec.egress).toHaveLength(2);
  });

  it('narrow the API server egress to the configured CIDRs, and reject a malformed one', () => {
    const { objects: narrowed } = synthMcp(mcpProps({ kubernetes: { apiServer: { cidrs: ['10.0.0.10/32'], ports: [443] } } }));
    expect(one(narrowed, 'NetworkPolicy', 'kubernetes-mcp-server').spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '10.0.0.10/32' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    expect(() => synthMcp(mcpProps({ kubernetes: { apiServer: { cidrs: ['10.0.0.300/32'] } } }))).toThrow(/kubernetes\.apiServer\.cidrs\.0: "10\.0\.0\.300\/32" is not allowed: must be a CIDR/);
  });

  it('allow each of several CIDRs, IPv6 included, on the same ports (a peer holds one ipBlock: one rule each)', () => {
    const { objects: both } = synthMcp(mcpProps({ kubernetes: { apiServer: { cidrs: ['10.0.0.10/32', 'FD00:10::/64'], ports: [443, 6443] } } }));
    const ports = [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }];
    expect(one(both, 'NetworkPolicy', 'kubernetes-mcp-server').spec.egress.slice(1, -1)).toEqual([
      { to: [{ ipBlock: { cidr: '10.0.0.10/32' } }], ports },
      { to: [{ ipBlock: { cidr: 'fd00:10::/64' } }], ports },
    ]);
  });
});

describe('requests and limits of your own', () => {
  it('are written as given when the quantities are whole millicores and whole MiB', () => {
    const resources = { requests: { cpu: '250m', memory: '192Mi' }, limits: { cpu: '2', memory: '1Gi' } };
    const { objects } = synthMcp(mcpProps({ prometheus: { resources } }));
    expect(container(objects, 'prometheus-mcp-server').resources).toEqual({
      requests: { cpu: '250m', memory: '192Mi' },
      limits: { cpu: '2', memory: '1024Mi' },
    });
  });

  it('are refused, naming the field, when cdk8s-plus could not write them exactly', () => {
    const resources = (memory: string, cpu = '100m') => ({ requests: { cpu, memory }, limits: { cpu, memory } });
    expect(() => synthMcp(mcpProps({ kubernetes: { resources: resources('500M') } }))).toThrow(/resources\.requests\.memory: '500M' is not a memory quantity in whole MiB/);
    expect(() => synthMcp(mcpProps({ kubernetes: { resources: resources('1536Ki') } }))).toThrow(/resources\.requests\.memory: '1536Ki'/);
    expect(() => synthMcp(mcpProps({ kubernetes: { resources: resources('128Mi', '1.5 cores') } }))).toThrow(/resources\.requests\.cpu: '1\.5 cores' is not a CPU quantity/);
  });
});

describe('turning a server off removes all of its objects', () => {
  // One credential store, so the generated password (and so the Secret) is the same in every synth.
  const credentials = new MemoryCredentialStore();
  const all = synthMcp(mcpProps({ credentials })).objects;
  const byKey = new Map(all.map((o) => [objectKey(o), o]));

  it.each(SERVERS)('%s', (server) => {
    const { objects: without } = synthMcp(mcpProps({ credentials, [server]: { enabled: false } }));
    const removed = [...byKey.keys()].filter((k) => !without.some((o) => objectKey(o) === k)).sort();
    const own = all.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === serverName(server)).map(objectKey).sort();
    // At least the ServiceAccount, Deployment, Service and NetworkPolicy.
    expect(own.length).toBeGreaterThanOrEqual(4);
    expect(removed).toEqual(own);
    // What remains is exactly what was there before.
    for (const o of without) expect(o).toEqual(byKey.get(objectKey(o)));
  });

  it('all three off: nothing at all', () => {
    const { objects } = synthMcp(mcpProps({ kubernetes: { enabled: false }, opensearch: { enabled: false }, prometheus: { enabled: false } }));
    expect(objects).toEqual([]);
  });

  it('a server that is on needs its target, and says which', () => {
    expect(() => synthMcp({ ...mcpProps(), openSearchTarget: undefined })).toThrow(/opensearch\.enabled: the OpenSearch server needs an OpenSearch to search: pass openSearchTarget/);
    expect(() => synthMcp({ ...mcpProps(), prometheusTarget: undefined })).toThrow(/prometheus\.enabled: the Prometheus server needs a Prometheus to query: pass prometheusTarget/);
    expect(() => synthMcp({ ...mcpProps({ opensearch: { enabled: false } }), openSearchTarget: undefined })).not.toThrow();
  });
});

describe('write access is an explicit, namespaced opt-in', () => {
  const { objects } = synthMcp(mcpProps({ kubernetes: { writeNamespaces: ['team-b', 'team-a'] } }));
  const writing = rbacRules(objects).filter(({ rule }) => rule.verbs.some((v) => WRITE_VERBS.includes(v)));

  it('grants write verbs only in namespaced Roles, in the named namespaces, bound in the same namespace', () => {
    expect(writing.length).toBeGreaterThan(0);
    expect(new Set(writing.map((w) => w.kind))).toEqual(new Set(['Role']));
    expect([...new Set(writing.map((w) => w.namespace))].sort()).toEqual(['team-a', 'team-b']);
    for (const role of ofKind(objects, 'Role')) {
      const binding = ofKind(objects, 'RoleBinding').find((b) => b.metadata.namespace === role.metadata.namespace);
      expect(binding?.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
      expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kubernetes-mcp-server', namespace: 'observability' }]);
    }
    for (const clusterRole of ofKind(objects, 'ClusterRole')) {
      for (const rule of clusterRole.rules) expect(rule.verbs.filter((v: string) => WRITE_VERBS.includes(v))).toEqual([]);
    }
    expect(ofKind(objects, 'ClusterRoleBinding').map((b) => b.roleRef.name)).not.toEqual(expect.arrayContaining(BROAD_ROLES));
  });

  it('never grants secrets, pods/exec or RBAC, and no delete unless allowDestructive', () => {
    for (const { rule } of writing) {
      expect(rule.resources).not.toEqual(expect.arrayContaining(['secrets']));
      expect(rule.resources).not.toContain('pods/exec');
      expect(rule.apiGroups).not.toContain('rbac.authorization.k8s.io');
      expect(rule.verbs).not.toContain('delete');
    }
    const args: string[] = container(objects, 'kubernetes-mcp-server').args;
    expect(args).not.toContain('--read-only');
    // Not --disable-destructive (it hides the apply and scale tools too): the config file's enabled_tools leave the
    // deleting tools out (test/mcp/kubernetes-mcp-modes.test.ts has every mode).
    expect(args).not.toContain('--disable-destructive');
    const config = (o: K8sObject[]) => one(o, 'ConfigMap', 'kubernetes-mcp-server-config').data['config.toml'] as string;
    expect(config(objects)).toContain('"resources_create_or_update"');
    expect(config(objects)).not.toContain('"resources_delete"');

    const destructive = synthMcp(mcpProps({ kubernetes: { writeNamespaces: ['team-a'], allowDestructive: true } })).objects;
    expect(rbacRules(destructive).some(({ rule }) => rule.verbs.includes('delete'))).toBe(true);
    expect(config(destructive)).toContain('"resources_delete"');
  });

  it('rejects allowDestructive without write access and a namespace that is not a name', () => {
    expect(() => synthMcp(mcpProps({ kubernetes: { allowDestructive: true } }))).toThrow(/kubernetes\.allowDestructive: needs write access: set kubernetes\.writeNamespaces/);
    expect(() => synthMcp(mcpProps({ kubernetes: { writeNamespaces: ['Team_A'] } }))).toThrow(/kubernetes\.writeNamespaces\.0: "Team_A" is not allowed: must be a DNS label/);
  });

  it("binds the reference's cluster-wide edit only through the deliberately named setting", () => {
    const { objects: risky } = synthMcp(mcpProps({ kubernetes: { clusterWideEditAccessIUnderstandTheRisk: true } }));
    const edit = ofKind(risky, 'ClusterRoleBinding').filter((b) => b.roleRef.name === 'edit');
    expect(edit).toHaveLength(1);
    expect(edit[0]!.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kubernetes-mcp-server', namespace: 'observability' }]);
    expect(container(risky, 'kubernetes-mcp-server').args).not.toContain('--read-only');
    expect(() => synthMcp(mcpProps({ kubernetes: { clusterWideEditAccessIUnderstandTheRisk: true, writeNamespaces: ['a'] } }))).toThrow(
      /already grants `edit` in every namespace/,
    );
  });
});

describe('strict schema validation (kube-validate) of the synthesized MCP objects', () => {
  it.each([
    ['defaults', mcpProps()],
    ['write access, sse, custom agents', mcpProps({ kubernetes: { writeNamespaces: ['team-a'], allowDestructive: true }, prometheus: { transport: 'sse' }, agentNamespaces: ['a', 'b'] })],
  ])('%s: every object is valid', (_name, props) => {
    const outdir = mkdtempSync(join(tmpdir(), 'mcp-synth-'));
    const app = Testing.app({ outdir });
    synthMcp(props, app);
    app.synth();
    expect(readdirSync(outdir).length).toBeGreaterThan(0);
    expect(readFileSync(join(outdir, readdirSync(outdir)[0]!), 'utf8')).toContain('kind: OpensearchUser');
    const result = kubeValidatePath(outdir);
    expect(result.invalid, result.output).toBe(0);
  });
});

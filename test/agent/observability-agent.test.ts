/**
 * The ObservabilityAgent construct: what it synthesizes (alone with McpServers, and in the whole stack through the
 * config file's keys), strict schema validation in every delivery mode, and the rules the MCP servers hold, held
 * for the agent too: no Secrets access (no RBAC and no API token at all), restricted pods, a NetworkPolicy that
 * admits nothing in and lets it reach only the DNS, the MCP servers and the model.
 */
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AGENT_HEALTH_PATHS, AGENT_IMAGE_UID, AGENT_WEB_PORT } from '../../src/agent/agent-web-contract.js';
import { EKS_POD_IDENTITY_AGENT, ObservabilityAgent, type ObservabilityAgentProps } from '../../src/agent/observability-agent.js';
import type { DeliveryMode } from '../../src/core/chart-delivery.js';
import { McpServers, type McpServersProps } from '../../src/mcp/mcp-servers.js';
import { parseAgentArgs } from '../../app/agent-cli.js';
import { kubeValidate } from '../support/kube-validate.js';
import { mcpProps, selects, TEST_OPENSEARCH_IMAGE } from '../support/mcp.js';
import { allows } from '../support/rbac.js';
import { configProblems } from '../support/config.js';
import { type K8sObject, allObjects, ofKind, one, synthStack } from '../support/synth.js';

const IMAGE = 'registry.example.com/aiml-observability-agent:0.1.0';
const NAME = 'aiml-observability-agent';
const BEDROCK = { provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0', region: 'us-west-2', egressCidrs: ['10.0.128.0/20'] } as const;
const VLLM = { provider: 'openai-compatible', model: 'qwen3-32b', endpoint: 'http://vllm.ml-inference.svc:8000/v1', egressNamespace: 'ml-inference', egressPodLabels: { app: 'vllm' } } as const;

function synthAgent(agent: Partial<ObservabilityAgentProps> = {}, mcp: McpServersProps = mcpProps()): { objects: K8sObject[]; agent: ObservabilityAgent; servers: McpServers } {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  const servers = new McpServers(chart, 'mcp', mcp);
  const construct = new ObservabilityAgent(chart, 'agent', { image: IMAGE, llm: BEDROCK, mcp: servers, ...agent });
  return { objects: allObjects(app), agent: construct, servers };
}

const pod = (objects: K8sObject[]) => one(objects, 'Deployment', NAME).spec.template;
const container = (objects: K8sObject[]) => pod(objects).spec.containers[0];

describe('ObservabilityAgent', () => {
  const { objects, agent, servers } = synthAgent();

  it('runs `agent serve` with the model, every enabled MCP server by its in-cluster URL, and no write namespace', () => {
    const c = container(objects);
    expect(c.image).toBe(IMAGE);
    expect(c.command).toBeUndefined(); // the image's entrypoint is the aiml-observability bin
    expect(c.args.slice(0, 2)).toEqual(['agent', 'serve']);
    const args = parseAgentArgs(c.args.slice(2).filter((_: string, i: number, a: string[]) => !['--listen', '--port'].includes(a[i]!) && !['--listen', '--port'].includes(a[i - 1]!)), {});
    expect(args.provider).toEqual({ provider: 'bedrock', modelId: BEDROCK.model, region: 'us-west-2', profile: undefined, endpoint: undefined });
    expect(Object.fromEntries(args.servers.map((s) => [s.name, s.url]))).toEqual(servers.endpoints);
    expect(args.servers.map((s) => s.name).sort()).toEqual(['kubernetes', 'opensearch', 'prometheus']);
    expect(args.writeNamespaces).toEqual([]);
    expect(c.args.join(' ')).toContain(`--listen 0.0.0.0 --port ${AGENT_WEB_PORT}`);
  });

  it('has a ServiceAccount of its own without an API token, and no RBAC at all (so no Secrets access)', () => {
    const sa = one(objects, 'ServiceAccount', NAME);
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(pod(objects).spec.serviceAccountName).toBe(NAME);
    expect(pod(objects).spec.automountServiceAccountToken).toBe(false);
    const subjectOfAny = [...ofKind(objects, 'RoleBinding'), ...ofKind(objects, 'ClusterRoleBinding')].filter((b) => b.subjects.some((s: any) => s.name === NAME));
    expect(subjectOfAny).toEqual([]);
    for (const resource of ['secrets', 'pods', 'configmaps']) {
      expect(allows(objects, { name: NAME, namespace: 'observability' }, { verb: 'get', apiGroup: '', resource, namespace: 'observability' })).toBe(false);
    }
    // no env from a Secret with Bedrock either: credentials come from EKS Pod Identity
    expect(JSON.stringify(container(objects))).not.toContain('secretKeyRef');
  });

  it('runs restricted, with requests and limits and HTTP probes on the paths the server answers', () => {
    const spec = pod(objects).spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: AGENT_IMAGE_UID, seccompProfile: { type: 'RuntimeDefault' } });
    const c = container(objects);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(c.livenessProbe.httpGet).toEqual({ path: AGENT_HEALTH_PATHS.liveness, port: AGENT_WEB_PORT, scheme: 'HTTP' });
    expect(c.readinessProbe.httpGet).toEqual({ path: AGENT_HEALTH_PATHS.readiness, port: AGENT_WEB_PORT, scheme: 'HTTP' });
    expect(c.startupProbe.httpGet.path).toBe(AGENT_HEALTH_PATHS.liveness);
    expect(c.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
  });

  it('carries the label the MCP servers admit, asked from McpServers (a custom label included)', () => {
    const custom = synthAgent({}, mcpProps({ agentPodLabels: { 'team.example.com/agent': 'sre-bot' } })).objects;
    for (const [objs, label] of [
      [objects, { 'aiml-observability.io/mcp-client': 'true' }],
      [custom, { 'team.example.com/agent': 'sre-bot' }],
    ] as const) {
      const labels = pod(objs).metadata.labels;
      expect(labels).toMatchObject(label);
      // every MCP server's policy admits the agent's pod, in its namespace
      for (const policy of ofKind(objs, 'NetworkPolicy').filter((p) => p.metadata.name !== NAME)) {
        const peer = policy.spec.ingress[0].from[0];
        expect(selects(peer.podSelector, labels), policy.metadata.name).toBe(true);
        expect(peer.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'observability' } });
      }
    }
    expect(() => synthAgent({}, mcpProps({ agentNamespaces: ['agents'] }))).toThrow(/namespace: the MCP servers do not admit agents from namespace observability/);
  });

  it('admits nothing in, and reaches only the DNS, the enabled MCP servers on their ports, the model and the Pod Identity Agent', () => {
    const policy = one(objects, 'NetworkPolicy', NAME);
    expect(selects(policy.spec.podSelector, pod(objects).metadata.labels)).toBe(true);
    expect([...policy.spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
    expect(policy.spec.ingress ?? []).toEqual([]);
    const inNamespace = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
    const dnsPorts = [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }];
    const toServer = (name: string, port: number) => ({
      to: [{ namespaceSelector: inNamespace('observability'), podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'mcp-server' } } }],
      ports: [{ port, protocol: 'TCP' }],
    });
    expect(policy.spec.egress).toEqual([
      { to: [{ namespaceSelector: inNamespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: dnsPorts },
      { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: dnsPorts },
      toServer('kubernetes-mcp-server', 8080),
      toServer('opensearch-mcp-server', 9900),
      toServer('prometheus-mcp-server', 8080),
      { to: [{ ipBlock: { cidr: '10.0.128.0/20' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: EKS_POD_IDENTITY_AGENT.cidrs[0] } }], ports: [{ port: 80, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: EKS_POD_IDENTITY_AGENT.cidrs[1] } }], ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
    // a server turned off is neither reached nor named
    const { objects: two } = synthAgent({}, mcpProps({ opensearch: { enabled: false } }));
    expect(JSON.stringify(one(two, 'NetworkPolicy', NAME))).not.toContain('opensearch-mcp-server');
    expect(container(two).args.join(' ')).not.toContain('opensearch=');
  });

  it('reaches a vLLM in the cluster by its pods, with the key from a Secret (never in dist/) and no Pod Identity egress', () => {
    const { objects: vllm } = synthAgent({ llm: { ...VLLM, apiKeySecret: 'vllm-api-key' } });
    const c = container(vllm);
    expect(c.args.join(' ')).toContain('--provider openai-compatible --model qwen3-32b --base-url http://vllm.ml-inference.svc:8000/v1 --api-key-env AGENT_LLM_API_KEY');
    expect(c.env).toContainEqual({ name: 'AGENT_LLM_API_KEY', valueFrom: { secretKeyRef: { name: 'vllm-api-key', key: 'api-key' } } });
    // the Secret is yours: nothing of the agent's writes one
    expect(ofKind(vllm, 'Secret').map((s) => s.metadata.name)).toEqual(['opensearch-mcp-server-credentials']);
    const egress = one(vllm, 'NetworkPolicy', NAME).spec.egress;
    expect(egress.at(-1)).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ml-inference' } }, podSelector: { matchLabels: { app: 'vllm' } } }],
      ports: [{ port: 8000, protocol: 'TCP' }],
    });
    expect(JSON.stringify(egress)).not.toContain('169.254.170.23');
  });

  it("offers write tools only in the Kubernetes server's write namespaces, passed from McpServers", () => {
    const { objects: writing, agent: writer } = synthAgent({}, mcpProps({ kubernetes: { writeNamespaces: ['team-b', 'team-a'] } }));
    expect(writer.writeNamespaces).toEqual(['team-a', 'team-b']);
    expect(container(writing).args.join(' ')).toContain('--write-namespaces team-a,team-b');
    expect(agent.writeNamespaces).toEqual([]);
    // cluster-wide edit gives no write namespace: the agent stays read-only
    const { agent: edit } = synthAgent({}, mcpProps({ kubernetes: { clusterWideEditAccessIUnderstandTheRisk: true } }));
    expect(edit.writeNamespaces).toEqual([]);
  });

  it('has a ClusterIP Service for port-forward only, and no Ingress or LoadBalancer', () => {
    const service = one(objects, 'Service', NAME);
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: AGENT_WEB_PORT, targetPort: AGENT_WEB_PORT, protocol: 'TCP' }]);
    expect(selects({ matchLabels: service.spec.selector }, pod(objects).metadata.labels)).toBe(true);
    expect(ofKind(objects, 'Ingress')).toEqual([]);
    expect(agent.portForwardCommand).toBe(`kubectl -n observability port-forward svc/${NAME} 8080:8080`);
  });

  it('refuses bad or missing props, naming each', () => {
    const bad = (agentProps: Partial<ObservabilityAgentProps>) => () => synthAgent(agentProps);
    expect(bad({ image: undefined as unknown as string })).toThrow(/image: is required: build the image from the repository's Dockerfile/);
    expect(bad({ image: 'agent:latest' })).toThrow(/image: "agent:latest" is not allowed/);
    expect(bad({ llm: { ...BEDROCK, model: '' } })).toThrow(/llm\.model: is required: there is no default model/);
    expect(bad({ llm: { ...BEDROCK, provider: 'openai' as never } })).toThrow(/llm\.provider: .*bedrock.*openai-compatible/);
    expect(bad({ llm: { ...BEDROCK, region: undefined } })).toThrow(/llm\.region: is required with the bedrock provider/);
    expect(bad({ llm: { ...BEDROCK, egressCidrs: undefined } })).toThrow(/llm\.egressCidrs: give the model endpoint's addresses/);
    expect(bad({ llm: { ...VLLM, endpoint: undefined } })).toThrow(/llm\.endpoint: is required with the openai-compatible provider/);
    expect(bad({ llm: { ...VLLM, egressCidrs: ['10.0.0.0/8'] } })).toThrow(/exactly one/);
    expect(bad({ llm: { ...BEDROCK, apiKeySecret: 'k' } })).toThrow(/llm\.apiKeySecret: is for the openai-compatible provider/);
    expect(bad({ maxSteps: 0 })).toThrow(/maxSteps: 0 is not allowed: must be a whole number from 1 to 50/);
  });
});

describe('the agent in the whole stack', () => {
  const stack = (delivery: DeliveryMode, extra: Record<string, unknown> = {}) =>
    synthStack({
      delivery,
      ...(delivery === 'helm' ? { deliveryOptions: { helm: { helmExecutable: join(import.meta.dirname, '..', 'support', 'helm-standin', 'helm.mjs') } } } : {}),
      mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } },
      agent: { enabled: true, image: IMAGE, llm: VLLM },
      ...extra,
    });

  it.each<DeliveryMode>(['helm', 'flux', 'argocd', 'external'])('%s delivery: the agent is there, and every object is valid (strict schemas)', (delivery) => {
    const { objects } = stack(delivery);
    expect(one(objects, 'Deployment', NAME).metadata.namespace).toBe('observability');
    const result = kubeValidate(objects);
    expect(result.invalid, result.output).toBe(0);
  });

  it('is off by default, and needs the MCP servers', () => {
    expect(ofKind(synthStack({ mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } } }).objects, 'Deployment', NAME)).toEqual([]);
    expect(() => synthStack({ agent: { enabled: true, image: IMAGE, llm: VLLM } })).toThrow(/agent\.enabled: the agent's tools are the MCP servers: set mcp\.enabled to true/);
  });

  it('is configured by the agent keys of the config file, whose problems name the key and line', () => {
    const ok = ['mcp:', '  enabled: true', '  opensearch: {image: "registry.example.com/opensearch-mcp-server-py:0.11.0"}', 'agent:', '  enabled: true', `  image: ${IMAGE}`, '  llm:', '    provider: bedrock', '    model: us.anthropic.claude-sonnet-4-20250514-v1:0', '    region: us-west-2', '    egressCidr: 10.0.128.0/20, 10.0.144.0/20', ''].join('\n');
    expect(configProblems(ok)).toEqual([]);
    expect(configProblems(ok.replace('    region: us-west-2\n', ''))).toEqual([expect.stringMatching(/agent\.llm\.region: is required with the bedrock provider/)]);
    expect(configProblems(ok.replace('provider: bedrock', 'provider: openai'))).toEqual([expect.stringMatching(/agent\.llm\.provider/)]);
    expect(configProblems(ok.replace(`  image: ${IMAGE}\n`, ''))).toEqual([expect.stringMatching(/agent\.image: is required/)]);
  });
});

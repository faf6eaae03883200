import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEST_OPENSEARCH_IMAGE } from './support/mcp.js';
import { NetworkPolicyEvaluator, type PolicyPod, type PolicySource, inCidr, selectorMatches } from './support/network-policy.js';
import { type K8sObject, ofKind, one, synthStack, type StackProps } from './support/synth.js';

/**
 * Issue 15 item 10: every component admits exactly its clients. The pairs are derived from the synthesized
 * NetworkPolicies by an evaluator (test/support/network-policy.ts) over the pods the stack runs, with the labels and
 * ports their charts and operators give them, written here from the upstream sources (not from our constructs, so a
 * wrong selector in the library fails here):
 * - Prometheus and Alertmanager pods: prometheus-operator labels them `app.kubernetes.io/name: prometheus|alertmanager`,
 *   `operator.prometheus.io/name` / `alertmanager` = the resource's name (kube-prometheus-stack 88.5.3's own
 *   networkpolicy templates select them so); ports http-web, reloader-web, and Alertmanager's mesh 9094;
 * - the prometheus-operator: `app: kube-prometheus-stack-operator`, `release` (templates/prometheus-operator/
 *   _prometheus-operator.tpl), port https 10250;
 * - Grafana (chart 12.11.1) and kube-state-metrics (chart 8.4.0): `app.kubernetes.io/name` + `app.kubernetes.io/instance`;
 * - node-exporter (prometheus-node-exporter 4.56.1): host network, port 9100;
 * - OpenCost (chart 2.5.17 `opencost.selectorLabels`): ports 9003, 9090, 8081;
 * - dcgm-exporter (chart 4.8.2): `app.kubernetes.io/name: dcgm-exporter`, `app.kubernetes.io/instance`, port 9400;
 * - OpenSearch (opensearch-k8s-operator 2.8.0): nodes `opster.io/opensearch-cluster`, `opster.io/opensearch-nodepool`,
 *   ports 9200 and 9300; Dashboards `opensearch.cluster.dashboards`, 5601; the security config Job's pods carry
 *   Kubernetes' `job-name`; the operator's pods `control-plane: controller-manager` plus the chart's `podLabels`;
 * - Fluent Bit: the labels of the FluentBit resource (fluent-operator copies `spec.labels` to the DaemonSet's pods),
 *   port 2020 `metrics`; fluent-operator 3.10: `app.kubernetes.io/name: fluent-operator`;
 * - our own workloads (MCP servers, neuron-monitor, the Secret mirror): their synthesized pod templates.
 * Beside them: strangers (a pod without labels in each namespace, look-alikes of Grafana, Prometheus and the agent in
 * another namespace) and an address outside the pod network.
 */

const S = 'observability';
const N = 'observability-node-agents';

let nextIp = 1;
const pod = (name: string, namespace: string, labels: Record<string, string>, ports: PolicyPod['ports'] = [], hostNetwork = false): PolicyPod => ({
  name,
  namespace,
  labels,
  ports,
  hostNetwork,
  ip: `10.244.0.${nextIp++}`,
});

/** The pods the charts and operators run, as upstream labels them (see the file's comment). */
function upstreamPods(objects: K8sObject[]): PolicyPod[] {
  const pods: PolicyPod[] = [
    pod('prometheus', S, {
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': 'kube-prometheus-stack-prometheus',
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      'operator.prometheus.io/name': 'kube-prometheus-stack-prometheus',
      'operator.prometheus.io/shard': '0',
      prometheus: 'kube-prometheus-stack-prometheus',
    }, [{ name: 'http-web', port: 9090 }, { name: 'reloader-web', port: 8080 }]),
    pod('alertmanager', S, {
      'app.kubernetes.io/name': 'alertmanager',
      'app.kubernetes.io/instance': 'kube-prometheus-stack-alertmanager',
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      alertmanager: 'kube-prometheus-stack-alertmanager',
    }, [{ name: 'http-web', port: 9093 }, { name: 'reloader-web', port: 8080 }, { name: 'mesh-tcp', port: 9094 }, { name: 'mesh-udp', port: 9094, protocol: 'UDP' }]),
    pod('prometheus-operator', S, {
      app: 'kube-prometheus-stack-operator',
      release: 'kube-prometheus-stack',
      'app.kubernetes.io/name': 'kube-prometheus-stack-prometheus-operator',
      'app.kubernetes.io/component': 'prometheus-operator',
    }, [{ name: 'https', port: 10250 }]),
    pod('grafana', S, { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': 'kube-prometheus-stack' }, [{ name: 'grafana', port: 3000 }]),
    pod('kube-state-metrics', S, { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': 'kube-prometheus-stack', release: 'kube-prometheus-stack' }, [{ name: 'http', port: 8080 }]),
    pod('node-exporter', N, { 'app.kubernetes.io/name': 'prometheus-node-exporter', 'app.kubernetes.io/instance': 'kube-prometheus-stack', jobLabel: 'node-exporter' }, [{ name: 'metrics', port: 9100 }], true),
    pod('opencost', S, { 'app.kubernetes.io/name': 'opencost', 'app.kubernetes.io/instance': 'opencost' }, [{ name: 'http', port: 9003 }, { name: 'http-ui', port: 9090 }, { name: 'mcp', port: 8081 }]),
    pod('dcgm-exporter', N, { 'app.kubernetes.io/name': 'dcgm-exporter', 'app.kubernetes.io/instance': 'dcgm-exporter' }, [{ name: 'metrics', port: 9400 }]),
    pod('opensearch', S, { 'opster.io/opensearch-cluster': 'logs', 'opster.io/opensearch-nodepool': 'nodes' }, [{ name: 'http', port: 9200 }, { name: 'transport', port: 9300 }]),
    pod('opensearch-dashboards', S, { 'opensearch.cluster.dashboards': 'logs' }, [{ name: 'http', port: 5601 }]),
    pod('opensearch-securityconfig-job', S, { 'job-name': 'logs-securityconfig-update', 'batch.kubernetes.io/job-name': 'logs-securityconfig-update' }),
    pod('fluent-operator', S, { 'app.kubernetes.io/name': 'fluent-operator', 'app.kubernetes.io/component': 'operator' }, [{ name: 'metrics', port: 8080 }]),
  ];
  // The opensearch-operator's pods: the chart's fixed label and its `podLabels` value, as delivered.
  const operatorValues = one(objects, 'HelmRelease', 'opensearch-operator').spec.values;
  // With kubeRbacProxy off, the manager listens on 8081 (health) and on 127.0.0.1:8080 (metrics) only.
  pods.push(pod('opensearch-operator', S, { 'control-plane': 'controller-manager', ...operatorValues.podLabels }, [{ name: 'health', port: 8081 }]));
  // Fluent Bit's pods: the FluentBit resource's labels (fluent-operator pkg/operator/daemonset.go, v3.10.0).
  const fluentBit = one(objects, 'FluentBit', 'fluent-bit');
  pods.push(pod('fluent-bit', fluentBit.metadata.namespace!, fluentBit.spec.labels, [{ name: 'metrics', port: 2020 }]));
  return pods;
}

/** Our own workloads' pods, from their synthesized pod templates. */
function ownPods(objects: K8sObject[]): PolicyPod[] {
  return objects
    .filter((o) => ['Deployment', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind))
    .map((o) => {
      const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
      const ports = template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
      // A Job's name carries a hash of its spec (it is immutable): the table names it without.
      const name = o.kind === 'Job' ? o.metadata.name.replace(/-[0-9a-f]{8}$/, '') : o.metadata.name;
      return pod(name, o.metadata.namespace!, template.metadata.labels, ports, template.spec.hostNetwork === true);
    });
}

const AGENT_LABELS = { 'aiml-observability.io/mcp-client': 'true' };

function strangers(): PolicySource[] {
  return [
    ...[S, N, 'default', 'kube-system'].map((ns) => pod(`any pod in ${ns}`, ns, {})),
    pod('agent in observability', S, AGENT_LABELS),
    pod('agent in default', 'default', AGENT_LABELS),
    pod('grafana look-alike in default', 'default', { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': 'kube-prometheus-stack' }),
    pod('prometheus look-alike in default', 'default', { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'kube-prometheus-stack-prometheus' }),
    { name: 'an address outside the cluster', ip: '203.0.113.7' },
  ];
}

/** Synthesizes the stack and returns every pair its policies admit, with the sources and destinations used. */
function admitted(props: StackProps) {
  nextIp = 1;
  const { objects } = synthStack(props);
  const destinations = [...upstreamPods(objects), ...ownPods(objects)];
  const sources: PolicySource[] = [...destinations, ...strangers()];
  const evaluator = new NetworkPolicyEvaluator(objects);
  return { objects, sources, destinations, pairs: evaluator.admittedPairs(sources, destinations), evaluator };
}

const FULL: StackProps = { mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } }, gpuExporters: { neuron: { enabled: true } } };

/** The pairs the stack means to admit (issue 15 item 10), written out. */
function intended(sourceNames: readonly string[]): string[] {
  const pairs = [
    // Prometheus: itself (self-scrape of both ports), Grafana, OpenCost, the Prometheus MCP server, agent pods.
    'prometheus -> prometheus:9090/TCP', 'prometheus -> prometheus:8080/TCP',
    'grafana -> prometheus:9090/TCP', 'opencost -> prometheus:9090/TCP', 'prometheus-mcp-server -> prometheus:9090/TCP', 'agent in observability -> prometheus:9090/TCP',
    // Alertmanager: alerts and scrapes from Prometheus, Grafana's datasource, the replicas' mesh.
    'prometheus -> alertmanager:9093/TCP', 'prometheus -> alertmanager:8080/TCP', 'grafana -> alertmanager:9093/TCP',
    'alertmanager -> alertmanager:9094/TCP', 'alertmanager -> alertmanager:9094/UDP',
    // Scraped by Prometheus only.
    'prometheus -> grafana:3000/TCP', 'prometheus -> kube-state-metrics:8080/TCP', 'prometheus -> opencost:9003/TCP',
    'prometheus -> dcgm-exporter:9400/TCP', 'prometheus -> neuron-monitor:8000/TCP', 'prometheus -> fluent-bit:2020/TCP',
    'prometheus -> prometheus-operator:10250/TCP',
    // OpenSearch: its nodes, Dashboards, the operator, its security config Job, Fluent Bit, Grafana, the MCP server.
    'opensearch -> opensearch:9200/TCP', 'opensearch -> opensearch:9300/TCP', 'opensearch-dashboards -> opensearch:9200/TCP',
    'opensearch-operator -> opensearch:9200/TCP', 'opensearch-securityconfig-job -> opensearch:9200/TCP', 'fluent-bit -> opensearch:9200/TCP',
    'grafana -> opensearch:9200/TCP', 'opensearch-mcp-server -> opensearch:9200/TCP',
    // The admin's Job that creates the log data streams, and its CronJob that checks their lifecycle.
    'logs-log-streams -> opensearch:9200/TCP', 'logs-log-streams-check -> opensearch:9200/TCP',
    // The MCP servers: agent pods (their own policies, src/mcp/mcp-network.ts).
    'agent in observability -> kubernetes-mcp-server:8080/TCP', 'agent in observability -> opensearch-mcp-server:9900/TCP', 'agent in observability -> prometheus-mcp-server:8080/TCP',
    // node-exporter is on the host network: NetworkPolicy does not apply to it.
    '* -> node-exporter:9100/TCP (host network: no NetworkPolicy applies)',
  ];
  // The control plane calls the operator's admission webhooks from an address no selector can name; with the
  // default controlPlaneCidrs (any address) every source can reach that one port.
  for (const name of sourceNames) pairs.push(`${name} -> prometheus-operator:10250/TCP`);
  return [...new Set(pairs)].sort();
}

describe('the evaluator (test/support/network-policy.ts) can fail', () => {
  it('selectors, CIDRs, isolation, named ports, namespaces', () => {
    expect(selectorMatches({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['2'] }] }, { a: '1', b: '3' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'b', operator: 'Exists' }] }, { a: '1' })).toBe(false);
    expect(inCidr('10.244.0.7', '10.244.0.0/16')).toBe(true);
    expect(inCidr('10.245.0.7', '10.244.0.0/16')).toBe(false);
    expect(inCidr('fd00::1', '::/0')).toBe(true);
    expect(inCidr('10.0.0.1', '::/0')).toBe(false);
    const server = pod('server', 'a', { app: 's' }, [{ name: 'web', port: 80 }, { name: 'admin', port: 81 }]);
    const client = pod('client', 'b', { app: 'c' });
    const policy = (ingress: unknown[]): K8sObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { podSelector: { matchLabels: { app: 's' } }, policyTypes: ['Ingress'], ingress } });
    expect(new NetworkPolicyEvaluator([]).admits(client, server, 80)).toBe(true);
    expect(new NetworkPolicyEvaluator([policy([])]).admits(client, server, 80)).toBe(false);
    const byName = new NetworkPolicyEvaluator([policy([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } }, podSelector: { matchLabels: { app: 'c' } } }], ports: [{ port: 'web' }] }])]);
    expect(byName.admits(client, server, 80)).toBe(true);
    expect(byName.admits(client, server, 81)).toBe(false);
    expect(byName.admits(client, server, 80, 'UDP')).toBe(false);
    // A podSelector alone means the policy's own namespace.
    expect(new NetworkPolicyEvaluator([policy([{ from: [{ podSelector: { matchLabels: { app: 'c' } } }] }])]).admits(client, server, 80)).toBe(false);
    expect(new NetworkPolicyEvaluator([policy([{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`${client.ip}/32`] } }] }])]).admits(client, server, 80)).toBe(false);
  });
});

describe('ingress NetworkPolicies of the stack (issue 15 item 10)', () => {
  it('admit exactly the intended pairs, and no other: nothing from another namespace, no look-alike, nothing from outside', () => {
    const { pairs, sources } = admitted(FULL);
    expect(pairs).toEqual(intended(sources.map((s) => s.name)));
  });

  it('cover every pod the stack runs: each one is isolated, except node-exporter on the host network', () => {
    const { destinations, evaluator } = admitted(FULL);
    const open = destinations.filter((d) => evaluator.isolating(d).length === 0).map((d) => d.name);
    expect(open).toEqual(['node-exporter']);
  });

  it('follow the components that run: a client that is off is not admitted, a server that is off has no policy', () => {
    const { pairs, objects } = admitted({ ...FULL, openCost: { enabled: false }, mcp: { enabled: false } });
    const viaWebhookPort = (p: string) => p.endsWith('-> prometheus-operator:10250/TCP');
    expect(pairs.filter((p) => !viaWebhookPort(p) && (p.startsWith('opencost ') || p.includes('mcp-server') || p.startsWith('agent in')))).toEqual([]);
    expect(ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.name)).not.toContain('opencost-ingress');
  });

  it('admit agents from the namespaces mcp.agentNamespaces names, there only', () => {
    const { pairs } = admitted({ ...FULL, mcp: { ...FULL.mcp, agentNamespaces: ['default'] } });
    expect(pairs).toContain('agent in default -> prometheus:9090/TCP');
    expect(pairs).toContain('agent in default -> prometheus-mcp-server:8080/TCP');
    expect(pairs.filter((p) => p.startsWith('agent in observability ') && !p.includes('prometheus-operator'))).toEqual([]);
  });

  it("admit the agents, and nobody else, to OpenCost's MCP server when opencost.mcpServer turns it on", () => {
    expect(admitted(FULL).pairs.filter((p) => p.includes('-> opencost:8081'))).toEqual([]);
    const { pairs } = admitted({ ...FULL, openCost: { mcpServer: true } });
    expect(pairs.filter((p) => p.includes('-> opencost:8081'))).toEqual(['agent in observability -> opencost:8081/TCP']);
  });

  it("admit the Thanos hub's clients (thanos chart 0.38.0 labels and ports): Prometheus scrapes, Query reads the Store Gateway, Grafana reads Query", () => {
    nextIp = 1000;
    const { objects } = synthStack({ ...FULL, thanosHub: { objectStorage: { name: 'thanos-objstore' }, stores: ['sidecar.leaf-a.example.com:10901'] } });
    const thanos = (component: string, ports: PolicyPod['ports']) =>
      pod(`thanos-${component}`, S, { 'app.kubernetes.io/name': 'thanos', 'app.kubernetes.io/instance': 'thanos', 'app.kubernetes.io/component': component }, ports);
    const hub = [
      thanos('query', [{ name: 'http', port: 9090 }, { name: 'grpc', port: 10901 }]),
      thanos('storegateway', [{ name: 'grpc', port: 10901 }, { name: 'http', port: 10902 }]),
      thanos('compactor', [{ name: 'http', port: 10902 }]),
    ];
    const destinations = [...upstreamPods(objects), ...ownPods(objects), ...hub];
    const pairs = new NetworkPolicyEvaluator(objects).admittedPairs([...destinations, ...strangers()], hub);
    expect(pairs).toEqual([
      'grafana -> thanos-query:9090/TCP',
      'prometheus -> thanos-compactor:10902/TCP',
      'prometheus -> thanos-query:9090/TCP',
      'prometheus -> thanos-storegateway:10902/TCP',
      'thanos-query -> thanos-storegateway:10901/TCP',
    ]);
  });

  it('narrow the webhook port to controlPlaneCidrs', () => {
    const { pairs } = admitted({ ...FULL, networkPolicies: { controlPlaneCidrs: ['192.0.2.0/24'] } });
    expect(pairs.filter((p) => p.includes('prometheus-operator:'))).toEqual(['prometheus -> prometheus-operator:10250/TCP']);
  });

  it('are written only while networkPolicies.enabled (the MCP servers keep their own)', () => {
    const { objects } = synthStack({ ...FULL, networkPolicies: { enabled: false } });
    expect(ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.name).sort()).toEqual(['kubernetes-mcp-server', 'opensearch-mcp-server', 'prometheus-mcp-server']);
  });

  it('docs/security.md lists the admitted pairs of the default stack with MCP on (regenerate: UPDATE_SECURITY_DOC=1 npx vitest run test/network-policies.test.ts)', () => {
    const { pairs } = admitted(FULL);
    const webhook = pairs.filter((p) => p.endsWith('-> prometheus-operator:10250/TCP') && !p.startsWith('prometheus -> '));
    const rows = pairs
      .filter((p) => !webhook.includes(p))
      .map((p) => {
        const [, from, to, port, note] = /^(.*) -> ([^:]+):(\S+)(?: \((.*)\))?$/.exec(p)!;
        return `| ${from === '*' ? 'any pod or address' : from} | ${to} | ${port} | ${note ?? ''} |`;
      });
    rows.push("| any pod or address | prometheus-operator | 10250/TCP | the control plane's admission webhook calls come from outside the pod network; narrow with `networkPolicies.controlPlaneCidrs` |");
    const table = ['| from | to | port | note |', '|---|---|---|---|', ...rows].join('\n');
    const path = new URL('../docs/security.md', import.meta.url);
    const doc = readFileSync(path, 'utf8');
    const block = /(<!-- allowed-pairs:start[^\n]*-->\n)[\s\S]*?(<!-- allowed-pairs:end -->)/;
    expect(doc).toMatch(block);
    const updated = doc.replace(block, `$1${table}\n$2`);
    if (process.env.UPDATE_SECURITY_DOC === '1') writeFileSync(path, updated);
    expect(process.env.UPDATE_SECURITY_DOC === '1' ? updated : doc).toBe(updated);
  });
});

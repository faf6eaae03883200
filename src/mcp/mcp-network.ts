import { k8s } from 'cdk8s-plus-30';

/** The label every namespace carries with its own name (set by the API server since Kubernetes 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Label an agent's pods carry to be admitted by the MCP servers' NetworkPolicies, unless told otherwise. */
export const DEFAULT_AGENT_POD_LABELS: Readonly<Record<string, string>> = { 'aiml-observability.io/mcp-client': 'true' };

/** Where the cluster DNS runs: the MCP servers may reach it on port 53 and nothing else by name. */
export interface DnsEndpoint {
  /**
   * Namespace of the DNS pods.
   * @default "kube-system"
   */
  readonly namespace?: string;
  /**
   * Labels of the DNS pods.
   * @default { "k8s-app": "kube-dns" } (CoreDNS in kubeadm, EKS, GKE and AKS clusters)
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** Who may connect to the MCP servers. */
export interface AgentAccess {
  /**
   * Labels an agent's pod must carry to reach the servers.
   * @default { "aiml-observability.io/mcp-client": "true" }
   */
  readonly agentPodLabels?: Readonly<Record<string, string>>;
  /**
   * Namespaces the agent pods may run in.
   * @default any namespace
   */
  readonly agentNamespaces?: readonly string[];
}

type Port = { readonly port: number; readonly protocol?: 'TCP' | 'UDP' };

function ports(list: readonly Port[]): k8s.NetworkPolicyPort[] {
  return list.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' }));
}

function namespaceSelector(names: readonly string[]): k8s.LabelSelector {
  return names.length === 1
    ? { matchLabels: { [NAMESPACE_NAME_LABEL]: names[0]! } }
    : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names].sort() }] };
}

/** Ingress from agent pods (labelled as `access` says, in the namespaces it names) to `port`. */
export function agentIngress(access: AgentAccess, port: number): k8s.NetworkPolicyIngressRule {
  const labels = access.agentPodLabels ?? DEFAULT_AGENT_POD_LABELS;
  const namespaces = access.agentNamespaces;
  return {
    from: [{ podSelector: { matchLabels: { ...labels } }, namespaceSelector: namespaces?.length ? namespaceSelector(namespaces) : {} }],
    ports: ports([{ port }]),
  };
}

/** Egress to the cluster DNS, UDP and TCP 53. */
export function dnsEgress(dns: DnsEndpoint = {}): k8s.NetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: namespaceSelector([dns.namespace ?? 'kube-system']), podSelector: { matchLabels: { ...(dns.podLabels ?? { 'k8s-app': 'kube-dns' }) } } }],
    ports: ports([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]),
  };
}

/** Egress to the pods matching `podLabels` in `namespace` (any pod of the namespace without labels), on `port`. */
export function podEgress(namespace: string, podLabels: Readonly<Record<string, string>> | undefined, port: number): k8s.NetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: namespaceSelector([namespace]), ...(podLabels ? { podSelector: { matchLabels: { ...podLabels } } } : {}) }],
    ports: ports([{ port }]),
  };
}

/** Egress to addresses in `cidrs` on `portList`. */
export function cidrEgress(cidrs: readonly string[], portList: readonly number[]): k8s.NetworkPolicyEgressRule {
  return {
    to: cidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ports: ports(portList.map((port) => ({ port }))),
  };
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$|^[0-9a-fA-F:]+\/\d{1,3}$/;

/** Throws, naming `field`, unless every entry is an IPv4 or IPv6 CIDR. */
export function checkCidrs(field: string, cidrs: readonly string[]): void {
  for (const cidr of cidrs) {
    const match = CIDR.exec(cidr);
    const v4ok = match?.[1] === undefined || (match.slice(1, 5).every((o) => Number(o) <= 255) && Number(match[5]) <= 32);
    if (!match || !v4ok) throw new Error(`${field}: '${cidr}' is not a CIDR such as 10.0.0.1/32 or fd00::/8`);
  }
  if (cidrs.length === 0) throw new Error(`${field}: give at least one CIDR`);
}

import type { ApiObjectMetadata } from 'cdk8s';
import {
  type INetworkPolicyPeer,
  Namespaces,
  NetworkPolicy,
  NetworkPolicyIpBlock,
  NetworkPolicyPort,
  NetworkPolicyTrafficDefault,
  Pods,
} from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { z } from 'zod';
import { cidr, dnsLabel, labelKey, labelValue, PropChecks } from '../core/value-types.js';
import { ANY_NAMESPACE } from '../core/network-access.js';

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
  /**
   * Addresses of a node-local DNS cache the pods' resolver may use instead. NodeLocal DNSCache listens in the host
   * network namespace on a link-local address (169.254.20.10 unless configured otherwise), which a pod selector
   * cannot match. In its transparent mode it also answers on the kube-dns Service IP: add that IP here then.
   * @default ["169.254.20.10/32"]
   */
  readonly nodeLocalCidrs?: readonly string[];
}

/** The link-local address NodeLocal DNSCache listens on by default (its `__PILLAR__LOCAL__DNS__`). */
export const NODE_LOCAL_DNS_CIDR = '169.254.20.10/32';

/** The cluster DNS when {@link DnsEndpoint} leaves it out: CoreDNS pods labelled `k8s-app: kube-dns` in kube-system. */
export const DEFAULT_DNS = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } } as const;

/**
 * Egress to the cluster DNS on UDP and TCP 53, as every MCP server has it: the DNS pods, and the node-local DNS
 * cache's addresses (checked as CIDRs).
 */
export function dnsEgressTargets(dns: DnsEndpoint = {}): EgressTarget[] {
  const ports: EgressPort[] = [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }];
  const nodeLocal = dns.nodeLocalCidrs ?? [NODE_LOCAL_DNS_CIDR];
  if (nodeLocal.length) {
    const checks = new PropChecks();
    checks.check(CIDR_LIST, nodeLocal, 'dns.nodeLocalCidrs');
    checks.throwIfAny();
  }
  return [
    { namespace: dns.namespace ?? DEFAULT_DNS.namespace, podLabels: { ...(dns.podLabels ?? DEFAULT_DNS.podLabels) }, ports },
    ...(nodeLocal.length ? [{ cidrs: nodeLocal, ports }] : []),
  ];
}

/** Who may connect to the MCP servers. */
export interface AgentAccess {
  /**
   * Labels an agent's pod must carry to reach the servers.
   * @default { "aiml-observability.io/mcp-client": "true" }
   */
  readonly agentPodLabels?: Readonly<Record<string, string>>;
  /**
   * Namespaces the agent pods may run in; `["*"]` ({@link ANY_NAMESPACE}) for any. Anyone who can create a labelled
   * pod in one of them reads what the servers read (cluster-wide pod logs, ConfigMaps, all logs in OpenSearch).
   * @default the servers' own namespace (the stack's)
   */
  readonly agentNamespaces?: readonly string[];
}

/** In {@link AgentAccess.agentNamespaces}: agents may run in any namespace (the one constant the stack's policies share). */
export { ANY_NAMESPACE };

/** A port an MCP server may connect to. */
export interface EgressPort {
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Pods an MCP server may connect to: those matching `podLabels` in `namespace` (every pod there without labels). */
export interface PodEgress {
  readonly namespace: string;
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly ports: readonly EgressPort[];
}

/** Addresses outside the pod network an MCP server may connect to. */
export interface CidrEgress {
  /** IPv4 or IPv6 CIDRs ({@link CIDR_LIST}). */
  readonly cidrs: readonly string[];
  readonly ports: readonly EgressPort[];
}

/** Where an MCP server may connect to, besides the cluster DNS. */
export type EgressTarget = PodEgress | CidrEgress;

/** Egress to the pods matching `podLabels` in `namespace` (any pod of the namespace without labels), on `port`. */
export function podEgress(namespace: string, podLabels: Readonly<Record<string, string>> | undefined, port: number): PodEgress {
  return { namespace, ...(podLabels ? { podLabels } : {}), ports: [{ port }] };
}

/** Egress to addresses in `cidrs` on `ports`. */
export function cidrEgress(cidrs: readonly string[], ports: readonly number[]): CidrEgress {
  return { cidrs, ports: ports.map((port) => ({ port })) };
}

/** Props of {@link McpNetworkPolicy}. */
export interface McpNetworkPolicyProps extends AgentAccess {
  readonly metadata: ApiObjectMetadata;
  /** Labels of the server's pods, which the policy isolates. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The server's port, the only one agents may connect to. */
  readonly port: number;
  readonly egress: readonly EgressTarget[];
  readonly dns?: DnsEndpoint;
}

/**
 * The NetworkPolicy of one MCP server: ingress and egress denied by default; agent pods (labelled as
 * {@link AgentAccess} says, in the namespaces it names) may connect to the server port; the server may connect to
 * the cluster DNS (UDP and TCP 53) and to what `egress` names, nothing else.
 */
export class McpNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: McpNetworkPolicyProps) {
    super(scope, id);
    const policy = new NetworkPolicy(this, 'policy', {
      metadata: props.metadata,
      selector: Pods.select(this, 'server', { labels: { ...props.podLabels } }),
      ingress: { default: NetworkPolicyTrafficDefault.DENY },
      egress: { default: NetworkPolicyTrafficDefault.DENY },
    });
    const agentNamespaces = props.agentNamespaces?.includes(ANY_NAMESPACE)
      ? Namespaces.all(this, 'agent-namespaces')
      : Namespaces.select(this, 'agent-namespaces', { names: [...(props.agentNamespaces?.length ? props.agentNamespaces : [props.metadata.namespace!])].sort() });
    const agents = Pods.select(this, 'agents', { labels: { ...(props.agentPodLabels ?? DEFAULT_AGENT_POD_LABELS) }, namespaces: agentNamespaces });
    policy.addIngressRule(agents, [NetworkPolicyPort.tcp(props.port)]);

    const dns = props.dns ?? {};
    const dnsPods = Pods.select(this, 'dns', {
      labels: { ...(dns.podLabels ?? DEFAULT_DNS.podLabels) },
      namespaces: Namespaces.select(this, 'dns-namespace', { names: [dns.namespace ?? DEFAULT_DNS.namespace] }),
    });
    policy.addEgressRule(dnsPods, [NetworkPolicyPort.udp(53), NetworkPolicyPort.tcp(53)]);

    props.egress.forEach((target, i) => {
      const ports = target.ports.map((p) => (p.protocol === 'UDP' ? NetworkPolicyPort.udp(p.port) : NetworkPolicyPort.tcp(p.port)));
      for (const peer of egressPeers(this, `egress-${i}`, target)) policy.addEgressRule(peer, ports);
    });
    // After the targets, so a target's rule keeps its place in the policy.
    const nodeLocal = dns.nodeLocalCidrs ?? [NODE_LOCAL_DNS_CIDR];
    if (nodeLocal.length) {
      const checks = new PropChecks();
      checks.check(CIDR_LIST, nodeLocal, 'dns.nodeLocalCidrs');
      checks.throwIfAny();
    }
    for (const peer of egressPeers(this, 'node-local-dns', { cidrs: nodeLocal, ports: [] })) {
      policy.addEgressRule(peer, [NetworkPolicyPort.udp(53), NetworkPolicyPort.tcp(53)]);
    }
  }
}

/** The peers of one egress target: one per CIDR (a NetworkPolicy peer holds one ipBlock), or the selected pods. */
export function egressPeers(scope: Construct, id: string, target: EgressTarget): INetworkPolicyPeer[] {
  if ('cidrs' in target) {
    return target.cidrs.map((cidr, j) =>
      cidr.includes(':') ? NetworkPolicyIpBlock.ipv6(scope, `${id}-${j}`, cidr.toLowerCase()) : NetworkPolicyIpBlock.ipv4(scope, `${id}-${j}`, cidr),
    );
  }
  const namespaces = Namespaces.select(scope, `${id}-namespace`, { names: [target.namespace] });
  return [target.podLabels ? Pods.select(scope, id, { labels: { ...target.podLabels }, namespaces }) : Pods.all(scope, id, { namespaces })];
}

/** The CIDRs of an egress rule: at least one, each an IPv4 or IPv6 CIDR. */
export const CIDR_LIST = z.array(cidr).min(1, { error: 'give at least one CIDR' });

/** The namespaces and pod labels agents run with (the config file's keys use the same types). */
export const AGENT_ACCESS_VALUE_TYPES = {
  agentPodLabels: z.record(labelKey, labelValue),
  agentNamespaces: z.array(z.union([dnsLabel(), z.literal(ANY_NAMESPACE)])).min(1, { error: `name at least one namespace (${ANY_NAMESPACE} for any), or leave it out for the stack's namespace` }),
} as const;

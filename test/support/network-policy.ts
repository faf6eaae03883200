/**
 * A small NetworkPolicy evaluator (ingress only), after the Kubernetes 1.30 semantics
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/, networking.k8s.io/v1 NetworkPolicy):
 * - a pod is isolated for ingress when a policy of its namespace selects it and has `Ingress` in `policyTypes` (or no
 *   `policyTypes` and an `ingress` section); a pod nothing isolates admits everything;
 * - an isolated pod admits a connection when some selecting policy has a rule whose `from` matches the source (an
 *   absent or empty `from` matches every source) and whose `ports` match the port (absent or empty: every port);
 * - a peer with `podSelector` only selects pods of the policy's namespace; with `namespaceSelector` it selects pods
 *   of the namespaces whose labels match (and, with a `podSelector` too, only those pods); `ipBlock` matches
 *   addresses in the CIDR but not in `except`, pod addresses included (the conservative reading: the spec leaves
 *   pod addresses in ipBlocks to the network plugin);
 * - a port is matched by number or by the name of the destination container's port, with `endPort` ranges, TCP by
 *   default;
 * - pods on the host network are outside NetworkPolicy: they admit everything.
 * Written for the tests; it is not the network plugin, so what it proves holds for a plugin that implements the API.
 */
import type { K8sObject } from './synth.js';

/** A pod, as far as NetworkPolicy sees it. */
export interface PolicyPod {
  /** Name the tables show. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The pod's address (for ipBlock peers). */
  readonly ip: string;
  /** Ports the pod listens on, by container port name. */
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly protocol?: 'TCP' | 'UDP' }[];
  /** On the host network: NetworkPolicy does not apply. */
  readonly hostNetwork?: boolean;
}

/** A source of traffic: a pod, or an address outside the pod network. */
export type PolicySource = PolicyPod | { readonly name: string; readonly ip: string; readonly namespace?: undefined; readonly labels?: undefined };

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
type Peer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } };
type Rule = { from?: Peer[]; ports?: { port?: number | string; endPort?: number; protocol?: string }[] };

/** Whether `labels` satisfy a label selector (an empty selector selects everything). */
export function selectorMatches(selector: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const ok =
      e.operator === 'In' ? has && (e.values ?? []).includes(value!)
      : e.operator === 'NotIn' ? !has || !(e.values ?? []).includes(value!)
      : e.operator === 'Exists' ? has
      : e.operator === 'DoesNotExist' ? !has
      : (() => { throw new Error(`unknown selector operator ${e.operator}`); })();
    if (!ok) return false;
  }
  return true;
}

/** Whether an IPv4 or IPv6 address lies in a CIDR. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const v6 = ip.includes(':');
  if (v6 !== base!.includes(':')) return false;
  const bits = Number(bitsText);
  const a = toBits(ip);
  const b = toBits(base!);
  return a.slice(0, bits) === b.slice(0, bits);
}

function toBits(ip: string): string {
  if (!ip.includes(':')) return ip.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g || '0', 16).toString(2).padStart(16, '0')).join('');
}

/** The evaluator over one set of policies and the labels of the namespaces. */
export class NetworkPolicyEvaluator {
  private readonly policies: K8sObject[];

  constructor(
    objects: readonly K8sObject[],
    /** Labels of each namespace (`kubernetes.io/metadata.name` is added, as the API server does). */
    private readonly namespaceLabels: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
  ) {
    this.policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  }

  private labelsOfNamespace(ns: string): Record<string, string> {
    return { ...this.namespaceLabels[ns], 'kubernetes.io/metadata.name': ns };
  }

  /** The policies that isolate `pod` for ingress. */
  public isolating(pod: PolicyPod): K8sObject[] {
    if (pod.hostNetwork) return [];
    return this.policies.filter((p) => {
      if (p.metadata.namespace !== pod.namespace) return false;
      const types: string[] = p.spec.policyTypes ?? (p.spec.ingress ? ['Ingress'] : ['Ingress']);
      return types.includes('Ingress') && selectorMatches(p.spec.podSelector, pod.labels);
    });
  }

  /** Whether `to` admits a connection from `from` to `port`/`protocol`. */
  public admits(from: PolicySource, to: PolicyPod, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): boolean {
    const policies = this.isolating(to);
    if (policies.length === 0) return true;
    return policies.some((p) => ((p.spec.ingress ?? []) as Rule[]).some((rule) => this.ruleAdmits(rule, p.metadata.namespace!, from, to, port, protocol)));
  }

  private ruleAdmits(rule: Rule, policyNamespace: string, from: PolicySource, to: PolicyPod, port: number, protocol: string): boolean {
    const portOk =
      !rule.ports?.length ||
      rule.ports.some((p) => {
        if ((p.protocol ?? 'TCP') !== protocol) return false;
        if (p.port === undefined) return true;
        const number = typeof p.port === 'number' ? p.port : to.ports.find((c) => c.name === p.port && (c.protocol ?? 'TCP') === protocol)?.port;
        if (number === undefined) return false;
        return p.endPort !== undefined ? port >= number && port <= p.endPort : port === number;
      });
    if (!portOk) return false;
    if (!rule.from?.length) return true;
    return rule.from.some((peer) => this.peerMatches(peer, policyNamespace, from));
  }

  private peerMatches(peer: Peer, policyNamespace: string, from: PolicySource): boolean {
    if (peer.ipBlock) return inCidr(from.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(from.ip, c));
    if (from.namespace === undefined || from.labels === undefined) return false;
    const namespaceOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, this.labelsOfNamespace(from.namespace)) : from.namespace === policyNamespace;
    return namespaceOk && selectorMatches(peer.podSelector, from.labels);
  }

  /**
   * Every (source, destination, port) the policies admit, as `source -> destination:port/protocol` lines, sorted;
   * destinations nothing isolates are reported as `* -> destination:port/protocol (<why>)`.
   */
  public admittedPairs(sources: readonly PolicySource[], destinations: readonly PolicyPod[]): string[] {
    const lines = new Set<string>();
    for (const to of destinations) {
      for (const p of to.ports) {
        const protocol = p.protocol ?? 'TCP';
        if (this.isolating(to).length === 0) {
          lines.add(`* -> ${to.name}:${p.port}/${protocol} (${to.hostNetwork ? 'host network: no NetworkPolicy applies' : 'not isolated'})`);
          continue;
        }
        for (const from of sources) {
          // A pod is its own source too: another replica, or itself through its Service address.
          if (this.admits(from, to, p.port, protocol)) lines.add(`${from.name} -> ${to.name}:${p.port}/${protocol}`);
        }
      }
    }
    return [...lines].sort();
  }
}

import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Who may connect to what, declared once: each component that listens declares its pods and ports
 * ({@link StackNetwork.serve}), each component that connects registers as a client of a named server and port
 * ({@link StackNetwork.allow}). The NetworkPolicies are written from those declarations when the chart is
 * synthesized, so a client registered after the server (a construct added later, another helper's component)
 * still lands in the server's policy.
 *
 * NetworkPolicy sees pod-to-pod traffic only: `kubectl port-forward` (through the kubelet into the pod's network
 * namespace), kubelet probes (traffic from the pod's own node is always allowed) and pods on the host network are
 * outside its reach.
 */

/** A port a server listens on, named once and used by its policy and, where we set them, its Service and container. */
export interface NetworkPort {
  /** Name of the port (the container or Service port name where the component sets it). */
  readonly name: string;
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Pods as a NetworkPolicy peer selects them: by labels, in the namespaces named (or in any namespace). */
export interface NetworkPods {
  /** Namespaces the pods run in; `"*"` for any namespace. */
  readonly namespaces: readonly string[];
  /** Labels the pods carry (all of them). */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** In {@link NetworkPods.namespaces}: the pods may run in any namespace. */
export const ANY_NAMESPACE = '*';

/** A client of a server: pods (by labels and namespaces), or addresses outside the pod network. */
export type NetworkClient =
  | ({ readonly kind: 'pods'; readonly name: string } & NetworkPods)
  | { readonly kind: 'cidrs'; readonly name: string; readonly cidrs: readonly string[]; readonly why: string };

/** Pods of one namespace as a client: `name` says who they are in docs/security.md and in test failures. */
export function podClient(name: string, namespace: string | readonly string[], podLabels: Readonly<Record<string, string>>): NetworkClient {
  return { kind: 'pods', name, namespaces: typeof namespace === 'string' ? [namespace] : [...namespace], podLabels: { ...podLabels } };
}

/** A server: the pods a policy isolates and the ports they listen on. */
export interface NetworkServer {
  /** Name of the server (the NetworkPolicy is named `<name>-ingress`). */
  readonly name: string;
  readonly namespace: string;
  /** Labels that select exactly the server's pods in its namespace. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ports: readonly NetworkPort[];
}

/** One admitted client of a server, on some of its ports. */
export interface NetworkGrant {
  readonly client: NetworkClient;
  readonly ports: readonly NetworkPort[];
}

/** Name of the default-deny ingress policy in each of the stack's namespaces. */
export const DEFAULT_DENY_POLICY_NAME = 'default-deny-ingress';

/** Props of {@link StackNetwork}. */
export interface StackNetworkProps {
  /**
   * Write the NetworkPolicies. Off: every declaration is still recorded (and documented), nothing is emitted.
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * The stack's ingress NetworkPolicies: a default deny of ingress in each of the stack's namespaces, and one policy per
 * declared server admitting exactly its registered clients on the ports they were registered for.
 */
export class StackNetwork extends Construct {
  /** Whether the policies are emitted. */
  public readonly enabled: boolean;
  private readonly servers = new Map<string, { server: NetworkServer; grants: NetworkGrant[] }>();
  // (entry.server is replaced by expose(); the policy reads the grants, which carry their ports.)

  private readonly isolated = new Set<string>();

  constructor(scope: Construct, id: string, props: StackNetworkProps = {}) {
    super(scope, id);
    this.enabled = props.enabled ?? true;
  }

  /**
   * Denies all ingress to every pod of `namespace` that no server policy admits traffic to (a pod we did not
   * declare, a Job, a pod a user adds there).
   */
  public isolate(namespace: string): void {
    if (this.isolated.has(namespace)) return;
    this.isolated.add(namespace);
    if (!this.enabled) return;
    new ApiObject(this, `default-deny-${namespace}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: DEFAULT_DENY_POLICY_NAME, namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
  }

  /** The namespaces isolated by {@link isolate}. */
  public get isolatedNamespaces(): readonly string[] {
    return [...this.isolated].sort();
  }

  /**
   * Declares a server: its pods get a policy admitting only the clients registered through {@link allow}. Ports are
   * checked for unique names. Returns the server, for clients to name its ports.
   */
  public serve(scope: Construct, server: NetworkServer): NetworkServer {
    if (this.servers.has(server.name)) throw new Error(`network server ${server.name} is declared twice`);
    const names = server.ports.map((p) => p.name);
    if (new Set(names).size !== names.length) throw new Error(`network server ${server.name}: port names must be unique (${names.join(', ')})`);
    const entry = { server, grants: [] as NetworkGrant[] };
    this.servers.set(server.name, entry);
    if (this.enabled) {
      new ApiObject(scope, `${server.name}-ingress`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${server.name}-ingress`, namespace: server.namespace },
        spec: {
          podSelector: { matchLabels: { ...server.podLabels } },
          policyTypes: ['Ingress'],
          ingress: Lazy.any({ produce: () => ingressRules(entry.grants) }),
        },
      });
    }
    return server;
  }

  /**
   * Adds ports to a declared server (e.g. a sidecar a component adds to another's pods, such as Thanos beside
   * Prometheus): clients are then admitted to them through {@link allow} like to the others.
   */
  public expose(serverName: string, ports: readonly NetworkPort[]): void {
    const entry = this.entry(serverName);
    const names = [...entry.server.ports, ...ports].map((p) => p.name);
    if (new Set(names).size !== names.length) throw new Error(`network server ${serverName}: port names must be unique (${names.join(', ')})`);
    entry.server = { ...entry.server, ports: [...entry.server.ports, ...ports] };
  }

  /** The declared server of that name, with every port exposed so far. */
  public server(serverName: string): NetworkServer {
    return this.entry(serverName).server;
  }

  private entry(serverName: string): { server: NetworkServer; grants: NetworkGrant[] } {
    const entry = this.servers.get(serverName);
    if (!entry) throw new Error(`network server ${serverName} is not declared (declared: ${[...this.servers.keys()].sort().join(', ') || 'none'})`);
    return entry;
  }

  /** Admits `client` to the ports of server `serverName` named in `portNames` (every port when none is named). */
  public allow(client: NetworkClient, serverName: string, portNames: readonly string[] = []): void {
    const entry = this.entry(serverName);
    const unknown = portNames.filter((n) => !entry.server.ports.some((p) => p.name === n));
    if (unknown.length) throw new Error(`network server ${serverName} has no port ${unknown.join(', ')} (ports: ${entry.server.ports.map((p) => p.name).join(', ')})`);
    const ports = portNames.length ? entry.server.ports.filter((p) => portNames.includes(p.name)) : entry.server.ports;
    entry.grants.push({ client, ports });
  }

  /** Whether a server of that name is declared. */
  public has(serverName: string): boolean {
    return this.servers.has(serverName);
  }

  /** Every declared server with its grants, sorted by server name: what docs/security.md lists. */
  public get declarations(): readonly { readonly server: NetworkServer; readonly grants: readonly NetworkGrant[] }[] {
    return [...this.servers.values()].sort((a, b) => a.server.name.localeCompare(b.server.name));
  }
}

/** The ingress rules of one policy: one per grant, in registration order; none (deny all) without grants. */
function ingressRules(grants: readonly NetworkGrant[]): unknown[] {
  return grants.map(({ client, ports }) => ({
    from: peers(client),
    ports: ports.map((p) => ({ protocol: p.protocol ?? 'TCP', port: p.port })),
  }));
}

function peers(client: NetworkClient): unknown[] {
  if (client.kind === 'cidrs') return client.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const podSelector = { matchLabels: { ...client.podLabels } };
  if (client.namespaces.includes(ANY_NAMESPACE)) return [{ namespaceSelector: {}, podSelector }];
  return [...client.namespaces].sort().map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }, podSelector }));
}

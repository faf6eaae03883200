import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import { resources } from '../core/security.js';
import { CLUSTER_WIDE_EDIT_ROLE, KUBERNETES_MCP_READ_RULES, kubernetesMcpWriteRules } from './kubernetes-mcp-rbac.js';
import { type KubernetesMcpAccessMode, kubernetesMcpToolsFor } from './kubernetes-mcp-tools.js';
import { MCP_SERVER_IMAGES, MCP_SERVER_PORTS, MCP_SERVER_UIDS } from './mcp-images.js';
import { msg } from '../core/prop-error.js';
import { dnsLabel, pinnedImage, PropChecks } from '../core/value-types.js';
import { CIDR_LIST, cidrEgress } from './mcp-network.js';
import type { McpServerProps, McpServerEndpoint } from './mcp-server-props.js';
import { McpServerWorkload, mcpServerLabels } from './mcp-server-workload.js';

/** What {@link KubernetesMcpServer} uses for props left out. */
export const KUBERNETES_MCP_DEFAULTS = {
  /** Any address: NetworkPolicies cannot select the `kubernetes` Service, so narrow this to the control plane. */
  apiServerCidrs: ['0.0.0.0/0', '::/0'],
  apiServerPorts: [443, 6443],
  toolsets: ['core'],
} as const;

/**
 * Namespaces of the cluster itself that {@link KubernetesMcpServerProps.writeNamespaces} refuses unless
 * {@link KubernetesMcpServerProps.writeSystemNamespacesIUnderstandTheRisk} is set: the control plane's add-ons
 * (kube-system), the public bootstrap data (kube-public) and the node heartbeats (kube-node-lease).
 */
export const KUBERNETES_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Where the Kubernetes API server is, for the server's egress rule. */
export interface ApiServerEndpoint {
  /**
   * Addresses of the API server as the pods see them after Service translation (`kubectl get endpointslices -n
   * default -l kubernetes.io/service-name=kubernetes`). NetworkPolicies cannot select the `kubernetes` Service
   * itself; narrow this to the control plane's addresses.
   * @default {@link KUBERNETES_MCP_DEFAULTS}.apiServerCidrs, limited to the API server ports
   */
  readonly cidrs?: readonly string[];
  /**
   * Ports the API server listens on behind the `kubernetes` Service.
   * @default {@link KUBERNETES_MCP_DEFAULTS}.apiServerPorts
   */
  readonly ports?: readonly number[];
}

/** Props of {@link KubernetesMcpServer}. */
export interface KubernetesMcpServerProps extends McpServerProps {
  /**
   * Opt-in write access: in each namespace named here, a Role and RoleBinding let the server change workloads
   * (Deployments, StatefulSets, DaemonSets, ReplicaSets and their scale, Jobs, CronJobs, Ray resources,
   * ConfigMaps, Services). The server's read-only mode is off then. Never Secrets, pods/exec or RBAC.
   * @default none: read-only everywhere
   */
  readonly writeNamespaces?: readonly string[];
  /**
   * Let {@link writeNamespaces} name a system namespace ({@link KUBERNETES_SYSTEM_NAMESPACES}) or one of the stack's
   * own ({@link stackNamespaces}): an agent that can change workloads there can stop the cluster's DNS or the
   * observability stack that watches it, or read every Secret of the stack through a workload it creates.
   * @default false: such a namespace is refused
   */
  readonly writeSystemNamespacesIUnderstandTheRisk?: boolean;
  /**
   * The namespaces the observability stack runs in, refused in {@link writeNamespaces} like the system ones.
   * @default the server's own namespace
   */
  readonly stackNamespaces?: readonly string[];
  /**
   * With write access, also allow deletions (and pod deletion, i.e. restarts); otherwise the server runs with
   * `--disable-destructive` and the Roles grant no `delete`.
   * @default false
   */
  readonly allowDestructive?: boolean;
  /**
   * Binds the built-in `edit` ClusterRole cluster-wide, as the reference does: read/write to most resources, Secrets
   * included, in every namespace. Only for throw-away evaluation clusters.
   * @default false
   */
  readonly clusterWideEditAccessIUnderstandTheRisk?: boolean;
  /** The API server, the only place besides DNS the server connects to. @default any address on 443 and 6443 */
  readonly apiServer?: ApiServerEndpoint;
  /**
   * kubernetes-mcp-server toolsets to expose (`--toolsets`).
   * @default ["core"]: pods, resources, events, namespaces, nodes (not `config`, which shows the server's kubeconfig, nor `helm`)
   */
  readonly toolsets?: readonly string[];
}

const NAME = 'kubernetes-mcp-server';
const CONFIG_DIRECTORY = '/etc/kubernetes-mcp-server';
const CONFIG_FILE = 'config.toml';

/**
 * The server's TOML config (pkg/config/config.go StaticConfig): `enabled_tools` limits it to the tools the Roles
 * serve (nodes_log and nodes_stats_summary, which need nodes/proxy, are never among them), and `denied_resources`
 * keeps Secrets out of its generic resource tools even where a binding (cluster-wide edit) would allow them.
 * Strings are written as TOML basic strings (the JSON escapes), which is all this file holds.
 */
export function kubernetesMcpConfigToml(enabledTools: readonly string[]): string {
  const strings = (list: readonly string[]) => `[${list.map((t) => JSON.stringify(t)).join(', ')}]`;
  return [
    '# Written by aiml-observability (docs/mcp.md): the tools this server\'s Roles serve.',
    `enabled_tools = ${strings(enabledTools)}`,
    '',
    '[[denied_resources]]',
    'group = ""',
    'version = "v1"',
    'kind = "Secret"',
    '',
  ].join('\n');
}

/**
 * kubernetes-mcp-server, read-only by default: its own ServiceAccount bound to a ClusterRole that can only
 * get/list/watch what diagnosis needs (see {@link KUBERNETES_MCP_READ_RULES}), never Secrets, and the server's own
 * `--read-only` mode. Write access is an explicit, namespaced opt-in ({@link KubernetesMcpServerProps.writeNamespaces});
 * the reference's cluster-wide `edit` binding needs
 * {@link KubernetesMcpServerProps.clusterWideEditAccessIUnderstandTheRisk}.
 *
 * Speaks streamable HTTP on `/mcp` and SSE on `/sse` (port 8080); `/healthz` answers the probes.
 */
export class KubernetesMcpServer extends Construct implements McpServerEndpoint {
  /** Name of the server's Service. */
  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly port: number = MCP_SERVER_PORTS.kubernetes;
  /** Path of the streamable HTTP endpoint. */
  public readonly mcpPath = '/mcp';
  /** Path of the SSE endpoint. */
  public readonly ssePath = '/sse';
  /** Whether the server can change nothing (no write Roles, no edit binding, `--read-only`). */
  public readonly readOnly: boolean;
  /** Namespaces the server has a write Role in, sorted (none: read-only, or the cluster-wide edit binding). */
  public readonly writeNamespaces: readonly string[];
  /** Tools the server offers (its `enabled_tools`): those its Roles serve; see {@link kubernetesMcpToolsFor}. */
  public readonly enabledTools: readonly string[];
  /** Labels of the server's pods. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** In-cluster base URL, e.g. `http://kubernetes-mcp-server.observability.svc:8080`. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: KubernetesMcpServerProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const checks = new PropChecks();
    const access = writeAccess(props, this.namespace, checks);
    this.readOnly = access.readOnly;
    this.writeNamespaces = access.writeNamespaces;
    const apiServerCidrs = props.apiServer?.cidrs ?? KUBERNETES_MCP_DEFAULTS.apiServerCidrs;
    checks.check(CIDR_LIST, apiServerCidrs, 'apiServer.cidrs');
    checks.check(pinnedImage, props.image, 'image');
    const toolsets = props.toolsets ?? KUBERNETES_MCP_DEFAULTS.toolsets;
    if (toolsets.length === 0) checks.fail('toolsets', 'give at least one toolset, e.g. core');
    checks.throwIfAny();

    // The server offers exactly the tools the mode's Roles serve (enabled_tools in its config file); --read-only
    // stays on in the read-only mode. Not --disable-destructive: it also hides resources_create_or_update and
    // resources_scale, which upstream marks destructive, so the write modes could write nothing.
    this.enabledTools = kubernetesMcpToolsFor(access.mode);
    const flags = [
      '--port', String(this.port),
      '--toolsets', toolsets.join(','),
      '--config', `${CONFIG_DIRECTORY}/${CONFIG_FILE}`,
      ...(this.readOnly ? ['--read-only'] : []),
    ];
    const workload = new McpServerWorkload(this, 'workload', {
      ...props,
      name: NAME,
      namespace: this.namespace,
      image: props.image ?? MCP_SERVER_IMAGES.kubernetes,
      args: flags,
      port: this.port,
      healthPath: '/healthz',
      configFiles: { mountPath: CONFIG_DIRECTORY, data: { [CONFIG_FILE]: kubernetesMcpConfigToml(this.enabledTools) } },
      // A Go binary: it listens within seconds; the budget covers the discovery requests to the API server it makes
      // while building its tool list.
      startupSeconds: 60,
      resources: props.resources ?? resources('50m', '128Mi', '500m', '256Mi'),
      uid: MCP_SERVER_UIDS.kubernetes,
      automountServiceAccountToken: true,
      egress: [cidrEgress(apiServerCidrs, props.apiServer?.ports ?? KUBERNETES_MCP_DEFAULTS.apiServerPorts)],
    });
    this.serviceName = workload.serviceName;
    this.podLabels = workload.podLabels;
    this.url = workload.url;
    this.addRbac({ kind: 'ServiceAccount', name: workload.serviceAccountName, namespace: this.namespace }, access);
  }

  /** The read ClusterRole and its binding, the opt-in write Roles, and the cluster-wide edit binding when asked for. */
  private addRbac(subject: k8s.Subject, access: WriteAccess): void {
    const labels = mcpServerLabels(NAME);
    // Cluster-scoped names carry the namespace, so two stacks in one cluster do not collide.
    const readRole = `${this.namespace}-${NAME}-read`;
    new k8s.KubeClusterRole(this, 'read-role', { metadata: { name: readRole, labels }, rules: [...KUBERNETES_MCP_READ_RULES] });
    new k8s.KubeClusterRoleBinding(this, 'read-binding', {
      metadata: { name: readRole, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: readRole },
      subjects: [subject],
    });

    for (const ns of access.writeNamespaces) {
      const writeRole = `${NAME}-${this.namespace}-write`;
      new k8s.KubeRole(this, `write-role-${ns}`, { metadata: { name: writeRole, namespace: ns, labels }, rules: kubernetesMcpWriteRules(access.allowDestructive) });
      new k8s.KubeRoleBinding(this, `write-binding-${ns}`, {
        metadata: { name: writeRole, namespace: ns, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: writeRole },
        subjects: [subject],
      });
    }

    if (access.clusterWideEdit) {
      new k8s.KubeClusterRoleBinding(this, 'cluster-wide-edit', {
        metadata: {
          name: `${this.namespace}-${NAME}-cluster-wide-edit`,
          labels,
          annotations: { 'aiml-observability.io/warning': 'grants the built-in edit ClusterRole (Secrets included) in every namespace' },
        },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CLUSTER_WIDE_EDIT_ROLE },
        subjects: [subject],
      });
    }
  }
}

/** What the server may change, from its props. */
interface WriteAccess {
  /** Namespaces with a write Role, sorted, without duplicates. */
  readonly writeNamespaces: readonly string[];
  readonly clusterWideEdit: boolean;
  readonly allowDestructive: boolean;
  readonly readOnly: boolean;
  readonly mode: KubernetesMcpAccessMode;
}

/** Checks and normalizes the write-access props; throws, naming the prop, on a combination that cannot work. */
function writeAccess(props: KubernetesMcpServerProps, ownNamespace: string, checks: PropChecks): WriteAccess {
  const writeNamespaces = [...new Set(props.writeNamespaces ?? [])].sort();
  props.writeNamespaces?.forEach((ns, i) => checks.check(dnsLabel(), ns, ['writeNamespaces', String(i)]));
  if (props.writeSystemNamespacesIUnderstandTheRisk !== true) {
    const stack = new Set([ownNamespace, ...(props.stackNamespaces ?? [])]);
    props.writeNamespaces?.forEach((ns, i) => {
      const why = (KUBERNETES_SYSTEM_NAMESPACES as readonly string[]).includes(ns)
        ? "is a Kubernetes system namespace (an agent writing there can stop the cluster's DNS or networking)"
        : stack.has(ns)
          ? "is a namespace of the observability stack (an agent writing there can stop what watches it, or read the stack's Secrets through a workload it creates)"
          : undefined;
      if (why) {
        checks.fail(
          ['writeNamespaces', String(i)],
          msg`${JSON.stringify(ns)} ${why}; remove it, or set ${['writeSystemNamespacesIUnderstandTheRisk']} to true if you mean it`,
        );
      }
    });
  }
  const clusterWideEdit = props.clusterWideEditAccessIUnderstandTheRisk === true;
  if (clusterWideEdit && writeNamespaces.length > 0) {
    checks.fail(
      'writeNamespaces',
      msg`cannot be combined with ${['clusterWideEditAccessIUnderstandTheRisk']}, which already grants \`edit\` in every namespace; remove one or the other`,
    );
  }
  const readOnly = !clusterWideEdit && writeNamespaces.length === 0;
  const allowDestructive = props.allowDestructive === true;
  if (allowDestructive && readOnly) checks.fail('allowDestructive', msg`needs write access: set ${['writeNamespaces']}, or leave allowDestructive off`);
  const mode: KubernetesMcpAccessMode = { write: clusterWideEdit ? 'cluster-wide-edit' : readOnly ? 'none' : 'namespaces', allowDestructive };
  return { writeNamespaces, clusterWideEdit, allowDestructive, readOnly, mode };
}

import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import type { CredentialStore } from '../core/credential-store.js';
import type { OpenSearchTarget } from '../core/opensearch-target.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import { msg, withinProp } from '../core/prop-error.js';
import { PropChecks } from '../core/value-types.js';
import { KubernetesMcpServer, type KubernetesMcpServerProps } from './kubernetes-mcp-server.js';
import { OPENSEARCH_MCP_IMAGE_MISSING } from './mcp-images.js';
import { type AgentAccess, AGENT_ACCESS_VALUE_TYPES, ANY_NAMESPACE, DEFAULT_AGENT_POD_LABELS, type DnsEndpoint } from './mcp-network.js';
import type { McpServerEndpoint, McpServerProps } from './mcp-server-props.js';
import { OpenSearchMcpServer, type OpenSearchMcpServerProps } from './opensearch-mcp-server.js';
import { PrometheusMcpServer, type PrometheusMcpServerProps } from './prometheus-mcp-server.js';

/** Props {@link McpServers} fills in for every server; not set per server. */
type Shared = keyof AgentAccess | 'namespace' | 'dns' | 'stackNamespaces';

/** Each server runs unless its `enabled` is false. */
export const MCP_SERVER_ENABLED_BY_DEFAULT = true;

/** Turns one MCP server on or off; the other fields are the server's own props. */
export type McpServerToggle<P> = Omit<P, Shared> & {
  /**
   * Whether the server is deployed.
   * @default {@link MCP_SERVER_ENABLED_BY_DEFAULT}
   */
  readonly enabled?: boolean;
};

/** Props of {@link McpServers}. */
export interface McpServersProps extends AgentAccess {
  /**
   * Namespace of the servers.
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * Every namespace the observability stack runs in: the Kubernetes server's `writeNamespaces` refuses them (unless
   * its `writeSystemNamespacesIUnderstandTheRisk` is set).
   * @default the servers' namespace
   */
  readonly stackNamespaces?: readonly string[];
  /** The cluster DNS the servers may reach. @default CoreDNS (`k8s-app: kube-dns`) in kube-system */
  readonly dns?: DnsEndpoint;
  /** The Prometheus the Prometheus server queries. Required when that server is on. */
  readonly prometheusTarget?: PrometheusTarget;
  /** The OpenSearch the OpenSearch server searches. Required when that server is on. */
  readonly openSearchTarget?: OpenSearchTarget;
  /** Scope of the OpenSearch server's credentials Secret: the setup chart. @default the OpenSearch server */
  readonly setupScope?: Construct;
  /** Where the OpenSearch server's generated password is kept. @default none (see OpenSearchMcpServerProps.credentials) */
  readonly credentials?: CredentialStore;
  /** kubernetes-mcp-server, read-only unless you opt in to write access. @default enabled */
  readonly kubernetes?: McpServerToggle<KubernetesMcpServerProps>;
  /** opensearch-mcp-server-py, as a read-only OpenSearch user. Needs `image` while it is on. @default enabled */
  readonly opensearch?: McpServerToggle<Omit<OpenSearchMcpServerProps, 'opensearch' | 'setupScope' | 'credentials' | 'image'>> & {
    /** Image of opensearch-mcp-server-py (see OpenSearchMcpServerProps.image). Required while the server is on. */
    readonly image?: string;
  };
  /** prometheus-mcp-server, read-only PromQL. @default enabled */
  readonly prometheus?: McpServerToggle<Omit<PrometheusMcpServerProps, 'prometheus'>>;
}

/**
 * Model Context Protocol servers an AI agent can use to query the stack the way an SRE would: Kubernetes,
 * Prometheus and OpenSearch, each on by default here and toggled on its own, each with least privilege by default
 * and a NetworkPolicy that admits only pods carrying the agent label.
 */
export class McpServers extends Construct {
  public readonly namespace: string;
  /** The Kubernetes server, when enabled. */
  public readonly kubernetes?: KubernetesMcpServer;
  /** The OpenSearch server, when enabled. */
  public readonly opensearch?: OpenSearchMcpServer;
  /** The Prometheus server, when enabled. */
  public readonly prometheus?: PrometheusMcpServer;
  /** The labels an agent's pod must carry for the servers' NetworkPolicies to admit it. */
  public readonly agentPodLabels: Readonly<Record<string, string>>;
  /** The cluster DNS the servers reach (the same an agent next to them uses). */
  public readonly dns?: DnsEndpoint;
  /** Namespaces agent pods may run in (`*`: any); the stack's Prometheus admits the agents from them too. */
  public readonly agentNamespaces: readonly string[];

  constructor(scope: Construct, id: string, props: McpServersProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    this.agentPodLabels = { ...(props.agentPodLabels ?? DEFAULT_AGENT_POD_LABELS) };
    this.agentNamespaces = props.agentNamespaces?.length ? [...props.agentNamespaces] : [this.namespace];
    this.dns = props.dns;
    const shared: McpServerProps = {
      namespace: this.namespace,
      agentPodLabels: props.agentPodLabels,
      agentNamespaces: props.agentNamespaces,
      dns: props.dns,
    };
    const on = (toggle: { enabled?: boolean } | undefined) => toggle?.enabled ?? MCP_SERVER_ENABLED_BY_DEFAULT;

    const checks = new PropChecks();
    checks.check(AGENT_ACCESS_VALUE_TYPES.agentPodLabels, props.agentPodLabels, 'agentPodLabels');
    checks.check(AGENT_ACCESS_VALUE_TYPES.agentNamespaces, props.agentNamespaces, 'agentNamespaces');
    if (on(props.opensearch) && !props.openSearchTarget) {
      checks.fail('opensearch.enabled', msg`the OpenSearch server needs an OpenSearch to search: pass ${['openSearchTarget']}, or set ${['opensearch', 'enabled']} to false`);
    }
    if (on(props.opensearch) && !props.opensearch?.image) {
      checks.fail('opensearch.image', msg`is required while the OpenSearch server is on: ${OPENSEARCH_MCP_IMAGE_MISSING}; or set ${['opensearch', 'enabled']} to false`);
    }
    if (on(props.prometheus) && !props.prometheusTarget) {
      checks.fail('prometheus.enabled', msg`the Prometheus server needs a Prometheus to query: pass ${['prometheusTarget']}, or set ${['prometheus', 'enabled']} to false`);
    }
    checks.throwIfAny();

    if (on(props.kubernetes)) {
      const { enabled: _e, ...own } = props.kubernetes ?? {};
      this.kubernetes = withinProp('kubernetes', () => new KubernetesMcpServer(this, 'kubernetes', { ...own, ...shared, stackNamespaces: props.stackNamespaces }));
    }
    if (on(props.opensearch)) {
      const { enabled: _e, image, ...own } = props.opensearch ?? {};
      this.opensearch = withinProp(
        'opensearch',
        () =>
          new OpenSearchMcpServer(this, 'opensearch', {
            ...own,
            ...shared,
            image: image!,
            opensearch: props.openSearchTarget!,
            setupScope: props.setupScope,
            credentials: props.credentials,
          }),
      );
    }
    if (on(props.prometheus)) {
      const { enabled: _e, ...own } = props.prometheus ?? {};
      this.prometheus = withinProp('prometheus', () => new PrometheusMcpServer(this, 'prometheus', { ...own, ...shared, prometheus: props.prometheusTarget! }));
    }
  }

  /** Whether the servers' NetworkPolicies admit agent pods of `namespace` (see AgentAccess.agentNamespaces). */
  public admitsAgentsFrom(namespace: string): boolean {
    return this.agentNamespaces.includes(ANY_NAMESPACE) || this.agentNamespaces.includes(namespace);
  }

  /** Every enabled server, by server name (`kubernetes`, `opensearch`, `prometheus`). */
  public get servers(): Readonly<Record<string, McpServerEndpoint>> {
    const out: Record<string, McpServerEndpoint> = {};
    if (this.kubernetes) out.kubernetes = this.kubernetes;
    if (this.opensearch) out.opensearch = this.opensearch;
    if (this.prometheus) out.prometheus = this.prometheus;
    return out;
  }

  /** The MCP endpoint URL of every enabled server, by server (`kubernetes`, `opensearch`, `prometheus`). */
  public get endpoints(): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    if (this.kubernetes) out.kubernetes = `${this.kubernetes.url}${this.kubernetes.mcpPath}`;
    if (this.opensearch) out.opensearch = `${this.opensearch.url}${this.opensearch.mcpPath}`;
    if (this.prometheus) out.prometheus = `${this.prometheus.url}${this.prometheus.mcpPath}`;
    return out;
  }
}

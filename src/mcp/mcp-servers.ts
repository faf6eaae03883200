import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import type { CredentialStore } from '../core/credential-store.js';
import type { OpenSearchTarget } from '../core/opensearch-target.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import { KubernetesMcpServer, type KubernetesMcpServerProps } from './kubernetes-mcp-server.js';
import type { AgentAccess, DnsEndpoint } from './mcp-network.js';
import type { McpServerProps } from './mcp-server-props.js';
import { OpenSearchMcpServer, type OpenSearchMcpServerProps } from './opensearch-mcp-server.js';
import { PrometheusMcpServer, type PrometheusMcpServerProps } from './prometheus-mcp-server.js';

/** Props {@link McpServers} fills in for every server; not set per server. */
type Shared = keyof AgentAccess | 'namespace' | 'dns';

/** Turns one MCP server on or off; the other fields are the server's own props. */
export type McpServerToggle<P> = Omit<P, Shared> & {
  /**
   * Whether the server is deployed.
   * @default true
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
  /** opensearch-mcp-server-py, as a read-only OpenSearch user. Needs `image`. @default enabled */
  readonly opensearch?: McpServerToggle<Omit<OpenSearchMcpServerProps, 'opensearch' | 'setupScope' | 'credentials'>>;
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

  constructor(scope: Construct, id: string, props: McpServersProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const shared: McpServerProps = {
      namespace: this.namespace,
      agentPodLabels: props.agentPodLabels,
      agentNamespaces: props.agentNamespaces,
      dns: props.dns,
    };
    const on = (toggle: { enabled?: boolean } | undefined) => toggle?.enabled ?? true;

    if (on(props.opensearch) && !props.openSearchTarget) {
      throw new Error('mcp.opensearch is enabled but there is no OpenSearch to search: enable opensearch, pass an openSearchTarget, or set mcp.opensearch.enabled to false');
    }
    if (on(props.prometheus) && !props.prometheusTarget) {
      throw new Error('mcp.prometheus is enabled but there is no Prometheus to query: enable prometheus-stack, pass a prometheusTarget, or set mcp.prometheus.enabled to false');
    }

    if (on(props.kubernetes)) {
      const { enabled: _e, ...own } = props.kubernetes ?? {};
      this.kubernetes = new KubernetesMcpServer(this, 'kubernetes', { ...own, ...shared });
    }
    if (on(props.opensearch)) {
      const { enabled: _e, ...own } = props.opensearch ?? {};
      this.opensearch = new OpenSearchMcpServer(this, 'opensearch', {
        ...own,
        ...shared,
        opensearch: props.openSearchTarget!,
        setupScope: props.setupScope,
        credentials: props.credentials,
      });
    }
    if (on(props.prometheus)) {
      const { enabled: _e, ...own } = props.prometheus ?? {};
      this.prometheus = new PrometheusMcpServer(this, 'prometheus', { ...own, ...shared, prometheus: props.prometheusTarget! });
    }
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

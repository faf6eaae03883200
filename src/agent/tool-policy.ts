import { parse as parseYaml } from 'yaml';
import type { McpToolInfo } from './mcp-connection.js';

/**
 * Read-only tools of the MCP servers this library deploys that do not carry a `readOnlyHint` annotation in the
 * pinned releases, by server name. Each of them only reads: prometheus-mcp-server runs PromQL against the read-only
 * HTTP API; the OpenSearch tools search, count and describe indices (and the server runs with writes off, as a
 * read-only OpenSearch user). kubernetes-mcp-server annotates its tools itself, so it needs no entry.
 */
export const DEFAULT_READ_ONLY_ALLOWLIST: Readonly<Record<string, readonly string[]>> = {
  prometheus: ['execute_query', 'execute_range_query', 'list_metrics', 'get_metric_metadata', 'get_targets', 'health_check'],
  opensearch: ['ListIndexTool', 'IndexMappingTool', 'SearchIndexTool', 'CountTool', 'ClusterHealthTool', 'GetShardsTool', 'MsearchTool', 'ExplainTool'],
};

/** Props of {@link ToolPolicy}. */
export interface ToolPolicyProps {
  /**
   * Tools to offer although their server does not mark them read-only, as `server/tool` (or `tool` for any server).
   * Only list tools that cannot change anything.
   * @default DEFAULT_READ_ONLY_ALLOWLIST
   */
  readonly allowTools?: readonly string[];
  /**
   * Namespaces the Kubernetes MCP server may write to (its `mcp.kubernetes.writeNamespaces`). When empty, no write
   * tool is offered. When set, the Kubernetes server's write tools are offered, each call needs the user's
   * approval, and a call whose target namespace is not listed (or cannot be read) is refused without asking.
   * @default none
   */
  readonly writeNamespaces?: readonly string[];
  /** Name the Kubernetes MCP server has among the agent's servers. @default "kubernetes" */
  readonly kubernetesServer?: string;
}

/** What the policy decided for one tool. */
export type ToolDecision =
  | { readonly offered: false; readonly reason: string }
  | { readonly offered: true; readonly access: 'read'; readonly reason: string }
  | { readonly offered: true; readonly access: 'write'; readonly destructive: boolean; readonly reason: string };

/**
 * Which MCP tools the model is offered, and which calls need the user's approval: read-only by default (tools the
 * server marks `readOnlyHint: true`, plus an allowlist), write tools only from the Kubernetes server when it was
 * given write namespaces, and then only with approval and inside those namespaces.
 */
export class ToolPolicy {
  private readonly allow: ReadonlySet<string>;
  public readonly writeNamespaces: readonly string[];
  public readonly kubernetesServer: string;

  constructor(props: ToolPolicyProps = {}) {
    this.allow = new Set(props.allowTools ?? Object.entries(DEFAULT_READ_ONLY_ALLOWLIST).flatMap(([server, tools]) => tools.map((t) => `${server}/${t}`)));
    this.writeNamespaces = [...new Set(props.writeNamespaces ?? [])].sort();
    this.kubernetesServer = props.kubernetesServer ?? 'kubernetes';
  }

  /** Whether a tool of a server is offered to the model, and as what. */
  decide(server: string, tool: McpToolInfo): ToolDecision {
    if (tool.readOnlyHint === true) return { offered: true, access: 'read', reason: 'marked read-only by the server' };
    if (this.allow.has(`${server}/${tool.name}`) || this.allow.has(tool.name)) return { offered: true, access: 'read', reason: 'on the read-only allowlist' };
    if (server === this.kubernetesServer && this.writeNamespaces.length > 0) {
      return {
        offered: true,
        access: 'write',
        destructive: tool.destructiveHint !== false,
        reason: `write tool: needs approval, only in ${this.writeNamespaces.join(', ')}`,
      };
    }
    return { offered: false, reason: server === this.kubernetesServer ? 'not read-only, and no write namespaces were given' : 'not marked read-only and not on the allowlist' };
  }

  /**
   * Why a write call must be refused without asking the user (its namespace is not a write namespace, or cannot be
   * told), or undefined when it may be put to the user.
   */
  refuseWrite(args: Readonly<Record<string, unknown>>): string | undefined {
    const namespaces = targetNamespaces(args);
    if (namespaces.length === 0) return `the call names no namespace; writes are allowed only in ${this.writeNamespaces.join(', ')}`;
    const outside = namespaces.filter((ns) => !this.writeNamespaces.includes(ns));
    if (outside.length > 0) return `namespace ${outside.join(', ')} is not a write namespace (${this.writeNamespaces.join(', ')})`;
    return undefined;
  }
}

/** Namespaces a Kubernetes tool call targets: its `namespace` argument and the metadata of a `resource` manifest. */
export function targetNamespaces(args: Readonly<Record<string, unknown>>): string[] {
  const found = new Set<string>();
  if (typeof args.namespace === 'string' && args.namespace !== '') found.add(args.namespace);
  if (typeof args.resource === 'string') {
    try {
      const docs = [parseYaml(args.resource)].flat() as { metadata?: { namespace?: unknown } }[];
      for (const doc of docs) if (typeof doc?.metadata?.namespace === 'string') found.add(doc.metadata.namespace);
    } catch {
      // an unparseable manifest names no namespace we can check: refused by the caller
    }
  }
  return [...found].sort();
}

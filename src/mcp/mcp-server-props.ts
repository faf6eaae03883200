import type { ResourceSpec } from '../core/security.js';
import type { AgentAccess, DnsEndpoint } from './mcp-network.js';

/** Props every MCP server construct takes. */
export interface McpServerProps extends AgentAccess {
  /**
   * Namespace of the server's objects.
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * Container image, pinned by tag or digest.
   * @default the server's entry in MCP_SERVER_IMAGES (the OpenSearch server has none: see its props)
   */
  readonly image?: string;
  /**
   * Requests and limits of the server container: CPU in millicores or cores (`250m`, `0.5`), memory in whole MiB
   * with a binary suffix (`192Mi`, `1Gi`), as cdk8s-plus writes them.
   * @default 50m CPU / 128Mi requested, 500m / 256Mi limit (Python servers: 384Mi limit)
   */
  readonly resources?: ResourceSpec;
  /**
   * The cluster DNS the server may reach.
   * @default CoreDNS pods labelled `k8s-app: kube-dns` in kube-system
   */
  readonly dns?: DnsEndpoint;
}

/** Where an agent reaches an MCP server, as every MCP server construct reports it. */
export interface McpServerEndpoint {
  /** Name of the server's Service. */
  readonly serviceName: string;
  /** Namespace of the server's objects. */
  readonly namespace: string;
  /** Port of the Service (and of the container). */
  readonly port: number;
  /** Path of the MCP endpoint (streamable HTTP, or SSE where the server speaks only that). */
  readonly mcpPath: string;
  /** Labels of the server's pods (the NetworkPolicies select them). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** In-cluster base URL, e.g. `http://<service>.<namespace>.svc:<port>`. */
  readonly url: string;
}

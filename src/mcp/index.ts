/** Model Context Protocol servers: one construct per server, composed by {@link McpServers}. The public API. */
export { McpServers, type McpServersProps, type McpServerToggle } from './mcp-servers.js';
export { KubernetesMcpServer, type KubernetesMcpServerProps, type ApiServerEndpoint, KUBERNETES_SYSTEM_NAMESPACES } from './kubernetes-mcp-server.js';
export {
  OpenSearchMcpServer,
  type OpenSearchMcpServerProps,
  type ExistingOpenSearchCredentials,
  OPENSEARCH_MCP_SECRET_KEYS,
} from './opensearch-mcp-server.js';
export { PrometheusMcpServer, type PrometheusMcpServerProps, PROMETHEUS_MCP_TRANSPORTS, type PrometheusMcpTransport } from './prometheus-mcp-server.js';
export { MCP_SERVER_IMAGES, MCP_SERVER_PORTS } from './mcp-images.js';
export { DEFAULT_AGENT_POD_LABELS, type AgentAccess, type DnsEndpoint } from './mcp-network.js';
export type { McpServerEndpoint, McpServerProps } from './mcp-server-props.js';

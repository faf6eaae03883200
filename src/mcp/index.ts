/** Model Context Protocol servers: one construct per server, composed by {@link McpServers}. */
export * from './kubernetes-mcp-rbac.js';
export * from './kubernetes-mcp-server.js';
export * from './mcp-images.js';
export * from './mcp-network.js';
export * from './mcp-server-props.js';
export * from './mcp-server-workload.js';
export * from './mcp-servers.js';
export * from './opensearch-mcp-server.js';
export * from './prometheus-mcp-server.js';

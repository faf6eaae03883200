/**
 * The MCP server images, pinned in one place. Each construct takes an `image` prop that overrides its entry.
 *
 * - kubernetes-mcp-server: `quay.io/containers/kubernetes_mcp_server`, the image the upstream project publishes
 *   (the reference runs v0.0.57). v0.0.66 is the release the agent tests run (npm `kubernetes-mcp-server`, which
 *   ships the same Go binary; the registry has no 0.0.57, and 0.0.67 drops the SSE endpoint). Entrypoint
 *   `/app/kubernetes-mcp-server`, user 65532.
 * - prometheus-mcp-server: `ghcr.io/pab1it0/prometheus-mcp-server`, published by the upstream project (the
 *   reference runs 1.5.3). Python, user 1000.
 * - opensearch-mcp-server-py: there is no published image of the version the reference runs (0.7.0, which the
 *   reference `pip install`s into `python:3.13-slim` at every start). Upstream tracks publishing one in
 *   opensearch-project/opensearch-mcp-server-py#110; until an image can be pinned, the image is a required prop
 *   (see {@link OPENSEARCH_MCP_IMAGE_MISSING}).
 */
export const MCP_SERVER_IMAGES = {
  kubernetes: 'quay.io/containers/kubernetes_mcp_server:v0.0.66',
  prometheus: 'ghcr.io/pab1it0/prometheus-mcp-server:1.5.3',
} as const;

/** User id each upstream image runs as (its Dockerfile's `USER`), used as `runAsUser`. */
export const MCP_SERVER_UIDS = {
  kubernetes: 65532,
  opensearch: 1000,
  prometheus: 1000,
} as const;

/** The port each server listens on and its Service exposes. */
export const MCP_SERVER_PORTS = {
  kubernetes: 8080,
  opensearch: 9900,
  prometheus: 8080,
} as const;

/** Why the OpenSearch MCP server has no default image, and what to do; used in error messages and docs. */
export const OPENSEARCH_MCP_IMAGE_MISSING =
  'no published image of opensearch-mcp-server-py can be pinned (upstream issue opensearch-project/opensearch-mcp-server-py#110), ' +
  'and installing it with pip at start-up is not done here; build one from the upstream Dockerfile at a release tag ' +
  '(>= 0.10.0 for OPENSEARCH_CA_CERT_PATH), push it to your registry and set its reference';

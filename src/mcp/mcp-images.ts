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

/**
 * The oldest opensearch-mcp-server-py release the OpenSearch server accepts. 0.11.0 (CHANGELOG.md) serves `/mcp`
 * without a 307 redirect to `/mcp/` (#273), caps the MCP SDK below 2.0 (0.10.0 resolves to the incompatible 2.x
 * today), and lets ListIndexTool fall back to `_resolve/index` when `_cat/indices` is forbidden (#279), which the
 * read-only role relies on. 0.10.0 added `OPENSEARCH_CA_CERT_PATH`, which TLS verification needs.
 */
export const MIN_OPENSEARCH_MCP_VERSION = '0.11.0';

/**
 * Why an OpenSearch outside the cluster needs its addresses named: up to 0.11.0 a caller can pass `opensearch_url`
 * per tool call and the server sends its configured credentials there (src/opensearch/client.py,
 * `_initialize_client_single_mode`; `OPENSEARCH_DYNAMIC_CONNECTION=false` only hides the parameter from the tool
 * schemas). The fix ("bind per-call connection credentials to the caller that supplied the URL", #287) is not in a
 * release yet, so the NetworkPolicy is what keeps the read-only password from reaching another host.
 */
export const OPENSEARCH_MCP_REDIRECT_RISK =
  "up to opensearch-mcp-server-py 0.11.0 a caller can point a tool call at any URL and the server sends its credentials there, so its egress must name the endpoint's addresses";

/**
 * A message when `image` is tagged with an opensearch-mcp-server-py release older than
 * {@link MIN_OPENSEARCH_MCP_VERSION}; undefined for newer releases and for tags that are not a version (a digest, or
 * a build tag of your own, whose release you vouch for).
 */
export function openSearchMcpImageTooOld(image: string): string | undefined {
  const tag = /:(v?(\d+)\.(\d+)\.(\d+))(?:[-+][\w.-]*)?$/.exec(image.replace(/@sha256:[0-9a-f]+$/, ''));
  if (!tag) return undefined;
  const have = [Number(tag[2]), Number(tag[3]), Number(tag[4])];
  const need = MIN_OPENSEARCH_MCP_VERSION.split('.').map(Number);
  const older = have[0]! !== need[0]! ? have[0]! < need[0]! : have[1]! !== need[1]! ? have[1]! < need[1]! : have[2]! < need[2]!;
  return older
    ? `'${image}' is opensearch-mcp-server-py ${tag[1]}; ${MIN_OPENSEARCH_MCP_VERSION} or later is needed (/mcp without a redirect, MCP SDK below 2.0, index listing with index-level permissions)`
    : undefined;
}

/** The config file's `mcp` section (the MCP servers) and its mapping onto ObservabilityChartProps. */
import { z } from 'zod';
import { cidr, dnsLabel, labelKey, labelValue, oneOf, pinnedImage } from '../core/value-types.js';
import { KUBERNETES_MCP_DEFAULTS } from '../mcp/kubernetes-mcp-server.js';
import { MCP_SERVER_IMAGES } from '../mcp/mcp-images.js';
import { ANY_NAMESPACE, DEFAULT_AGENT_POD_LABELS } from '../mcp/mcp-network.js';
import { MCP_SERVER_ENABLED_BY_DEFAULT } from '../mcp/mcp-servers.js';
import { OPENSEARCH_MCP_DEFAULTS, OPENSEARCH_MCP_VALUE_TYPES } from '../mcp/opensearch-mcp-server.js';
import { DEFAULT_PROMETHEUS_MCP_TRANSPORT, PROMETHEUS_MCP_TRANSPORTS } from '../mcp/prometheus-mcp-server.js';
import { ENABLED_BY_DEFAULT, type ObservabilityChartProps } from '../observability-chart.js';
import { key, listKey, section, toggle } from './keys.js';

const [defaultLabelKey, defaultLabelValue] = Object.entries(DEFAULT_AGENT_POD_LABELS)[0]!;

/** `mcp`. */
export const MCP_KEYS = {
  mcp: section('MCP servers for AI agents (see docs/mcp.md). Off by default; once mcp.enabled is true each server is on unless turned off.', {
    enabled: toggle('Deploy the MCP servers.', ENABLED_BY_DEFAULT.mcp),
    agentLabel: section("The pod label an agent must carry to reach the servers; their NetworkPolicies admit no other pod.", {
      key: key(labelKey, { description: 'Label key.', default: defaultLabelKey }),
      value: key(labelValue, { description: 'Label value.', default: defaultLabelValue }),
    }),
    agentNamespaces: listKey(z.union([dnsLabel(), z.literal(ANY_NAMESPACE)]), {
      description: "Comma-separated namespaces the agent pods may run in, or `*` for any namespace; the stack's namespace when absent.",
      example: 'agents, sre',
    }),
    kubernetes: section(
      'kubernetes-mcp-server: read-only (get/list/watch of what diagnosis needs, never Secrets) unless you opt in to write access.',
      {
        enabled: toggle('Deploy the Kubernetes MCP server.', MCP_SERVER_ENABLED_BY_DEFAULT),
        image: key(pinnedImage, { description: 'Image of kubernetes-mcp-server.', default: MCP_SERVER_IMAGES.kubernetes }),
        writeNamespaces: listKey(dnsLabel(), {
          description:
            "Opt-in write access: comma-separated namespaces where the server may change workloads (a Role and RoleBinding in each). Creating workloads there exposes that namespace's Secrets to them.",
          example: 'team-a, team-b',
        }),
        writeSystemNamespacesIUnderstandTheRisk: toggle(
          "DANGER: let writeNamespaces name kube-system, kube-public, kube-node-lease or the stack's own namespaces (refused otherwise).",
          false,
        ),
        allowDestructive: toggle('With writeNamespaces: also allow deletions, pod restarts included (otherwise --disable-destructive).', false),
        clusterWideEditAccessIUnderstandTheRisk: toggle(
          'DANGER: bind the built-in `edit` ClusterRole in every namespace (read/write, Secrets included), as the reference does. Evaluation clusters only.',
          false,
        ),
        apiServerCidr: listKey(cidr, {
          description:
            'Comma-separated CIDRs of the API server endpoints (`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`) the server may reach on 443/6443.',
          default: KUBERNETES_MCP_DEFAULTS.apiServerCidrs.join(', '),
          example: '10.0.0.10/32',
        }),
      },
    ),
    opensearch: section('opensearch-mcp-server-py, as a read-only OpenSearch user limited to the log indices (needs opensearch).', {
      enabled: toggle('Deploy the OpenSearch MCP server.', MCP_SERVER_ENABLED_BY_DEFAULT),
      image: key(OPENSEARCH_MCP_VALUE_TYPES.image, {
        description: 'Required: image of opensearch-mcp-server-py you built and pinned (no published image exists; see docs/mcp.md).',
        example: 'registry.example.com/opensearch-mcp-server-py:0.11.0',
      }),
      username: key(OPENSEARCH_MCP_VALUE_TYPES.username, { description: 'OpenSearch user created for the server.', default: OPENSEARCH_MCP_DEFAULTS.username }),
      password: key(OPENSEARCH_MCP_VALUE_TYPES.password, {
        description: 'Its password (at least 12 characters); generated and kept in the credentials file when absent.',
        example: 'use-a-long-random-passphrase',
      }),
      existingSecret: key(OPENSEARCH_MCP_VALUE_TYPES.existingSecret, {
        description: 'Secret (keys `username`, `password`) of a read-only user you manage; no user is created then. Never the admin Secret.',
        example: 'mcp-log-reader',
      }),
      insecureSkipTlsVerify: toggle("Skip verifying OpenSearch's certificate (the reference does); off: verified against the cluster's CA.", false),
      egressCidr: listKey(cidr, {
        description: 'With opensearch.external (required there): comma-separated CIDRs of its endpoint the server may reach, on its port only.',
        example: '10.20.0.0/16',
      }),
      apiSpecDownloadCidrs: listKey(cidr, {
        description:
          'Comma-separated CIDRs (port 443) from which the server may download the OpenAPI spec files it builds four tools from at start; none: it starts without them (see docs/mcp.md).',
        example: '185.199.108.0/22',
      }),
    }),
    prometheus: section("prometheus-mcp-server: read-only PromQL against the stack's Prometheus (needs prometheus-stack).", {
      enabled: toggle('Deploy the Prometheus MCP server.', MCP_SERVER_ENABLED_BY_DEFAULT),
      image: key(pinnedImage, { description: 'Image of prometheus-mcp-server.', default: MCP_SERVER_IMAGES.prometheus }),
      transport: key(oneOf(PROMETHEUS_MCP_TRANSPORTS), {
        description: '`http`: streamable HTTP on /mcp; `sse`: Server-Sent Events on /sse.',
        default: DEFAULT_PROMETHEUS_MCP_TRANSPORT,
      }),
    }),
  }),
} as const;

const mcpConfig = z.object(MCP_KEYS);

/** Maps `mcp` onto the chart's `mcp`. */
export function mcpConfigToProps(config: z.output<typeof mcpConfig>): Pick<ObservabilityChartProps, 'mcp'> {
  const mcp = config.mcp;
  if (!mcp) return { mcp: { enabled: undefined } };
  const { kubernetes: k, opensearch: o, prometheus: p } = mcp;
  return {
    mcp: {
      enabled: mcp.enabled,
      agentPodLabels: mcp.agentLabel ? { [mcp.agentLabel.key ?? defaultLabelKey]: mcp.agentLabel.value ?? defaultLabelValue } : undefined,
      agentNamespaces: mcp.agentNamespaces,
      kubernetes: {
        enabled: k?.enabled,
        image: k?.image,
        writeNamespaces: k?.writeNamespaces,
        writeSystemNamespacesIUnderstandTheRisk: k?.writeSystemNamespacesIUnderstandTheRisk,
        allowDestructive: k?.allowDestructive,
        clusterWideEditAccessIUnderstandTheRisk: k?.clusterWideEditAccessIUnderstandTheRisk,
        apiServer: { cidrs: k?.apiServerCidr },
      },
      opensearch: {
        enabled: o?.enabled,
        image: o?.image,
        username: o?.username,
        password: o?.password,
        existingCredentialsSecret: o?.existingSecret ? { name: o.existingSecret } : undefined,
        insecureSkipTlsVerify: o?.insecureSkipTlsVerify,
        egressCidrs: o?.egressCidr,
        apiSpecDownloadCidrs: o?.apiSpecDownloadCidrs,
      },
      prometheus: { enabled: p?.enabled, image: p?.image, transport: p?.transport },
    },
  };
}

/**
 * The `mcp` section of observability.yaml: its schema, the combinations it rejects and its mapping onto
 * {@link McpServersProps}. config-schema.ts and load-config.ts use these, so the section is described in one place.
 */
import type { ConfigField, ConfigIssue } from './schema.js';
import { MCP_SERVER_IMAGES, OPENSEARCH_MCP_REDIRECT_RISK, openSearchMcpImageTooOld } from '../mcp/mcp-images.js';
import { DEFAULT_AGENT_POD_LABELS } from '../mcp/mcp-network.js';
import type { McpServersProps } from '../mcp/mcp-servers.js';
import { PROMETHEUS_MCP_TRANSPORTS, type PrometheusMcpTransport } from '../mcp/prometheus-mcp-server.js';

const NAMESPACE = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?';
const NAMESPACE_LIST = new RegExp(`^${NAMESPACE}(\\s*,\\s*${NAMESPACE})*$`);
const CIDR = '[0-9a-fA-F.:]+\\/\\d{1,3}';
const CIDR_LIST = new RegExp(`^${CIDR}(\\s*,\\s*${CIDR})*$`);
const PINNED_IMAGE = /^\S+(:\w[\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;
const PINNED_IMAGE_DOC = 'must be an image reference pinned by tag or digest, e.g. registry.example.com/opensearch-mcp-server-py:0.11.0';
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const toggle = (doc: string, on: boolean): ConfigField => ({ kind: 'boolean', default: on, doc });
const [defaultLabelKey, defaultLabelValue] = Object.entries(DEFAULT_AGENT_POD_LABELS)[0]!;

/** Schema of the `mcp` section. */
export const MCP_CONFIG_SCHEMA = {
  kind: 'object',
  doc: 'MCP servers for AI agents (see docs/mcp.md). Off by default; once mcp.enabled is true each server is on unless turned off.',
  fields: {
    enabled: toggle('Deploy the MCP servers.', false),
    agentLabel: {
      kind: 'object',
      doc: "The pod label an agent must carry to reach the servers; their NetworkPolicies admit no other pod.",
      fields: {
        key: { kind: 'string', default: defaultLabelKey, doc: 'Label key.', pattern: LABEL_KEY, patternDoc: 'must be a label key such as example.com/name' },
        value: { kind: 'string', default: defaultLabelValue, doc: 'Label value.', pattern: LABEL_VALUE, patternDoc: 'must be a label value (letters, digits, "-", "_", ".", at most 63)' },
      },
    },
    agentNamespaces: {
      kind: 'string',
      doc: "Comma-separated namespaces the agent pods may run in, or `*` for any namespace; the stack's namespace when absent.",
      pattern: new RegExp(`${NAMESPACE_LIST.source}|^\\*$`),
      patternDoc: 'must be comma-separated namespace names, e.g. agents,sre, or *',
    },
    kubernetes: {
      kind: 'object',
      doc: 'kubernetes-mcp-server: read-only (get/list/watch of what diagnosis needs, never Secrets) unless you opt in to write access.',
      fields: {
        enabled: toggle('Deploy the Kubernetes MCP server.', true),
        image: { kind: 'string', default: MCP_SERVER_IMAGES.kubernetes, doc: 'Image of kubernetes-mcp-server.', pattern: PINNED_IMAGE, patternDoc: PINNED_IMAGE_DOC },
        writeNamespaces: {
          kind: 'string',
          doc: 'Opt-in write access: comma-separated namespaces where the server may change workloads (a Role and RoleBinding in each). Creating workloads there exposes that namespace\'s Secrets to them.',
          pattern: NAMESPACE_LIST,
          patternDoc: 'must be comma-separated namespace names, e.g. team-a,team-b',
        },
        allowDestructive: toggle('With writeNamespaces: also allow deletions, pod restarts included (otherwise --disable-destructive).', false),
        clusterWideEditAccessIUnderstandTheRisk: toggle(
          'DANGER: bind the built-in `edit` ClusterRole in every namespace (read/write, Secrets included), as the reference does. Evaluation clusters only.',
          false,
        ),
        apiServerCidr: {
          kind: 'string',
          default: '0.0.0.0/0,::/0',
          doc: 'Comma-separated CIDRs of the API server endpoints (`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`) the server may reach on 443/6443.',
          pattern: CIDR_LIST,
          patternDoc: 'must be comma-separated CIDRs, e.g. 10.0.0.10/32',
        },
      },
    },
    opensearch: {
      kind: 'object',
      doc: 'opensearch-mcp-server-py, as a read-only OpenSearch user limited to the log indices (needs opensearch).',
      fields: {
        enabled: toggle('Deploy the OpenSearch MCP server.', true),
        image: {
          kind: 'string',
          doc: 'Required: image of opensearch-mcp-server-py you built and pinned (no published image exists; see docs/mcp.md).',
          pattern: PINNED_IMAGE,
          patternDoc: PINNED_IMAGE_DOC,
        },
        username: { kind: 'string', default: 'mcp-log-reader', doc: 'OpenSearch user created for the server.', pattern: DNS_LABEL, patternDoc: 'must be a DNS label' },
        password: { kind: 'string', minLength: 12, doc: 'Its password (at least 12 characters); generated and kept in the credentials file when absent.' },
        existingSecret: {
          kind: 'string',
          doc: 'Secret (keys `username`, `password`) of a read-only user you manage; no user is created then. Never the admin Secret.',
          pattern: DNS_LABEL,
          patternDoc: 'must be a DNS label',
        },
        insecureSkipTlsVerify: toggle("Skip verifying OpenSearch's certificate (the reference does); off: verified against the cluster's CA.", false),
        egressCidr: {
          kind: 'string',
          doc: 'With opensearch.external (required there): comma-separated CIDRs of its endpoint the server may reach, on its port only.',
          pattern: CIDR_LIST,
          patternDoc: 'must be comma-separated CIDRs, e.g. 10.20.0.0/16',
        },
        apiSpecDownloadCidrs: {
          kind: 'string',
          doc: 'Comma-separated CIDRs (port 443) from which the server may download the OpenAPI spec files it builds four tools from at start; none: it starts without them (see docs/mcp.md).',
          pattern: CIDR_LIST,
          patternDoc: 'must be comma-separated CIDRs, e.g. 185.199.108.0/22',
        },
      },
    },
    prometheus: {
      kind: 'object',
      doc: 'prometheus-mcp-server: read-only PromQL against the stack\'s Prometheus (needs prometheus-stack).',
      fields: {
        enabled: toggle('Deploy the Prometheus MCP server.', true),
        image: { kind: 'string', default: MCP_SERVER_IMAGES.prometheus, doc: 'Image of prometheus-mcp-server.', pattern: PINNED_IMAGE, patternDoc: PINNED_IMAGE_DOC },
        transport: { kind: 'enum', values: PROMETHEUS_MCP_TRANSPORTS, default: 'http', doc: '`http`: streamable HTTP on /mcp; `sse`: Server-Sent Events on /sse.' },
      },
    },
  },
} as const satisfies ConfigField;

type Toggle = { readonly enabled?: boolean };

/** The `mcp` section once validated. */
export interface McpConfig extends Toggle {
  readonly agentLabel?: { readonly key?: string; readonly value?: string };
  readonly agentNamespaces?: string;
  readonly kubernetes?: Toggle & {
    readonly image?: string;
    readonly writeNamespaces?: string;
    readonly allowDestructive?: boolean;
    readonly clusterWideEditAccessIUnderstandTheRisk?: boolean;
    readonly apiServerCidr?: string;
  };
  readonly opensearch?: Toggle & {
    readonly image?: string;
    readonly username?: string;
    readonly password?: string;
    readonly existingSecret?: string;
    readonly insecureSkipTlsVerify?: boolean;
    readonly egressCidr?: string;
    readonly apiSpecDownloadCidrs?: string;
  };
  readonly prometheus?: Toggle & { readonly image?: string; readonly transport?: PrometheusMcpTransport };
}

/** What else in the config the `mcp` section depends on. */
export interface McpConfigContext {
  /** `prometheus-stack.enabled`. */
  readonly prometheusOn: boolean;
  /** Whether an OpenSearch stores the logs: `opensearch.enabled`, or `opensearch.external`. */
  readonly openSearchOn: boolean;
  /** Whether that OpenSearch is `opensearch.external` (no operator can create users there). @default false */
  readonly openSearchExternal?: boolean;
}

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((s) => s.trim()).filter(Boolean);

/** Combinations in the `mcp` section that cannot work, with the key path each is about. */
export function mcpConfigIssues(mcp: McpConfig | undefined, context: McpConfigContext): ConfigIssue[] {
  if (!mcp?.enabled) return [];
  const issues: ConfigIssue[] = [];
  const on = (section: Toggle | undefined) => section?.enabled ?? true;
  if (on(mcp.prometheus) && !context.prometheusOn) {
    issues.push({ path: 'mcp.prometheus.enabled', message: "the Prometheus MCP server queries the stack's Prometheus: set prometheus-stack.enabled to true, or mcp.prometheus.enabled to false" });
  }
  if (on(mcp.opensearch)) {
    if (!context.openSearchOn) {
      issues.push({
        path: 'mcp.opensearch.enabled',
        message: 'the OpenSearch MCP server searches the logs, and no OpenSearch stores them: set opensearch.enabled to true or opensearch.external, or mcp.opensearch.enabled to false',
      });
    }
    if (!mcp.opensearch?.image) {
      issues.push({
        path: 'mcp.opensearch.image',
        message: 'is required while mcp.opensearch is on: no published image of opensearch-mcp-server-py can be pinned; build one (see docs/mcp.md) and set it, or set mcp.opensearch.enabled to false',
      });
    }
    if (context.openSearchExternal && !mcp.opensearch?.existingSecret) {
      issues.push({
        path: 'mcp.opensearch.existingSecret',
        message: "is required with opensearch.external: no operator can create the server's user there; create a read-only user and give its Secret",
      });
    }
    if (context.openSearchExternal && !mcp.opensearch?.egressCidr) {
      issues.push({
        path: 'mcp.opensearch.egressCidr',
        message: `is required with opensearch.external: ${OPENSEARCH_MCP_REDIRECT_RISK}; name the endpoint's addresses, e.g. 10.20.0.0/16`,
      });
    }
    const tooOld = mcp.opensearch?.image ? openSearchMcpImageTooOld(mcp.opensearch.image) : undefined;
    if (tooOld) issues.push({ path: 'mcp.opensearch.image', message: tooOld });
    if (mcp.opensearch?.existingSecret && (mcp.opensearch.username || mcp.opensearch.password)) {
      issues.push({ path: 'mcp.opensearch.existingSecret', message: 'cannot be combined with username / password: the credentials come from the existing Secret; remove one or the other' });
    }
  }
  const k = mcp.kubernetes;
  if (k?.clusterWideEditAccessIUnderstandTheRisk && k.writeNamespaces) {
    issues.push({ path: 'mcp.kubernetes.writeNamespaces', message: 'clusterWideEditAccessIUnderstandTheRisk already grants edit in every namespace; remove one or the other' });
  }
  if (k?.allowDestructive && !k.writeNamespaces && !k.clusterWideEditAccessIUnderstandTheRisk) {
    issues.push({ path: 'mcp.kubernetes.allowDestructive', message: 'needs write access: set mcp.kubernetes.writeNamespaces, or leave allowDestructive off' });
  }
  return issues;
}

/** Maps the validated `mcp` section onto the chart's `mcp` prop. */
export function mcpConfigToProps(mcp: McpConfig | undefined): Omit<McpServersProps, 'namespace' | 'setupScope' | 'credentials' | 'prometheusTarget'> & Toggle {
  if (!mcp) return { enabled: false };
  const k = mcp.kubernetes ?? {};
  const o = mcp.opensearch ?? {};
  const p = mcp.prometheus ?? {};
  return {
    enabled: mcp.enabled,
    agentPodLabels: { [mcp.agentLabel?.key ?? defaultLabelKey]: mcp.agentLabel?.value ?? defaultLabelValue },
    agentNamespaces: list(mcp.agentNamespaces),
    kubernetes: {
      enabled: k.enabled,
      image: k.image,
      writeNamespaces: list(k.writeNamespaces),
      allowDestructive: k.allowDestructive,
      clusterWideEditAccessIUnderstandTheRisk: k.clusterWideEditAccessIUnderstandTheRisk,
      apiServer: { cidrs: list(k.apiServerCidr) },
    },
    opensearch: {
      enabled: o.enabled,
      image: o.image,
      username: o.username,
      password: o.password,
      existingCredentialsSecret: o.existingSecret ? { name: o.existingSecret } : undefined,
      insecureSkipTlsVerify: o.insecureSkipTlsVerify,
      egressCidrs: list(o.egressCidr),
      apiSpecDownloadCidrs: list(o.apiSpecDownloadCidrs),
    },
    prometheus: { enabled: p.enabled, image: p.image, transport: p.transport },
  };
}

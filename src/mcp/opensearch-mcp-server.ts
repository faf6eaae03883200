import { EnvValue, k8s, Secret } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { OpensearchRole, OpensearchUser, OpensearchUserRoleBinding } from '../../imports/opensearch.opster.io.js';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import { type CredentialStore, requireCredentialStore } from '../core/credential-store.js';
import { managedOpenSearchUsername, type OpenSearchTarget } from '../core/opensearch-target.js';
import { resources } from '../core/security.js';
import { MCP_SERVER_PORTS, MCP_SERVER_UIDS, OPENSEARCH_MCP_REDIRECT_RISK, openSearchMcpImageTooOld } from './mcp-images.js';
import { CIDR_LIST, cidrEgress, podEgress } from './mcp-network.js';
import { msg, propError } from '../core/prop-error.js';
import { objectName, password, pinnedImage, PropChecks } from '../core/value-types.js';
import type { McpServerProps, McpServerEndpoint } from './mcp-server-props.js';
import { McpServerWorkload, mcpServerLabels, type SecretFileMount } from './mcp-server-workload.js';

/** Keys of the Secret holding the server's OpenSearch credentials. */
export const OPENSEARCH_MCP_SECRET_KEYS = { username: 'username', password: 'password' } as const;

/**
 * Index actions the server's OpenSearch role allows on the log indices: reading and searching, mappings and settings
 * (view_index_metadata), and index statistics (`indices_monitor` = `indices:monitor/*`, for the stats behind
 * `_cat/indices` and GetIndexStatsTool).
 */
export const OPENSEARCH_MCP_INDEX_ACTIONS = ['read', 'search', 'view_index_metadata', 'indices_monitor'] as const;

/**
 * Cluster actions the server's OpenSearch role allows, all read-only:
 * - `cluster:monitor/main` (`GET /`): opensearch-mcp-server-py asks for the cluster's version before every tool call
 *   (tools.check_tool_compatibility -> helper.get_opensearch_version) and at start (tool_filter.get_tools);
 * - `cluster:monitor/health` (ClusterHealthTool, and the health column of `_cat/indices`);
 * - `cluster_composite_ops_ro`: msearch, mget, scroll and `_resolve/index` (ListIndexTool's fallback since 0.11.0).
 *
 * Not `cluster:monitor/state` (nor `cluster_monitor`): the cluster state shows every index's metadata, not only the
 * log indices'. Without it GetShardsTool (`_cat/shards`) fails and ListIndexTool lists names only (its
 * `_resolve/index` fallback); add it through `clusterPermissions` if agents may see that. docs/mcp.md lists which
 * tools work with this role.
 */
export const OPENSEARCH_MCP_CLUSTER_ACTIONS = ['cluster:monitor/main', 'cluster:monitor/health', 'cluster_composite_ops_ro'] as const;

/**
 * Where opensearch-mcp-server-py downloads OpenAPI spec files from at every start, before it listens: the
 * `main` branch of opensearch-project/opensearch-api-specification (src/tools/tool_generator.py, `BASE_URL`,
 * `cluster.yaml` and `_core.yaml`), to generate MsearchTool, ExplainTool, CountTool and ClusterHealthTool. Its
 * aiohttp session has no timeout of its own (aiohttp's default: 300 s per request, 30 s per connection attempt);
 * a failure is caught and the server starts without those four tools.
 */
export const OPENSEARCH_API_SPEC_HOST = 'raw.githubusercontent.com';

/**
 * Seconds the OpenSearch server may take to start: its imports (numpy, scipy, scikit-learn) and the version
 * request it sends OpenSearch before listening (the client's 30 s timeout), and, when the spec download is allowed,
 * aiohttp's 300 s for each of the two files, so that a slow or blocked download ends in a start without the
 * generated tools rather than a restart loop.
 */
export function openSearchMcpStartupSeconds(specDownload: boolean): number {
  return 120 + (specDownload ? 2 * 300 : 0);
}

/** What {@link OpenSearchMcpServer} uses for props left out. */
export const OPENSEARCH_MCP_DEFAULTS = { username: 'mcp-log-reader' } as const;

/** Reserved: the OpenSearch admin's name. */
const ADMIN_USERNAME = 'admin';

/** The values {@link OpenSearchMcpServerProps} accept (the config file's keys use the same types). */
export const OPENSEARCH_MCP_VALUE_TYPES = {
  image: pinnedImage,
  /** It names the OpensearchUser resource too. */
  username: objectName
    .refine((name) => name !== ADMIN_USERNAME, {
      error: `"${ADMIN_USERNAME}" is the OpenSearch admin: the server authenticates as a read-only user of its own`,
      abort: true,
    })
    .pipe(managedOpenSearchUsername),
  password: password(12),
  existingSecret: objectName,
  egressCidrs: CIDR_LIST,
} as const;

/** An existing Secret with credentials of a read-only OpenSearch user you manage yourself. */
export interface ExistingOpenSearchCredentials {
  /** Secret name, in the server's namespace. Must not be the admin credentials Secret. */
  readonly name: string;
  /** @default "username" */
  readonly usernameKey?: string;
  /** @default "password" */
  readonly passwordKey?: string;
}

/** Props of {@link OpenSearchMcpServer}. */
export interface OpenSearchMcpServerProps extends McpServerProps {
  /** The OpenSearch the logs are in: its URL, cluster name, CA, log index pattern and pods. */
  readonly opensearch: OpenSearchTarget;
  /**
   * Image of opensearch-mcp-server-py whose entrypoint is the `opensearch-mcp-server-py` console script, as the
   * upstream Dockerfile builds it, pinned by tag or digest. Required: no published image can be pinned (see
   * docs/mcp.md).
   */
  readonly image: string;
  /** Replaces the image's entrypoint. @default the image's entrypoint */
  readonly command?: readonly string[];
  /**
   * Name of the OpenSearch user created for the server (an `OpensearchUser` of the operator; the name is the
   * user name).
   * @default {@link OPENSEARCH_MCP_DEFAULTS}.username
   */
  readonly username?: string;
  /**
   * Password of that user (at least 12 characters).
   * @default generated once and kept in the credential store
   */
  readonly password?: string;
  /**
   * Use a read-only user you manage: no OpensearchUser/Role/Binding and no Secret are emitted. Required for an
   * OpenSearch outside the cluster (a target without pod labels), where no operator can create the user.
   * @default none: a user, role and binding are created through the operator
   */
  readonly existingCredentialsSecret?: ExistingOpenSearchCredentials;
  /**
   * Index patterns the user may read.
   * @default the target's logIndexPattern, and its logBackingIndexPattern when the logs are data streams
   */
  readonly indexPatterns?: readonly string[];
  /** Cluster permissions of the user's role. @default {@link OPENSEARCH_MCP_CLUSTER_ACTIONS} */
  readonly clusterPermissions?: readonly string[];
  /**
   * Skip TLS verification of OpenSearch (as the reference does). Leave off: the target's CA Secret is mounted and
   * verified against.
   * @default false
   */
  readonly insecureSkipTlsVerify?: boolean;
  /**
   * For an OpenSearch outside the cluster (a target without pod labels): the addresses the server may reach, on the
   * target's port only. Required there: see {@link OPENSEARCH_MCP_REDIRECT_RISK}.
   */
  readonly egressCidrs?: readonly string[];
  /**
   * Lets the server download the OpenAPI spec files it generates four of its tools from at start (see
   * {@link OPENSEARCH_API_SPEC_HOST}): egress on 443 to these addresses (NetworkPolicies cannot name a host; use
   * GitHub's published ranges or your egress proxy's address). The files come from an unpinned branch.
   * @default none: the host resolves to 127.0.0.1 in the pod, the download fails at once, and the server starts
   * without MsearchTool, ExplainTool, CountTool and ClusterHealthTool
   */
  readonly apiSpecDownloadCidrs?: readonly string[];
  /** Scope of the credentials Secret(s): the setup chart, applied first. @default this construct */
  readonly setupScope?: Construct;
  /**
   * Where the generated password is kept between synths.
   * @default none: without `password` or `existingCredentialsSecret`, an error names this prop
   */
  readonly credentials?: CredentialStore;
}

const NAME = 'opensearch-mcp-server';

/** The patterns log records live under: the log indices (or data streams) and, for data streams, their backing indices. */
function logIndexPatterns(target: OpenSearchTarget): string[] {
  return [target.logIndexPattern, ...(target.logBackingIndexPattern ? [target.logBackingIndexPattern] : [])];
}
const CA_DIRECTORY = '/etc/opensearch-mcp/ca';

/**
 * opensearch-mcp-server-py, authenticating as a read-only OpenSearch user created for it, not as admin: the
 * operator's OpensearchUser / OpensearchRole / OpensearchUserRoleBinding, referencing the cluster by name, allowing
 * read, search and view_index_metadata on the log indices only. The password is generated (or given) and kept in a
 * Secret; the image is pinned by you (no published image exists), never `pip install`ed at start-up. The server runs
 * with writes off (`OPENSEARCH_SETTINGS_ALLOW_WRITE=false`), cannot be pointed elsewhere per call
 * (`OPENSEARCH_DYNAMIC_CONNECTION=false`), and verifies OpenSearch's certificate against the target's CA.
 *
 * Speaks streamable HTTP on `/mcp` and SSE on `/sse` (port 9900); `/health` answers the probes. It starts without
 * downloading OpenAPI spec files unless {@link OpenSearchMcpServerProps.apiSpecDownloadCidrs} lets it.
 */
export class OpenSearchMcpServer extends Construct implements McpServerEndpoint {
  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly port: number = MCP_SERVER_PORTS.opensearch;
  public readonly mcpPath = '/mcp';
  public readonly ssePath = '/sse';
  public readonly podLabels: Readonly<Record<string, string>>;
  /** In-cluster base URL, e.g. `http://opensearch-mcp-server.observability.svc:9900`. */
  public readonly url: string;
  /** The OpenSearch user the server authenticates as. */
  public readonly username: string;
  /** Secret (in the server's namespace) the server reads its credentials from. */
  public readonly credentialsSecretName: string;

  constructor(scope: Construct, id: string, props: OpenSearchMcpServerProps) {
    super(scope, id);
    const target = props.opensearch;
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const existing = props.existingCredentialsSecret;
    checkOpenSearchMcpProps(props);
    this.username = props.username ?? OPENSEARCH_MCP_DEFAULTS.username;
    const labels = mcpServerLabels(NAME);
    const usernameKey = existing?.usernameKey ?? OPENSEARCH_MCP_SECRET_KEYS.username;
    const passwordKey = existing?.passwordKey ?? OPENSEARCH_MCP_SECRET_KEYS.password;
    this.credentialsSecretName = existing?.name ?? `${NAME}-credentials`;
    if (!existing) this.createUser(props, labels);

    const ca = props.insecureSkipTlsVerify ? undefined : target.caSecret;
    if (ca && target.namespace !== this.namespace) {
      throw propError(
        'namespace',
        `the CA Secret '${ca.name}' of the OpenSearch is in namespace '${target.namespace}' but the server runs in '${this.namespace}'; run it in '${target.namespace}'`,
      );
    }
    const secretFiles: SecretFileMount[] = ca ? [{ secret: Secret.fromSecretName(this, 'ca-secret', ca.name), key: ca.key, directory: CA_DIRECTORY }] : [];

    const specDownload = props.apiSpecDownloadCidrs;
    // In the cluster: its pods. Outside: the given addresses (required, see checkOpenSearchMcpProps), on its port only.
    const egress = target.podSelectorLabels
      ? podEgress(target.namespace, target.podSelectorLabels, target.port)
      : cidrEgress(props.egressCidrs!, [target.port]);

    const workload = new McpServerWorkload(this, 'workload', {
      ...props,
      name: NAME,
      namespace: this.namespace,
      image: props.image,
      command: props.command,
      args: ['--transport', 'stream', '--host', '0.0.0.0', '--port', String(this.port)],
      env: this.serverEnv(target, { username: usernameKey, password: passwordKey }, { verify: !props.insecureSkipTlsVerify, ca }),
      port: this.port,
      healthPath: '/health',
      startupSeconds: openSearchMcpStartupSeconds(specDownload !== undefined),
      hostAliases: specDownload ? [] : [{ ip: '127.0.0.1', hostnames: [OPENSEARCH_API_SPEC_HOST] }],
      resources: props.resources ?? resources('50m', '128Mi', '500m', '384Mi'),
      uid: MCP_SERVER_UIDS.opensearch,
      automountServiceAccountToken: false,
      secretFiles,
      egress: [egress, ...(specDownload ? [cidrEgress(specDownload, [443])] : [])],
    });
    this.serviceName = workload.serviceName;
    this.podLabels = workload.podLabels;
    this.url = workload.url;
  }

  /**
   * The server's settings: the URL, the credentials from the Secret (by key), whether TLS is verified (against `ca`
   * when given), writes and per-call connections off.
   */
  private serverEnv(
    target: OpenSearchTarget,
    keys: { readonly username: string; readonly password: string },
    tls: { readonly verify: boolean; readonly ca: OpenSearchTarget['caSecret'] },
  ): Record<string, EnvValue> {
    const { ca } = tls;
    const credentials = Secret.fromSecretName(this, 'credentials-secret', this.credentialsSecretName);
    return {
      OPENSEARCH_URL: EnvValue.fromValue(target.url),
      OPENSEARCH_USERNAME: EnvValue.fromSecretValue({ secret: credentials, key: keys.username }),
      OPENSEARCH_PASSWORD: EnvValue.fromSecretValue({ secret: credentials, key: keys.password }),
      OPENSEARCH_SSL_VERIFY: EnvValue.fromValue(tls.verify ? 'true' : 'false'),
      ...(ca ? { OPENSEARCH_CA_CERT_PATH: EnvValue.fromValue(`${CA_DIRECTORY}/${ca.key}`) } : {}),
      OPENSEARCH_SETTINGS_ALLOW_WRITE: EnvValue.fromValue('false'),
      OPENSEARCH_DYNAMIC_CONNECTION: EnvValue.fromValue('false'),
    };
  }

  /** The read-only user, its role and binding (operator CRs, in the cluster's namespace) and its Secret(s). */
  private createUser(props: OpenSearchMcpServerProps, labels: Record<string, string>): void {
    const target = props.opensearch;
    const password =
      props.password ??
      requireCredentialStore(props.credentials, 'OpenSearch MCP server password', [['password'], ['existingCredentialsSecret']]).getOrCreate(
        `${target.namespace}/${target.clusterName}/${this.username}-password`,
      );
    const secretScope = props.setupScope ?? this;
    const stringData = { [OPENSEARCH_MCP_SECRET_KEYS.username]: this.username, [OPENSEARCH_MCP_SECRET_KEYS.password]: password };
    // The operator reads the password from the cluster's namespace; the server from its own.
    for (const namespace of [...new Set([target.namespace, this.namespace])].sort()) {
      new k8s.KubeSecret(secretScope, `${this.node.path.replace(/\//g, '-')}-credentials-${namespace}`, {
        metadata: { name: this.credentialsSecretName, namespace, labels },
        type: 'Opaque',
        stringData,
      });
    }

    const cluster = { name: target.clusterName };
    const metadata = { name: this.username, namespace: target.namespace, labels };
    new OpensearchUser(this, 'user', {
      metadata,
      spec: { opensearchCluster: cluster, passwordFrom: { name: this.credentialsSecretName, key: OPENSEARCH_MCP_SECRET_KEYS.password } },
    });
    new OpensearchRole(this, 'role', {
      metadata,
      spec: {
        opensearchCluster: cluster,
        clusterPermissions: [...(props.clusterPermissions ?? OPENSEARCH_MCP_CLUSTER_ACTIONS)],
        indexPermissions: [{ indexPatterns: [...(props.indexPatterns ?? logIndexPatterns(target))], allowedActions: [...OPENSEARCH_MCP_INDEX_ACTIONS] }],
      },
    });
    new OpensearchUserRoleBinding(this, 'role-binding', {
      metadata,
      spec: { opensearchCluster: cluster, users: [this.username], roles: [this.username] },
    });
  }
}

/**
 * Checks the credential props against the target (never the admin's Secret or user; a user of your own for an
 * OpenSearch outside the cluster) and returns the user name.
 */
/** Every problem with the props, at once. */
function checkOpenSearchMcpProps(props: OpenSearchMcpServerProps): void {
  const target = props.opensearch;
  const existing = props.existingCredentialsSecret;
  const types = OPENSEARCH_MCP_VALUE_TYPES;
  const checks = new PropChecks();
  checks.check(types.image, props.image, 'image');
  checks.check(types.password, props.password, 'password');
  checks.check(types.egressCidrs, props.egressCidrs, 'egressCidrs');
  checks.check(types.egressCidrs, props.apiSpecDownloadCidrs, 'apiSpecDownloadCidrs');
  const tooOld = props.image === undefined ? undefined : openSearchMcpImageTooOld(props.image);
  if (tooOld) checks.fail('image', tooOld);
  if (!target.podSelectorLabels && !props.egressCidrs) {
    checks.fail('egressCidrs', `is required for an OpenSearch outside the cluster (${target.host}): ${OPENSEARCH_MCP_REDIRECT_RISK}`);
  }
  if (existing) {
    checks.check(types.existingSecret, existing.name, 'existingCredentialsSecret.name');
    if (existing.name === target.adminCredentialsSecret?.name) {
      checks.fail('existingCredentialsSecret.name', `"${existing.name}" holds the OpenSearch admin credentials; give a read-only user's Secret`);
    }
    if (props.username !== undefined || props.password !== undefined) {
      checks.fail('existingCredentialsSecret', msg`cannot be combined with ${['username']} / ${['password']}: the credentials come from the existing Secret; remove one or the other`);
    }
  } else {
    checks.check(types.username, props.username, 'username');
    // The server's OpensearchUser and OpensearchRole are both named after the user.
    const username = props.username ?? OPENSEARCH_MCP_DEFAULTS.username;
    if (target.usernames?.includes(username)) {
      checks.fail(
        'username',
        `"${username}" is a user the stack already has on this OpenSearch (${target.usernames.join(', ')}): a second OpensearchUser and OpensearchRole of that name would overwrite its password and permissions; choose another name`,
      );
    }
    if (!target.podSelectorLabels) {
      checks.fail(
        'existingCredentialsSecret',
        `is required for an OpenSearch outside the cluster (${target.host}): no operator can create the server's user there; create a read-only user and give its Secret`,
      );
    }
  }
  checks.throwIfAny();
}

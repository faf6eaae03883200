/**
 * The config-file keys of the log path: `opensearch` (the OpenSearchCluster, or an external OpenSearch) and
 * `fluentbit` (the FluentBitPipeline). Schema, combination checks and the mapping onto ObservabilityChartProps live
 * here so config-schema.ts and load-config.ts only plug them in.
 */
import { DEFAULT_OPENSEARCH_VERSION } from '../logs/opensearch/opensearch-cluster.js';
import { externalOpenSearchTarget } from '../logs/opensearch/external-opensearch.js';
import { MIN_OPENSEARCH_PASSWORD_LENGTH } from '../logs/opensearch/opensearch-security.js';
import type { ObservabilityChartProps } from '../observability-chart.js';
import type { ConfigField, ConfigIssue } from './schema.js';

const SECRET_NAME = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const SECRET_NAME_DOC = 'must be a Secret name: lower-case letters, digits, "-" and ".", at most 63 characters';
const PREFIX = /^(?=.{1,40}$)[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PREFIX_DOC = 'must be a DNS label of at most 40 characters starting with a letter';
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;

/** `opensearch`: log storage. */
export const OPENSEARCH_CONFIG_SCHEMA = {
  kind: 'object',
  doc: 'OpenSearch for the logs (opensearch-operator 2.8.0): Dashboards, operator-generated TLS, retention, least-privilege users; no default password.',
  fields: {
    enabled: { kind: 'boolean', default: true, doc: 'Run an OpenSearch cluster. Off: use `opensearch.external`, or turn `fluentbit` off too.' },
    clusterName: { kind: 'string', default: 'logs', doc: 'Name of the OpenSearchCluster; its endpoint is `https://<name>.<namespace>.svc:9200`.', pattern: PREFIX, patternDoc: PREFIX_DOC },
    version: { kind: 'string', default: DEFAULT_OPENSEARCH_VERSION, doc: 'OpenSearch and Dashboards version (operator 2.8.0 supports 2.19.2 to 3.x).', pattern: /^\d+\.\d+\.\d+$/, patternDoc: 'must be a version such as 3.1.0' },
    retentionDays: { kind: 'number', default: 7, min: 1, max: 3650, doc: 'Days log records are kept: log indices roll over daily and are deleted this many days after.' },
    credentials: {
      kind: 'object',
      doc: 'OpenSearch users. Passwords absent here are generated once and kept in the credentials file.',
      fields: {
        adminUsername: { kind: 'string', default: 'admin', doc: 'Admin user name.', pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/, patternDoc: "must be 1 to 64 letters, digits, '.', '_' or '-', starting and ending with a letter or digit" },
        adminPassword: { kind: 'string', minLength: MIN_OPENSEARCH_PASSWORD_LENGTH, doc: `Admin password (at least ${MIN_OPENSEARCH_PASSWORD_LENGTH} characters).` },
        dashboardUserPassword: { kind: 'string', minLength: MIN_OPENSEARCH_PASSWORD_LENGTH, doc: `Password of the Dashboards server user \`kibanaserver\` (at least ${MIN_OPENSEARCH_PASSWORD_LENGTH} characters).` },
      },
    },
    existingSecret: {
      kind: 'string',
      doc: 'Prefix of Secrets you create (GitOps): `<prefix>-admin-credentials`, `-dashboards-credentials`, `-security-config`, `-log-writer-credentials`, `-log-reader-credentials` (see docs/logs.md). Nothing secret is written to dist/.',
      pattern: PREFIX,
      patternDoc: PREFIX_DOC,
    },
    nodes: {
      kind: 'object',
      doc: 'The cluster-manager + data node pool.',
      fields: {
        replicas: { kind: 'number', default: 3, min: 1, max: 100, doc: 'Number of nodes.' },
        diskSize: { kind: 'string', default: '30Gi', doc: 'Volume size of each node.', pattern: /^\d+(Gi|Ti)$/, patternDoc: 'must be a quantity such as 30Gi' },
        storageClass: { kind: 'string', doc: 'Storage class of the volumes (default: the cluster\'s default).', pattern: SECRET_NAME, patternDoc: 'must be a storage class name' },
        cpu: { kind: 'string', default: '2', doc: 'CPU of each node (request = limit).', pattern: /^\d+(\.\d+)?m?$/, patternDoc: 'must be a CPU quantity such as 2 or 500m' },
        memory: { kind: 'string', default: '4Gi', doc: 'Memory of each node (request = limit); the JVM heap is half of it.', pattern: QUANTITY, patternDoc: 'must be a memory quantity such as 4Gi' },
      },
    },
    external: {
      kind: 'object',
      doc: 'An OpenSearch this stack does not run (with `opensearch.enabled: false`): Fluent Bit writes to it, Grafana reads from it.',
      fields: {
        host: { kind: 'string', doc: 'Host name of its HTTPS endpoint.', pattern: /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/, patternDoc: 'must be a host name (no scheme, port or path)' },
        port: { kind: 'number', default: 443, min: 1, max: 65535, doc: 'Port of the endpoint.' },
        caSecret: { kind: 'string', doc: 'Secret (in the stack namespace) with the CA certificate under `ca.crt`; without it the images\' system CAs are trusted.', pattern: SECRET_NAME, patternDoc: SECRET_NAME_DOC },
        writerCredentialsSecret: { kind: 'string', doc: 'Secret with `username` and `password` of a user allowed to write the `logs-*` data streams (Fluent Bit).', pattern: SECRET_NAME, patternDoc: SECRET_NAME_DOC },
        readerCredentialsSecret: { kind: 'string', doc: 'Secret with `username` and `password` of a user allowed to search them (Grafana); default: the writer\'s.', pattern: SECRET_NAME, patternDoc: SECRET_NAME_DOC },
      },
    },
  },
} as const satisfies ConfigField;

/** `fluentbit`: log collection. */
export const FLUENTBIT_CONFIG_SCHEMA = {
  kind: 'object',
  doc: 'Fluent Bit (fluent-operator 4.3.0) on every node, GPU and Neuron nodes included: container, kubelet/containerd and kernel logs to OpenSearch, buffered on disk.',
  fields: {
    enabled: { kind: 'boolean', default: true, doc: 'Collect logs (needs `opensearch.enabled` or `opensearch.external`).' },
    bufferLimit: { kind: 'string', default: '5G', doc: 'Disk per node for records waiting for OpenSearch; beyond it the oldest are dropped (and alerted on).', pattern: /^\d+(K|M|G|T)$/, patternDoc: 'must be a size such as 500M or 5G' },
    retryLimit: { kind: 'number', default: 200, min: 1, max: 100000, doc: 'Retries of a failed batch (backoff up to 5 minutes; 200 is about 8 hours) before it is dropped and alerted on.' },
    insecureSkipTlsVerify: { kind: 'boolean', default: false, doc: 'Do not verify OpenSearch\'s certificate. Test clusters only.' },
  },
} as const satisfies ConfigField;

type Toggle = { readonly enabled?: boolean };

/** The `opensearch` and `fluentbit` sections once validated. */
export interface LogsConfig {
  readonly opensearch?: Toggle & {
    readonly clusterName?: string;
    readonly version?: string;
    readonly retentionDays?: number;
    readonly credentials?: { readonly adminUsername?: string; readonly adminPassword?: string; readonly dashboardUserPassword?: string };
    readonly existingSecret?: string;
    readonly nodes?: { readonly replicas?: number; readonly diskSize?: string; readonly storageClass?: string; readonly cpu?: string; readonly memory?: string };
    readonly external?: {
      readonly host?: string;
      readonly port?: number;
      readonly caSecret?: string;
      readonly writerCredentialsSecret?: string;
      readonly readerCredentialsSecret?: string;
    };
  };
  readonly fluentbit?: Toggle & { readonly bufferLimit?: string; readonly retryLimit?: number; readonly insecureSkipTlsVerify?: boolean };
}

/** True when logs have somewhere to go: the stack's OpenSearch or an external one. */
export function logsStored(config: LogsConfig): boolean {
  return (config.opensearch?.enabled ?? true) || config.opensearch?.external !== undefined;
}

/** Combinations in the `opensearch` and `fluentbit` sections that cannot work, with the key path each is about. */
export function logsConfigIssues(config: LogsConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const os = config.opensearch ?? {};
  const openSearchOn = os.enabled ?? true;
  const credentials = os.credentials ?? {};
  if (os.existingSecret && (credentials.adminPassword || credentials.dashboardUserPassword)) {
    issues.push({
      path: 'opensearch.existingSecret',
      message: 'cannot be combined with credentials.adminPassword / credentials.dashboardUserPassword: the passwords come from the existing Secrets; remove one or the other',
    });
  }
  if (credentials.adminPassword && credentials.adminPassword === credentials.dashboardUserPassword) {
    issues.push({ path: 'opensearch.credentials.dashboardUserPassword', message: 'must differ from adminPassword (Dashboards would hold the admin password)' });
  }
  if (os.external && openSearchOn) {
    issues.push({ path: 'opensearch.external', message: 'is used only with opensearch.enabled: false; set opensearch.enabled to false to send the logs there, or remove opensearch.external' });
  }
  if (os.external && !openSearchOn) {
    for (const key of ['host', 'writerCredentialsSecret'] as const) {
      if (!os.external[key]) issues.push({ path: `opensearch.external.${key}`, message: 'is required to use an external OpenSearch' });
    }
  }
  if ((config.fluentbit?.enabled ?? true) && !logsStored(config)) {
    issues.push({
      path: 'fluentbit.enabled',
      message: 'Fluent Bit needs somewhere to send the logs: set opensearch.enabled to true, configure opensearch.external, or set fluentbit.enabled to false',
    });
  }
  return issues;
}

/** Maps the validated sections onto the chart's `openSearch`, `externalOpenSearch` and `fluentBit` props. */
export function logsConfigToProps(config: LogsConfig, namespace: string | undefined): Pick<ObservabilityChartProps, 'openSearch' | 'externalOpenSearch' | 'fluentBit'> {
  const os = config.opensearch ?? {};
  const fb = config.fluentbit ?? {};
  const external = os.external;
  const openSearchOn = os.enabled ?? true;
  return {
    openSearch: {
      enabled: os.enabled,
      clusterName: os.clusterName,
      version: os.version,
      retentionDays: os.retentionDays,
      existingSecret: os.existingSecret,
      users: {
        adminUsername: os.credentials?.adminUsername,
        adminPassword: os.credentials?.adminPassword,
        dashboardsPassword: os.credentials?.dashboardUserPassword,
      },
      nodes: os.nodes,
    },
    ...(external && !openSearchOn && external.host && external.writerCredentialsSecret
      ? {
          externalOpenSearch: {
            target: externalOpenSearchTarget({
              host: external.host,
              port: external.port,
              namespace,
              ...(external.caSecret ? { caSecret: { name: external.caSecret } } : {}),
            }),
            writerCredentialsSecret: external.writerCredentialsSecret,
            readerCredentialsSecret: external.readerCredentialsSecret,
          },
        }
      : {}),
    fluentBit: {
      enabled: fb.enabled,
      bufferLimit: fb.bufferLimit,
      retryLimit: fb.retryLimit,
      insecureSkipTlsVerify: fb.insecureSkipTlsVerify,
    },
  };
}

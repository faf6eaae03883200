/**
 * The config file's keys of the log path: `opensearch` (the OpenSearchCluster, or an external OpenSearch) and
 * `fluentbit` (the FluentBitPipeline), with their mapping onto ObservabilityChartProps.
 */
import { z } from 'zod';
import { EXTERNAL_OPENSEARCH_DEFAULTS, externalOpenSearchTarget } from '../logs/opensearch/external-opensearch.js';
import { EXTERNAL_OPENSEARCH_VALUE_TYPES } from '../logs/opensearch/opensearch-value-types.js';
import { LOG_INDEX_LIFECYCLE_DEFAULTS } from '../logs/opensearch/log-index-lifecycle.js';
import { MIN_OPENSEARCH_PASSWORD_LENGTH } from '../logs/opensearch/opensearch-security.js';
import { FLUENT_BIT_DEFAULTS } from '../logs/fluent-bit/fluent-bit-pipeline.js';
import { FLUENT_BIT_VALUE_TYPES } from '../logs/fluent-bit/fluent-bit-value-types.js';
import { ENABLED_BY_DEFAULT, type ObservabilityChartProps } from '../observability-chart.js';
import { OPENSEARCH_CLUSTER_DEFAULTS } from '../logs/opensearch/opensearch-cluster.js';
import { OPENSEARCH_CERTIFICATES_DEFAULTS } from '../logs/opensearch/opensearch-certificates.js';
import { OPENSEARCH_CLUSTER_VALUE_TYPES } from '../logs/opensearch/opensearch-cluster-checks.js';
import { OPENSEARCH_SNAPSHOTS_DEFAULTS, OPENSEARCH_SNAPSHOTS_VALUE_TYPES } from '../logs/opensearch/opensearch-snapshots.js';
import { key, requiredKey, section, toggle } from './keys.js';

const os = OPENSEARCH_CLUSTER_VALUE_TYPES;
const external = EXTERNAL_OPENSEARCH_VALUE_TYPES;
const snap = OPENSEARCH_SNAPSHOTS_VALUE_TYPES;

/** `opensearch` and `fluentbit`. */
export const LOGS_KEYS = {
  opensearch: section(
    'OpenSearch for the logs (opensearch-operator 2.8.0): Dashboards, operator-generated TLS, retention, least-privilege users; no default password.',
    {
      enabled: toggle('Run an OpenSearch cluster. Off: use `opensearch.external`, or turn `fluentbit` off too.', ENABLED_BY_DEFAULT.openSearch),
      clusterName: key(os.clusterName, {
        description: 'Name of the OpenSearchCluster; its endpoint is `https://<name>.<namespace>.svc:9200`.',
        default: OPENSEARCH_CLUSTER_DEFAULTS.clusterName,
      }),
      version: key(os.version, {
        description: 'OpenSearch and Dashboards version (operator 2.8.0 supports 2.19.2 to 3.x).',
        default: OPENSEARCH_CLUSTER_DEFAULTS.version,
      }),
      retentionDays: key(os.retentionDays, {
        description: 'Days log records are kept: log indices roll over daily and are deleted this many days after.',
        default: LOG_INDEX_LIFECYCLE_DEFAULTS.retentionDays,
      }),
      credentials: section('OpenSearch users. Passwords absent here are generated once and kept in the credentials file.', {
        adminUsername: key(os.users.username, { description: 'Admin user name.', default: OPENSEARCH_CLUSTER_DEFAULTS.adminUsername }),
        adminPassword: key(os.users.password, {
          description: `Admin password (at least ${MIN_OPENSEARCH_PASSWORD_LENGTH} characters).`,
          example: 'use-a-long-random-passphrase',
        }),
        dashboardUserPassword: key(os.users.password, {
          description: `Password of the Dashboards server user \`kibanaserver\` (at least ${MIN_OPENSEARCH_PASSWORD_LENGTH} characters).`,
          example: 'another-long-random-passphrase',
        }),
      }),
      existingSecret: key(os.existingSecret, {
        description:
          'Prefix of Secrets you create (GitOps): `<prefix>-admin-credentials`, `-dashboards-credentials`, `-security-config`, `-log-writer-credentials`, `-log-reader-credentials` (see docs/logs.md). Nothing secret is written to dist/.',
        example: 'vault-logs',
      }),
      certManager: section(
        "TLS certificates from cert-manager, renewed 45 days before they expire (default: the operator's, valid one year and never renewed; a CronJob checks their expiry and alerts 30 days ahead).",
        {
          enabled: toggle('Issue OpenSearch\'s HTTP, transport, admin and Dashboards certificates with cert-manager (installed in the cluster).', false),
          issuerName: key(os.certManager.issuerName, {
            description: 'Issuer (in the stack namespace) or ClusterIssuer that signs them; it must fill `ca.crt` (a CA or Vault issuer). Required when enabled.',
            example: 'corp-ca',
          }),
          issuerKind: key(os.certManager.issuerKind, { description: 'Kind of the issuer.', default: OPENSEARCH_CERTIFICATES_DEFAULTS.issuerKind }),
        },
      ),
      nodes: section('The cluster-manager + data node pool.', {
        replicas: key(os.nodes.replicas, { description: 'Number of nodes.', default: OPENSEARCH_CLUSTER_DEFAULTS.nodes.replicas }),
        diskSize: key(os.nodes.diskSize, { description: 'Volume size of each node.', default: OPENSEARCH_CLUSTER_DEFAULTS.nodes.diskSize }),
        storageClass: key(os.nodes.storageClass, { description: "Storage class of the volumes (default: the cluster's default).", example: 'gp3' }),
        cpu: key(os.nodes.cpu, { description: 'CPU of each node (request = limit).', default: OPENSEARCH_CLUSTER_DEFAULTS.nodes.cpu }),
        memory: key(os.nodes.memory, {
          description: 'Memory of each node (request = limit); the JVM heap is half of it.',
          default: OPENSEARCH_CLUSTER_DEFAULTS.nodes.memory,
        }),
      }),
      snapshots: section(
        'Backups: snapshots of the log data streams to an S3 bucket (AWS S3 or S3-compatible), taken and pruned on a schedule by OpenSearch Snapshot Management. Installs the repository-s3 plugin at start-up (the nodes download it: see docs/operations.md).',
        {
          bucket: requiredKey(snap.bucket, { description: 'Bucket the snapshots go to (it must exist).', example: 'acme-logs-backup' }),
          basePath: key(snap.basePath, { description: 'Folder in the bucket (default: `<namespace>/<cluster name>`).', example: 'observability/logs' }),
          endpoint: key(snap.endpoint, { description: 'Endpoint of an S3-compatible store (default: AWS S3).', example: 'https://minio.storage.svc:9000' }),
          region: key(snap.region, { description: 'Region of the bucket.', example: 'us-east-1' }),
          pathStyleAccess: key(z.boolean(), { description: 'Path-style bucket addressing (most S3-compatible stores).', default: false }),
          credentialsSecret: key(snap.credentialsSecret, {
            description: "Secret with `access-key` and `secret-key` for the bucket (loaded into OpenSearch's keystore); without it the node's or pod's AWS identity is used.",
            example: 'logs-backup-s3',
          }),
          schedule: key(snap.schedule, { description: 'When snapshots are taken (cron, UTC).', default: OPENSEARCH_SNAPSHOTS_DEFAULTS.schedule }),
          maxAge: key(snap.maxAge, { description: 'Snapshots older than this are deleted (at least one is kept).', default: OPENSEARCH_SNAPSHOTS_DEFAULTS.maxAge }),
          maxCount: key(snap.maxCount, { description: 'At most this many snapshots are kept.', default: OPENSEARCH_SNAPSHOTS_DEFAULTS.maxCount }),
        },
      ),
      external: section('An OpenSearch this stack does not run (with `opensearch.enabled: false`): Fluent Bit writes to it, Grafana reads from it.', {
        host: requiredKey(external.host, { description: 'Host name of its HTTPS endpoint.', example: 'search.example.com' }),
        port: key(external.port, { description: 'Port of the endpoint.', default: EXTERNAL_OPENSEARCH_DEFAULTS.port }),
        version: requiredKey(external.version, {
          description: "Its OpenSearch version (`GET /` answers it; Amazon OpenSearch Service `OpenSearch_2.19` is `2.19.0`): Grafana's datasource refuses every query without it.",
          example: '2.19.2',
        }),
        caSecret: key(external.secretName, {
          description: "Secret (in the stack namespace) with the CA certificate under `ca.crt`; without it the images' system CAs are trusted.",
          example: 'opensearch-ca',
        }),
        writerCredentialsSecret: requiredKey(external.secretName, {
          description: 'Secret with `username` and `password` of a user allowed to write the `logs-*` data streams (Fluent Bit).',
          example: 'opensearch-log-writer',
        }),
        readerCredentialsSecret: key(external.secretName, {
          description: "Secret with `username` and `password` of a user allowed to search them (Grafana); default: the writer's.",
          example: 'opensearch-log-reader',
        }),
      }),
    },
  ),
  fluentbit: section(
    'Fluent Bit (fluent-operator 4.3.0) on every node, GPU and Neuron nodes included: container, kubelet/containerd and kernel logs to OpenSearch, buffered on disk.',
    {
      enabled: toggle('Collect logs (needs `opensearch.enabled` or `opensearch.external`).', ENABLED_BY_DEFAULT.fluentBit),
      bufferLimit: key(FLUENT_BIT_VALUE_TYPES.bufferLimit, {
        description: 'Disk per node for records waiting for OpenSearch; beyond it the oldest are dropped (and alerted on).',
        default: FLUENT_BIT_DEFAULTS.bufferLimit,
      }),
      retryLimit: key(FLUENT_BIT_VALUE_TYPES.retryLimit, {
        description: 'Retries of a failed batch (backoff up to 5 minutes; 200 is about 8 hours) before it is dropped and alerted on.',
        default: FLUENT_BIT_DEFAULTS.retryLimit,
      }),
      insecureSkipTlsVerify: key(z.boolean(), { description: "Do not verify OpenSearch's certificate. Test clusters only.", default: false }),
    },
  ),
} as const;

const logsConfig = z.object({ namespace: z.string().optional(), ...LOGS_KEYS });

/** Maps `opensearch` and `fluentbit` onto the chart's `openSearch`, `externalOpenSearch` and `fluentBit`. */
export function logsConfigToProps(config: z.output<typeof logsConfig>): Pick<ObservabilityChartProps, 'openSearch' | 'externalOpenSearch' | 'fluentBit'> {
  const opensearch = config.opensearch;
  const outside = opensearch?.external;
  const fluentbit = config.fluentbit;
  return {
    openSearch: {
      enabled: opensearch?.enabled,
      clusterName: opensearch?.clusterName,
      version: opensearch?.version,
      retentionDays: opensearch?.retentionDays,
      existingSecret: opensearch?.existingSecret,
      users: {
        adminUsername: opensearch?.credentials?.adminUsername,
        adminPassword: opensearch?.credentials?.adminPassword,
        dashboardsPassword: opensearch?.credentials?.dashboardUserPassword,
      },
      nodes: opensearch?.nodes,
      snapshots: opensearch?.snapshots,
      certManager: opensearch?.certManager,
    },
    ...(outside
      ? {
          externalOpenSearch: {
            target: externalOpenSearchTarget({
              host: outside.host,
              port: outside.port,
              namespace: config.namespace,
              ...(outside.caSecret ? { caSecret: { name: outside.caSecret } } : {}),
            }),
            version: outside.version,
            writerCredentialsSecret: outside.writerCredentialsSecret,
            readerCredentialsSecret: outside.readerCredentialsSecret,
          },
        }
      : {}),
    fluentBit: {
      enabled: fluentbit?.enabled,
      bufferLimit: fluentbit?.bufferLimit,
      retryLimit: fluentbit?.retryLimit,
      insecureSkipTlsVerify: fluentbit?.insecureSkipTlsVerify,
    },
  };
}

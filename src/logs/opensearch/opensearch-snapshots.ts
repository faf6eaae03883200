import { Construct } from 'constructs';
import { OpensearchSnapshotPolicy } from '../../../imports/opensearch.opster.io.js';
import { numberIn, objectName, patterned, PropChecks } from '../../core/value-types.js';
import { LOG_INDEX_PATTERN } from '../log-fields.js';

/**
 * Backups of the log indices: OpenSearch snapshots to an S3 bucket (AWS S3 or any S3-compatible store), taken and
 * pruned on a schedule by OpenSearch's Snapshot Management, declared through the operator.
 */
export interface OpenSearchSnapshotsProps {
  /** Bucket the snapshots go to. It must exist; OpenSearch needs list, get, put and delete on it. */
  readonly bucket: string;
  /**
   * Folder in the bucket.
   * @default `<namespace>/<cluster name>`
   */
  readonly basePath?: string;
  /**
   * Endpoint of an S3-compatible store (MinIO, Ceph, ...), e.g. `https://minio.storage.svc:9000`.
   * @default AWS S3 of {@link OpenSearchSnapshotsProps.region}
   */
  readonly endpoint?: string;
  /** AWS region of the bucket (or the region an S3-compatible store expects). @default the S3 client's own lookup */
  readonly region?: string;
  /**
   * Address the bucket as `endpoint/bucket` instead of `bucket.endpoint` (most S3-compatible stores need it).
   * @default false
   */
  readonly pathStyleAccess?: boolean;
  /**
   * Secret (in the cluster's namespace) with the keys `access-key` and `secret-key`, loaded into the OpenSearch
   * keystore. Leave it out to use the node's or pod's AWS identity.
   */
  readonly credentialsSecret?: string;
  /**
   * When snapshots are taken: a cron expression in UTC.
   * @default {@link OPENSEARCH_SNAPSHOTS_DEFAULTS}.schedule
   */
  readonly schedule?: string;
  /**
   * Snapshots older than this are deleted (OpenSearch time unit: `14d`, `48h`), keeping at least one.
   * @default {@link OPENSEARCH_SNAPSHOTS_DEFAULTS}.maxAge
   */
  readonly maxAge?: string;
  /**
   * At most this many snapshots are kept.
   * @default {@link OPENSEARCH_SNAPSHOTS_DEFAULTS}.maxCount
   */
  readonly maxCount?: number;
}

/** What {@link OpenSearchSnapshots} uses for props left out. */
export const OPENSEARCH_SNAPSHOTS_DEFAULTS = {
  /** Daily at 02:00 UTC. */
  schedule: '0 2 * * *',
  maxAge: '14d',
  maxCount: 30,
  /** Name of the snapshot repository registered in OpenSearch. */
  repository: 'aiml-observability-logs',
  /** Keys of {@link OpenSearchSnapshotsProps.credentialsSecret}. */
  credentialsKeys: { accessKey: 'access-key', secretKey: 'secret-key' },
} as const;

/** The values {@link OpenSearchSnapshotsProps} accept (the config file's keys use the same types). */
export const OPENSEARCH_SNAPSHOTS_VALUE_TYPES = {
  /** S3 bucket naming rules: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending alphanumeric. */
  bucket: patterned(/^(?=.{3,63}$)[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'must be an S3 bucket name: 3 to 63 lower-case letters, digits, "." and "-"'),
  basePath: patterned(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, 'must be a folder path such as observability/logs (no leading or trailing "/")'),
  endpoint: patterned(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/, 'must be an endpoint URL such as https://minio.storage.svc:9000 (scheme, host, optional port)'),
  region: patterned(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be a region such as us-east-1'),
  credentialsSecret: objectName,
  /** Five fields (minute hour day-of-month month day-of-week), as OpenSearch's cron schedule reads them. */
  schedule: patterned(/^(\S+\s+){4}\S+$/, 'must be a cron expression of five fields, such as "0 2 * * *"'),
  maxAge: patterned(/^[1-9]\d*(d|h|m)$/, 'must be an age such as 14d or 48h (more than 0)'),
  maxCount: numberIn(1, 1000, { int: true }),
} as const;

/** The OpenSearchCluster `spec.general` settings snapshots need (merged into the cluster by {@link OpenSearchSnapshots}). */
export interface SnapshotClusterSettings {
  readonly pluginsList: string[];
  readonly keystore?: { secret: { name: string }; keyMappings: Record<string, string> }[];
  readonly snapshotRepositories: { name: string; type: string; settings: Record<string, string> }[];
  readonly additionalConfig?: Record<string, string>;
}

/** Props of {@link OpenSearchSnapshots}. */
export interface OpenSearchSnapshotsConstructProps extends OpenSearchSnapshotsProps {
  /** Namespace of the OpenSearchCluster. */
  readonly namespace: string;
  /** Name of the OpenSearchCluster. */
  readonly clusterName: string;
}

/**
 * Snapshots of the log data streams to S3: the cluster settings it needs ({@link clusterSettings}: the
 * `repository-s3` plugin, the keystore entries, the repository, the S3 client settings) and an
 * `OpensearchSnapshotPolicy` (opensearch-operator 2.8.0, api/v1/opensearchsnapshotpolicy_types.go) that has
 * Snapshot Management take them on the schedule and delete them by age and count.
 */
export class OpenSearchSnapshots extends Construct {
  /** Name of the snapshot repository in OpenSearch. */
  public readonly repository = OPENSEARCH_SNAPSHOTS_DEFAULTS.repository;
  /** Name of the Snapshot Management policy in OpenSearch. */
  public readonly policyName: string;
  /** The settings the OpenSearchCluster's `spec.general` must carry. */
  public readonly clusterSettings: SnapshotClusterSettings;

  constructor(scope: Construct, id: string, props: OpenSearchSnapshotsConstructProps) {
    super(scope, id);
    checkSnapshotProps(props);
    const defaults = OPENSEARCH_SNAPSHOTS_DEFAULTS;
    this.policyName = `${props.clusterName}-logs-snapshots`;
    // Repository settings (repository-s3: bucket, base_path) vs. client settings, which OpenSearch reads from
    // opensearch.yml (`s3.client.default.*`) and, for the keys, from its keystore.
    this.clusterSettings = {
      pluginsList: ['repository-s3'],
      ...(props.credentialsSecret
        ? {
            keystore: [
              {
                secret: { name: props.credentialsSecret },
                keyMappings: { [defaults.credentialsKeys.accessKey]: 's3.client.default.access_key', [defaults.credentialsKeys.secretKey]: 's3.client.default.secret_key' },
              },
            ],
          }
        : {}),
      snapshotRepositories: [
        { name: this.repository, type: 's3', settings: { bucket: props.bucket, base_path: props.basePath ?? `${props.namespace}/${props.clusterName}` } },
      ],
      ...(props.endpoint || props.region || props.pathStyleAccess
        ? {
            additionalConfig: {
              ...(props.endpoint ? { 's3.client.default.endpoint': props.endpoint.replace(/\/$/, '') } : {}),
              ...(props.region ? { 's3.client.default.region': props.region } : {}),
              ...(props.pathStyleAccess ? { 's3.client.default.path_style_access': 'true' } : {}),
            },
          }
        : {}),
    };

    new OpensearchSnapshotPolicy(this, 'policy', {
      metadata: { name: this.policyName, namespace: props.namespace },
      spec: {
        opensearchCluster: { name: props.clusterName },
        policyName: this.policyName,
        description: 'aiml-observability: snapshots of the log data streams',
        enabled: true,
        snapshotConfig: {
          repository: this.repository,
          indices: LOG_INDEX_PATTERN,
          // The security index and cluster state are the operator's to rebuild; only the logs are data.
          includeGlobalState: false,
          ignoreUnavailable: true,
          partial: false,
          dateFormat: "yyyy-MM-dd-HH-mm",
          dateFormatTimezone: 'UTC',
        },
        creation: { schedule: { cron: { expression: props.schedule ?? defaults.schedule, timezone: 'UTC' } }, timeLimit: '1h' },
        deletion: {
          schedule: { cron: { expression: props.schedule ?? defaults.schedule, timezone: 'UTC' } },
          timeLimit: '1h',
          deleteCondition: { maxAge: props.maxAge ?? defaults.maxAge, maxCount: props.maxCount ?? defaults.maxCount, minCount: 1 },
        },
      },
    });
  }
}

function checkSnapshotProps(props: OpenSearchSnapshotsProps): void {
  const types = OPENSEARCH_SNAPSHOTS_VALUE_TYPES;
  const checks = new PropChecks();
  checks.check(types.bucket, props.bucket, 'bucket');
  for (const key of ['basePath', 'endpoint', 'region', 'credentialsSecret', 'schedule', 'maxAge', 'maxCount'] as const) {
    checks.check(types[key], props[key], key);
  }
  checks.throwIfAny();
}

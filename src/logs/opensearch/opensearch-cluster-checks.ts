/**
 * The defaults, value types and checks of {@link OpenSearchClusterProps}, kept beside the construct so the config
 * file (which uses the same types) and a library user get the same errors.
 */
import { z } from 'zod';
import { msg, propList } from '../../core/prop-error.js';
import { cpuQuantity, dnsLabel, memoryQuantity, numberIn, objectName, patterned, PropChecks, storageSize } from '../../core/value-types.js';
import type { OpenSearchClusterProps } from './opensearch-cluster.js';
import { OPENSEARCH_CERTIFICATES_DEFAULTS } from './opensearch-certificates.js';
import { LOG_INDEX_LIFECYCLE_VALUE_TYPES, OPENSEARCH_USER_VALUE_TYPES, openSearchVersion } from './opensearch-value-types.js';

/**
 * OpenSearch (and Dashboards) version the cluster runs by default. The opensearch-operator 2.8.0 README lists
 * OpenSearch 2.19.2 up to the latest 3.x as supported; its CI runs 2.19 and 3.0.0 (opensearch-k8s-operator PR #1012).
 */
export const DEFAULT_OPENSEARCH_VERSION = '3.1.0';

/** User name of the OpenSearch Dashboards server; the security plugin's default roles mapping grants it `kibana_server`. */
export const DASHBOARDS_SERVER_USERNAME = 'kibanaserver';

/** What {@link OpenSearchCluster} uses for props left out. */
export const OPENSEARCH_CLUSTER_DEFAULTS = {
  clusterName: 'logs',
  version: DEFAULT_OPENSEARCH_VERSION,
  releaseName: 'opensearch-operator',
  adminUsername: 'admin',
  nodes: { replicas: 3, diskSize: '30Gi', cpu: '2', memory: '4Gi' },
} as const;

/** Smallest node memory: the JVM heap is half of it, and OpenSearch needs at least 256M of heap. */
const MIN_NODE_MEMORY_BYTES = 512 * 2 ** 20;

/** The values {@link OpenSearchClusterProps} accept (the config file's keys use the same types). */
export const OPENSEARCH_CLUSTER_VALUE_TYPES = {
  /** It names the cluster's Service and prefixes every object the operator creates. */
  clusterName: dnsLabel(40, { letterFirst: true }),
  version: openSearchVersion,
  /** It prefixes the names of the Secrets you create. */
  existingSecret: dnsLabel(40, { letterFirst: true }),
  retentionDays: LOG_INDEX_LIFECYCLE_VALUE_TYPES.retentionDays,
  nodes: {
    replicas: numberIn(1, 100, { int: true }),
    diskSize: storageSize,
    storageClass: objectName,
    cpu: cpuQuantity,
    memory: memoryQuantity.refine((value) => memoryBytes(value) >= MIN_NODE_MEMORY_BYTES, {
      error: (issue) => `${JSON.stringify(issue.input)} leaves less than 256M of heap (half the memory): give OpenSearch at least 512Mi`,
    }),
  },
  users: OPENSEARCH_USER_VALUE_TYPES,
  certManager: {
    issuerName: objectName,
    issuerKind: z.enum(['Issuer', 'ClusterIssuer']),
    duration: patterned(/^[1-9]\d*h$/, 'must be a number of hours such as 2160h'),
  },
} as const;

/** Bytes of a Kubernetes memory quantity such as `4Gi`, `512Mi` or `4G` (one {@link memoryQuantity}). */
export function memoryBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(quantity);
  if (!match) return Number.NaN;
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

/** Every problem with the props of an {@link OpenSearchCluster}, thrown together as a PropError. */
export function checkOpenSearchClusterProps(props: OpenSearchClusterProps): void {
  const types = OPENSEARCH_CLUSTER_VALUE_TYPES;
  const checks = new PropChecks();
  checks.check(types.clusterName, props.clusterName, 'clusterName');
  checks.check(types.version, props.version, 'version');
  checks.check(types.existingSecret, props.existingSecret, 'existingSecret');
  checks.check(types.retentionDays, props.retentionDays, 'retentionDays');
  for (const key of ['replicas', 'diskSize', 'storageClass', 'cpu', 'memory'] as const) checks.check(types.nodes[key], props.nodes?.[key], ['nodes', key]);

  const certManager = props.certManager ?? {};
  checks.check(types.certManager.issuerName, certManager.issuerName, 'certManager.issuerName');
  checks.check(types.certManager.issuerKind, certManager.issuerKind, 'certManager.issuerKind');
  checks.check(types.certManager.duration, certManager.duration, 'certManager.duration');
  checks.check(types.certManager.duration, certManager.renewBefore, 'certManager.renewBefore');
  if (certManager.enabled && certManager.issuerName === undefined) {
    checks.fail(
      'certManager.issuerName',
      msg`is required when ${['certManager', 'enabled']} is true: name the cert-manager Issuer or ClusterIssuer that signs OpenSearch's certificates (one that fills ca.crt, e.g. a CA issuer)`,
    );
  }
  const hours = (d: string) => Number(d.slice(0, -1));
  const defaults = OPENSEARCH_CERTIFICATES_DEFAULTS;
  if (certManager.enabled && hours(certManager.renewBefore ?? defaults.renewBefore) >= hours(certManager.duration ?? defaults.duration)) {
    checks.fail('certManager.renewBefore', msg`must be shorter than ${['certManager', 'duration']}`);
  }

  const users = props.users ?? {};
  checks.check(types.users.username, users.adminUsername, 'users.adminUsername');
  checks.check(types.users.managedUsername, users.logWriterUsername, 'users.logWriterUsername');
  checks.check(types.users.managedUsername, users.logReaderUsername, 'users.logReaderUsername');
  checks.check(types.users.password, users.adminPassword, 'users.adminPassword');
  checks.check(types.users.password, users.dashboardsPassword, 'users.dashboardsPassword');
  const passwords = (['adminPassword', 'dashboardsPassword'] as const).filter((key) => users[key] !== undefined);
  if (props.existingSecret !== undefined && passwords.length > 0) {
    checks.fail(
      'existingSecret',
      msg`cannot be combined with ${propList(passwords.map((key) => ['users', key]))}: the passwords come from the existing Secrets; remove one or the other`,
    );
  }
  if (users.adminPassword !== undefined && users.adminPassword === users.dashboardsPassword) {
    checks.fail('users.dashboardsPassword', msg`must differ from ${['users', 'adminPassword']} (Dashboards would hold the admin password)`);
  }
  const clusterName = props.clusterName ?? OPENSEARCH_CLUSTER_DEFAULTS.clusterName;
  const names = [
    users.adminUsername ?? OPENSEARCH_CLUSTER_DEFAULTS.adminUsername,
    DASHBOARDS_SERVER_USERNAME,
    users.logWriterUsername ?? `${clusterName}-log-writer`,
    users.logReaderUsername ?? `${clusterName}-log-reader`,
  ];
  if (new Set(names).size !== names.length) {
    checks.fail('users', `the admin, Dashboards (${DASHBOARDS_SERVER_USERNAME}), log writer and log reader must be four different users; got ${names.join(', ')}`);
  }
  checks.throwIfAny();
}

/**
 * The values the OpenSearch constructs' props accept (an external OpenSearch, users and passwords, the index
 * lifecycle), as zod value types the constructs check with and the config file's keys reuse. Kept apart from the construct so that the package's
 * declarations, which export the construct's module whole, name no zod type.
 */
import { BCRYPT_MAX_PASSWORD_BYTES } from '../../core/bcrypt.js';
import { managedOpenSearchUsername } from '../../core/opensearch-target.js';
import { hostName, numberIn, objectName, password, patterned, tcpPort } from '../../core/value-types.js';
import { MIN_OPENSEARCH_PASSWORD_LENGTH } from './opensearch-security.js';

/** An OpenSearch version as Grafana's datasource parses it (a semantic version, e.g. 3.1.0 or 2.19.2). */
export const openSearchVersion = patterned(/^\d+\.\d+\.\d+$/, 'must be a version such as 3.1.0 or 2.19.2 (major.minor.patch)');

/** The values an external OpenSearch's description takes (the config file's keys use the same types). */
export const EXTERNAL_OPENSEARCH_VALUE_TYPES = { host: hostName, port: tcpPort, secretName: objectName, version: openSearchVersion } as const;

/**
 * The user names, passwords and resource names OpenSearch users take:
 * - `username`: 1 to 64 letters, digits, `.`, `_` or `-`, starting and ending with a letter or digit (the security
 *   plugin is more lenient; these are safe in YAML, URLs and HTTP basic auth alike);
 * - `managedUsername`: a user managed through an `OpensearchUser` resource, whose name is the user name (an object name);
 * - `password`: at least {@link MIN_OPENSEARCH_PASSWORD_LENGTH} characters, at most what bcrypt reads, no control
 *   characters. Errors never show a password.
 */
export const OPENSEARCH_USER_VALUE_TYPES = {
  username: patterned(
    /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/,
    "must be an OpenSearch user name: 1 to 64 letters, digits, '.', '_' or '-', starting and ending with a letter or digit",
  ),
  managedUsername: managedOpenSearchUsername,
  password: password(MIN_OPENSEARCH_PASSWORD_LENGTH).refine((value) => Buffer.byteLength(value, 'utf8') <= BCRYPT_MAX_PASSWORD_BYTES, {
    error: `must be at most ${BCRYPT_MAX_PASSWORD_BYTES} bytes long (bcrypt ignores the rest)`,
  }),
} as const;

/** The values {@link LogIndexLifecycleProps} accept (the config file's keys use the same types). */
export const LOG_INDEX_LIFECYCLE_VALUE_TYPES = {
  retentionDays: numberIn(1, 3650, { int: true }),
  rolloverAge: patterned(/^[1-9]\d*(d|h|m)$/, 'must be a duration such as 1d, 12h or 30m'),
  rolloverPrimaryShardSize: patterned(/^[1-9]\d*(b|kb|mb|gb|tb)$/, 'must be a size such as 10gb or 500mb'),
} as const;

import { stringify } from 'yaml';
import { BCRYPT_MAX_PASSWORD_BYTES } from '../../core/bcrypt.js';
import { objectName, password, patterned } from '../../core/value-types.js';

/** Shortest password accepted for an OpenSearch user. */
export const MIN_OPENSEARCH_PASSWORD_LENGTH = 12;

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
  managedUsername: objectName,
  password: password(MIN_OPENSEARCH_PASSWORD_LENGTH).refine((value) => Buffer.byteLength(value, 'utf8') <= BCRYPT_MAX_PASSWORD_BYTES, {
    error: `must be at most ${BCRYPT_MAX_PASSWORD_BYTES} bytes long (bcrypt ignores the rest)`,
  }),
} as const;

/** One user of the security plugin's `internal_users.yml`. */
export interface InternalUser {
  readonly username: string;
  /** bcrypt hash of the password. */
  readonly hash: string;
  /** Backend roles, mapped to roles by `roles_mapping.yml` (`admin` maps to `all_access` by default). */
  readonly backendRoles?: readonly string[];
  readonly description: string;
}

/**
 * The security plugin's `internal_users.yml` with exactly these users. It replaces the image's demo users (whose
 * passwords are public), so no default credential survives. Users are reserved: the REST API cannot change them,
 * only this file can.
 */
export function internalUsersYaml(users: readonly InternalUser[]): string {
  const document: Record<string, unknown> = { _meta: { type: 'internalusers', config_version: 2 } };
  for (const user of users) {
    document[user.username] = {
      hash: user.hash,
      reserved: true,
      ...(user.backendRoles ? { backend_roles: [...user.backendRoles] } : {}),
      description: user.description,
    };
  }
  return stringify(document, { lineWidth: 0 });
}

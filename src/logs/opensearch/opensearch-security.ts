import { stringify } from 'yaml';
import { BCRYPT_MAX_PASSWORD_BYTES } from '../../core/bcrypt.js';

/** Shortest password accepted for an OpenSearch user. */
export const MIN_OPENSEARCH_PASSWORD_LENGTH = 12;

/**
 * User names accepted for the internal users this library defines: 1 to 64 letters, digits, `.`, `_` or `-`,
 * starting and ending with a letter or digit. (The security plugin itself is more lenient; these are the names
 * that are safe in YAML, URLs and HTTP basic auth alike.)
 */
export const OPENSEARCH_USERNAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/;

/** Kubernetes object names (DNS subdomain, at most 63 characters here): the names of OpensearchUser resources. */
const RESOURCE_NAME_PATTERN = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Thrown for a credential that cannot be used; the message names the field, never the secret value. */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

/** Checks an OpenSearch user name; `field` is the prop or config key named in the error. */
export function checkOpenSearchUsername(field: string, value: string): void {
  if (!OPENSEARCH_USERNAME_PATTERN.test(value)) {
    throw new CredentialError(
      `${field}: ${JSON.stringify(value)} is not a valid OpenSearch user name: use 1 to 64 letters, digits, '.', '_' or '-', ` +
        'starting and ending with a letter or digit',
    );
  }
}

/** Checks the name of a user managed through an `OpensearchUser` resource (its name is the user name). */
export function checkManagedUsername(field: string, value: string): void {
  if (!RESOURCE_NAME_PATTERN.test(value)) {
    throw new CredentialError(
      `${field}: ${JSON.stringify(value)} cannot name an OpensearchUser: use at most 63 lower-case letters, digits, '-' or '.', ` +
        'starting and ending with a letter or digit',
    );
  }
}

/** Checks a password's length and content; the error names `field` and never echoes the password. */
export function checkOpenSearchPassword(field: string, value: string): void {
  if (value.length < MIN_OPENSEARCH_PASSWORD_LENGTH) {
    throw new CredentialError(`${field}: must be at least ${MIN_OPENSEARCH_PASSWORD_LENGTH} characters long (got ${value.length})`);
  }
  if (Buffer.byteLength(value, 'utf8') > BCRYPT_MAX_PASSWORD_BYTES) {
    throw new CredentialError(`${field}: must be at most ${BCRYPT_MAX_PASSWORD_BYTES} bytes long (bcrypt ignores the rest)`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new CredentialError(`${field}: must not contain control characters (newlines, tabs, ...)`);
  }
}

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

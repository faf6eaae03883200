import { stringify } from 'yaml';

/** Shortest password accepted for an OpenSearch user. */
export const MIN_OPENSEARCH_PASSWORD_LENGTH = 12;

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

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

/** Backend role the admin user carries; the roles mapping maps it to `all_access`. */
export const ADMIN_BACKEND_ROLE = 'admin';

/**
 * The security plugin's `roles_mapping.yml`: only what this stack's users need, `all_access` for the admin's
 * backend role and `kibana_server` for the Dashboards server user. The image's default mapping (security plugin
 * 3.1.0.0 `config/roles_mapping.yml`) also maps `own_index` to every user (`users: ["*"]`), and `own_index`
 * (`static_config/static_roles.yml`) allows `indices_all` on an index named like the user: the log reader
 * `logs-log-reader` could create and fill an index inside `logs-*`. The operator's `OpensearchUser` resources grant
 * their roles through the user itself (`opendistro_security_roles`), not through this mapping; the demo mappings
 * (logstash, kibana_user, readall, manage_snapshots) name backend roles no user of this stack has.
 */
export function rolesMappingYaml(dashboardsUsername: string): string {
  return stringify(
    {
      _meta: { type: 'rolesmapping', config_version: 2 },
      all_access: { reserved: false, backend_roles: [ADMIN_BACKEND_ROLE], description: 'The admin (managed by aiml-observability)' },
      kibana_server: { reserved: true, users: [dashboardsUsername], description: 'The OpenSearch Dashboards server (managed by aiml-observability)' },
    },
    { lineWidth: 0 },
  );
}

import { objectName } from './value-types.js';

/**
 * What other components (Fluent Bit, Grafana's OpenSearch datasource, the OpenSearch MCP server) need to know
 * about the OpenSearch cluster logs go to. `OpenSearchCluster` implements it; a user bringing their own OpenSearch
 * can implement it too.
 */
export interface OpenSearchTarget {
  /** Namespace of the cluster's Service. */
  readonly namespace: string;
  /** Name of the OpenSearchCluster resource (the operator's `OpensearchUser`/`OpensearchRole` refer to it). */
  readonly clusterName: string;
  /** Host name of the HTTP endpoint, e.g. `logs.observability.svc`. */
  readonly host: string;
  /** HTTP port (9200). */
  readonly port: number;
  /** `https://host:port`. */
  readonly url: string;
  /** Secret holding the CA certificate that signed the HTTP certificate, and its key (e.g. `ca.crt`). */
  readonly caSecret?: { readonly name: string; readonly key: string };
  /** Index pattern the log indices match, e.g. `logs-*`. */
  readonly logIndexPattern: string;
  /**
   * When the log indices are data streams: the pattern of their hidden backing indices (e.g. `.ds-logs-*`), which
   * read permissions must cover too (searching a data stream reads its backing indices). Absent for plain indices.
   */
  readonly logBackingIndexPattern?: string;
  /**
   * Labels of the pods serving the HTTP endpoint (in {@link namespace}), so NetworkPolicies can allow egress to
   * exactly them. Absent for an OpenSearch outside the cluster.
   */
  readonly podSelectorLabels?: Readonly<Record<string, string>>;
  /**
   * Secret holding the admin credentials, so consumers can refuse to use it where a least-privilege user is meant
   * (e.g. the OpenSearch MCP server). Absent when unknown.
   */
  readonly adminCredentialsSecret?: { readonly name: string };
  /**
   * Names of the OpenSearch users (and of the same-named roles) the stack already has on this cluster, so that a
   * consumer creating a user of its own (the OpenSearch MCP server) picks another name: an `OpensearchUser` of the
   * same name would overwrite the other's password and roles. Absent when unknown.
   */
  readonly usernames?: readonly string[];
}

/**
 * User names an OpenSearch cluster has before anyone creates one: the users of the security plugin's demo
 * `internal_users.yml` shipped in the image (opensearch-project/security 3.1, config/internal_users.yml). The stack
 * replaces that file, but a user of one of these names would be mistaken for (or restored as) the image's.
 */
export const OPENSEARCH_IMAGE_USERNAMES: readonly string[] = ['admin', 'anomalyadmin', 'kibanaserver', 'kibanaro', 'logstash', 'readall', 'snapshotrestore'];

/**
 * The security plugin's static roles, which exist on every cluster and cannot be changed (opensearch-project/security
 * 3.1, src/main/resources/static_config/static_roles.yml): a role of one of these names cannot be created.
 */
export const OPENSEARCH_STATIC_ROLES: readonly string[] = ['all_access', 'kibana_user', 'own_index', 'manage_snapshots', 'kibana_server', 'logstash', 'readall_and_monitor', 'readall'];

/**
 * The name of a user the stack creates through an `OpensearchUser` (and the `OpensearchRole` named after it): an
 * object name that is none of the image's users nor a static role.
 */
export const managedOpenSearchUsername = objectName.refine((name) => !OPENSEARCH_IMAGE_USERNAMES.includes(name) && !OPENSEARCH_STATIC_ROLES.includes(name), {
  error: (issue) =>
    `"${String(issue.input)}" is reserved by OpenSearch (the image's own users: ${OPENSEARCH_IMAGE_USERNAMES.join(', ')}; its static roles: ${OPENSEARCH_STATIC_ROLES.join(', ')}); choose another name`,
});

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
}

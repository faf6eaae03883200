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
}

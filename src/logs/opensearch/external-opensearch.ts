import type { OpenSearchTarget } from '../../core/opensearch-target.js';
import { LOG_INDEX_PATTERN } from '../log-fields.js';

/** Where an OpenSearch this stack does not run listens, as {@link externalOpenSearchTarget} takes it. */
export interface ExternalOpenSearchTargetProps {
  /** Host name of the HTTP endpoint, e.g. `search.example.com` or `vpc-logs-abc.eu-west-1.es.amazonaws.com`. */
  readonly host: string;
  /**
   * HTTP port.
   * @default 443
   */
  readonly port?: number;
  /**
   * Secret (in the stack's namespace) holding the CA certificate that signed the endpoint's certificate. Without it,
   * clients verify against the system CAs of their images.
   * @default none
   */
  readonly caSecret?: { readonly name: string; readonly key?: string };
  /**
   * A name for this OpenSearch, used to name the objects that refer to it (e.g. the Grafana datasource Secret).
   * @default "external-opensearch"
   */
  readonly name?: string;
  /**
   * Namespace of the objects that refer to it (the stack's).
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * Index pattern of the log data streams.
   * @default "logs-*"
   */
  readonly logIndexPattern?: string;
}

const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/;

/** An {@link OpenSearchTarget} for an OpenSearch outside this stack (HTTPS always); throws naming a bad field. */
export function externalOpenSearchTarget(props: ExternalOpenSearchTargetProps): OpenSearchTarget {
  if (!HOST.test(props.host)) throw new Error(`external OpenSearch host: '${props.host}' is not a host name (no scheme, no port, no path)`);
  const port = props.port ?? 443;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`external OpenSearch port: ${port} is not a TCP port (1-65535)`);
  return {
    namespace: props.namespace ?? 'observability',
    clusterName: props.name ?? 'external-opensearch',
    host: props.host,
    port,
    url: `https://${props.host}:${port}`,
    ...(props.caSecret ? { caSecret: { name: props.caSecret.name, key: props.caSecret.key ?? 'ca.crt' } } : {}),
    logIndexPattern: props.logIndexPattern ?? LOG_INDEX_PATTERN,
  };
}

/**
 * An OpenSearch this stack does not run, with the Secrets (keys `username` and `password`, in the stack's namespace)
 * of the users that write and read the logs.
 */
export interface ExternalOpenSearch {
  /** Where it listens. */
  readonly target: OpenSearchTarget;
  /** Secret of a user allowed to create documents in the log data streams (Fluent Bit). */
  readonly writerCredentialsSecret: string;
  /**
   * Secret of a user allowed to search them (Grafana).
   * @default the writer's Secret
   */
  readonly readerCredentialsSecret?: string;
}

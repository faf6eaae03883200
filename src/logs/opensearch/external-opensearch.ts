import type { OpenSearchTarget } from '../../core/opensearch-target.js';
import { LOG_INDEX_PATTERN } from '../log-fields.js';
import { checkProp } from '../../core/value-types.js';
import { EXTERNAL_OPENSEARCH_VALUE_TYPES } from './opensearch-value-types.js';

/** What {@link externalOpenSearchTarget} uses for props left out. */
export const EXTERNAL_OPENSEARCH_DEFAULTS = { port: 443, name: 'external-opensearch', caKey: 'ca.crt' } as const;

/** Where an OpenSearch this stack does not run listens, as {@link externalOpenSearchTarget} takes it. */
export interface ExternalOpenSearchTargetProps {
  /** Host name of the HTTP endpoint, e.g. `search.example.com` or `vpc-logs-abc.eu-west-1.es.amazonaws.com`. */
  readonly host: string;
  /**
   * HTTP port.
   * @default {@link EXTERNAL_OPENSEARCH_DEFAULTS}.port
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

/** An {@link OpenSearchTarget} for an OpenSearch outside this stack (HTTPS always); a PropError names a bad field. */
export function externalOpenSearchTarget(props: ExternalOpenSearchTargetProps): OpenSearchTarget {
  checkProp(EXTERNAL_OPENSEARCH_VALUE_TYPES.host, props.host, 'host');
  const port = checkProp(EXTERNAL_OPENSEARCH_VALUE_TYPES.port, props.port ?? EXTERNAL_OPENSEARCH_DEFAULTS.port, 'port');
  return {
    namespace: props.namespace ?? 'observability',
    clusterName: props.name ?? EXTERNAL_OPENSEARCH_DEFAULTS.name,
    host: props.host,
    port,
    url: `https://${props.host}:${port}`,
    ...(props.caSecret ? { caSecret: { name: props.caSecret.name, key: props.caSecret.key ?? EXTERNAL_OPENSEARCH_DEFAULTS.caKey } } : {}),
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
  /**
   * Its version, e.g. `2.19.2` (Amazon OpenSearch Service `OpenSearch_2.19` is `2.19.0`): Grafana's datasource
   * plugin requires it as `jsonData.version` and refuses every query without it (grafana/opensearch-datasource
   * v2.34.2 `pkg/opensearch/client/client.go`, NewClient: "version is required"); it detects the version only in its
   * UI editor, which a provisioned read-only datasource never opens.
   */
  readonly version: string;
  /** Secret of a user allowed to create documents in the log data streams (Fluent Bit). */
  readonly writerCredentialsSecret: string;
  /**
   * Secret of a user allowed to search them (Grafana).
   * @default the writer's Secret
   */
  readonly readerCredentialsSecret?: string;
}

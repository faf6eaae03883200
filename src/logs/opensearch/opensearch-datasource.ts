import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { OpenSearchTarget } from '../../core/opensearch-target.js';
import type { JsonObject } from '../../core/deep-merge.js';
import { LOG_FIELDS } from '../log-fields.js';
import { checkProp } from '../../core/value-types.js';
import { openSearchVersion } from './opensearch-value-types.js';

/** UID of the provisioned OpenSearch logs datasource: dashboards' log panels refer to it. */
export const OPENSEARCH_LOGS_DATASOURCE_UID = 'opensearch-logs';

/** Grafana plugin id of the datasource (installed by PrometheusStack, see GRAFANA_PLUGINS). */
export const OPENSEARCH_DATASOURCE_PLUGIN = 'grafana-opensearch-datasource';

/**
 * Environment variables of the Grafana container that carry the datasource's secrets. Grafana expands `$NAME` in
 * provisioning files, so the datasource definition names them and holds no secret itself.
 */
export const GRAFANA_OPENSEARCH_ENV = {
  username: 'OPENSEARCH_LOGS_USERNAME',
  password: 'OPENSEARCH_LOGS_PASSWORD',
  caCert: 'OPENSEARCH_LOGS_CA_CERT',
} as const;

/** Key of the datasource Secret: the provisioning file the Grafana sidecar copies. */
export const OPENSEARCH_DATASOURCE_FILE = 'opensearch-logs-datasource.yaml';

/** Where Grafana finds OpenSearch and the credentials it searches with. */
export interface GrafanaOpenSearchSource {
  /** The OpenSearch holding the logs. */
  readonly target: OpenSearchTarget;
  /** Secret (in Grafana's namespace) with keys `username` and `password` of a user allowed to read the logs. */
  readonly credentialsSecret: string;
}

/**
 * Values for the kube-prometheus-stack chart (its grafana subchart's `envValueFrom`) that give Grafana the log
 * reader's credentials and the OpenSearch CA from their Secrets, as {@link GRAFANA_OPENSEARCH_ENV}. Merge them
 * into the chart's values when an {@link OpenSearchDatasource} is provisioned.
 *
 * The CA reference is optional: an operator-generated CA appears only once the OpenSearch cluster is up, and Grafana
 * must not wait for it. A Grafana started before then reads the CA at its next restart (see docs/logs.md).
 */
export function grafanaOpenSearchValues(source: GrafanaOpenSearchSource): JsonObject {
  const env: JsonObject = {
    [GRAFANA_OPENSEARCH_ENV.username]: { secretKeyRef: { name: source.credentialsSecret, key: 'username' } },
    [GRAFANA_OPENSEARCH_ENV.password]: { secretKeyRef: { name: source.credentialsSecret, key: 'password' } },
  };
  const ca = source.target.caSecret;
  if (ca) env[GRAFANA_OPENSEARCH_ENV.caCert] = { secretKeyRef: { name: ca.name, key: ca.key, optional: true } };
  return { grafana: { envValueFrom: env } };
}

/** The Grafana that loads the datasource: its namespace and the labels its datasource sidecar selects Secrets by. */
export interface GrafanaDatasourceTarget {
  /** Namespace of Grafana (the kube-prometheus-stack release). */
  readonly prometheusNamespace: string;
  /** Labels that make Grafana's sidecar load a Secret as datasources. */
  readonly datasourceLabels: Readonly<Record<string, string>>;
}

/** Props of {@link OpenSearchDatasource}. */
export interface OpenSearchDatasourceProps extends GrafanaOpenSearchSource {
  /** The Grafana to provision. */
  readonly grafana: GrafanaDatasourceTarget;
  /**
   * OpenSearch version (`jsonData.version`, e.g. `3.1.0`). Required: the plugin's backend refuses every query
   * without it (grafana/opensearch-datasource v2.34.2 `pkg/opensearch/client/client.go`, NewClient), and only its UI
   * editor detects it, which a provisioned read-only datasource never opens.
   */
  readonly version: string;
  /**
   * Datasource name shown in Grafana.
   * @default "OpenSearch logs"
   */
  readonly name?: string;
  /**
   * Where the Secret goes.
   * @default this construct
   */
  readonly setupScope?: Construct;
}

/**
 * The Grafana datasource of the logs (plugin `grafana-opensearch-datasource`, uid
 * {@link OPENSEARCH_LOGS_DATASOURCE_UID}): a Secret carrying the Grafana sidecar's datasource label, so nothing about
 * it sits in a ConfigMap. The Secret itself holds no password either: user, password and CA come from Grafana's
 * environment ({@link grafanaOpenSearchValues}), TLS is verified against the OpenSearch CA.
 */
export class OpenSearchDatasource extends Construct {
  /** Name of the datasource Secret. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: OpenSearchDatasourceProps) {
    super(scope, id);
    const { target } = props;
    const version = checkProp(openSearchVersion, props.version, 'version');
    this.secretName = `${target.clusterName}-grafana-datasource`;
    const tls = target.caSecret !== undefined;
    const datasource = {
      apiVersion: 1,
      datasources: [
        {
          name: props.name ?? 'OpenSearch logs',
          uid: OPENSEARCH_LOGS_DATASOURCE_UID,
          type: OPENSEARCH_DATASOURCE_PLUGIN,
          access: 'proxy',
          url: target.url,
          editable: false,
          basicAuth: true,
          basicAuthUser: `$${GRAFANA_OPENSEARCH_ENV.username}`,
          jsonData: {
            database: target.logIndexPattern,
            timeField: LOG_FIELDS.timestamp,
            logMessageField: LOG_FIELDS.message,
            flavor: 'opensearch',
            version,
            pplEnabled: true,
            maxConcurrentShardRequests: 5,
            ...(tls ? { tlsAuthWithCACert: true } : {}),
          },
          secureJsonData: {
            basicAuthPassword: `$${GRAFANA_OPENSEARCH_ENV.password}`,
            ...(tls ? { tlsCACert: `$${GRAFANA_OPENSEARCH_ENV.caCert}` } : {}),
          },
        },
      ],
    };
    new k8s.KubeSecret(props.setupScope ?? this, `${id}-secret`, {
      metadata: { name: this.secretName, namespace: props.grafana.prometheusNamespace, labels: { ...props.grafana.datasourceLabels } },
      type: 'Opaque',
      stringData: { [OPENSEARCH_DATASOURCE_FILE]: stringify(datasource, { lineWidth: 0 }) },
    });
  }
}

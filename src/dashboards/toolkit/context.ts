/**
 * What a dashboard definition needs to know about the cluster it is rendered for: the datasources it defaults to
 * and the shape of the log documents. GpuDashboards fills it from PrometheusStack and the logs pipeline's
 * constants; the definitions never re-type those names.
 * @module
 */

/** Where the log panels read from, and the names of the log fields they filter on. */
export interface LogsSource {
  /** UID of the Grafana OpenSearch datasource the logs datasource variable defaults to. */
  readonly datasourceUid: string;
  /** Index pattern of the log data streams (e.g. `logs-*`), the one the logs datasource searches. */
  readonly indexPattern: string;
  /** Document time field. */
  readonly timeField: string;
  /** Field holding the Kubernetes namespace of the pod that wrote the line. */
  readonly namespaceField: string;
  /** Field holding the name of the pod that wrote the line. */
  readonly podField: string;
  /** Field telling which input a record came from, and its value for container logs. */
  readonly source: { readonly field: string; readonly containerValue: string };
}

/** Inputs of every dashboard definition. */
export interface DashboardContext {
  /** UID of the Prometheus datasource the Prometheus datasource variable defaults to. */
  readonly prometheusDatasourceUid: string;
  /** The log panels' source. */
  readonly logs: LogsSource;
  /**
   * Neuron telemetry is collected (neuron-monitor and its recording rules): the fleet-and-cost dashboard gets its
   * Neuron row.
   * @default false
   */
  readonly neuron?: boolean;
}

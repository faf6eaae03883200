/**
 * What other components need to know about the Prometheus that scrapes them. `PrometheusStack` implements it;
 * a user with a Prometheus of their own can implement it too.
 */
export interface PrometheusTarget {
  /** Namespace of the Prometheus service. */
  readonly prometheusNamespace: string;
  /** Name of the Prometheus Service. */
  readonly prometheusServiceName: string;
  /** Port of the Prometheus Service. */
  readonly prometheusPort: number;
  /** In-cluster URL of the Prometheus HTTP API. */
  readonly prometheusUrl: string;
  /** Labels a ServiceMonitor / PodMonitor / PrometheusRule must carry to be picked up by this Prometheus. */
  readonly monitorSelectorLabels: Readonly<Record<string, string>>;
  /**
   * Labels of the Prometheus pods (in {@link prometheusNamespace}), so NetworkPolicies can allow egress to exactly
   * them. Absent when unknown: consumers then allow the whole namespace.
   */
  readonly prometheusPodLabels?: Readonly<Record<string, string>>;
}

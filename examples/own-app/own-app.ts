/**
 * "Your own app": an existing cdk8s app with a service of its own (`orders-api`) that adds the observability stack
 * with a few props overridden, and lets the stack's Prometheus scrape its service by asking the stack for the label
 * its Prometheus selects monitors by. `own-app.test.ts` next to this file is the snapshot test such an app keeps.
 * @module
 */
import { App, Chart, type ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';
import {
  type CredentialStore,
  FileCredentialStore,
  ObservabilityChart,
  type PrometheusStack,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from '../../src/index.js';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com.js';

/** Labels of the orders API's pods and Service. */
export const ORDERS_API_LABELS = { 'app.kubernetes.io/name': 'orders-api' } as const;
/** Name of the orders API's metrics port (on the container and the Service). */
export const ORDERS_API_METRICS_PORT = 'http-metrics';

/** Props of {@link OrdersApiChart}. */
export interface OrdersApiChartProps extends Omit<ChartProps, 'namespace'> {
  /**
   * Namespace of the API.
   * @default "shop"
   */
  readonly namespace?: string;
  /** The stack whose Prometheus scrapes the API. */
  readonly prometheus: PrometheusStack;
}

/** The app's own workload: a small API with a Prometheus endpoint, and the ServiceMonitor that gets it scraped. */
export class OrdersApiChart extends Chart {
  constructor(scope: Construct, id: string, props: OrdersApiChartProps) {
    const { namespace: _ns, prometheus: _p, ...chartProps } = props;
    super(scope, id, chartProps);
    const namespace = props.namespace ?? 'shop';
    new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace } });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: 'orders-api', namespace, labels: ORDERS_API_LABELS },
      spec: {
        replicas: 2,
        selector: { matchLabels: ORDERS_API_LABELS },
        template: {
          metadata: { labels: ORDERS_API_LABELS },
          spec: {
            securityContext: restrictedPodSecurityContext(),
            automountServiceAccountToken: false,
            containers: [
              {
                name: 'api',
                image: 'ghcr.io/example/orders-api:1.4.2',
                ports: [
                  { name: 'http', containerPort: 8080 },
                  { name: ORDERS_API_METRICS_PORT, containerPort: 9102 },
                ],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                  limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
                },
                securityContext: restrictedContainerSecurityContext(),
              },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name: 'orders-api', namespace, labels: ORDERS_API_LABELS },
      spec: {
        selector: ORDERS_API_LABELS,
        ports: [
          { name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http') },
          { name: ORDERS_API_METRICS_PORT, port: 9102, targetPort: k8s.IntOrString.fromString(ORDERS_API_METRICS_PORT) },
        ],
      },
    });
    // Ask the stack for the label its Prometheus selects monitors by, instead of re-typing `release: ...`.
    new ServiceMonitor(this, 'service-monitor', {
      metadata: { name: 'orders-api', namespace, labels: props.prometheus.selectMe({ ...ORDERS_API_LABELS }) },
      spec: {
        selector: { matchLabels: { ...ORDERS_API_LABELS } },
        endpoints: [{ port: ORDERS_API_METRICS_PORT, path: '/metrics', interval: '30s' }],
      },
    });
  }
}

/** Options of {@link buildOwnApp}. */
export interface OwnAppOptions {
  /**
   * Where generated passwords are kept; tests pass a MemoryCredentialStore with fixed values.
   * @default a FileCredentialStore at .aiml-observability/credentials.json (git-ignored): the stack itself keeps
   * nothing, the app chooses where
   */
  readonly credentials?: CredentialStore;
}

/** What {@link buildOwnApp} added to the app. */
export interface OwnApp {
  readonly observability: ObservabilityChart;
  readonly ordersApi: OrdersApiChart;
}

/**
 * Adds the observability stack and the app's own chart to `app`. The stack's overrides: its own namespace,
 * Flux delivery (no helm binary at synth time), 30 days of metrics on 100 GiB, a named Grafana admin, the
 * cluster's name (series label, OpenCost cluster id, log field), and Ray scraped only in the team's namespace.
 */
export function buildOwnApp(app: App, options: OwnAppOptions = {}): OwnApp {
  const observability = new ObservabilityChart(app, 'observability', {
    namespace: 'monitoring',
    delivery: 'flux',
    deliveryOptions: { flux: { interval: '1h' } },
    credentials: options.credentials ?? new FileCredentialStore(),
    clusterName: 'shop-prod-eu-1',
    prometheusStack: { retention: '30d', storageSize: '100Gi', grafana: { adminUser: 'platform-admin' } },
    rayEndpoints: { rayNamespaces: ['ml-team'], scrapeInterval: '15s' },
  });
  const ordersApi = new OrdersApiChart(app, 'orders-api', { namespace: 'shop', prometheus: observability.prometheusStack! });
  ordersApi.addDependency(observability);
  return { observability, ordersApi };
}

import { Chart, type ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from './component-props.js';
import { type CredentialStore, FileCredentialStore } from './credentials/credential-store.js';
import type { ChartDelivery, DeliveryMode } from './delivery/chart-delivery.js';
import { createDelivery, type DeliveryOptions } from './delivery/create-delivery.js';
import type { ChartValueOverrides } from './delivery/upstream-chart.js';
import { OpenCost, type OpenCostProps } from './opencost.js';
import { PrometheusStack, type PrometheusStackProps } from './prometheus-stack.js';

/** Turns a component on or off; the other fields are the component's own props. */
export type Toggle<P> = P & {
  /** Whether the component is deployed. */
  readonly enabled?: boolean;
};

/** Props that ObservabilityChart fills in for every component, and so are not set per component. */
type Wired = 'namespace' | 'delivery' | 'setupScope' | 'credentials' | 'values';

/** Props of {@link ObservabilityChart}. Every component is on by default, except the MCP servers. */
export interface ObservabilityChartProps extends Omit<ChartProps, 'namespace'> {
  /**
   * Namespace of every component.
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * How the upstream charts reach the cluster: a mode, or a strategy of your own.
   * @default "helm" (needs helm >= 3.14 on PATH at synth time)
   */
  readonly delivery?: DeliveryMode | ChartDelivery;
  /** Options of the delivery modes. @default each mode's defaults */
  readonly deliveryOptions?: DeliveryOptions;
  /**
   * Where generated passwords are kept between synths.
   * @default a FileCredentialStore at `.aiml-observability/credentials.json`
   */
  readonly credentials?: CredentialStore;
  /** Pass-through Helm values per upstream chart, merged over the computed ones. @default none */
  readonly chartValues?: ChartValueOverrides;
  /** Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics. @default enabled */
  readonly prometheusStack?: Toggle<Omit<PrometheusStackProps, Wired>>;
  /** Cost allocation. Needs the Prometheus stack. @default enabled */
  readonly openCost?: Toggle<Omit<OpenCostProps, Wired | 'prometheus'>>;
}

/** Thrown for props that cannot work together; the message names the props. */
export class ObservabilityConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ObservabilityConfigError';
  }
}

/**
 * The whole observability stack for one cluster.
 *
 * Synthesizes two files so that `kubectl apply --server-side` works in order: the setup chart
 * (`<id>-setup`: namespace, secrets, upstream charts with their CRDs and operators) and this chart (the custom
 * resources and workloads that need those CRDs), which depends on the setup chart.
 */
export class ObservabilityChart extends Chart {
  /** The chart applied first: namespace, credentials and upstream charts (CRDs, operators). */
  public readonly setupChart: Chart;
  /** Namespace of every component. */
  public readonly namespace: string;
  /** The delivery strategy in use. */
  public readonly delivery: ChartDelivery;
  /** The Prometheus stack, when enabled. */
  public readonly prometheusStack?: PrometheusStack;
  /** OpenCost, when enabled. */
  public readonly openCost?: OpenCost;

  constructor(scope: Construct, id: string, props: ObservabilityChartProps = {}) {
    const { namespace: _ns, delivery: _d, ...chartProps } = props;
    super(scope, id, { ...chartProps, labels: { 'app.kubernetes.io/part-of': 'aiml-observability', ...props.labels } });
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    checkCombinations(props);
    // The delivery is chosen (and helm checked) before any object exists, so a bad choice writes nothing.
    this.delivery = typeof props.delivery === 'object' ? props.delivery : createDelivery(props.delivery ?? 'helm', props.deliveryOptions);
    const credentials = props.credentials ?? new FileCredentialStore();

    this.setupChart = new Chart(scope, `${id}-setup`, { labels: { 'app.kubernetes.io/part-of': 'aiml-observability', ...props.labels } });
    this.addDependency(this.setupChart);
    new k8s.KubeNamespace(this.setupChart, 'namespace', { metadata: { name: this.namespace } });

    const wired = (chart: keyof ChartValueOverrides) => ({
      namespace: this.namespace,
      delivery: this.delivery,
      setupScope: this.setupChart,
      credentials,
      values: props.chartValues?.[chart],
    });

    if (props.prometheusStack?.enabled ?? true) {
      this.prometheusStack = new PrometheusStack(this, 'prometheus-stack', { ...props.prometheusStack, ...wired('kube-prometheus-stack') });
    }
    if ((props.openCost?.enabled ?? true) && this.prometheusStack) {
      this.openCost = new OpenCost(this, 'opencost', { ...props.openCost, ...wired('opencost'), prometheus: this.prometheusStack });
    }
  }
}

/** Rejects combinations of toggles that cannot work, naming the props involved. */
function checkCombinations(props: ObservabilityChartProps): void {
  const prometheusOn = props.prometheusStack?.enabled ?? true;
  const needsPrometheus: Array<[string, boolean]> = [['openCost', props.openCost?.enabled ?? true]];
  for (const [name, on] of needsPrometheus) {
    if (on && !prometheusOn) {
      throw new ObservabilityConfigError(
        `${name}.enabled is true but prometheusStack.enabled is false: ${name} needs the Prometheus stack; ` +
          `enable prometheusStack or set ${name}.enabled to false`,
      );
    }
  }
}

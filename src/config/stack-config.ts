/**
 * The config file's keys for the stack as a whole (`namespace`, `platform`, `charts`, `credentials`) and for the metrics side
 * (`prometheus-stack`, `opencost`, `dashboards`), with their mapping onto ObservabilityChartProps.
 */
import { z } from 'zod';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import { DEFAULT_PLATFORM } from '../core/platform.js';
import { DEFAULT_CREDENTIALS_FILE } from '../core/credential-store.js';
import { ARGOCD_DELIVERY_DEFAULTS } from '../delivery/argocd-delivery.js';
import { ARGOCD_DELIVERY_VALUE_TYPES } from '../delivery/delivery-value-types.js';
import { DELIVERY_MODES } from '../core/chart-delivery.js';
import { DEFAULT_FLUX_INTERVAL } from '../delivery/flux-delivery.js';
import { DEFAULT_HELM_EXECUTABLE } from '../delivery/helm-delivery.js';
import { UPSTREAM_CHART_NAMES, UPSTREAM_CHARTS, type UpstreamChartName } from '../core/upstream-chart.js';
import { cidr, goDuration, oneOf } from '../core/value-types.js';
import { NODE_AGENTS_NAMESPACE_SUFFIX } from '../observability-chart.js';
import { ANY_ADDRESS } from '../observability-network.js';
import { ENABLED_BY_DEFAULT, type ObservabilityChartProps } from '../observability-chart.js';
import { OBSERVABILITY_CHART_VALUE_TYPES } from '../observability-chart-value-types.js';
import { OPENCOST_DEFAULTS } from '../opencost/opencost.js';
import { OPENCOST_VALUE_TYPES } from '../opencost/opencost-value-types.js';
import { PROMETHEUS_STACK_DEFAULTS } from '../prometheus/prometheus-stack.js';
import { PROMETHEUS_STACK_VALUE_TYPES } from '../prometheus/prometheus-value-types.js';
import { appKey, freeForm, key, listKey, section, toggle } from './keys.js';

const chartValues = Object.fromEntries(
  UPSTREAM_CHART_NAMES.map((name) => [name, freeForm(`Values for the ${name} ${UPSTREAM_CHARTS[name].version} chart (see the chart's values.yaml).`)]),
) as Record<UpstreamChartName, ReturnType<typeof freeForm>>;

/** `namespace`, `charts` and `credentials`. */
export const STACK_KEYS = {
  namespace: key(OBSERVABILITY_CHART_VALUE_TYPES.namespace, {
    description: 'Namespace of every component but the node agents; Pod Security level `restricted` (see docs/security.md).',
    default: DEFAULT_NAMESPACE,
  }),
  nodeAgentsNamespace: key(OBSERVABILITY_CHART_VALUE_TYPES.nodeAgentsNamespace, {
    description:
      `Namespace of node-exporter, dcgm-exporter, neuron-monitor and Fluent Bit, which read the host: Pod Security level \`privileged\`. \`<namespace>${NODE_AGENTS_NAMESPACE_SUFFIX}\` when absent; the value of \`namespace\` puts everything in one privileged namespace.`,
    example: `observability${NODE_AGENTS_NAMESPACE_SUFFIX}`,
  }),
  networkPolicies: section('Ingress NetworkPolicies: each component admits only its clients (see docs/security.md).', {
    enabled: toggle('Write the NetworkPolicies (a default deny per namespace, one policy per component).', true),
    controlPlaneCidrs: listKey(cidr, {
      description: "Comma-separated CIDRs the API server calls the prometheus-operator's admission webhooks from; any address when absent.",
      default: ANY_ADDRESS.join(', '),
      example: '10.0.0.0/24',
    }),
  }),
  platform: key(OBSERVABILITY_CHART_VALUE_TYPES.platform, {
    description:
      'Kubernetes platform: `eks`, `gke`, `aks` (managed control plane: kube-scheduler, kube-controller-manager, etcd and kube-proxy are not scraped nor alerted on; GPU exporter on the platform\'s GPU node labels and taints; Neuron only on `eks`) or `generic` (every control-plane target scraped). See docs/platforms.md.',
    default: DEFAULT_PLATFORM,
  }),
  charts: z.strictObject({
    delivery: appKey(oneOf(DELIVERY_MODES), {
      description:
        '`helm`: rendered at synth time (needs helm >= 3.14); `flux`: HelmRepository + HelmRelease; `argocd`: Application; `external`: charts managed elsewhere, only our own objects are emitted.',
      default: 'helm',
    }),
    helmExecutable: key(z.string().min(1), { description: 'The helm binary used by the `helm` mode.', default: DEFAULT_HELM_EXECUTABLE }),
    flux: section('Options of the `flux` mode.', {
      interval: key(goDuration, { description: 'Reconcile interval of the HelmRepository and HelmRelease objects.', default: DEFAULT_FLUX_INTERVAL }),
    }),
    argocd: section('Options of the `argocd` mode.', {
      namespace: key(ARGOCD_DELIVERY_VALUE_TYPES.applicationNamespace, {
        description: 'Namespace Argo CD watches for Applications.',
        default: ARGOCD_DELIVERY_DEFAULTS.applicationNamespace,
      }),
      project: key(ARGOCD_DELIVERY_VALUE_TYPES.project, { description: 'Argo CD project of the Applications.', default: ARGOCD_DELIVERY_DEFAULTS.project }),
    }),
    values: section(
      "Pass-through Helm values per upstream chart, merged over the computed values (objects merge, lists replace); checked against the pinned chart's keys (a key it does not have is an error, except below maps it takes whole), and a credential written as a literal is refused.",
      chartValues,
    ),
  })
    // Always there once parsed, so `delivery` gets its default.
    .prefault({})
    .meta({ description: 'How the upstream Helm charts are delivered.' }),
  credentials: z.strictObject({
    file: appKey(z.string().min(1), {
      description: 'Local, git-ignored state file of generated passwords; reused by the next synth so the output stays identical.',
      default: DEFAULT_CREDENTIALS_FILE,
    }),
  })
    .prefault({})
    .meta({ description: 'Where generated passwords are kept.' }),
} as const;

const prometheusTypes = PROMETHEUS_STACK_VALUE_TYPES;

/** `prometheus-stack`, `opencost` and `dashboards`. */
export const METRICS_KEYS = {
  'prometheus-stack': section('kube-prometheus-stack: Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics.', {
    enabled: toggle('Deploy the Prometheus stack.', ENABLED_BY_DEFAULT.prometheusStack),
    releaseName: key(prometheusTypes.releaseName, {
      description: 'Helm release name; service names derive from it (at most 26 characters).',
      default: PROMETHEUS_STACK_DEFAULTS.releaseName,
    }),
    retention: key(prometheusTypes.retention, { description: 'How long Prometheus keeps samples.', default: PROMETHEUS_STACK_DEFAULTS.retention }),
    storageSize: key(prometheusTypes.storageSize, { description: 'Prometheus volume size.', default: PROMETHEUS_STACK_DEFAULTS.storageSize }),
    grafana: section('Grafana admin credentials.', {
      adminUser: key(prometheusTypes.grafanaAdminUser, { description: 'Grafana admin user.', default: PROMETHEUS_STACK_DEFAULTS.grafanaAdminUser }),
      adminPassword: key(prometheusTypes.grafanaAdminPassword, {
        description: 'Grafana admin password (at least 12 characters); generated and kept in the credentials file when absent.',
        example: 'use-a-long-random-passphrase',
      }),
      existingSecret: key(prometheusTypes.grafanaExistingSecret, {
        description: 'Existing Secret with keys `admin-user` and `admin-password`; nothing secret is written to dist/.',
        example: 'grafana-admin',
      }),
    }),
  }),
  opencost: section('OpenCost cost allocation (needs prometheus-stack).', {
    enabled: toggle('Deploy OpenCost.', ENABLED_BY_DEFAULT.openCost),
    clusterId: key(OPENCOST_VALUE_TYPES.clusterId, { description: 'Cluster id OpenCost reports under.', default: OPENCOST_DEFAULTS.clusterId }),
    mcpServer: toggle("Run OpenCost's built-in MCP server (port 8081, no authentication of its own; admitted only from the stack's MCP clients).", false),
  }),
  dashboards: section('Grafana dashboards as code: GPU training, inference (vLLM), GPU fleet and cost (needs prometheus-stack).', {
    enabled: toggle('Deliver the dashboards as ConfigMaps for the Grafana of prometheus-stack.', ENABLED_BY_DEFAULT.gpuDashboards),
  }),
} as const;

const stackConfig = z.object({ ...STACK_KEYS, ...METRICS_KEYS });
type StackConfig = z.output<typeof stackConfig>;

/** Maps `namespace`, `charts`, `prometheus-stack`, `opencost` and `dashboards` onto the chart's props. */
export function stackConfigToProps(
  config: StackConfig,
): Pick<ObservabilityChartProps, 'namespace' | 'platform' | 'nodeAgentsNamespace' | 'networkPolicies' | 'delivery' | 'deliveryOptions' | 'chartValues' | 'prometheusStack' | 'openCost' | 'gpuDashboards'> {
  const { charts } = config;
  const prometheus = config['prometheus-stack'];
  return {
    namespace: config.namespace,
    platform: config.platform,
    nodeAgentsNamespace: config.nodeAgentsNamespace,
    networkPolicies: { enabled: config.networkPolicies?.enabled, controlPlaneCidrs: config.networkPolicies?.controlPlaneCidrs },
    delivery: charts.delivery,
    deliveryOptions: {
      helm: { helmExecutable: charts.helmExecutable },
      flux: { interval: charts.flux?.interval },
      argocd: { applicationNamespace: charts.argocd?.namespace, project: charts.argocd?.project },
    },
    chartValues: charts.values,
    prometheusStack: {
      enabled: prometheus?.enabled,
      releaseName: prometheus?.releaseName,
      retention: prometheus?.retention,
      storageSize: prometheus?.storageSize,
      grafana: prometheus?.grafana,
    },
    openCost: { enabled: config.opencost?.enabled, clusterId: config.opencost?.clusterId, mcpServer: config.opencost?.mcpServer },
    gpuDashboards: { enabled: config.dashboards?.enabled },
  };
}

import { Chart, type ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from './core/component-props.js';
import type { CredentialStore } from './core/credential-store.js';
import type { ChartDelivery, DeliveryMode } from './core/chart-delivery.js';
import { msg, withinProp } from './core/prop-error.js';
import { checkProp, cidr, PropChecks } from './core/value-types.js';
import { createDelivery, type DeliveryOptions } from './delivery/create-delivery.js';
import type { ChartValueOverrides, UpstreamChartName } from './core/upstream-chart.js';
import { chartValueIssues } from './core/chart-value-checks.js';
import { FluentBitPipeline, type FluentBitPipelineProps } from './logs/fluent-bit/fluent-bit-pipeline.js';
import { GpuDashboards, type GpuDashboardsProps } from './dashboards/gpu-dashboards.js';
import { GpuExporters, type GpuExportersProps } from './gpu/gpu-exporters.js';
import { McpServers, type McpServersProps } from './mcp/mcp-servers.js';
import { ObservabilityAgent, type ObservabilityAgentLlmProps, type ObservabilityAgentProps } from './agent/observability-agent.js';
import { ObservabilityRules, type ObservabilityRulesProps } from './rules/observability-rules.js';
import type { ExternalOpenSearch } from './logs/opensearch/external-opensearch.js';
import { EXTERNAL_OPENSEARCH_VALUE_TYPES } from './logs/opensearch/opensearch-value-types.js';
import { LogStorageAlerts } from './logs/opensearch/log-storage-alerts.js';
import { type GrafanaOpenSearchSource, grafanaOpenSearchValues, OpenSearchDatasource } from './logs/opensearch/opensearch-datasource.js';
import { OpenCost, type OpenCostProps } from './opencost/opencost.js';
import { OpenSearchCluster, type OpenSearchClusterProps } from './logs/opensearch/opensearch-cluster.js';
import { PrometheusStack, type PrometheusStackProps } from './prometheus/prometheus-stack.js';
import { RayEndpoints, type RayEndpointsProps } from './ray/ray-endpoints.js';
import { ThanosHub, type ThanosHubProps } from './thanos/thanos-hub.js';
import { deepMerge } from './core/deep-merge.js';
import { DEFAULT_PLATFORM, type Platform, PLATFORMS } from './core/platform.js';
import { NEURON_PLATFORMS } from './gpu/neuron-monitor.js';
import { OBSERVABILITY_CHART_VALUE_TYPES } from './observability-chart-value-types.js';
import { mostPermissive, type PodSecurityLevel, PodSecurityNamespace, type PodSecurityNeed } from './core/pod-security.js';
import { StackNetwork } from './core/network-access.js';
import { declareStackNetwork, type NetworkPolicyOptions } from './observability-network.js';
import { DEFAULT_CLUSTER_NAME } from './core/cluster-label.js';
import { fleetSeriesNames } from './fleet/fleet-series.js';

/**
 * Which components run when their `enabled` is left out: all but the MCP servers. The ones that need the
 * Prometheus stack run only with it; asking for one of them explicitly without it is an error.
 */
export const ENABLED_BY_DEFAULT = {
  prometheusStack: true,
  openCost: true,
  gpuExporters: true,
  rayEndpoints: true,
  alerts: true,
  gpuDashboards: true,
  mcp: false,
  agent: false,
  openSearch: true,
  fluentBit: true,
} as const;

/** Turns a component on or off; the other fields are the component's own props. */
export type Toggle<P> = P & {
  /** Whether the component is deployed. */
  readonly enabled?: boolean;
};

/** Props that ObservabilityChart fills in for every component, and so are not set per component. */
type Wired = 'namespace' | 'delivery' | 'setupScope' | 'credentials' | 'values' | 'nodeAgentsNamespace' | 'agentNamespace';

/** The node agents' namespace unless told otherwise: the stack's, with this suffix. */
export const NODE_AGENTS_NAMESPACE_SUFFIX = '-node-agents';

/** Props of {@link ObservabilityChart}. Every component is on by default, except the MCP servers. */
export interface ObservabilityChartProps extends Omit<ChartProps, 'namespace'> {
  /**
   * Namespace of every component.
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * The Kubernetes platform: `eks`, `gke` and `aks` have a managed control plane, so kube-prometheus-stack does not
   * scrape (nor alert on) kube-scheduler, kube-controller-manager, etcd and kube-proxy there; the GPU exporter runs on
   * the platform's GPU node labels and tolerates its GPU taints; Neuron (AWS only) is refused on `gke` and `aks`.
   * `generic` (a cluster whose control plane you run) keeps every control-plane target. See docs/platforms.md.
   * @default "generic"
   */
  readonly platform?: Platform;
  /**
   * Namespace of the node agents (node-exporter, dcgm-exporter, neuron-monitor, Fluent Bit): they read the host
   * (host network and PID namespace, host paths, devices, capabilities), so their namespace runs at the `privileged`
   * Pod Security level, and the stack's namespace at `restricted`. Giving the stack's namespace here puts everything
   * in one namespace, at `privileged`.
   * @default `<namespace>-node-agents`
   */
  readonly nodeAgentsNamespace?: string;
  /** The stack's ingress NetworkPolicies. @default enabled, the control plane at any address */
  readonly networkPolicies?: NetworkPolicyOptions;
  /**
   * How the upstream charts reach the cluster: a mode (`helm` needs helm >= 3.14 on PATH at synth time; `flux`,
   * `argocd` and `external` run nothing), or a strategy of your own.
   */
  readonly delivery: DeliveryMode | ChartDelivery;
  /** Options of the delivery modes. @default each mode's defaults */
  readonly deliveryOptions?: DeliveryOptions;
  /**
   * Where generated passwords are kept between synths: the app passes a FileCredentialStore, a one-off synth a
   * MemoryCredentialStore. Nothing is written unless you pass a store that writes.
   * @default none: a password that has to be generated is an error naming the props that would give it
   */
  readonly credentials?: CredentialStore;
  /** Pass-through Helm values per upstream chart, merged over the computed ones. @default none */
  readonly chartValues?: ChartValueOverrides;
  /**
   * The cluster's name, the one source of its identity: the `cluster` external label of every series leaving its
   * Prometheus, OpenCost's cluster id, and the `cluster` field of every log record. Required with a remote write
   * or a Thanos sidecar (a fleet's clusters must be told apart).
   * @default {@link DEFAULT_CLUSTER_NAME}
   */
  readonly clusterName?: string;
  /**
   * Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics; remote write, agent mode, the central store
   * Grafana reads, the Thanos sidecar. @default enabled
   */
  readonly prometheusStack?: Toggle<Omit<PrometheusStackProps, Wired | 'platform' | 'clusterName' | 'fleetSeries'>>;
  /** Cost allocation. Needs the Prometheus stack. @default enabled when the Prometheus stack is */
  readonly openCost?: Toggle<Omit<OpenCostProps, Wired | 'prometheus' | 'clusterId'>>;
  /**
   * Accelerator exporters: NVIDIA dcgm-exporter (`dcgm`, on unless turned off) and AWS neuron-monitor (`neuron`,
   * off unless turned on), each deployed or pointed at an existing one. Needs the Prometheus stack.
   * @default enabled when the Prometheus stack is
   */
  readonly gpuExporters?: Toggle<Omit<GpuExportersProps, Wired | 'prometheus' | 'platform'>>;
  /** Ray (KubeRay) head and worker scrape configuration and the Ray rules. Needs the Prometheus stack. @default enabled when the Prometheus stack is */
  readonly rayEndpoints?: Toggle<Omit<RayEndpointsProps, 'namespace' | 'prometheus'>>;
  /** GPU and vLLM recording rules and alerts, with their thresholds. Needs the Prometheus stack. @default enabled when the Prometheus stack is */
  readonly alerts?: Toggle<Omit<ObservabilityRulesProps, 'namespace' | 'prometheus'>>;
  /**
   * Grafana dashboards: GPU training, inference (vLLM), GPU fleet and cost, and Neuron when neuron-monitor runs with
   * its rules, as ConfigMaps Grafana's sidecar loads. Needs the Prometheus stack (its Grafana). @default enabled when the Prometheus stack is
   */
  readonly gpuDashboards?: Toggle<Omit<GpuDashboardsProps, 'namespace' | 'grafana' | 'neuron'>>;
  /**
   * MCP servers for AI agents: Kubernetes (read-only unless you opt in), Prometheus (needs prometheusStack) and
   * OpenSearch (needs the stack's OpenSearch or `openSearchTarget`, and an `image`), each on unless turned off.
   * @default disabled
   */
  readonly mcp?: Toggle<Omit<McpServersProps, 'namespace' | 'setupScope' | 'credentials' | 'prometheusTarget'>>;
  /**
   * The diagnosis agent's web chat in the cluster, using the MCP servers (needs `mcp`): reached by port-forward,
   * read-only unless the Kubernetes server has write namespaces. Needs `image` and `llm` while it is on.
   * @default disabled
   */
  readonly agent?: Toggle<
    Omit<ObservabilityAgentProps, 'namespace' | 'mcp' | 'image' | 'llm'> & {
      /** See ObservabilityAgentProps.image. Required while the agent is on. */
      readonly image?: string;
      /** See ObservabilityAgentProps.llm. Required while the agent is on. */
      readonly llm?: ObservabilityAgentLlmProps;
    }
  >;
  /**
   * Log storage: OpenSearch with Dashboards, operator-generated TLS, log retention and least-privilege users; no
   * default password. @default enabled
   */
  readonly openSearch?: Toggle<Omit<OpenSearchClusterProps, Wired>>;
  /**
   * An OpenSearch this stack does not run, used when `openSearch.enabled` is false: Fluent Bit writes to it and
   * Grafana's log datasource reads from it. @default none
   */
  readonly externalOpenSearch?: ExternalOpenSearch;
  /**
   * Log collection: Fluent Bit on every node (GPU and Neuron nodes included) to the OpenSearch, buffered on disk.
   * Needs `openSearch` or `externalOpenSearch`. @default enabled
   */
  readonly fluentBit?: Toggle<Omit<FluentBitPipelineProps, Wired | 'openSearch' | 'credentialsSecret' | 'prometheus' | 'clusterName'>>;
  /**
   * The Thanos hub of a fleet (Query, Store Gateway, Compactor) reading the leaf clusters' sidecars and their bucket;
   * deployed when given. Scraped by the stack's Prometheus when it runs. See docs/fleet.md. @default none
   */
  readonly thanosHub?: Omit<ThanosHubProps, Wired | 'prometheus'>;
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
  /**
   * Namespace of every component. (Not the cdk8s `Chart.namespace`, which cdk8s would also stamp on the chart's
   * cluster-scoped objects: every namespaced object here sets its namespace itself.)
   */
  public readonly stackNamespace: string;
  /** The delivery strategy in use. */
  public readonly delivery: ChartDelivery;
  /** The cluster's name (series label, OpenCost cluster id, log field). */
  public readonly clusterName: string;
  /** The Prometheus stack, when enabled. */
  public readonly prometheusStack?: PrometheusStack;
  /** OpenCost, when enabled. */
  public readonly openCost?: OpenCost;
  /** The GPU exporters, when enabled. */
  public readonly gpuExporters?: GpuExporters;
  /** The Ray scrape configuration, when enabled. */
  public readonly rayEndpoints?: RayEndpoints;
  /** The GPU and vLLM rules, when enabled. */
  public readonly alerts?: ObservabilityRules;
  /** The GPU dashboards, when enabled. */
  public readonly gpuDashboards?: GpuDashboards;
  /** The MCP servers, when enabled. */
  public readonly mcp?: McpServers;
  /** The diagnosis agent, when enabled. */
  public readonly agent?: ObservabilityAgent;
  /** The OpenSearch cluster, when enabled. */
  public readonly openSearch?: OpenSearchCluster;
  /** Grafana's OpenSearch logs datasource, when there is an OpenSearch and a Grafana. */
  public readonly openSearchDatasource?: OpenSearchDatasource;
  /** The Fluent Bit pipeline, when enabled. */
  public readonly fluentBit?: FluentBitPipeline;
  /** The Thanos hub, when {@link ObservabilityChartProps.thanosHub} is given. */
  public readonly thanosHub?: ThanosHub;
  /** The OpenSearch alerts (unmanaged log indices, volume, certificates), with the stack's OpenSearch and Prometheus. */
  public readonly openSearchAlerts?: LogStorageAlerts;
  /** Namespace of the node agents (see {@link ObservabilityChartProps.nodeAgentsNamespace}). */
  public readonly nodeAgentsNamespace: string;
  /** Who may connect to what: register a client of the stack's servers with `network.allow(...)`. */
  public readonly network: StackNetwork;
  /** The namespaces the stack creates, with their Pod Security levels. */
  public readonly namespaces: readonly PodSecurityNamespace[];

  constructor(scope: Construct, id: string, props: ObservabilityChartProps) {
    const { namespace: _ns, delivery: _d, ...chartProps } = props;
    super(scope, id, { ...chartProps, labels: { 'app.kubernetes.io/part-of': 'aiml-observability', ...props.labels } });
    checkCombinations(props);
    this.stackNamespace = props.namespace ?? DEFAULT_NAMESPACE;
    this.nodeAgentsNamespace = props.nodeAgentsNamespace ?? `${this.stackNamespace}${NODE_AGENTS_NAMESPACE_SUFFIX}`;
    this.clusterName = props.clusterName ?? DEFAULT_CLUSTER_NAME;
    const clusterName = this.clusterName;
    // The delivery is chosen before any object exists, so a bad choice writes nothing (and runs nothing).
    this.delivery =
      typeof props.delivery === 'object'
        ? props.delivery
        : withinProp('deliveryOptions', () => createDelivery(checkProp(OBSERVABILITY_CHART_VALUE_TYPES.delivery, props.delivery, 'delivery'), props.deliveryOptions));
    const credentials = props.credentials;
    const on = (component: keyof typeof ENABLED_BY_DEFAULT) => props[component]?.enabled ?? ENABLED_BY_DEFAULT[component];

    this.setupChart = new Chart(scope, `${id}-setup`, { labels: { 'app.kubernetes.io/part-of': 'aiml-observability', ...props.labels } });
    this.addDependency(this.setupChart);
    // First in the setup chart (applied before what lives in them); filled once the components said what they need.
    const namespaceScope = new Construct(this.setupChart, 'namespaces');
    this.network = new StackNetwork(this, 'network', { enabled: props.networkPolicies?.enabled });

    // What a component puts in the setup chart lives under a construct of the component's own id there.
    const setupScopeOf = (componentId: string) => new Construct(this.setupChart, componentId);
    const wired = (chart: keyof ChartValueOverrides, componentId: string) => ({
      namespace: this.stackNamespace,
      delivery: this.delivery,
      setupScope: setupScopeOf(componentId),
      credentials,
      values: props.chartValues?.[chart],
    });

    if (on('openSearch')) {
      const { enabled: _on, ...openSearch } = props.openSearch ?? {};
      this.openSearch = withinProp('openSearch', () => new OpenSearchCluster(this, 'opensearch', { ...openSearch, ...wired('opensearch-operator', 'opensearch') }));
    }
    const external = props.externalOpenSearch;
    const logReader: GrafanaOpenSearchSource | undefined = this.openSearch
      ? { target: this.openSearch, credentialsSecret: this.openSearch.logReaderSecretName }
      : external && { target: external.target, credentialsSecret: external.readerCredentialsSecret ?? external.writerCredentialsSecret };

    if (on('prometheusStack')) {
      // Grafana reads the logs with the log reader's credentials and the OpenSearch CA, from its environment.
      const values = logReader ? deepMerge(grafanaOpenSearchValues(logReader), props.chartValues?.['kube-prometheus-stack']) : props.chartValues?.['kube-prometheus-stack'];
      const { enabled: _on, ...prometheusStack } = props.prometheusStack ?? {};
      this.prometheusStack = withinProp(
        'prometheusStack',
        () =>
          new PrometheusStack(this, 'prometheus-stack', {
            ...prometheusStack,
            ...wired('kube-prometheus-stack', 'prometheus-stack'),
            values,
            clusterName,
            fleetSeries: fleetSeriesNames(),
            platform: props.platform,
            nodeAgentsNamespace: this.nodeAgentsNamespace,
          }),
      );
    }
    const prometheus = this.prometheusStack;
    if (on('openCost') && prometheus) {
      const { enabled: _on, ...openCost } = props.openCost ?? {};
      this.openCost = withinProp('openCost', () => new OpenCost(this, 'opencost', { ...openCost, ...wired('opencost', 'opencost'), prometheus, clusterId: clusterName }));
    }
    if (props.thanosHub) {
      const thanosHub = props.thanosHub;
      this.thanosHub = withinProp('thanosHub', () => new ThanosHub(this, 'thanos-hub', { ...thanosHub, ...wired('thanos', 'thanos-hub'), prometheus }));
    }
    if (on('gpuExporters') && prometheus) {
      const { enabled: _on, ...gpuExporters } = props.gpuExporters ?? {};
      this.gpuExporters = withinProp(
        'gpuExporters',
        () => new GpuExporters(this, 'gpu-exporters', { ...gpuExporters, ...wired('dcgm-exporter', 'gpu-exporters'), namespace: this.nodeAgentsNamespace, prometheus, platform: props.platform }),
      );
    }
    if (on('rayEndpoints') && prometheus) {
      const { enabled: _on, ...rayEndpoints } = props.rayEndpoints ?? {};
      this.rayEndpoints = withinProp('rayEndpoints', () => new RayEndpoints(this, 'ray-endpoints', { ...rayEndpoints, namespace: this.stackNamespace, prometheus }));
    }
    if (on('alerts') && prometheus) {
      const { enabled: _on, ...alerts } = props.alerts ?? {};
      this.alerts = withinProp('alerts', () => new ObservabilityRules(this, 'alerts', { ...alerts, namespace: this.stackNamespace, prometheus }));
    }
    if (on('gpuDashboards') && prometheus) {
      const { enabled: _on, ...gpuDashboards } = props.gpuDashboards ?? {};
      const neuron = (this.gpuExporters?.neuron?.ruleGroups.length ?? 0) > 0;
      this.gpuDashboards = withinProp('gpuDashboards', () => new GpuDashboards(this, 'gpu-dashboards', { ...gpuDashboards, neuron, namespace: this.stackNamespace, grafana: prometheus }));
    }
    if (logReader && prometheus) {
      this.openSearchDatasource = new OpenSearchDatasource(this, 'opensearch-datasource', {
        ...logReader,
        grafana: prometheus,
        version: this.openSearch?.version ?? external!.version,
        setupScope: setupScopeOf('opensearch-datasource'),
      });
    }
    const openSearch = this.openSearch;
    if (openSearch && prometheus) {
      // The cluster's own alerts, like Fluent Bit's: they belong to the OpenSearch component (under its construct),
      // and come with any Prometheus, whatever the GPU/vLLM `alerts` toggle says.
      this.openSearchAlerts = new LogStorageAlerts(openSearch, 'alerts', {
        name: `${openSearch.clusterName}-log-storage`,
        namespace: openSearch.namespace,
        prometheus,
        // Runs every 30 minutes: alert once one and a half hours passed without a success.
        logStreamCheck: { name: openSearch.logStreams.checkCronJobName, podLabels: openSearch.logStreams.podLabels, staleAfterSeconds: 5400 },
        dataVolumeClaimRegex: openSearch.dataVolumeClaimRegex,
        certificates: openSearch.certificates
          ? { certManagerCertificates: openSearch.certificates.certificateNames }
          : // Runs every 6 hours: alert after two failed runs.
            { expiryCheck: { name: openSearch.certificateCheck!.cronJobName, podLabels: openSearch.certificateCheck!.podLabels, staleAfterSeconds: 13 * 3600 } },
      });
    }
    if (on('fluentBit')) {
      const { enabled: _on, ...fluentBit } = props.fluentBit ?? {};
      this.fluentBit = withinProp(
        'fluentBit',
        () =>
          new FluentBitPipeline(this, 'fluent-bit', {
            ...fluentBit,
            ...wired('fluent-operator', 'fluent-bit'),
            agentNamespace: this.nodeAgentsNamespace,
            openSearch: this.openSearch ?? external!.target,
            credentialsSecret: this.openSearch?.logWriterSecretName ?? external!.writerCredentialsSecret,
            prometheus,
            clusterName,
          }),
      );
    }
    if (on('mcp')) {
      const { enabled: _on, ...mcp } = props.mcp ?? {};
      this.mcp = withinProp(
        'mcp',
        () =>
          new McpServers(this, 'mcp', {
            ...mcp,
            namespace: this.stackNamespace,
            stackNamespaces: [this.stackNamespace, this.nodeAgentsNamespace],
            setupScope: setupScopeOf('mcp'),
            credentials,
            prometheusTarget: prometheus,
            openSearchTarget: mcp.openSearchTarget ?? this.openSearch ?? external?.target,
          }),
      );
    }
    if (on('agent') && this.mcp) {
      const { enabled: _on, image, llm, ...agent } = props.agent ?? {};
      const mcp = this.mcp;
      this.agent = withinProp('agent', () => new ObservabilityAgent(this, 'agent', { ...agent, image: image!, llm: llm!, namespace: this.stackNamespace, mcp }));
    }

    this.namespaces = this.addNamespaces(namespaceScope);
    declareStackNetwork(this, this.network, props.networkPolicies ?? {});
  }

  /** What the workloads of the stack need beyond `restricted`, by component. */
  public get podSecurityNeeds(): readonly PodSecurityNeed[] {
    return [
      ...(this.prometheusStack?.podSecurityNeeds ?? []),
      ...(this.gpuExporters?.dcgm?.podSecurityNeeds ?? []),
      ...(this.gpuExporters?.neuron?.podSecurityNeeds ?? []),
      ...(this.fluentBit?.podSecurityNeeds ?? []),
      ...(this.openSearch?.podSecurityNeeds ?? []),
    ];
  }

  /**
   * The stack's namespace, and the node agents' when something runs there, each at the most restrictive Pod Security
   * level its workloads allow ({@link podSecurityNeeds}), with their reasons when that is not `restricted`.
   */
  private addNamespaces(scope: Construct): PodSecurityNamespace[] {
    const needs = this.podSecurityNeeds;
    const names = [this.stackNamespace];
    if (this.nodeAgentsNamespace !== this.stackNamespace && needs.some((n) => n.namespace === this.nodeAgentsNamespace)) names.push(this.nodeAgentsNamespace);
    return names.map((name, i) => {
      const own = needs.filter((n) => n.namespace === name);
      const level: PodSecurityLevel = mostPermissive(['restricted', ...own.map((n) => n.level)]);
      const exception = own.length ? own.map((n) => `${n.workload}: ${n.reason}`).join('; ') : undefined;
      return new PodSecurityNamespace(scope, i === 0 ? 'namespace' : 'node-agents-namespace', { name, level, exception });
    });
  }
}

/** Every combination of props that cannot work, with the props to change; thrown together as a PropError. */
function checkCombinations(props: ObservabilityChartProps): void {
  const checks = new PropChecks();
  checks.check(OBSERVABILITY_CHART_VALUE_TYPES.namespace, props.namespace, 'namespace');
  checks.check(OBSERVABILITY_CHART_VALUE_TYPES.platform, props.platform, 'platform');
  const platform = props.platform ?? DEFAULT_PLATFORM;
  if (props.gpuExporters?.neuron?.enabled === true && PLATFORMS.includes(platform) && !NEURON_PLATFORMS.includes(platform)) {
    checks.fail(
      ['gpuExporters', 'neuron', 'enabled'],
      msg`Neuron devices (AWS Inferentia / Trainium) exist only on AWS, not on ${['platform']} '${platform}': set ${['gpuExporters', 'neuron', 'enabled']} to false, or ${['platform']} to ${NEURON_PLATFORMS.join(' or ')}`,
    );
  }
  checks.check(OBSERVABILITY_CHART_VALUE_TYPES.nodeAgentsNamespace, props.nodeAgentsNamespace, 'nodeAgentsNamespace');
  const defaultNodeAgents = `${props.namespace ?? DEFAULT_NAMESPACE}${NODE_AGENTS_NAMESPACE_SUFFIX}`;
  if (props.nodeAgentsNamespace === undefined && defaultNodeAgents.length > 63) {
    checks.fail(
      'nodeAgentsNamespace',
      msg`the default, ${JSON.stringify(defaultNodeAgents)}, is longer than the 63 characters a namespace name may have: name the node agents' namespace with ${['nodeAgentsNamespace']}, or shorten ${['namespace']}`,
    );
  }
  props.networkPolicies?.controlPlaneCidrs?.forEach((c, i) => checks.check(cidr, c, ['networkPolicies', 'controlPlaneCidrs', String(i)]));
  const on = (component: keyof typeof ENABLED_BY_DEFAULT) => props[component]?.enabled ?? ENABLED_BY_DEFAULT[component];
  const prometheusOn = on('prometheusStack');
  // Components that run by default only with the Prometheus stack: asking for one explicitly without it is an
  // error, leaving it at its default simply leaves it out.
  if (!prometheusOn) {
    const asked = [
      ['openCost', 'enabled'],
      ['gpuExporters', 'enabled'],
      ['gpuExporters', 'dcgm', 'enabled'],
      ['gpuExporters', 'neuron', 'enabled'],
      ['rayEndpoints', 'enabled'],
      ['alerts', 'enabled'],
      ['gpuDashboards', 'enabled'],
    ].filter((path) => path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], props) === true);
    for (const path of asked) {
      checks.fail(path, msg`needs the Prometheus stack: set ${['prometheusStack', 'enabled']} to true, or ${path} to false`);
    }
  }
  checkFleet(props, checks, on);
  const openSearchOn = on('openSearch');
  const logsStored = openSearchOn || props.externalOpenSearch !== undefined;
  if (props.externalOpenSearch) {
    // Required in the type; checked here too for JavaScript callers, with the prop path.
    if (props.externalOpenSearch.version === undefined) {
      checks.fail(['externalOpenSearch', 'version'], 'is required: give the OpenSearch version, e.g. 2.19.2 (Grafana\'s datasource refuses every query without it)');
    }
    checks.check(EXTERNAL_OPENSEARCH_VALUE_TYPES.version, props.externalOpenSearch.version, ['externalOpenSearch', 'version']);
  }
  if (openSearchOn && props.externalOpenSearch) {
    checks.fail(
      'externalOpenSearch',
      msg`is used only when ${['openSearch', 'enabled']} is false: logs go to one OpenSearch; set ${['openSearch', 'enabled']} to false to use the external one, or remove ${['externalOpenSearch']}`,
    );
  }
  if (on('fluentBit') && !logsStored) {
    checks.fail(
      'fluentBit.enabled',
      msg`Fluent Bit needs somewhere to send the logs: set ${['openSearch', 'enabled']} to true, set ${['externalOpenSearch']}, or set ${['fluentBit', 'enabled']} to false`,
    );
  }
  if (on('mcp')) {
    const { prometheus, opensearch, openSearchTarget } = props.mcp ?? {};
    if ((prometheus?.enabled ?? true) && !prometheusOn) {
      checks.fail(
        'mcp.prometheus.enabled',
        msg`the Prometheus MCP server queries the stack's Prometheus: set ${['prometheusStack', 'enabled']} to true, or ${['mcp', 'prometheus', 'enabled']} to false`,
      );
    }
    if ((opensearch?.enabled ?? true) && !openSearchTarget && !logsStored) {
      checks.fail(
        'mcp.opensearch.enabled',
        msg`the OpenSearch MCP server searches the logs, and no OpenSearch stores them: set ${['openSearch', 'enabled']} to true, set ${['externalOpenSearch']}, or set ${['mcp', 'opensearch', 'enabled']} to false`,
      );
    }
  }
  if (on('agent') && !on('mcp')) {
    checks.fail('agent.enabled', msg`the agent's tools are the MCP servers: set ${['mcp', 'enabled']} to true, or ${['agent', 'enabled']} to false`);
  }
  for (const [chart, values] of Object.entries(props.chartValues ?? {}) as [UpstreamChartName, unknown][]) {
    for (const issue of chartValueIssues(chart, values, ['chartValues', chart])) checks.fail(issue.path, issue.message);
  }
  checks.throwIfAny();
}

/** The cluster name, and what agent mode leaves no Prometheus for. */
function checkFleet(props: ObservabilityChartProps, checks: PropChecks, on: (component: keyof typeof ENABLED_BY_DEFAULT) => boolean): void {
  checks.check(OBSERVABILITY_CHART_VALUE_TYPES.clusterName, props.clusterName, 'clusterName');
  const stack = props.prometheusStack ?? {};
  if (!on('prometheusStack')) return;
  const leavesCluster = (stack.remoteWrite ?? []).length > 0 ? ['prometheusStack', 'remoteWrite'] : stack.thanosSidecar ? ['prometheusStack', 'thanosSidecar'] : undefined;
  if (leavesCluster && props.clusterName === undefined) {
    checks.fail('clusterName', msg`is required with ${leavesCluster}: the series of every cluster meet in one store and carry its name as their cluster label; give each cluster its own`);
  }
  if (!stack.agentMode) return;
  const needsServer: [keyof typeof ENABLED_BY_DEFAULT, string][] = [
    ['alerts', 'its recording rules and alerts are evaluated by the Prometheus server; load them into the central store\'s ruler instead (docs/fleet.md)'],
    ['openCost', 'OpenCost reads the local Prometheus\'s query API'],
  ];
  for (const [component, why] of needsServer) {
    if (on(component)) checks.fail([component, 'enabled'], msg`cannot be on with ${['prometheusStack', 'agentMode']} (an agent evaluates no rules and answers no queries): ${why}; set ${[component, 'enabled']} to false, or agentMode to false`);
  }
  if (on('mcp') && (props.mcp?.prometheus?.enabled ?? true)) {
    checks.fail(['mcp', 'prometheus', 'enabled'], msg`cannot be on with ${['prometheusStack', 'agentMode']}: the Prometheus MCP server queries the local Prometheus, and an agent answers no queries; set it to false`);
  }
}

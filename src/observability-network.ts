import { ANY_NAMESPACE, type NetworkClient, podClient, type StackNetwork } from './core/network-access.js';
import { DCGM_EXPORTER_PORT } from './gpu/dcgm-exporter.js';
import { NEURON_MONITOR_METRICS_PORT } from './gpu/neuron-monitor.js';
import { FLUENT_BIT_METRICS_NETWORK_PORT } from './logs/fluent-bit/fluent-bit-pipeline.js';
import { OPENSEARCH_PORTS } from './logs/opensearch/opensearch-cluster.js';
import type { ObservabilityChart } from './observability-chart.js';
import { PROMETHEUS_STACK_PORTS } from './prometheus/prometheus-stack.js';
import { THANOS_HUB_PORTS } from './thanos/thanos-hub.js';

/** Options of the stack's ingress NetworkPolicies (`networkPolicies` in the config file). */
export interface NetworkPolicyOptions {
  /**
   * Write a default-deny ingress policy in each of the stack's namespaces and one policy per server admitting exactly
   * its clients. Turn off only where the cluster's network plugin ignores NetworkPolicies or another tool owns them.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Addresses the API server calls admission webhooks from (the prometheus-operator's, port 10250). The control
   * plane sits outside the pod network, so no pod selector can name it; any address matches pods too, so narrow this
   * to the control plane's addresses where they are known.
   * @default {@link ANY_ADDRESS}
   */
  readonly controlPlaneCidrs?: readonly string[];
}

/** Every IPv4 and IPv6 address. */
export const ANY_ADDRESS: readonly string[] = ['0.0.0.0/0', '::/0'];

/**
 * The stack's servers and their clients, from the components that run:
 * - Prometheus: scraped by itself; queried by Grafana, OpenCost, the Prometheus MCP server and agent pods;
 * - Alertmanager: alerts and scrapes from Prometheus, Grafana's Alertmanager datasource, its own replicas' mesh;
 * - Grafana, kube-state-metrics, OpenCost's API, dcgm-exporter, neuron-monitor, Fluent Bit: scraped by Prometheus;
 * - the prometheus-operator: its admission webhooks from the control plane, scraped by Prometheus;
 * - OpenSearch: its own nodes (REST and transport), Dashboards, the operator, its security config Job, Fluent Bit,
 *   Grafana and the OpenSearch MCP server;
 * - OpenCost's MCP server (when `mcpServer` is on): the agent pods the MCP servers admit;
 * - OpenSearch Dashboards, OpenCost's UI: nobody in the cluster (people reach them by port-forward,
 *   which NetworkPolicy does not see).
 * Every other pod of the stack's namespaces admits nothing (default deny). The MCP servers carry their own
 * policies (src/mcp/mcp-network.ts). node-exporter runs on the host network, where NetworkPolicy does not apply.
 */
export function declareStackNetwork(chart: ObservabilityChart, network: StackNetwork, options: NetworkPolicyOptions): void {
  const S = chart.stackNamespace;
  for (const ns of chart.namespaces) network.isolate(ns.name);
  const prometheus = chart.prometheusStack;
  const prometheusClient = prometheus && podClient('prometheus', prometheus.prometheusNamespace, prometheus.prometheusPodLabels);
  const grafanaClient = prometheus && podClient('grafana', S, prometheus.grafanaPodLabels);
  const scrapedByPrometheus = (server: string, portNames?: readonly string[]) => prometheusClient && network.allow(prometheusClient, server, portNames);

  if (prometheus && prometheusClient && grafanaClient) {
    const ports = PROMETHEUS_STACK_PORTS;
    network.serve(prometheus, { name: 'prometheus', namespace: S, podLabels: prometheus.prometheusPodLabels, ports: ports.prometheus });
    network.serve(prometheus, { name: 'alertmanager', namespace: S, podLabels: prometheus.alertmanagerPodLabels, ports: ports.alertmanager });
    network.serve(prometheus, { name: 'grafana', namespace: S, podLabels: prometheus.grafanaPodLabels, ports: ports.grafana });
    network.serve(prometheus, { name: 'kube-state-metrics', namespace: S, podLabels: prometheus.kubeStateMetricsPodLabels, ports: ports.kubeStateMetrics });
    network.serve(prometheus, { name: 'prometheus-operator', namespace: S, podLabels: prometheus.operatorPodLabels, ports: ports.operator });

    network.allow(prometheusClient, 'prometheus');
    network.allow(grafanaClient, 'prometheus', ['http-web']);
    network.allow(prometheusClient, 'alertmanager', ['http-web', 'reloader-web']);
    network.allow(grafanaClient, 'alertmanager', ['http-web']);
    network.allow(podClient('alertmanager', S, prometheus.alertmanagerPodLabels), 'alertmanager', ['mesh-tcp', 'mesh-udp']);
    scrapedByPrometheus('grafana');
    scrapedByPrometheus('kube-state-metrics');
    scrapedByPrometheus('prometheus-operator');
    const controlPlane: NetworkClient = {
      kind: 'cidrs',
      name: 'control plane (admission webhooks)',
      cidrs: [...(options.controlPlaneCidrs ?? ANY_ADDRESS)],
      why: 'the API server calls the admission webhooks from outside the pod network',
    };
    network.allow(controlPlane, 'prometheus-operator', ['https']);
  }

  const openCost = chart.openCost;
  if (openCost) {
    network.serve(openCost, { name: 'opencost', namespace: openCost.namespace, podLabels: openCost.podLabels, ports: openCost.ports });
    if (prometheus) network.allow(podClient('opencost', openCost.namespace, openCost.podLabels), 'prometheus', ['http-web']);
    scrapedByPrometheus('opencost', ['http']);
  }

  const dcgm = chart.gpuExporters?.dcgm;
  if (dcgm?.podLabels) {
    network.serve(dcgm, { name: 'dcgm-exporter', namespace: dcgm.namespace, podLabels: dcgm.podLabels, ports: [DCGM_EXPORTER_PORT] });
    scrapedByPrometheus('dcgm-exporter');
  }
  const neuron = chart.gpuExporters?.neuron;
  if (neuron?.mode === 'deploy') {
    network.serve(neuron, { name: 'neuron-monitor', namespace: neuron.namespace, podLabels: neuron.podLabels, ports: [NEURON_MONITOR_METRICS_PORT] });
    scrapedByPrometheus('neuron-monitor');
  }
  const fluentBit = chart.fluentBit;
  if (fluentBit) {
    network.serve(fluentBit, { name: 'fluent-bit', namespace: fluentBit.namespace, podLabels: fluentBit.podLabels, ports: [FLUENT_BIT_METRICS_NETWORK_PORT] });
    scrapedByPrometheus('fluent-bit');
  }

  const openSearch = chart.openSearch;
  if (openSearch) {
    const ns = openSearch.namespace;
    network.serve(openSearch, { name: 'opensearch', namespace: ns, podLabels: openSearch.podSelectorLabels, ports: OPENSEARCH_PORTS.nodes });
    network.allow(podClient('opensearch', ns, openSearch.podSelectorLabels), 'opensearch');
    network.allow(podClient('opensearch-operator', ns, openSearch.operatorPodLabels), 'opensearch', ['http']);
    network.allow(podClient('opensearch-securityconfig-job', ns, openSearch.securityConfigJobPodLabels), 'opensearch', ['http']);
    // The admin's Job and CronJob that create the log data streams and check their lifecycle (LogStreamBootstrap).
    network.allow(podClient('opensearch-log-streams', ns, openSearch.logStreams.podLabels), 'opensearch', ['http']);
    if (openSearch.dashboardsServiceName) {
      network.serve(openSearch, { name: 'opensearch-dashboards', namespace: ns, podLabels: openSearch.dashboardsPodLabels, ports: OPENSEARCH_PORTS.dashboards });
      network.allow(podClient('opensearch-dashboards', ns, openSearch.dashboardsPodLabels), 'opensearch', ['http']);
    }
    if (fluentBit) network.allow(podClient('fluent-bit', fluentBit.namespace, fluentBit.podLabels), 'opensearch', ['http']);
    if (grafanaClient && chart.openSearchDatasource) network.allow(grafanaClient, 'opensearch', ['http']);
  }

  const thanos = chart.thanosHub;
  if (thanos) {
    for (const component of ['query', 'storegateway', 'compactor'] as const) {
      network.serve(thanos, { name: `thanos-${component}`, namespace: thanos.namespace, podLabels: thanos.podLabels(component), ports: THANOS_HUB_PORTS[component] });
      if (thanos.scraped) scrapedByPrometheus(`thanos-${component}`, ['http']);
    }
    // Query reads the bucket through the Store Gateway; Grafana reads Query. (Query dials out to the leaves' sidecars.)
    network.allow(podClient('thanos-query', thanos.namespace, thanos.podLabels('query')), 'thanos-storegateway', ['grpc']);
    if (grafanaClient) network.allow(grafanaClient, 'thanos-query', ['http']);
  }

  const mcp = chart.mcp;
  if (mcp) {
    if (mcp.prometheus && prometheus) network.allow(podClient('prometheus-mcp-server', mcp.namespace, mcp.prometheus.podLabels), 'prometheus', ['http-web']);
    if (mcp.opensearch && openSearch) network.allow(podClient('opensearch-mcp-server', mcp.namespace, mcp.opensearch.podLabels), 'opensearch', ['http']);
    const namespaces = mcp.agentNamespaces.includes(ANY_NAMESPACE) ? [ANY_NAMESPACE] : mcp.agentNamespaces;
    const agent = podClient('agent', namespaces, mcp.agentPodLabels);
    if (prometheus) network.allow(agent, 'prometheus', ['http-web']);
    // OpenCost's own MCP server (opencost.mcpServer): the same agents as our MCP servers, nobody else.
    if (openCost?.mcpPort) network.allow(agent, 'opencost', ['mcp']);
  }
}

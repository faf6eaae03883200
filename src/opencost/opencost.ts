import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, type ChartComponentProps } from '../core/component-props.js';
import { UPSTREAM_CHARTS, type UpstreamChartRelease } from '../core/upstream-chart.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import { restrictedContainerSecurityContext } from '../core/security.js';
import { deepMerge, type JsonObject } from '../core/deep-merge.js';
import { PropChecks } from '../core/value-types.js';
import { OPENCOST_VALUE_TYPES } from './opencost-value-types.js';
import { DEFAULT_CLUSTER_NAME } from '../core/cluster-label.js';
import type { NetworkPort } from '../core/network-access.js';

/**
 * OpenCost's pod ports (opencost chart 2.5.17 values `opencost.exporter.apiPort`, `opencost.ui.uiPort`): the API and
 * metrics, and the UI.
 */
export const OPENCOST_PORTS = [
  { name: 'http', port: 9003 },
  { name: 'http-ui', port: 9090 },
] as const satisfies readonly NetworkPort[];

/** What {@link OpenCost} uses for props left out. */
export const OPENCOST_DEFAULTS = { releaseName: 'opencost', clusterId: DEFAULT_CLUSTER_NAME } as const;

/** Props of {@link OpenCost}. */
export interface OpenCostProps extends ChartComponentProps {
  /** The Prometheus OpenCost reads from and that scrapes OpenCost's metrics. */
  readonly prometheus: PrometheusTarget;
  /**
   * Helm release name; the OpenCost Service is named after it.
   * @default {@link OPENCOST_DEFAULTS}.releaseName
   */
  readonly releaseName?: string;
  /**
   * Cluster id OpenCost reports costs under.
   * @default {@link OPENCOST_DEFAULTS}.clusterId
   */
  readonly clusterId?: string;
  /**
   * Run the MCP server built into OpenCost's exporter (chart key `opencost.mcp`, port {@link OPENCOST_MCP_PORT}).
   * It has no authentication of its own, so it is off unless asked for; when on, the port is published on the
   * OpenCost Service and only the clients the stack's NetworkPolicies admit can reach it.
   * @default false
   */
  readonly mcpServer?: boolean;
}

/** Port of OpenCost's built-in MCP server when {@link OpenCostProps.mcpServer} turns it on (the chart's default). */
export const OPENCOST_MCP_PORT = 8081;

/** {@link OPENCOST_MCP_PORT} by name (chart value `opencost.mcp.port`), for the NetworkPolicies. */
export const OPENCOST_MCP_NETWORK_PORT = { name: 'mcp', port: OPENCOST_MCP_PORT } as const satisfies NetworkPort;

/**
 * Cost allocation: the opencost chart 2.5.17, reading from the stack's Prometheus (by the service name
 * {@link PrometheusTarget} computes) and scraped by it through a ServiceMonitor carrying its selector label,
 * so GPU hours can be priced per namespace and job.
 */
export class OpenCost extends Construct {
  /** Name of the OpenCost Service. */
  public readonly serviceName: string;
  /** Port of OpenCost's API and metrics. */
  public readonly apiPort = OPENCOST_PORTS[0].port;
  /** Port of OpenCost's MCP server, when {@link OpenCostProps.mcpServer} is on. */
  public readonly mcpPort?: number;
  /** Labels of the OpenCost pods (the chart's selector labels). */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The ports OpenCost's pods listen on: {@link OPENCOST_PORTS}, and {@link OPENCOST_MCP_NETWORK_PORT} when the MCP server is on. */
  public readonly ports: readonly NetworkPort[];
  /** Namespace of the OpenCost release. */
  public readonly namespace: string;
  /** The chart release this construct delivers (values included), for inspection and tests. */
  public readonly release: UpstreamChartRelease;

  constructor(scope: Construct, id: string, props: OpenCostProps) {
    super(scope, id);
    const checks = new PropChecks();
    checks.check(OPENCOST_VALUE_TYPES.releaseName, props.releaseName, 'releaseName');
    checks.check(OPENCOST_VALUE_TYPES.clusterId, props.clusterId, 'clusterId');
    checks.throwIfAny();
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const releaseName = props.releaseName ?? OPENCOST_DEFAULTS.releaseName;
    this.serviceName = releaseName;
    if (props.mcpServer) this.mcpPort = OPENCOST_MCP_PORT;
    this.podLabels = { 'app.kubernetes.io/name': 'opencost', 'app.kubernetes.io/instance': releaseName };
    this.ports = props.mcpServer ? [...OPENCOST_PORTS, OPENCOST_MCP_NETWORK_PORT] : OPENCOST_PORTS;
    this.release = {
      chart: UPSTREAM_CHARTS.opencost,
      releaseName,
      namespace: this.namespace,
      values: deepMerge(this.computeValues(props, releaseName), props.values),
    };
    props.delivery.deliver(props.setupScope ?? this, `${id}-chart`, this.release);
  }

  private computeValues(props: OpenCostProps, releaseName: string): JsonObject {
    const { prometheus } = props;
    const restricted = { ...restrictedContainerSecurityContext(), runAsUser: 1001 };
    return {
      fullnameOverride: releaseName,
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      opencost: {
        exporter: {
          defaultClusterId: props.clusterId ?? OPENCOST_DEFAULTS.clusterId,
          resources: { requests: { cpu: '10m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
          securityContext: restricted,
        },
        ui: {
          resources: { requests: { cpu: '10m', memory: '55Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
          // The UI image runs nginx, which writes its cache and pid under the root filesystem.
          securityContext: { ...restricted, readOnlyRootFilesystem: false },
        },
        // The chart turns the exporter's MCP server on by default (opencost chart 2.5.17 values.yaml
        // `opencost.mcp.enabled: true`, templates/deployment.yaml MCP_SERVER_ENABLED): an unauthenticated port.
        mcp: { enabled: props.mcpServer ?? false, port: OPENCOST_MCP_PORT },
        prometheus: {
          internal: {
            enabled: true,
            serviceName: prometheus.prometheusServiceName,
            namespaceName: prometheus.prometheusNamespace,
            port: prometheus.prometheusPort,
          },
        },
        metrics: {
          serviceMonitor: {
            enabled: true,
            additionalLabels: { ...prometheus.monitorSelectorLabels },
          },
        },
      },
    };
  }
}

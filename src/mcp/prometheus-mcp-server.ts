import { EnvValue } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import { resources } from '../core/security.js';
import { oneOf, pinnedImage, PropChecks } from '../core/value-types.js';
import { MCP_SERVER_IMAGES, MCP_SERVER_PORTS, MCP_SERVER_UIDS } from './mcp-images.js';
import { podEgress } from './mcp-network.js';
import type { McpServerProps, McpServerEndpoint } from './mcp-server-props.js';
import { McpServerWorkload } from './mcp-server-workload.js';

/** MCP transports prometheus-mcp-server can serve over HTTP (`PROMETHEUS_MCP_SERVER_TRANSPORT`). */
export const PROMETHEUS_MCP_TRANSPORTS = ['http', 'sse'] as const;
/** The transport unless told otherwise. */
export const DEFAULT_PROMETHEUS_MCP_TRANSPORT: PrometheusMcpTransport = 'http';

/** One of {@link PROMETHEUS_MCP_TRANSPORTS}. */
export type PrometheusMcpTransport = (typeof PROMETHEUS_MCP_TRANSPORTS)[number];

/** Props of {@link PrometheusMcpServer}. */
export interface PrometheusMcpServerProps extends McpServerProps {
  /** The Prometheus the server queries (its URL, namespace, port and pod labels). */
  readonly prometheus: PrometheusTarget;
  /**
   * `http`: streamable HTTP on `/mcp`; `sse`: Server-Sent Events on `/sse` (what the reference runs). The server
   * serves one of the two.
   * @default {@link DEFAULT_PROMETHEUS_MCP_TRANSPORT}
   */
  readonly transport?: PrometheusMcpTransport;
}

const NAME = 'prometheus-mcp-server';

/**
 * prometheus-mcp-server: read-only PromQL (instant and range queries, metric names and metadata, scrape targets)
 * against the Prometheus the {@link PrometheusTarget} names. It has no write API to reach. Its NetworkPolicy lets it
 * reach only that Prometheus and the cluster DNS. Probed over TCP: the 1.5 release has no HTTP health route (its
 * `health_check` is an MCP tool).
 */
export class PrometheusMcpServer extends Construct implements McpServerEndpoint {
  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly port: number = MCP_SERVER_PORTS.prometheus;
  public readonly transport: PrometheusMcpTransport;
  /** Path of the MCP endpoint for {@link transport}. */
  public readonly mcpPath: string;
  public readonly podLabels: Readonly<Record<string, string>>;
  /** In-cluster base URL, e.g. `http://prometheus-mcp-server.observability.svc:8080`. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: PrometheusMcpServerProps) {
    super(scope, id);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const checks = new PropChecks();
    checks.check(oneOf(PROMETHEUS_MCP_TRANSPORTS), props.transport, 'transport');
    checks.check(pinnedImage, props.image, 'image');
    checks.throwIfAny();
    this.transport = props.transport ?? DEFAULT_PROMETHEUS_MCP_TRANSPORT;
    this.mcpPath = this.transport === 'http' ? '/mcp' : '/sse';
    const { prometheus } = props;
    const workload = new McpServerWorkload(this, 'workload', {
      ...props,
      name: NAME,
      namespace: this.namespace,
      image: props.image ?? MCP_SERVER_IMAGES.prometheus,
      env: {
        PROMETHEUS_URL: EnvValue.fromValue(prometheus.prometheusUrl),
        PROMETHEUS_MCP_SERVER_TRANSPORT: EnvValue.fromValue(this.transport),
        PROMETHEUS_MCP_BIND_HOST: EnvValue.fromValue('0.0.0.0'),
        PROMETHEUS_MCP_BIND_PORT: EnvValue.fromValue(String(this.port)),
      },
      port: this.port,
      // Python: imports, then FastMCP listens (main.run_server contacts no Prometheus before that, v1.5.3).
      startupSeconds: 60,
      resources: props.resources ?? resources('50m', '128Mi', '500m', '384Mi'),
      uid: MCP_SERVER_UIDS.prometheus,
      automountServiceAccountToken: false,
      egress: [podEgress(prometheus.prometheusNamespace, prometheus.prometheusPodLabels, prometheus.prometheusPort)],
    });
    this.serviceName = workload.serviceName;
    this.podLabels = workload.podLabels;
    this.url = workload.url;
  }
}

import { ApiObject, type ApiObjectMetadata, Duration, JsonPatch, Size } from 'cdk8s';
import {
  ConfigMap,
  Deployment,
  type EnvValue,
  ImagePullPolicy,
  type ISecret,
  LabelSelector,
  Probe,
  Protocol,
  Service,
  ServiceAccount,
  ServiceType,
  Volume,
} from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { containerResources } from '../core/container-resources.js';
import { restrictedContainerSecurityContextProps, restrictedPodSecurityContextProps, type ResourceSpec } from '../core/security.js';
import { type AgentAccess, type DnsEndpoint, type EgressTarget, McpNetworkPolicy } from './mcp-network.js';

/** Labels every object of one MCP server carries (and its pods), so the server's objects can be told apart. */
export function mcpServerLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'mcp-server' };
}

/** A file mounted from a Secret into the server container. */
export interface SecretFileMount {
  readonly secret: ISecret;
  readonly key: string;
  /** Directory the file appears in; the file is named after the key. */
  readonly directory: string;
}

/** Props of {@link McpServerWorkload}. */
export interface McpServerWorkloadProps extends AgentAccess {
  /** Name of the Deployment, Service, ServiceAccount and NetworkPolicy. */
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  /** Replaces the image's entrypoint. @default the image's entrypoint */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** Environment variables, in the order given. */
  readonly env?: Readonly<Record<string, EnvValue>>;
  readonly port: number;
  /** HTTP path answering 200 when the server is up; a TCP probe when absent. */
  readonly healthPath?: string;
  /**
   * Seconds the server may take from container start to answering its probe (its imports and whatever it does
   * before it listens). The startup probe allows that long; liveness and readiness probes start after it.
   */
  readonly startupSeconds: number;
  /** A ConfigMap of the server's files, mounted read-only at `mountPath`. @default none */
  readonly configFiles?: { readonly data: Readonly<Record<string, string>>; readonly mountPath: string };
  /** Extra `/etc/hosts` entries of the pod. @default none */
  readonly hostAliases?: readonly { readonly ip: string; readonly hostnames: readonly string[] }[];
  readonly resources: ResourceSpec;
  /** User id of the image. */
  readonly uid: number;
  /** Whether the ServiceAccount token is mounted (only the Kubernetes server talks to the API server). */
  readonly automountServiceAccountToken: boolean;
  readonly secretFiles?: readonly SecretFileMount[];
  /** Where the server may connect to, besides the cluster DNS. */
  readonly egress: readonly EgressTarget[];
  readonly dns?: DnsEndpoint;
}

/** Seconds between startup probes. */
const STARTUP_PERIOD_SECONDS = 5;

/** Name of the server's container port and Service port. */
const PORT_NAME = 'http';

/**
 * The parts every MCP server shares, from cdk8s-plus: a ServiceAccount of its own, a one-replica Deployment with the
 * restricted security context (non-root, read-only root filesystem with an emptyDir `/tmp`, no capabilities,
 * RuntimeDefault seccomp), requests and limits and probes, a ClusterIP Service, and a NetworkPolicy that admits only
 * agent pods and lets the server reach only the cluster DNS and what `egress` names.
 *
 * The Deployment selects its pods by {@link mcpServerLabels}, not by cdk8s-plus's construct-path label: a selector
 * is immutable, and one derived from the construct tree would break `kubectl apply` after a refactor.
 */
export class McpServerWorkload extends Construct {
  public readonly serviceName: string;
  public readonly serviceAccountName: string;
  public readonly namespace: string;
  public readonly port: number;
  /** Labels of the server's pods (the Service and NetworkPolicy select them). */
  public readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: McpServerWorkloadProps) {
    super(scope, id);
    const { name, namespace, port } = props;
    this.namespace = namespace;
    this.port = port;
    this.podLabels = mcpServerLabels(name);
    const metadata = { name, namespace, labels: { ...this.podLabels } };

    const serviceAccount = new ServiceAccount(this, 'service-account', { metadata, automountToken: props.automountServiceAccountToken });
    this.serviceAccountName = serviceAccount.name;
    this.addDeployment(props, serviceAccount, metadata);

    const service = new Service(this, 'service', {
      metadata,
      type: ServiceType.CLUSTER_IP,
      ports: [{ name: PORT_NAME, port, targetPort: port, protocol: Protocol.TCP }],
    });
    for (const [key, value] of Object.entries(this.podLabels)) service.selectLabel(key, value);
    this.serviceName = service.name;

    new McpNetworkPolicy(this, 'network-policy', { ...props, metadata, podLabels: this.podLabels });
  }

  private addDeployment(props: McpServerWorkloadProps, serviceAccount: ServiceAccount, metadata: ApiObjectMetadata): void {
    const { port } = props;
    const deployment = new Deployment(this, 'deployment', {
      metadata,
      replicas: 1,
      select: false,
      podMetadata: { labels: { ...this.podLabels } },
      serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken,
      enableServiceLinks: false,
      ...(props.hostAliases?.length ? { hostAliases: props.hostAliases.map((h) => ({ ip: h.ip, hostnames: [...h.hostnames] })) } : {}),
      securityContext: restrictedPodSecurityContextProps(props.uid),
    });
    deployment.select(LabelSelector.of({ labels: { ...this.podLabels } }));
    // cdk8s-plus sets seccomp per container only; the pod level also covers containers added later (kubectl debug).
    ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));

    const probe = (period: number, failureThreshold: number) => {
      const options = { port, periodSeconds: Duration.seconds(period), timeoutSeconds: Duration.seconds(3), failureThreshold };
      return props.healthPath ? Probe.fromHttpGet(props.healthPath, options) : Probe.fromTcpSocket(options);
    };
    const container = deployment.addContainer({
      name: 'server',
      image: props.image,
      imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
      ...(props.command ? { command: [...props.command] } : {}),
      ...(props.args ? { args: [...props.args] } : {}),
      envVariables: { ...props.env },
      ports: [{ name: PORT_NAME, number: port, protocol: Protocol.TCP }],
      startup: probe(STARTUP_PERIOD_SECONDS, Math.ceil(props.startupSeconds / STARTUP_PERIOD_SECONDS)),
      readiness: probe(10, 3),
      liveness: probe(20, 3),
      resources: containerResources(props.resources),
      securityContext: restrictedContainerSecurityContextProps(),
    });
    container.mount('/tmp', Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
    if (props.configFiles) {
      const configMap = new ConfigMap(this, 'config', { metadata: { ...metadata, name: `${metadata.name}-config` }, data: { ...props.configFiles.data } });
      container.mount(props.configFiles.mountPath, Volume.fromConfigMap(this, 'config-volume', configMap, { name: 'config' }), { readOnly: true });
    }
    (props.secretFiles ?? []).forEach((file, i) => {
      const volume = Volume.fromSecret(this, `secret-${i}`, file.secret, { name: `secret-${i}`, items: { [file.key]: { path: file.key } } });
      container.mount(file.directory, volume, { readOnly: true });
    });
  }

  /** In-cluster base URL of the server, e.g. `http://kubernetes-mcp-server.observability.svc:8080`. */
  public get url(): string {
    return `http://${this.serviceName}.${this.namespace}.svc:${this.port}`;
  }
}

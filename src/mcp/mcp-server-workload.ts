import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, type ResourceSpec } from '../core/security.js';
import { agentIngress, dnsEgress, type AgentAccess, type DnsEndpoint } from './mcp-network.js';

/** Labels every object of one MCP server carries (and its pods), so the server's objects can be told apart. */
export function mcpServerLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'mcp-server' };
}

/** A file mounted from a Secret into the server container. */
export interface SecretFileMount {
  readonly secretName: string;
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
  readonly env?: readonly k8s.EnvVar[];
  readonly port: number;
  /** HTTP path answering 200 when the server is up; a TCP probe when absent. */
  readonly healthPath?: string;
  readonly resources: ResourceSpec;
  /** User id of the image. */
  readonly uid: number;
  /** Whether the ServiceAccount token is mounted (only the Kubernetes server talks to the API server). */
  readonly automountServiceAccountToken: boolean;
  readonly secretFiles?: readonly SecretFileMount[];
  /** Where the server may connect to, besides the cluster DNS. */
  readonly egress: readonly k8s.NetworkPolicyEgressRule[];
  readonly dns?: DnsEndpoint;
}

/**
 * The parts every MCP server shares: a ServiceAccount of its own, a one-replica Deployment with the restricted
 * security context (non-root, read-only root filesystem with an emptyDir `/tmp`, no capabilities, RuntimeDefault
 * seccomp), requests and limits and probes, a ClusterIP Service, and a NetworkPolicy that admits only agent pods
 * and lets the server reach only the cluster DNS and what `egress` names.
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
    this.serviceName = name;
    this.serviceAccountName = name;
    this.namespace = namespace;
    this.port = port;
    this.podLabels = mcpServerLabels(name);
    const metadata = { name, namespace, labels: { ...this.podLabels } };

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata,
      automountServiceAccountToken: props.automountServiceAccountToken,
    });

    const probeAction = props.healthPath
      ? { httpGet: { path: props.healthPath, port: k8s.IntOrString.fromString('http') } }
      : { tcpSocket: { port: k8s.IntOrString.fromString('http') } };
    const secretFiles = props.secretFiles ?? [];

    new k8s.KubeDeployment(this, 'deployment', {
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...this.podLabels } },
        template: {
          metadata: { labels: { ...this.podLabels } },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: props.automountServiceAccountToken,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(props.uid) as k8s.PodSecurityContext,
            containers: [
              {
                name: 'server',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                ...(props.command ? { command: [...props.command] } : {}),
                ...(props.args ? { args: [...props.args] } : {}),
                ...(props.env?.length ? { env: [...props.env] } : {}),
                ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
                readinessProbe: { ...probeAction, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
                livenessProbe: { ...probeAction, initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 },
                resources: {
                  requests: { cpu: k8s.Quantity.fromString(props.resources.requests.cpu), memory: k8s.Quantity.fromString(props.resources.requests.memory) },
                  limits: { cpu: k8s.Quantity.fromString(props.resources.limits.cpu), memory: k8s.Quantity.fromString(props.resources.limits.memory) },
                },
                securityContext: restrictedContainerSecurityContext() as k8s.SecurityContext,
                volumeMounts: [
                  { name: 'tmp', mountPath: '/tmp' },
                  ...secretFiles.map((f, i) => ({ name: `secret-${i}`, mountPath: f.directory, readOnly: true })),
                ],
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
              ...secretFiles.map((f, i) => ({ name: `secret-${i}`, secret: { secretName: f.secretName, items: [{ key: f.key, path: f.key }] } })),
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: { ...this.podLabels },
        ports: [{ name: 'http', port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });

    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata,
      spec: {
        podSelector: { matchLabels: { ...this.podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [agentIngress(props, port)],
        egress: [dnsEgress(props.dns), ...props.egress],
      },
    });
  }

  /** In-cluster base URL of the server, e.g. `http://kubernetes-mcp-server.observability.svc:8080`. */
  public get url(): string {
    return `http://${this.serviceName}.${this.namespace}.svc:${this.port}`;
  }
}

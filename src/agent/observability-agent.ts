import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import {
  Deployment,
  EnvValue,
  ImagePullPolicy,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPort,
  NetworkPolicyTrafficDefault,
  Pods,
  Probe,
  Protocol,
  Secret,
  Service,
  ServiceAccount,
  ServiceType,
  Volume,
} from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import { containerResources } from '../core/container-resources.js';
import { msg } from '../core/prop-error.js';
import { resources as resourceSpec, restrictedContainerSecurityContextProps, restrictedPodSecurityContextProps, type ResourceSpec } from '../core/security.js';
import { PropChecks } from '../core/value-types.js';
import type { McpServers } from '../mcp/mcp-servers.js';
import { cidrEgress, dnsEgressTargets, type EgressTarget, egressPeers, podEgress } from '../mcp/mcp-network.js';
import {
  AGENT_API_KEY_ENV,
  AGENT_HEALTH_PATHS,
  AGENT_IMAGE_UID,
  AGENT_PROVIDERS,
  AGENT_SERVE_COMMAND,
  AGENT_WEB_PORT,
  type AgentProvider,
} from './agent-web-contract.js';
import { OBSERVABILITY_AGENT_VALUE_TYPES } from './observability-agent-value-types.js';

/** What {@link ObservabilityAgent} uses for props left out. */
export const OBSERVABILITY_AGENT_DEFAULTS = {
  name: 'aiml-observability-agent',
  /** Node.js with the AI SDK and the MCP client: about 120 MiB resident at rest; answers stream, nothing is buffered. */
  resources: resourceSpec('100m', '256Mi', '1', '512Mi'),
  maxSteps: 12,
  /** Key of the API key in {@link ObservabilityAgentLlmProps.apiKeySecret}. */
  apiKeySecretKey: 'api-key',
} as const;

/**
 * Where EKS Pod Identity serves credentials to pods: the EKS Pod Identity Agent on each node, on its link-local
 * addresses, HTTP on port 80 (AWS, "Set up the Amazon EKS Pod Identity Agent": 169.254.170.23 and fd00:ec2::23).
 */
export const EKS_POD_IDENTITY_AGENT = { cidrs: ['169.254.170.23/32', 'fd00:ec2::23/128'], port: 80 } as const;

/** The model the agent talks to, and how it may be reached. */
export interface ObservabilityAgentLlmProps {
  /** `bedrock` (AWS Bedrock, credentials from EKS Pod Identity or IRSA) or `openai-compatible` (e.g. a vLLM in the cluster). */
  readonly provider: AgentProvider;
  /** Model id: a Bedrock model or inference-profile id, or the served model name. Required: no default bills anyone. */
  readonly model: string;
  /** Bedrock: the AWS region. Required with Bedrock. */
  readonly region?: string;
  /**
   * The model's endpoint. OpenAI-compatible: its base URL ending in `/v1` (required). Bedrock: a runtime endpoint
   * override such as an interface VPC endpoint. @default Bedrock: the region's public endpoint
   */
  readonly endpoint?: string;
  /**
   * OpenAI-compatible: a Secret in the agent's namespace holding the endpoint's API key under
   * {@link OBSERVABILITY_AGENT_DEFAULTS}.apiKeySecretKey (`api-key`), given to the container as an environment
   * variable from the Secret, never written into dist/. @default none: the endpoint takes no key
   */
  readonly apiKeySecret?: string;
  /**
   * Bedrock with IRSA: the IAM role the ServiceAccount is annotated with (`eks.amazonaws.com/role-arn`). With EKS Pod
   * Identity leave it out (the association is made in EKS, not in the cluster). @default none
   */
  readonly iamRoleArn?: string;
  /**
   * Addresses of the endpoint the agent may connect to, on the endpoint's port (NetworkPolicies cannot name a
   * host): a VPC endpoint's subnets, an egress proxy, or `0.0.0.0/0` if you mean it. With IRSA, include the STS
   * endpoint's addresses. Give these or {@link egressNamespace}.
   */
  readonly egressCidrs?: readonly string[];
  /** An endpoint running in the cluster (a vLLM): its namespace, for an egress rule to its pods on the endpoint's port. */
  readonly egressNamespace?: string;
  /** With {@link egressNamespace}: the labels of the endpoint's pods. @default every pod of the namespace */
  readonly egressPodLabels?: Readonly<Record<string, string>>;
}

/** Props of {@link ObservabilityAgent}. */
export interface ObservabilityAgentProps {
  /**
   * Namespace of the agent's objects: one the MCP servers admit agents from (their `agentNamespaces`).
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * The agent's image, built from the repository's Dockerfile and pushed to your registry, pinned by tag or digest.
   * Required: no image of this project is published.
   */
  readonly image: string;
  /** The MCP servers the agent uses: it reaches every enabled one, carries the label their policies admit, and offers the Kubernetes server's write tools only in its write namespaces. */
  readonly mcp: McpServers;
  /** The model. */
  readonly llm: ObservabilityAgentLlmProps;
  /** Model calls per answer. @default {@link OBSERVABILITY_AGENT_DEFAULTS}.maxSteps */
  readonly maxSteps?: number;
  /** Requests and limits of the agent container. @default {@link OBSERVABILITY_AGENT_DEFAULTS}.resources */
  readonly resources?: ResourceSpec;
}

/** Labels of the agent's objects and pods (its Deployment, Service and NetworkPolicy select the pods by them). */
export function observabilityAgentLabels(): Record<string, string> {
  return { 'app.kubernetes.io/name': OBSERVABILITY_AGENT_DEFAULTS.name, 'app.kubernetes.io/component': 'diagnosis-agent' };
}

/** Seconds between startup probes; the startup budget (Node.js start and the first MCP connections). */
const STARTUP_PERIOD_SECONDS = 5;
const STARTUP_SECONDS = 60;

/**
 * The diagnosis agent's web chat in the cluster (`aiml-observability agent serve`): one Deployment running the
 * image you built from the repository's Dockerfile, reached by `kubectl port-forward` only.
 *
 * - Its own ServiceAccount with no API token mounted and no RBAC: it talks to the MCP servers, never to the API server.
 * - Restricted pod security (non-root, read-only root filesystem with an emptyDir `/tmp`, no capabilities,
 *   RuntimeDefault seccomp), requests and limits, startup / readiness / liveness probes.
 * - The pod label the MCP servers' NetworkPolicies admit, asked from {@link McpServers}.
 * - A NetworkPolicy: no ingress. A port-forward connects to the port from inside the pod's network namespace, and
 *   the kubelet's probes come from the pod's node: "Pods cannot currently block localhost access, nor do they have
 *   the ability to block access from their resident node" (Kubernetes documentation, Network Policies, "What you
 *   can't do with network policies"). Egress only to the cluster DNS, the enabled MCP servers, the model's endpoint and,
 *   with Bedrock, the EKS Pod Identity Agent.
 * - A ClusterIP Service for `kubectl port-forward svc/...`; no Ingress, no LoadBalancer: the chat has no login.
 * - Every tool call is one JSON line on the container's stdout (Fluent Bit ships it to OpenSearch).
 */
export class ObservabilityAgent extends Construct {
  public readonly namespace: string;
  public readonly serviceName: string;
  public readonly serviceAccountName: string;
  public readonly port: number = AGENT_WEB_PORT;
  /** Labels of the agent's pods: its own, and the label the MCP servers admit. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The container's arguments (after the image's `aiml-observability` entrypoint). */
  public readonly args: readonly string[];
  /** Namespaces where the agent may offer the Kubernetes server's write tools (each call needs approval in the chat). */
  public readonly writeNamespaces: readonly string[];

  constructor(scope: Construct, id: string, props: ObservabilityAgentProps) {
    super(scope, id);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const { llm, mcp } = props;
    const types = OBSERVABILITY_AGENT_VALUE_TYPES;
    const checks = new PropChecks();
    if (!props.image) checks.fail('image', 'is required: build the image from the repository\'s Dockerfile (docs/agent.md, "In the cluster") and give its pinned reference');
    else checks.check(types.image, props.image, 'image');
    if (!llm?.provider) checks.fail(['llm', 'provider'], `is required: ${AGENT_PROVIDERS.join(' or ')}`);
    else checks.check(types.provider, llm.provider, ['llm', 'provider']);
    if (!llm?.model) checks.fail(['llm', 'model'], 'is required: there is no default model, choose the one that is billed');
    else checks.check(types.model, llm.model, ['llm', 'model']);
    checks.check(types.maxSteps, props.maxSteps, 'maxSteps');
    if (llm?.provider === 'bedrock') {
      if (!llm.region) checks.fail(['llm', 'region'], 'is required with the bedrock provider, e.g. us-west-2');
      else checks.check(types.region, llm.region, ['llm', 'region']);
      if (llm.apiKeySecret) checks.fail(['llm', 'apiKeySecret'], msg`is for the openai-compatible provider; Bedrock credentials come from EKS Pod Identity, or IRSA with ${['llm', 'iamRoleArn']}`);
      checks.check(types.iamRoleArn, llm.iamRoleArn, ['llm', 'iamRoleArn']);
    }
    if (llm?.provider === 'openai-compatible') {
      if (!llm.endpoint) checks.fail(['llm', 'endpoint'], 'is required with the openai-compatible provider: its base URL ending in /v1, e.g. http://vllm.ml-inference.svc:8000/v1');
      if (llm.iamRoleArn) checks.fail(['llm', 'iamRoleArn'], 'is for the bedrock provider');
      checks.check(types.secretName, llm.apiKeySecret, ['llm', 'apiKeySecret']);
    }
    checks.check(types.endpoint, llm?.endpoint, ['llm', 'endpoint']);
    checks.check(types.egressCidrs, llm?.egressCidrs, ['llm', 'egressCidrs']);
    checks.check(types.egressNamespace, llm?.egressNamespace, ['llm', 'egressNamespace']);
    checks.check(types.egressPodLabels, llm?.egressPodLabels, ['llm', 'egressPodLabels']);
    const hasCidrs = (llm?.egressCidrs?.length ?? 0) > 0;
    if (llm && hasCidrs === (llm.egressNamespace !== undefined)) {
      checks.fail(
        ['llm', 'egressCidrs'],
        msg`give the model endpoint's addresses (${['llm', 'egressCidrs']}) or, for an endpoint in the cluster, its namespace (${['llm', 'egressNamespace']}): exactly one; NetworkPolicies cannot name a host`,
      );
    }
    if (llm?.egressPodLabels && llm.egressNamespace === undefined) checks.fail(['llm', 'egressPodLabels'], msg`needs ${['llm', 'egressNamespace']}`);
    if (!mcp.admitsAgentsFrom(this.namespace)) {
      checks.fail('namespace', `the MCP servers do not admit agents from namespace ${this.namespace}: add it to their agentNamespaces (mcp.agentNamespaces)`);
    }
    const servers = Object.entries(mcp.servers);
    if (servers.length === 0) checks.fail('mcp', 'no MCP server is enabled: the agent would have no tools');
    checks.throwIfAny();

    this.writeNamespaces = mcp.kubernetes?.writeNamespaces ?? [];
    this.podLabels = { ...mcp.agentPodLabels, ...observabilityAgentLabels() };
    const ownLabels = observabilityAgentLabels();
    const metadata = { name: OBSERVABILITY_AGENT_DEFAULTS.name, namespace: this.namespace, labels: { ...ownLabels } };

    this.args = [
      ...AGENT_SERVE_COMMAND,
      '--listen', '0.0.0.0',
      '--port', String(this.port),
      '--provider', llm.provider,
      '--model', llm.model,
      ...(llm.region ? ['--region', llm.region] : []),
      ...(llm.endpoint ? [llm.provider === 'bedrock' ? '--endpoint' : '--base-url', llm.endpoint] : []),
      ...(llm.apiKeySecret ? ['--api-key-env', AGENT_API_KEY_ENV] : []),
      ...servers.flatMap(([name, server]) => ['--mcp', `${name}=${server.url}${server.mcpPath}`]),
      ...(this.writeNamespaces.length ? ['--write-namespaces', this.writeNamespaces.join(',')] : []),
      '--max-steps', String(props.maxSteps ?? OBSERVABILITY_AGENT_DEFAULTS.maxSteps),
    ];

    const serviceAccount = new ServiceAccount(this, 'service-account', {
      metadata: { ...metadata, ...(llm.iamRoleArn ? { annotations: { 'eks.amazonaws.com/role-arn': llm.iamRoleArn } } : {}) },
      automountToken: false,
    });
    this.serviceAccountName = serviceAccount.name;

    const deployment = new Deployment(this, 'deployment', {
      metadata,
      replicas: 1,
      select: false,
      podMetadata: { labels: { ...this.podLabels } },
      serviceAccount,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurityContextProps(AGENT_IMAGE_UID),
    });
    deployment.select(LabelSelector.of({ labels: { ...ownLabels } }));
    ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
    const probe = (path: string, period: number, failureThreshold: number) =>
      Probe.fromHttpGet(path, { port: this.port, periodSeconds: Duration.seconds(period), timeoutSeconds: Duration.seconds(3), failureThreshold });
    const env: Record<string, EnvValue> = { NODE_ENV: EnvValue.fromValue('production') };
    if (llm.apiKeySecret) {
      const secret = Secret.fromSecretName(this, 'api-key-secret', llm.apiKeySecret);
      env[AGENT_API_KEY_ENV] = EnvValue.fromSecretValue({ secret, key: OBSERVABILITY_AGENT_DEFAULTS.apiKeySecretKey });
    }
    const container = deployment.addContainer({
      name: 'agent',
      image: props.image,
      imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
      args: [...this.args],
      envVariables: env,
      ports: [{ name: 'http', number: this.port, protocol: Protocol.TCP }],
      startup: probe(AGENT_HEALTH_PATHS.liveness, STARTUP_PERIOD_SECONDS, Math.ceil(STARTUP_SECONDS / STARTUP_PERIOD_SECONDS)),
      readiness: probe(AGENT_HEALTH_PATHS.readiness, 10, 3),
      liveness: probe(AGENT_HEALTH_PATHS.liveness, 20, 3),
      resources: containerResources(props.resources ?? OBSERVABILITY_AGENT_DEFAULTS.resources),
      securityContext: restrictedContainerSecurityContextProps(),
    });
    container.mount('/tmp', Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));

    const service = new Service(this, 'service', {
      metadata,
      type: ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port: this.port, targetPort: this.port, protocol: Protocol.TCP }],
    });
    for (const [key, value] of Object.entries(ownLabels)) service.selectLabel(key, value);
    this.serviceName = service.name;

    // Egress: DNS, each MCP server's pods on its port, the model's endpoint, and Bedrock's credentials source.
    const egress: EgressTarget[] = [
      ...dnsEgressTargets(mcp.dns),
      ...servers.map(([, server]) => podEgress(server.namespace, server.podLabels, server.port)),
      ...(llm.egressNamespace ? [podEgress(llm.egressNamespace, llm.egressPodLabels, endpointPort(llm))] : [cidrEgress(llm.egressCidrs!, [endpointPort(llm)])]),
      ...(llm.provider === 'bedrock' ? [cidrEgress(EKS_POD_IDENTITY_AGENT.cidrs, [EKS_POD_IDENTITY_AGENT.port])] : []),
    ];
    const policy = new NetworkPolicy(this, 'network-policy', {
      metadata,
      selector: Pods.select(this, 'agent-pods', { labels: { ...ownLabels } }),
      ingress: { default: NetworkPolicyTrafficDefault.DENY },
      egress: { default: NetworkPolicyTrafficDefault.DENY },
    });
    egress.forEach((target, i) => {
      const ports = target.ports.map((p) => (p.protocol === 'UDP' ? NetworkPolicyPort.udp(p.port) : NetworkPolicyPort.tcp(p.port)));
      for (const peer of egressPeers(this, `egress-${i}`, target)) policy.addEgressRule(peer, ports);
    });
  }

  /** The command that opens the chat on your workstation: then browse http://localhost:8080/. */
  public get portForwardCommand(): string {
    return `kubectl -n ${this.namespace} port-forward svc/${this.serviceName} ${this.port}:${this.port}`;
  }
}

/** Port of the model's endpoint: the URL's own, else 443 for https (Bedrock's public endpoint too) and 80 for http. */
function endpointPort(llm: ObservabilityAgentLlmProps): number {
  if (!llm.endpoint) return 443;
  const url = new URL(llm.endpoint);
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/**
 * The shell commands docs/examples.md gives for each example, computed from the same constants the examples and
 * the stack use (Grafana's Service from PrometheusStack, dashboard UIDs and variables from the dashboards, names
 * from the example charts). test/examples.test.ts checks that the docs contain exactly these lines.
 * @module
 */
import { App, Chart } from 'cdk8s';
import { DEFAULT_NAMESPACE } from '../src/core/component-props.js';
import { gpuDashboardUrl } from '../src/dashboards/toolkit/dashboard-ids.js';
import { ExternalDelivery } from '../src/delivery/external-delivery.js';
import { LOG_FIELDS, labelField } from '../src/logs/log-fields.js';
import { PrometheusStack } from '../src/prometheus/prometheus-stack.js';
import { RAY_CLUSTER_LABEL, RAY_DASHBOARD_PORT, RAY_NODE_TYPE_LABEL, RAY_NODE_TYPES } from '../src/ray/ray-endpoints.js';
import type { InferenceExample } from './inference/inference-example.js';
import type { TrainingExample } from './training/training-example.js';
import type { SecretKeyRef } from './shared/ray-pod.js';

/** Where Grafana answers and how to reach it from a workstation. */
export interface GrafanaAccess {
  /** Namespace of the Grafana Service. */
  readonly namespace: string;
  /** Name of the Grafana Service. */
  readonly serviceName: string;
  /** Port of the Grafana Service. */
  readonly servicePort: number;
  /** Local port of the port-forward. */
  readonly localPort: number;
}

/** Grafana of a stack: asks the PrometheusStack for its Service. */
export function grafanaAccessOf(stack: PrometheusStack, localPort = 3000): GrafanaAccess {
  return { namespace: stack.prometheusNamespace, serviceName: stack.grafanaServiceName, servicePort: stack.grafanaPort, localPort };
}

/**
 * Grafana of a stack synthesized with default props (`npx cdk8s synth` with no observability.yaml, or an
 * ObservabilityChart given only its delivery), which the training and inference docs assume.
 */
export function defaultGrafanaAccess(): GrafanaAccess {
  const scratch = new Chart(new App(), 'scratch');
  // External delivery and an existing Secret: nothing is rendered and no password is generated.
  const stack = new PrometheusStack(scratch, 'stack', { namespace: DEFAULT_NAMESPACE, delivery: new ExternalDelivery(), grafana: { existingSecret: 'unused' } });
  return grafanaAccessOf(stack);
}

/** `kubectl port-forward` to Grafana. */
export function grafanaPortForward(grafana: GrafanaAccess): string {
  return `kubectl -n ${grafana.namespace} port-forward svc/${grafana.serviceName} ${grafana.localPort}:${grafana.servicePort}`;
}

/** The commands that create the namespace and the Hugging Face token Secret (the token is never in a manifest). */
export function createSecretCommands(namespace: string, secret: SecretKeyRef): string[] {
  return [
    `kubectl create namespace ${namespace}`,
    `kubectl -n ${namespace} create secret generic ${secret.name} --from-literal=${secret.key}="$HF_TOKEN"`,
  ];
}

/** Synthesizes one example with the cdk8s CLI. */
export function synthCommand(example: string): string {
  return `npx cdk8s synth -a 'npx tsx examples/${example}/main.ts' -o dist/examples/${example}`;
}

/** Applies one example's manifests. */
export function applyCommand(example: string): string {
  return `kubectl apply --server-side -f dist/examples/${example}/`;
}

/** Applies one file of an example's manifests (the setup chart, before the rest). */
export function applyFileCommand(example: string, file: string): string {
  return `kubectl apply --server-side -f dist/examples/${example}/${file}`;
}

/**
 * Waits until Flux has installed every HelmRelease of `namespace`, so that the CRDs the charts bring exist before the
 * custom resources that need them are applied.
 */
export function waitForHelmReleasesCommand(namespace: string, timeout = '15m'): string {
  return `kubectl -n ${namespace} wait helmrelease --all --for=condition=Ready --timeout=${timeout}`;
}

/**
 * Validates an example against the cluster without changing it. The namespace must exist: a server-side dry run
 * creates nothing, so the namespaced objects in the same files find no namespace.
 */
export function serverDryRunCommands(example: string, namespace: string): string[] {
  return [`kubectl create namespace ${namespace}`, `kubectl apply --server-side --dry-run=server -f dist/examples/${example}/`];
}

/** Shell variable the docs store the RayCluster name in. */
export const RAY_CLUSTER_SHELL_VAR = 'RAY_CLUSTER';
const PLACEHOLDER = 'RAYCLUSTERPLACEHOLDER';

/** Reads the name KubeRay gave the RayJob's RayCluster (`<job>-<5 random characters>`) into $RAY_CLUSTER. */
export function rayJobClusterCommand(training: TrainingExample): string {
  return `${RAY_CLUSTER_SHELL_VAR}=$(kubectl -n ${training.namespace} get rayjob ${training.jobName} -o jsonpath='{.status.rayClusterName}')`;
}

/** Reads the name of the RayCluster currently serving the RayService into $RAY_CLUSTER. */
export function rayServiceClusterCommand(inference: InferenceExample): string {
  return `${RAY_CLUSTER_SHELL_VAR}=$(kubectl -n ${inference.namespace} get rayservice ${inference.serviceName} -o jsonpath='{.status.activeServiceStatus.rayClusterName}')`;
}

/** Follows the RayJob's driver output (the submitter Job, named after the RayJob, tails it). */
export function driverLogsCommand(training: TrainingExample): string {
  return `kubectl -n ${training.namespace} logs -f job/${training.jobName}`;
}

/**
 * The training progress lines: the rank-0 Ray Train worker writes them to the stderr of its GPU worker pod of
 * $RAY_CLUSTER (selected by the labels KubeRay sets), tagged `rank=0` by the script's log format.
 */
export function progressLogsCommand(training: TrainingExample): string {
  const selector = `${RAY_CLUSTER_LABEL}=\${${RAY_CLUSTER_SHELL_VAR}},${RAY_NODE_TYPE_LABEL}=${RAY_NODE_TYPES.WORKER}`;
  return `kubectl -n ${training.namespace} logs -l ${selector} -c ${training.workerContainerName} --tail=-1 --prefix | grep 'rank=0'`;
}

/** Port-forward to the Ray dashboard of $RAY_CLUSTER (KubeRay's head Service is `<cluster>-head-svc`). */
export function rayDashboardPortForward(namespace: string): string {
  return `kubectl -n ${namespace} port-forward svc/\${${RAY_CLUSTER_SHELL_VAR}}-head-svc ${RAY_DASHBOARD_PORT}:${RAY_DASHBOARD_PORT}`;
}

/**
 * OpenSearch (Lucene) query for every container log line of a Ray cluster, using the field names of the logs
 * pipeline ('/' in a field name is escaped for Lucene).
 */
export function rayLogsQuery(namespace: string, cluster = '<RayCluster name>'): string {
  const field = (name: string) => name.replaceAll('/', '\\/');
  return `${field(LOG_FIELDS.namespace)}:"${namespace}" AND ${field(labelField(RAY_CLUSTER_LABEL))}:"${cluster}"`;
}

/** URL of the training dashboard on the job's namespace and RayCluster (`$RAY_CLUSTER`, expanded by the shell). */
export function trainingDashboardUrl(training: TrainingExample, grafana: GrafanaAccess): string {
  const path = gpuDashboardUrl('training', { variables: { namespace: training.namespace, ray_cluster: PLACEHOLDER } });
  return `http://localhost:${grafana.localPort}${path.replace(PLACEHOLDER, `\${${RAY_CLUSTER_SHELL_VAR}}`)}`;
}

/** URL of the inference dashboard on the service's namespace and served model. */
export function inferenceDashboardUrl(inference: InferenceExample, grafana: GrafanaAccess): string {
  return `http://localhost:${grafana.localPort}${gpuDashboardUrl('inference', { variables: { namespace: inference.namespace, model_name: inference.modelId } })}`;
}

/** `kubectl port-forward` to the OpenAI-compatible Service KubeRay creates for the RayService. */
export function servePortForward(inference: InferenceExample, localPort = 8000): string {
  return `kubectl -n ${inference.namespace} port-forward svc/${inference.serveServiceName} ${localPort}:${inference.servePort}`;
}

/** One OpenAI-compatible chat completion request against the port-forwarded Service. */
export function chatCompletionCurl(inference: InferenceExample, localPort = 8000): string {
  const body = JSON.stringify({
    model: inference.modelId,
    messages: [{ role: 'user', content: 'Give me three tips for writing clear commit messages.' }],
    max_tokens: 200,
  });
  return `curl -s http://localhost:${localPort}/v1/chat/completions -H 'Content-Type: application/json' -d '${body}'`;
}

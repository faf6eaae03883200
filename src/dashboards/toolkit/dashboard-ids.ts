/**
 * Stable identities of the GPU dashboards: UIDs (the `/d/<uid>` part of their URL) and template-variable names
 * (the `var-<name>` URL parameters). Examples and docs link to the dashboards with these; they never change
 * between synths or releases.
 * @module
 */
import { CLUSTER_LABEL } from '../../core/cluster-label.js';

/** UIDs of the GPU dashboards. */
export const GPU_DASHBOARD_UIDS = {
  /** GPU training: per Ray cluster / job and node. */
  training: 'aiml-gpu-training',
  /** Inference (vLLM): per namespace and served model. */
  inference: 'aiml-vllm-inference',
  /** GPU fleet and cost: allocated vs busy, idle-but-allocated GPU hours and their cost. */
  fleetAndCost: 'aiml-gpu-fleet-cost',
  /** Neuron (Inferentia / Trainium): NeuronCore utilisation, memory, executions, errors and latency per node. */
  neuron: 'aiml-neuron',
  /** GPU fleet (all clusters): allocated vs busy and idle cost per cluster and namespace, recorded series only. */
  fleet: 'aiml-gpu-fleet',
} as const;

/** One of the GPU dashboards. */
export type GpuDashboardName = keyof typeof GPU_DASHBOARD_UIDS;

/** Every GPU dashboard, in a fixed order. */
export const GPU_DASHBOARD_NAMES: readonly GpuDashboardName[] = ['training', 'inference', 'fleetAndCost', 'neuron', 'fleet'];

/** Tag every GPU dashboard carries; their link bar lists the dashboards with it. */
export const GPU_DASHBOARD_TAG = 'aiml-observability';

/** Names of the template variables (URL parameter `var-<name>`). */
export const DASHBOARD_VARIABLES = {
  /** Prometheus datasource (defaults to the stack's Prometheus datasource). */
  datasource: 'datasource',
  /** OpenSearch datasource of the log panels. */
  logsDatasource: 'logs_datasource',
  /** Clusters (the `cluster` external label; every dashboard has it, All by default). */
  cluster: CLUSTER_LABEL,
  /** Kubernetes namespace of the workload. */
  namespace: 'namespace',
  /** Ray cluster (a RayJob runs on a RayCluster of its own). */
  rayCluster: 'ray_cluster',
  /** Pods of the selected workload. */
  pod: 'pod',
  /** Kubernetes node. */
  node: 'node',
  /** vLLM served model name. */
  model: 'model_name',
} as const;

/** A template-variable name. */
export type DashboardVariable = (typeof DASHBOARD_VARIABLES)[keyof typeof DASHBOARD_VARIABLES];

/** Variables each dashboard has, in display order. */
export const GPU_DASHBOARD_VARIABLES: Readonly<Record<GpuDashboardName, readonly DashboardVariable[]>> = {
  training: ['datasource', 'logs_datasource', 'cluster', 'namespace', 'ray_cluster', 'pod', 'node'],
  inference: ['datasource', 'logs_datasource', 'cluster', 'namespace', 'model_name', 'pod', 'ray_cluster'],
  fleetAndCost: ['datasource', 'cluster', 'namespace'],
  fleet: ['datasource', 'cluster'],
  neuron: ['datasource', 'cluster', 'node'],
};

/** Options of {@link gpuDashboardUrl}. */
export interface DashboardUrlOptions {
  /** Values of template variables; a list selects several values. */
  readonly variables?: Partial<Record<DashboardVariable, string | readonly string[]>>;
  /** Time range start, e.g. `now-6h`. @default the dashboard's default */
  readonly from?: string;
  /** Time range end. @default the dashboard's default */
  readonly to?: string;
}

/**
 * URL path (and query) of a GPU dashboard, e.g. `/d/aiml-gpu-training?var-namespace=ml&var-ray_cluster=llama`.
 * Prefix it with Grafana's address (e.g. `http://localhost:3000` after a port-forward). Variables the dashboard
 * does not have are rejected, so a link cannot silently lose a filter.
 */
export function gpuDashboardUrl(dashboard: GpuDashboardName, options: DashboardUrlOptions = {}): string {
  const known = GPU_DASHBOARD_VARIABLES[dashboard];
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(options.variables ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (!known.includes(name as DashboardVariable)) {
      throw new Error(`dashboard '${dashboard}' has no variable '${name}'; its variables are: ${known.join(', ')}`);
    }
    for (const v of typeof value === 'string' ? [value] : (value ?? [])) params.append(`var-${name}`, v);
  }
  if (options.from) params.append('from', options.from);
  if (options.to) params.append('to', options.to);
  const query = params.toString();
  return `/d/${GPU_DASHBOARD_UIDS[dashboard]}${query ? `?${query}` : ''}`;
}

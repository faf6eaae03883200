/**
 * A model of what the KubeRay 1.7 operator creates from a RayCluster spec (inside a RayJob or RayService): the Ray
 * pods' labels and ports, and the head Services. This machine has no cluster and no operator, so tests evaluate
 * monitors and dashboards against this stand-in. It follows the operator's source (ray-operator/controllers/ray/
 * common/pod.go `labelPod`, `DefaultHeadPodTemplate`, `DefaultWorkerPodTemplate`; common/service.go
 * `HeadServiceLabels`, `BuildServiceForHeadPod`, `getServicePorts`, `BuildHeadServiceForRayService`; utils/constant.go).
 * @module
 */

/** A container port as in a pod template. */
export interface Port {
  readonly name?: string;
  readonly containerPort: number;
}

/** A Ray pod as KubeRay creates it, reduced to what scraping looks at. */
export interface ModeledPod {
  readonly namespace: string;
  readonly nodeType: 'head' | 'worker';
  readonly group: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Ports of the Ray container (the first container). */
  readonly ports: readonly Port[];
  /** The controller owning the pod (kube-state-metrics' created_by_kind / created_by_name). */
  readonly owner: { readonly kind: 'RayCluster'; readonly name: string };
}

/** A Service as KubeRay creates it, reduced to what scraping looks at. */
export interface ModeledService {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name: string; readonly port: number }[];
}

/** The part of a RayCluster spec the model reads (synthesized JSON, as in a RayJob or RayService). */
export interface RayClusterSpecJson {
  readonly headGroupSpec: { readonly template: PodTemplateJson };
  readonly workerGroupSpecs?: readonly { readonly groupName: string; readonly replicas?: number; readonly template: PodTemplateJson }[];
}

/** The part of a pod template the model reads. */
export interface PodTemplateJson {
  readonly metadata?: { readonly labels?: Record<string, string> };
  readonly spec: { readonly containers: readonly { readonly ports?: readonly Port[] }[] };
}

const METRICS_PORT_NAME = 'metrics';
const DEFAULT_METRICS_PORT = 8080;
const HEAD_GROUP = 'headgroup';
/** Labels a pod template may not override (labelPod). */
const NOT_OVERRIDABLE = ['ray.io/node-type', 'ray.io/group', 'ray.io/cluster'];

/** labelPod: KubeRay's labels, then the template's labels except the three KubeRay keeps. */
export function rayPodLabels(nodeType: 'head' | 'worker', clusterName: string, group: string, templateLabels: Record<string, string> = {}): Record<string, string> {
  const labels: Record<string, string> = {
    'ray.io/is-ray-node': 'yes',
    'ray.io/cluster': clusterName,
    'ray.io/node-type': nodeType,
    'ray.io/group': group,
    'ray.io/identifier': `${clusterName}-${nodeType}`,
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/created-by': 'kuberay-operator',
  };
  for (const [key, value] of Object.entries(templateLabels)) {
    if (!NOT_OVERRIDABLE.includes(key)) labels[key] = value;
  }
  return labels;
}

/** The Ray container's ports, with the default metrics port KubeRay adds when none is named `metrics`. */
export function rayContainerPorts(template: PodTemplateJson): Port[] {
  const ports = [...(template.spec.containers[0]?.ports ?? [])];
  if (!ports.some((p) => p.name === METRICS_PORT_NAME)) ports.push({ name: METRICS_PORT_NAME, containerPort: DEFAULT_METRICS_PORT });
  return ports;
}

/** Every pod of the cluster: the head and `replicas` pods per worker group. */
export function rayClusterPods(spec: RayClusterSpecJson, clusterName: string, namespace: string): ModeledPod[] {
  const owner = { kind: 'RayCluster' as const, name: clusterName };
  const head: ModeledPod = {
    namespace,
    nodeType: 'head',
    group: HEAD_GROUP,
    labels: rayPodLabels('head', clusterName, HEAD_GROUP, spec.headGroupSpec.template.metadata?.labels),
    ports: rayContainerPorts(spec.headGroupSpec.template),
    owner,
  };
  const workers = (spec.workerGroupSpecs ?? []).flatMap((group) =>
    Array.from({ length: group.replicas ?? 0 }, () => ({
      namespace,
      nodeType: 'worker' as const,
      group: group.groupName,
      labels: rayPodLabels('worker', clusterName, group.groupName, group.template.metadata?.labels),
      ports: rayContainerPorts(group.template),
      owner,
    })),
  );
  return [head, ...workers];
}

/**
 * The RayCluster's head Service (`<cluster>-head-svc`): KubeRay's head labels, selecting the head pod, with one
 * port per named head container port (getServicePorts; unnamed ports get `<number>-port`), plus `metrics`.
 */
export function rayClusterHeadService(spec: RayClusterSpecJson, clusterName: string, namespace: string): ModeledService {
  const labels: Record<string, string> = {
    'ray.io/cluster': clusterName,
    'ray.io/node-type': 'head',
    'ray.io/identifier': `${clusterName}-head`,
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/created-by': 'kuberay-operator',
  };
  const declared = spec.headGroupSpec.template.spec.containers[0]?.ports ?? [];
  const byName = new Map<string, number>(declared.map((p) => [p.name ?? `${p.containerPort}-port`, p.containerPort]));
  if (declared.length === 0) {
    for (const [name, port] of Object.entries({ client: 10001, 'gcs-server': 6379, dashboard: 8265, metrics: 8080, serve: 8000 })) byName.set(name, port);
  }
  if (!byName.has(METRICS_PORT_NAME)) byName.set(METRICS_PORT_NAME, DEFAULT_METRICS_PORT);
  const ports = [...byName].map(([name, port]) => ({ name, port })).sort((a, b) => a.name.localeCompare(b.name));
  return { name: `${clusterName}-head-svc`, namespace, labels, selector: { ...labels }, ports };
}

/**
 * The extra head Service a RayService keeps pointing at its active cluster (`<service>-head-svc`): same ports, but
 * labelled with the RayService (no `ray.io/cluster`).
 */
export function rayServiceHeadService(spec: RayClusterSpecJson, rayServiceName: string, activeCluster: string, namespace: string): ModeledService {
  const clusterService = rayClusterHeadService(spec, activeCluster, namespace);
  return {
    ...clusterService,
    name: `${rayServiceName}-head-svc`,
    labels: {
      'ray.io/originated-from-cr-name': rayServiceName,
      'ray.io/originated-from-crd': 'RayService',
      'ray.io/node-type': 'head',
      'ray.io/identifier': `${rayServiceName}-head`,
    },
  };
}

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/** Whether `labels` satisfy `selector` (an empty selector selects everything, as in Kubernetes). */
export function matchesSelector(labels: Readonly<Record<string, string>>, selector: LabelSelector): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    switch (expression.operator) {
      case 'In':
        if (!has || !expression.values?.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && expression.values?.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown selector operator ${expression.operator}`);
    }
  }
  return true;
}

/** Whether a monitor's namespaceSelector (`any` or `matchNames`; absent = the monitor's own namespace) covers `namespace`. */
export function coversNamespace(monitor: { metadata: { namespace?: string }; [key: string]: any }, namespace: string): boolean {
  const selector = monitor.spec?.namespaceSelector as { any?: boolean; matchNames?: string[] } | undefined;
  if (selector?.any) return true;
  if (selector?.matchNames) return selector.matchNames.includes(namespace);
  return monitor.metadata.namespace === namespace;
}

/** A Prometheus relabel rule (the subset of actions the monitors use). */
export interface RelabelRule {
  readonly action?: string;
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly targetLabel?: string;
  readonly replacement?: string;
}

/**
 * Applies relabel rules to a label set the way Prometheus does for `replace` (the default), `keep` and `drop`:
 * the regex is fully anchored, `$1`-style groups expand in the replacement, an unmatched `replace` is a no-op.
 * Returns undefined when a rule drops the target/series.
 */
export function relabel(labels: Readonly<Record<string, string>>, rules: readonly RelabelRule[]): Record<string, string> | undefined {
  const out: Record<string, string> = { ...labels };
  for (const rule of rules) {
    const value = (rule.sourceLabels ?? []).map((l) => out[l] ?? '').join(rule.separator ?? ';');
    const regex = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`);
    const match = regex.exec(value);
    switch (rule.action ?? 'replace') {
      case 'replace': {
        if (!match || !rule.targetLabel) break;
        const replaced = (rule.replacement ?? '$1').replace(/\$\{?(\d+)\}?/g, (_, g: string) => match[Number(g)] ?? '');
        if (replaced === '') delete out[rule.targetLabel];
        else out[rule.targetLabel] = replaced;
        break;
      }
      case 'keep':
        if (!match) return undefined;
        break;
      case 'drop':
        if (match) return undefined;
        break;
      default:
        throw new Error(`relabel action ${rule.action} is not modelled`);
    }
  }
  return out;
}

/** The discovery labels Prometheus' `pod` role gives a target of `pod` (the subset the monitors relabel from). */
export function podDiscoveryLabels(pod: ModeledPod, nodeName: string): Record<string, string> {
  const labels: Record<string, string> = {
    __meta_kubernetes_namespace: pod.namespace,
    __meta_kubernetes_pod_node_name: nodeName,
  };
  for (const [key, value] of Object.entries(pod.labels)) labels[`__meta_kubernetes_pod_label_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`] = value;
  return labels;
}

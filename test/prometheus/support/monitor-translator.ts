/**
 * ServiceMonitor / PodMonitor -> Prometheus scrape configs, the way prometheus-operator generates them
 * (pkg/prometheus/promcfg.go: generateServiceMonitorConfig / generatePodMonitorConfig), for the fields this
 * library uses. TEST CODE: a stand-in for the operator, which cannot run here.
 *
 * There is no Kubernetes API, so Kubernetes service discovery is played by the translator: for every Service
 * (role endpoints) or pod (role pod) in the monitor's namespaces, it writes a `static_configs` target whose
 * address is the fixture listener of that pod port and whose labels are the `__meta_kubernetes_*` labels a real
 * kubernetes_sd_config would attach (namespace, Service name/labels, endpoint port name, pod name/labels/IP/node,
 * container name/port, controller). The operator's generated relabelings (selector `keep`s, port `keep`,
 * namespace/service/pod/container/job/endpoint labels, targetLabels, podTargetLabels, jobLabel) and the monitor's
 * own relabelings then run inside the real Prometheus exactly as written. Selection is therefore done by
 * Prometheus, as in a cluster: a monitor whose selector or port matches nothing yields no targets.
 *
 * Not covered (the translator throws, naming the field, if a monitor uses one): TLS, authentication (basicAuth,
 * bearer tokens, OAuth2, authorization), proxies, scrape classes, sharding beyond one shard, namespace selectors
 * by label, endpointslice-only fields, Probes and ScrapeConfig CRs. Pods are all Running and Ready.
 */
import type { ClusterModel, NodeModel, PodModel, ServiceModel } from '../fixture/cluster.js';
import type { RelabelConfig } from './relabel.js';

/** A Prometheus scrape config, as this translator writes it. */
export interface ScrapeConfig {
  job_name: string;
  honor_labels: boolean;
  honor_timestamps?: boolean;
  scrape_interval?: string;
  scrape_timeout?: string;
  metrics_path?: string;
  scheme?: string;
  params?: Record<string, string[]>;
  sample_limit?: number;
  target_limit?: number;
  label_limit?: number;
  label_name_length_limit?: number;
  label_value_length_limit?: number;
  static_configs: { targets: string[]; labels: Record<string, string> }[];
  relabel_configs: RelabelConfig[];
  metric_relabel_configs?: RelabelConfig[];
}

/** A monitor as synthesized (plain JSON). */
export interface MonitorObject {
  readonly apiVersion: string;
  readonly kind: 'ServiceMonitor' | 'PodMonitor' | string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: Record<string, any>;
}

/** Where Kubernetes objects live and which address serves a pod's or node's port. */
export interface Inventory {
  readonly pods: readonly PodModel[];
  readonly services: readonly ServiceModel[];
  /** `host:port` the fixture serves a pod's container port on; undefined when nothing listens there. */
  addressOfPod(pod: PodModel, containerPort: number): string | undefined;
  /** `host:port` the fixture serves a node's port on (Services whose endpoints are nodes, like the kubelet's). */
  addressOfNode(node: NodeModel, port: number): string | undefined;
}

/** Options of {@link translateMonitor}. */
export interface TranslateOptions {
  /** Namespace of a monitor without one (the namespace the chart would install it into). */
  readonly defaultNamespace: string;
  /** Replace every endpoint's interval by this one (the test scrapes every second). @default keep the monitor's */
  readonly intervalOverride?: string;
  /** Service discovery role for ServiceMonitors. @default "endpoints" (prometheus-operator's default) */
  readonly serviceRole?: 'endpoints' | 'endpointslice';
}

/** An address nothing listens on: targets for ports the fixture does not serve scrape as down. */
export const UNSERVED_ADDRESS = '127.0.0.1:9';

const SERVICE_MONITOR_SPEC = new Set(['selector', 'namespaceSelector', 'endpoints', 'jobLabel', 'targetLabels', 'podTargetLabels', 'sampleLimit', 'targetLimit', 'labelLimit', 'labelNameLengthLimit', 'labelValueLengthLimit', 'attachMetadata']);
const POD_MONITOR_SPEC = new Set(['selector', 'namespaceSelector', 'podMetricsEndpoints', 'jobLabel', 'podTargetLabels', 'sampleLimit', 'targetLimit', 'labelLimit', 'labelNameLengthLimit', 'labelValueLengthLimit', 'attachMetadata']);
const ENDPOINT_FIELDS = new Set(['port', 'targetPort', 'path', 'scheme', 'interval', 'scrapeTimeout', 'honorLabels', 'honorTimestamps', 'relabelings', 'metricRelabelings', 'params', 'filterRunning', 'followRedirects', 'enableHttp2']);

/** Thrown for a monitor field the translator does not cover. */
export class TranslatorCoverageError extends Error {}

function checkFields(what: string, object: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) throw new TranslatorCoverageError(`${what}: field '${key}' is not covered by the test's monitor translator (test/prometheus/support/monitor-translator.ts)`);
  }
}

/** prometheus-operator's sanitizeLabelName. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** CRD relabel config (camelCase) -> Prometheus relabel config, as generateRelabelConfig writes it. */
export function relabelFromCrd(c: Record<string, any>): RelabelConfig {
  const out: Record<string, unknown> = {};
  if (c.sourceLabels?.length) out.source_labels = c.sourceLabels;
  if (c.separator !== undefined) out.separator = c.separator;
  if (c.targetLabel) out.target_label = c.targetLabel;
  if (c.regex) out.regex = c.regex;
  if (c.modulus) out.modulus = c.modulus;
  if (c.replacement !== undefined) out.replacement = c.replacement;
  if (c.action) out.action = String(c.action).toLowerCase();
  return out as RelabelConfig;
}

function selectorRelabelings(selector: Record<string, any> | undefined, prefix: 'service' | 'pod'): RelabelConfig[] {
  const out: RelabelConfig[] = [];
  const label = (k: string) => `__meta_kubernetes_${prefix}_label_${sanitizeLabelName(k)}`;
  const present = (k: string) => `__meta_kubernetes_${prefix}_labelpresent_${sanitizeLabelName(k)}`;
  const matchLabels: Record<string, string> = selector?.matchLabels ?? {};
  for (const k of Object.keys(matchLabels).sort()) out.push({ action: 'keep', source_labels: [label(k), present(k)], regex: `(${matchLabels[k]});true` });
  for (const exp of (selector?.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
    const values = `(${(exp.values ?? []).join('|')});true`;
    switch (exp.operator) {
      case 'In':
        out.push({ action: 'keep', source_labels: [label(exp.key), present(exp.key)], regex: values });
        break;
      case 'NotIn':
        out.push({ action: 'drop', source_labels: [label(exp.key), present(exp.key)], regex: values });
        break;
      case 'Exists':
        out.push({ action: 'keep', source_labels: [present(exp.key)], regex: 'true' });
        break;
      case 'DoesNotExist':
        out.push({ action: 'drop', source_labels: [present(exp.key)], regex: 'true' });
        break;
      default:
        throw new TranslatorCoverageError(`selector operator '${exp.operator}' is not a label selector operator`);
    }
  }
  return out;
}

function namespacesOf(monitor: MonitorObject, options: TranslateOptions): string[] | 'any' {
  const sel = monitor.spec.namespaceSelector ?? {};
  checkFields(`${monitor.kind} ${monitor.metadata.name} namespaceSelector`, sel, new Set(['any', 'matchNames']));
  if (sel.any) return 'any';
  if (sel.matchNames?.length) return sel.matchNames;
  return [monitor.metadata.namespace ?? options.defaultNamespace];
}

function inNamespaces(namespace: string, namespaces: string[] | 'any'): boolean {
  return namespaces === 'any' || namespaces.includes(namespace);
}

function labelsWithPrefix(prefix: string, labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    out[`${prefix}_label_${sanitizeLabelName(k)}`] = v;
    out[`${prefix}_labelpresent_${sanitizeLabelName(k)}`] = 'true';
  }
  return out;
}

/** The `__meta_kubernetes_pod_*` labels of one pod container port (role pod, and the pod part of role endpoints). */
function podMeta(pod: PodModel, container: PodModel['containers'][number], port: { name: string; containerPort: number } | undefined, attachNode: boolean): Record<string, string> {
  const meta: Record<string, string> = {
    __meta_kubernetes_namespace: pod.namespace,
    __meta_kubernetes_pod_name: pod.name,
    __meta_kubernetes_pod_ip: pod.ip,
    __meta_kubernetes_pod_uid: pod.uid,
    __meta_kubernetes_pod_node_name: pod.node.name,
    __meta_kubernetes_pod_host_ip: pod.node.ip,
    __meta_kubernetes_pod_ready: 'true',
    __meta_kubernetes_pod_phase: 'Running',
    __meta_kubernetes_pod_controller_kind: pod.ownerKind,
    __meta_kubernetes_pod_controller_name: pod.ownerName,
    __meta_kubernetes_pod_container_name: container.name,
    __meta_kubernetes_pod_container_image: container.image,
    __meta_kubernetes_pod_container_init: 'false',
    ...labelsWithPrefix('__meta_kubernetes_pod', pod.labels),
  };
  if (port) {
    meta.__meta_kubernetes_pod_container_port_name = port.name;
    meta.__meta_kubernetes_pod_container_port_number = String(port.containerPort);
    meta.__meta_kubernetes_pod_container_port_protocol = 'TCP';
  }
  if (attachNode) {
    meta.__meta_kubernetes_node_name = pod.node.name;
    Object.assign(meta, labelsWithPrefix('__meta_kubernetes_node', pod.node.labels));
  }
  return meta;
}

function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Targets role endpoints would discover in `namespaces`: one per Service port and backing pod (or node). */
function endpointTargets(inventory: Inventory, namespaces: string[] | 'any', role: 'endpoints' | 'endpointslice', attachNode: boolean) {
  const groups: { targets: string[]; labels: Record<string, string> }[] = [];
  const kind = role === 'endpoints' ? '__meta_kubernetes_endpoint' : '__meta_kubernetes_endpointslice';
  for (const service of inventory.services) {
    if (!inNamespaces(service.namespace, namespaces)) continue;
    const serviceMeta = (portName: string, targetKind: 'Pod' | 'Node', targetName: string, nodeName: string): Record<string, string> => ({
      __meta_kubernetes_namespace: service.namespace,
      __meta_kubernetes_service_name: service.name,
      __meta_kubernetes_service_type: 'ClusterIP',
      ...labelsWithPrefix('__meta_kubernetes_service', service.labels),
      [`${kind}_port_name`]: portName,
      [`${kind}_port_protocol`]: 'TCP',
      [`${kind}_address_target_kind`]: targetKind,
      [`${kind}_address_target_name`]: targetName,
      [`${kind}_node_name`]: nodeName,
      ...(role === 'endpoints'
        ? { __meta_kubernetes_endpoints_name: service.name, __meta_kubernetes_endpoint_ready: 'true', ...labelsWithPrefix('__meta_kubernetes_endpoints', service.labels) }
        : { __meta_kubernetes_endpointslice_name: `${service.name}-abcde`, __meta_kubernetes_endpointslice_endpoint_conditions_ready: 'true' }),
    });
    if (service.nodeEndpoints) {
      // Endpoints maintained by prometheus-operator for the kubelet: one address per node, target kind Node
      for (const sp of service.ports) {
        for (const node of service.nodeEndpoints) {
          const labels = serviceMeta(sp.name, 'Node', node.name, node.name);
          if (attachNode) Object.assign(labels, { __meta_kubernetes_node_name: node.name }, labelsWithPrefix('__meta_kubernetes_node', node.labels));
          groups.push({ targets: [inventory.addressOfNode(node, Number(sp.targetPort)) ?? UNSERVED_ADDRESS], labels });
        }
      }
      continue;
    }
    const backing = inventory.pods.filter((p) => p.namespace === service.namespace && Object.keys(service.selector).length > 0 && matches(service.selector, p.labels));
    for (const sp of service.ports) {
      for (const pod of backing) {
        let container: PodModel['containers'][number] | undefined;
        let port: { name: string; containerPort: number } | undefined;
        for (const c of pod.containers) {
          const found = c.ports.find((p) => (typeof sp.targetPort === 'number' ? p.containerPort === sp.targetPort : p.name === sp.targetPort));
          if (found) {
            container = c;
            port = found;
            break;
          }
        }
        if (!container || !port) continue; // a real Endpoints object has no address for a pod without the port
        const labels = { ...podMeta(pod, container, port, attachNode), ...serviceMeta(sp.name, 'Pod', pod.name, pod.node.name) };
        groups.push({ targets: [inventory.addressOfPod(pod, port.containerPort) ?? UNSERVED_ADDRESS], labels });
      }
    }
  }
  return groups;
}

/** Targets role pod would discover in `namespaces`: one per container port (and one per port-less container). */
function podTargets(inventory: Inventory, namespaces: string[] | 'any', attachNode: boolean) {
  const groups: { targets: string[]; labels: Record<string, string> }[] = [];
  for (const pod of inventory.pods) {
    if (!inNamespaces(pod.namespace, namespaces)) continue;
    for (const container of pod.containers) {
      if (container.ports.length === 0) groups.push({ targets: [UNSERVED_ADDRESS], labels: podMeta(pod, container, undefined, attachNode) });
      for (const port of container.ports) {
        groups.push({ targets: [inventory.addressOfPod(pod, port.containerPort) ?? UNSERVED_ADDRESS], labels: podMeta(pod, container, port, attachNode) });
      }
    }
  }
  return groups;
}

function limits(spec: Record<string, any>): Partial<ScrapeConfig> {
  const out: Partial<ScrapeConfig> = {};
  if (spec.sampleLimit) out.sample_limit = spec.sampleLimit;
  if (spec.targetLimit) out.target_limit = spec.targetLimit;
  if (spec.labelLimit) out.label_limit = spec.labelLimit;
  if (spec.labelNameLengthLimit) out.label_name_length_limit = spec.labelNameLengthLimit;
  if (spec.labelValueLengthLimit) out.label_value_length_limit = spec.labelValueLengthLimit;
  return out;
}

function endpointSettings(what: string, ep: Record<string, any>, options: TranslateOptions): Partial<ScrapeConfig> {
  checkFields(what, ep, ENDPOINT_FIELDS);
  if (ep.scheme && ep.scheme !== 'http') throw new TranslatorCoverageError(`${what}: scheme '${ep.scheme}' is not covered (the fixture serves plain HTTP)`);
  const out: Partial<ScrapeConfig> = { honor_labels: ep.honorLabels ?? false };
  if (ep.honorTimestamps !== undefined) out.honor_timestamps = ep.honorTimestamps;
  const interval = options.intervalOverride ?? ep.interval;
  if (interval) out.scrape_interval = interval;
  if (options.intervalOverride) out.scrape_timeout = options.intervalOverride;
  else if (ep.scrapeTimeout) out.scrape_timeout = ep.scrapeTimeout;
  if (ep.path) out.metrics_path = ep.path;
  if (ep.params) out.params = ep.params;
  if (ep.scheme) out.scheme = ep.scheme;
  return out;
}

/** The operator's sharding relabelings for one shard (the config reloader substitutes $(SHARD) with 0). */
const SHARDING: RelabelConfig[] = [
  { source_labels: ['__address__'], target_label: '__tmp_hash', modulus: 1, action: 'hashmod' },
  { source_labels: ['__tmp_hash'], regex: '0', action: 'keep' },
];

/** Copies `__meta_kubernetes_<object>_label_<l>` into `<l>` for each label (targetLabels / podTargetLabels). */
function copyLabels(object: 'service' | 'pod', labels: readonly string[] | undefined): RelabelConfig[] {
  return (labels ?? []).map((l) => ({ source_labels: [`__meta_kubernetes_${object}_label_${sanitizeLabelName(l)}`], target_label: sanitizeLabelName(l), regex: '(.+)', replacement: '${1}' }));
}

/** The keep rule for an endpoint's `port` (by `portNameLabel`) or `targetPort` (container port name or number). */
function portSelection(ep: Record<string, any>, portNameLabel: string): RelabelConfig[] {
  if (ep.port) return [{ action: 'keep', source_labels: [portNameLabel], regex: ep.port }];
  if (ep.targetPort === undefined) return [];
  return [
    typeof ep.targetPort === 'string'
      ? { action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: ep.targetPort }
      : { action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: String(ep.targetPort) },
  ];
}

/**
 * What the operator appends to every endpoint's relabelings (the `job` override by `jobLabel` from `jobLabelSource`,
 * the `endpoint` label, the user's relabelings, sharding) and the scrape config it wraps them in.
 */
function finishScrapeConfig(
  jobName: string,
  spec: Record<string, any>,
  ep: Record<string, any>,
  settings: ReturnType<typeof endpointSettings>,
  relabelings: RelabelConfig[],
  jobLabelSource: 'service' | 'pod',
  staticConfigs: ScrapeConfig['static_configs'],
): ScrapeConfig {
  if (spec.jobLabel) {
    relabelings.push({ source_labels: [`__meta_kubernetes_${jobLabelSource}_label_${sanitizeLabelName(spec.jobLabel)}`], target_label: 'job', regex: '(.+)', replacement: '${1}' });
  }
  if (ep.port) relabelings.push({ target_label: 'endpoint', replacement: ep.port });
  else if (ep.targetPort !== undefined) relabelings.push({ target_label: 'endpoint', replacement: String(ep.targetPort) });
  relabelings.push(...(ep.relabelings ?? []).map(relabelFromCrd), ...SHARDING);
  const config: ScrapeConfig = {
    job_name: jobName,
    ...settings,
    honor_labels: settings.honor_labels ?? false,
    ...limits(spec),
    static_configs: staticConfigs,
    relabel_configs: relabelings,
  };
  if (ep.metricRelabelings?.length) config.metric_relabel_configs = ep.metricRelabelings.map(relabelFromCrd);
  return config;
}

function serviceMonitorConfigs(m: MonitorObject, inventory: Inventory, options: TranslateOptions): ScrapeConfig[] {
  const spec = m.spec;
  const ns = m.metadata.namespace ?? options.defaultNamespace;
  checkFields(`ServiceMonitor ${ns}/${m.metadata.name} spec`, spec, SERVICE_MONITOR_SPEC);
  const role = options.serviceRole ?? 'endpoints';
  const namespaces = namespacesOf(m, options);
  const attachNode = spec.attachMetadata?.node === true;
  return (spec.endpoints ?? []).map((ep: Record<string, any>, i: number): ScrapeConfig => {
    const what = `ServiceMonitor ${ns}/${m.metadata.name} endpoints[${i}]`;
    const settings = endpointSettings(what, ep, options);
    const kind = role === 'endpoints' ? '__meta_kubernetes_endpoint' : '__meta_kubernetes_endpointslice';
    const relabelings: RelabelConfig[] = [{ source_labels: ['job'], target_label: '__tmp_prometheus_job_name' }, ...selectorRelabelings(spec.selector, 'service')];
    relabelings.push(...portSelection(ep, `${kind}_port_name`));
    relabelings.push(
      { source_labels: [`${kind}_address_target_kind`, `${kind}_address_target_name`], separator: ';', regex: 'Node;(.*)', replacement: '${1}', target_label: 'node' },
      { source_labels: [`${kind}_address_target_kind`, `${kind}_address_target_name`], separator: ';', regex: 'Pod;(.*)', replacement: '${1}', target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
    );
    if (ep.filterRunning ?? true) relabelings.push({ action: 'drop', source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)' });
    relabelings.push(...copyLabels('service', spec.targetLabels), ...copyLabels('pod', spec.podTargetLabels));
    relabelings.push({ source_labels: ['__meta_kubernetes_service_name'], target_label: 'job', replacement: '${1}' });
    return finishScrapeConfig(`serviceMonitor/${ns}/${m.metadata.name}/${i}`, spec, ep, settings, relabelings, 'service', endpointTargets(inventory, namespaces, role, attachNode));
  });
}

function podMonitorConfigs(m: MonitorObject, inventory: Inventory, options: TranslateOptions): ScrapeConfig[] {
  const spec = m.spec;
  const ns = m.metadata.namespace ?? options.defaultNamespace;
  checkFields(`PodMonitor ${ns}/${m.metadata.name} spec`, spec, POD_MONITOR_SPEC);
  const namespaces = namespacesOf(m, options);
  const attachNode = spec.attachMetadata?.node === true;
  return (spec.podMetricsEndpoints ?? []).map((ep: Record<string, any>, i: number): ScrapeConfig => {
    const what = `PodMonitor ${ns}/${m.metadata.name} podMetricsEndpoints[${i}]`;
    const settings = endpointSettings(what, ep, options);
    const relabelings: RelabelConfig[] = [{ source_labels: ['job'], target_label: '__tmp_prometheus_job_name' }];
    if (ep.filterRunning ?? true) relabelings.push({ action: 'drop', source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)' });
    relabelings.push(...selectorRelabelings(spec.selector, 'pod'));
    relabelings.push(...portSelection(ep, '__meta_kubernetes_pod_container_port_name'));
    relabelings.push(
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    );
    relabelings.push(...copyLabels('pod', spec.podTargetLabels));
    relabelings.push({ target_label: 'job', replacement: `${ns}/${m.metadata.name}` });
    return finishScrapeConfig(`podMonitor/${ns}/${m.metadata.name}/${i}`, spec, ep, settings, relabelings, 'pod', podTargets(inventory, namespaces, attachNode));
  });
}

/** Scrape configs for one ServiceMonitor or PodMonitor (one per endpoint, as the operator writes them). */
export function translateMonitor(monitor: MonitorObject, inventory: Inventory, options: TranslateOptions): ScrapeConfig[] {
  if (monitor.kind === 'ServiceMonitor') return serviceMonitorConfigs(monitor, inventory, options);
  if (monitor.kind === 'PodMonitor') return podMonitorConfigs(monitor, inventory, options);
  throw new TranslatorCoverageError(`${monitor.kind} ${monitor.metadata.name}: only ServiceMonitor and PodMonitor are covered`);
}

/** An {@link Inventory} of a fixture cluster whose ports are served at the given addresses. */
export function inventoryOf(cluster: ClusterModel, served: Pick<Inventory, 'addressOfPod' | 'addressOfNode'>): Inventory {
  return { pods: cluster.pods, services: cluster.services, addressOfPod: (p, n) => served.addressOfPod(p, n), addressOfNode: (node, n) => served.addressOfNode(node, n) };
}

/**
 * A STAND-IN for the Kubernetes API server (test code), serving the telemetry fixture's cluster (the same nodes,
 * pods, owners, labels and GPU requests the metrics describe) to kubernetes-mcp-server, the real Go binary from
 * npm. What it reproduces, read-only over plain HTTP on 127.0.0.1: discovery (/version, /api, /apis and the group
 * resource lists of core v1, apps/v1, batch/v1, events.k8s.io/v1 and ray.io/v1), GET of single objects and lists
 * (all namespaces or one) of namespaces, nodes, pods, services, events, configmaps and the workload controllers,
 * `labelSelector` equality matching (`a=b,c=d`, `a!=b`, `a`), `metadata.name` / `metadata.namespace` /
 * `spec.nodeName` field selectors, meta.k8s.io Table answers to lists when the client asks for them (what
 * kubernetes-mcp-server 0.0.66 does for its table output: columns Name / Ready / Status / Restarts / Age / IP / Node
 * for pods, Name / Age otherwise; the server adds namespace, kind and labels from the rows' metadata), and pods/log
 * as plain text.
 *
 * Not reproduced: authentication and authorization (every request is allowed; the real server's RBAC is tested by
 * the construct tests), watches, protobuf, writes (405), server-side apply, metrics.k8s.io
 * (pods_top / nodes_top answer that the metrics API is not available), aggregated discovery
 * (the v1 discovery documents are served, which clients fall back to), pagination, and container logs: no
 * workload's log is simulated; pods/log answers one line saying so.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { podAlive, type ClusterModel, type NodeModel, type PodModel } from '../../prometheus/fixture/cluster.js';

interface Resource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly list: (cluster: ClusterModel) => Record<string, any>[];
}

const STARTED = (c: ClusterModel) => new Date(c.epoch * 1000).toISOString();

function podObject(cluster: ClusterModel, pod: PodModel): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      uid: pod.uid,
      labels: { ...pod.labels },
      creationTimestamp: STARTED(cluster),
      ownerReferences: [{ apiVersion: ownerApiVersion(pod.ownerKind), kind: pod.ownerKind, name: pod.ownerName, uid: `${pod.uid.slice(0, 24)}000000000000`, controller: true }],
    },
    spec: {
      nodeName: pod.node.name,
      containers: pod.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ports: c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
        resources: {
          requests: { cpu: String(c.cpuRequest), memory: String(c.memoryRequestBytes), ...Object.fromEntries(Object.entries(c.extended).map(([r, n]) => [r, String(n)])) },
          ...(Object.keys(c.extended).length > 0 ? { limits: Object.fromEntries(Object.entries(c.extended).map(([r, n]) => [r, String(n)])) } : {}),
        },
      })),
    },
    status: {
      phase: 'Running',
      podIP: pod.ip,
      hostIP: pod.node.ip,
      startTime: STARTED(cluster),
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: STARTED(cluster) }],
      containerStatuses: pod.containers.map((c) => ({ name: c.name, image: c.image, ready: true, restartCount: 0, started: true, state: { running: { startedAt: STARTED(cluster) } } })),
    },
  };
}

function ownerApiVersion(kind: string): string {
  if (kind === 'RayCluster') return 'ray.io/v1';
  if (kind === 'Job') return 'batch/v1';
  return 'apps/v1';
}

function nodeObject(cluster: ClusterModel, node: NodeModel): Record<string, any> {
  const capacity = { cpu: String(node.cpuCount), memory: String(node.memoryBytes), pods: '110', ...(node.gpuCount ? { 'nvidia.com/gpu': String(node.gpuCount) } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.name, labels: { ...node.labels }, creationTimestamp: STARTED(cluster) },
    spec: { providerID: node.providerId },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: STARTED(cluster) }],
      addresses: [{ type: 'InternalIP', address: node.ip }, { type: 'Hostname', address: node.name }],
      nodeInfo: { kubeletVersion: 'v1.33.0', containerRuntimeVersion: 'containerd://2.0.0', osImage: 'Amazon Linux 2023', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

const RESOURCES: readonly Resource[] = [
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, list: (c) => c.pods.filter((p) => podAlive(p, 0)).map((p) => podObject(c, p)) },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false, list: (c) => c.nodes.map((n) => nodeObject(c, n)) },
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    list: (c) => [...new Set(['default', 'kube-system', ...c.pods.map((p) => p.namespace)])].sort().map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, creationTimestamp: STARTED(c) }, status: { phase: 'Active' } })),
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    kind: 'Service',
    namespaced: true,
    list: (c) =>
      c.services.map((s) => ({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: s.name, namespace: s.namespace, labels: { ...s.labels }, creationTimestamp: STARTED(c) },
        spec: { selector: { ...s.selector }, ports: s.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP' })), type: 'ClusterIP' },
      })),
  },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true, list: () => [] },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true, list: () => [] },
  { group: 'events.k8s.io', version: 'v1', plural: 'events', kind: 'Event', namespaced: true, list: () => [] },
  ...(['deployments:Deployment', 'statefulsets:StatefulSet', 'daemonsets:DaemonSet', 'replicasets:ReplicaSet'] as const).map((pk) => {
    const [plural, kind] = pk.split(':') as [string, string];
    return { group: 'apps', version: 'v1', plural, kind, namespaced: true, list: (c: ClusterModel) => ownersOfKind(c, kind, 'apps/v1') };
  }),
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true, list: (c) => ownersOfKind(c, 'Job', 'batch/v1') },
  { group: 'ray.io', version: 'v1', plural: 'rayclusters', kind: 'RayCluster', namespaced: true, list: (c) => ownersOfKind(c, 'RayCluster', 'ray.io/v1') },
];

/** Controllers named by the pods' owner references (name, namespace; no spec beyond what the pods imply). */
function ownersOfKind(c: ClusterModel, kind: string, apiVersion: string): Record<string, any>[] {
  const seen = new Map<string, PodModel[]>();
  for (const p of c.pods) if (p.ownerKind === kind) seen.set(`${p.namespace}/${p.ownerName}`, [...(seen.get(`${p.namespace}/${p.ownerName}`) ?? []), p]);
  return [...seen.entries()].map(([key, pods]) => {
    const [namespace, name] = key.split('/') as [string, string];
    return { apiVersion, kind, metadata: { name, namespace, creationTimestamp: STARTED(c) }, ...(kind === 'StatefulSet' || kind === 'Deployment' ? { spec: { replicas: pods.length }, status: { replicas: pods.length, readyReplicas: pods.length } } : {}) };
  });
}

function matchesLabels(obj: Record<string, any>, selector: string | null): boolean {
  if (!selector) return true;
  const labels = (obj.metadata?.labels ?? {}) as Record<string, string>;
  return selector.split(',').every((term) => {
    const [k, v] = term.split(/!=|==|=/).map((s) => s.trim());
    if (v === undefined) return k! in labels;
    return term.includes('!=') ? labels[k!] !== v : labels[k!] === v;
  });
}

function matchesFields(obj: Record<string, any>, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    if (k === 'metadata.name') return obj.metadata?.name === v;
    if (k === 'metadata.namespace') return obj.metadata?.namespace === v;
    if (k === 'spec.nodeName') return obj.spec?.nodeName === v;
    return true;
  });
}

function age(obj: Record<string, any>): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(obj.metadata?.creationTimestamp ?? new Date().toISOString())) / 1000));
  return s >= 3600 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 60)}m`;
}

/** A meta.k8s.io Table of a list, as the API server answers `Accept: application/json;as=Table;...`. */
function table(resource: Resource, items: Record<string, any>[]): Record<string, any> {
  const pods = resource.kind === 'Pod';
  const column = (name: string) => ({ name, type: name === 'Restarts' ? 'integer' : 'string', format: name === 'Name' ? 'name' : '', description: name, priority: 0 });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '1' },
    columnDefinitions: (pods ? ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node'] : ['Name', 'Age']).map(column),
    rows: items.map((o) => ({
      cells: pods ? [o.metadata.name, `${o.spec.containers.length}/${o.spec.containers.length}`, o.status.phase, 0, age(o), o.status.podIP, o.spec.nodeName] : [o.metadata.name, age(o)],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

/** A running stand-in API server. */
export interface KubeApiStandIn {
  readonly url: string;
  /** Every request it got (method and path with query), for the tests to look at. */
  readonly requests: string[];
  /** How many list requests asked for a Table. */
  readonly tableRequests: () => number;
  stop(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 for the fixture's cluster. */
export async function startKubeApiStandIn(cluster: ClusterModel): Promise<KubeApiStandIn> {
  const requests: string[] = [];
  let tableRequests = 0;
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: import('node:http').ServerResponse, what: string) =>
    json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${what} not found`, reason: 'NotFound', code: 404 });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.method !== 'GET') return json(res, 405, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the stand-in is read-only', reason: 'MethodNotAllowed', code: 405 });
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/version') return json(res, 200, { major: '1', minor: '33', gitVersion: 'v1.33.0-standin', platform: 'linux/amd64' });
    if (path === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    const groups = [...new Set(RESOURCES.filter((r) => r.group !== '').map((r) => `${r.group}/${r.version}`))];
    if (path === '/apis') {
      return json(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((gv) => {
          const [name, version] = gv.split('/');
          return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
        }),
      });
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
    if (!m) return notFound(res, path);
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    let [namespace, plural, name, sub]: (string | undefined)[] = [m[4], m[5], m[6], m[7]];
    // /api/v1/namespaces/<name> is the namespace object itself
    if (namespace !== undefined && plural === undefined) [plural, name, namespace] = ['namespaces', namespace, undefined];
    if (plural === undefined) {
      const own = RESOURCES.filter((r) => r.group === group && r.version === version);
      if (own.length === 0) return notFound(res, `${group}/${version}`);
      const resources = own.flatMap((r) => [
        { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'list'] },
        ...(r.kind === 'Pod' ? [{ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] }] : []),
      ]);
      return json(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources });
    }
    const resource = RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
    if (!resource) return notFound(res, `${plural}`);
    let items = resource.list(cluster).filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    if (name !== undefined) {
      const obj = items.find((o) => o.metadata.name === name);
      if (!obj) return notFound(res, `${plural} "${name}"`);
      if (sub === 'log' && resource.kind === 'Pod') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(`stand-in API server: no container log is simulated for ${namespace}/${name}\n`);
      }
      if (sub !== undefined) return notFound(res, `${plural}/${sub}`);
      return json(res, 200, obj);
    }
    items = items.filter((o) => matchesLabels(o, url.searchParams.get('labelSelector')) && matchesFields(o, url.searchParams.get('fieldSelector')));
    tableRequests += (req.headers.accept ?? '').includes('as=Table') ? 1 : 0;
    if ((req.headers.accept ?? '').includes('as=Table')) return json(res, 200, table(resource, items));
    return json(res, 200, { kind: `${resource.kind}List`, apiVersion: group ? `${group}/${version}` : version, metadata: { resourceVersion: '1' }, items });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tableRequests: () => tableRequests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { Chart, Testing, type App } from 'cdk8s';
import { MemoryCredentialStore } from '../../src/core/credential-store.js';
import { MIN_OPENSEARCH_MCP_VERSION } from '../../src/mcp/mcp-images.js';
import { McpServers, type McpServersProps } from '../../src/mcp/mcp-servers.js';
import type { OpenSearchTarget } from '../../src/core/opensearch-target.js';
import type { PrometheusTarget } from '../../src/core/prometheus-target.js';
import { allObjects, type K8sObject } from './synth.js';

/**
 * A hand-made OpenSearchTarget, standing in for OpenSearchCluster in the construct-level tests (the full-stack
 * tests use the real one). Values shaped like the operator's: cluster `logs`, HTTPS on 9200, a CA Secret.
 */
export const OPENSEARCH_TARGET: OpenSearchTarget = {
  namespace: 'observability',
  clusterName: 'logs',
  host: 'logs.observability.svc',
  port: 9200,
  url: 'https://logs.observability.svc:9200',
  caSecret: { name: 'logs-http-ca', key: 'ca.crt' },
  logIndexPattern: 'logs-*',
  logBackingIndexPattern: '.ds-logs-*',
  podSelectorLabels: { 'opster.io/opensearch-cluster': 'logs' },
  adminCredentialsSecret: { name: 'logs-admin-credentials' },
};

/** A hand-made PrometheusTarget, shaped like PrometheusStack's defaults. */
export const PROMETHEUS_TARGET: PrometheusTarget = {
  prometheusNamespace: 'observability',
  prometheusServiceName: 'kube-prometheus-stack-prometheus',
  prometheusPort: 9090,
  prometheusUrl: 'http://kube-prometheus-stack-prometheus.observability.svc:9090',
  monitorSelectorLabels: { release: 'kube-prometheus-stack' },
  prometheusPodLabels: { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'kube-prometheus-stack-prometheus' },
};

/** An image reference for the OpenSearch server in tests (no published image exists; users build their own). */
/** A placeholder image of the oldest opensearch-mcp-server-py release the server accepts (nothing is pulled). */
export const TEST_OPENSEARCH_IMAGE = `registry.example.com/opensearch-mcp-server-py:${MIN_OPENSEARCH_MCP_VERSION}`;

/** Props with every server on and both targets, to spread tests' own props over. */
export function mcpProps(overrides: McpServersProps = {}): McpServersProps {
  return {
    prometheusTarget: PROMETHEUS_TARGET,
    openSearchTarget: OPENSEARCH_TARGET,
    credentials: new MemoryCredentialStore(),
    ...overrides,
    opensearch: { image: TEST_OPENSEARCH_IMAGE, ...overrides.opensearch },
  };
}

/** Synthesizes McpServers alone in one chart and returns its objects. */
export function synthMcp(props: McpServersProps = mcpProps(), app: App = Testing.app()): { mcp: McpServers; objects: K8sObject[]; app: App } {
  const chart = new Chart(app, 'test');
  const mcp = new McpServers(chart, 'mcp', props);
  return { mcp, objects: allObjects(app), app };
}

/** A key naming an object uniquely. */
export const objectKey = (o: K8sObject): string => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`;

/** The pod-template labels of every Deployment among `objects`, with the Deployment's name. */
export function podTemplates(objects: K8sObject[]): Array<{ name: string; namespace?: string; labels: Record<string, string> }> {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .map((d) => ({ name: d.metadata.name, namespace: d.metadata.namespace, labels: d.spec.template.metadata.labels as Record<string, string> }));
}

/** Whether `selector` (matchLabels only) selects a pod with `labels`. */
export function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] }, labels: Record<string, string>): boolean {
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not evaluated by this helper');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** Every rule of every Role and ClusterRole, with where it comes from. */
export function rbacRules(objects: K8sObject[]): Array<{ kind: string; name: string; namespace?: string; rule: { apiGroups?: string[]; resources?: string[]; verbs: string[] } }> {
  return objects
    .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
    .flatMap((o) => (o.rules ?? []).map((rule: any) => ({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, rule })));
}

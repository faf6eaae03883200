import { ApiObject, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ObservabilityChart } from '../src/observability-chart.js';
import { testCredentials } from './support/credentials.js';
import type { StackProps } from './support/synth.js';
import { TEST_OPENSEARCH_IMAGE } from './support/mcp.js';

/** Every object of a synth, keyed by the construct path that made it (component id first), as its YAML-ready JSON. */
function objectsByPath(props: StackProps): Map<string, string> {
  const app = Testing.app();
  new ObservabilityChart(app, 'obs', { delivery: 'flux', credentials: testCredentials(), ...props });
  const objects = new Map<string, string>();
  for (const node of app.node.findAll()) {
    if (node instanceof ApiObject) objects.set(node.node.path, JSON.stringify(node.toJson()));
  }
  return objects;
}

/** The component a construct path belongs to: `obs/<id>/...`, or `obs-setup/<id>/...` for what it put in the setup chart. */
function owner(path: string): string {
  return path.split('/')[1]!;
}

/**
 * Objects that depend on which components run, by design: the NetworkPolicies (a server's policy lists the clients
 * that run) and the Namespaces (their Pod Security level and exceptions come from the workloads in them). Their
 * content is proved by test/network-policies.test.ts and test/pod-security.test.ts for each toggle.
 */
const DEPENDS_ON_WHAT_RUNS = new Set(['NetworkPolicy', 'Namespace']);

/** Objects of `without` that differ from `everything` and are not expected to. */
function changed(without: Map<string, string>, everything: Map<string, string>): string[] {
  return [...without].filter(([path, json]) => json !== everything.get(path) && !DEPENDS_ON_WHAT_RUNS.has(JSON.parse(json).kind)).map(([path]) => path);
}

const MCP_IMAGE = { mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } } } as const;

// The same passwords in every synth, so objects that do not belong to the toggled component compare equal.
const store = testCredentials();
const synth = (props: StackProps) => objectsByPath({ credentials: store, ...props });

describe('component toggles', () => {
  const everything = synth(MCP_IMAGE);

  it.each<[string, StackProps, string[]]>([
    ['openCost', { openCost: { enabled: false } }, ['opencost']],
    ['gpuExporters', { gpuExporters: { enabled: false } }, ['gpu-exporters']],
    ['rayEndpoints', { rayEndpoints: { enabled: false } }, ['ray-endpoints']],
    ['alerts', { alerts: { enabled: false } }, ['alerts']],
    ['gpuDashboards', { gpuDashboards: { enabled: false } }, ['gpu-dashboards']],
    ['fluentBit', { fluentBit: { enabled: false } }, ['fluent-bit']],
    ['mcp', { mcp: { enabled: false } }, ['mcp']],
  ])('%s off removes exactly its own objects and changes nothing else', (_name, off, owners) => {
    const without = synth({ ...MCP_IMAGE, ...off });
    const removed = [...everything.keys()].filter((path) => !without.has(path));
    expect(removed.length).toBeGreaterThan(0);
    expect(new Set(removed.map(owner))).toEqual(new Set(owners));
    expect(changed(without, everything)).toEqual([]);
  });

  it('with the Prometheus stack off, its dependents go too, and the logs stay (without their scrape and alert objects)', () => {
    const without = synth({ prometheusStack: { enabled: false } });
    const removedPaths = [...everything.keys()].filter((path) => !without.has(path));
    expect(new Set(removedPaths.map(owner))).toEqual(
      new Set(['prometheus-stack', 'opencost', 'gpu-exporters', 'ray-endpoints', 'alerts', 'gpu-dashboards', 'opensearch-datasource', 'mcp', 'fluent-bit', 'opensearch']),
    );
    const fluentBitRemoved = removedPaths.filter((path) => owner(path) === 'fluent-bit').map((path) => JSON.parse(everything.get(path)!).kind);
    expect(new Set(fluentBitRemoved)).toEqual(new Set(['PodMonitor', 'PrometheusRule']));
    const openSearchRemoved = removedPaths.filter((path) => owner(path) === 'opensearch').map((path) => JSON.parse(everything.get(path)!).kind);
    expect(openSearchRemoved).toEqual(['PrometheusRule']);
    expect(changed(without, everything)).toEqual([]);
  });

  it('defaults: every core component on, the MCP servers off', () => {
    const defaults = new Set([...synth({}).keys()].map(owner));
    for (const id of ['prometheus-stack', 'opencost', 'gpu-exporters', 'ray-endpoints', 'alerts', 'gpu-dashboards', 'opensearch', 'fluent-bit']) {
      expect(defaults, id).toContain(id);
    }
    expect(defaults).not.toContain('mcp');
  });
});

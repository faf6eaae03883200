import { parser } from '@prometheus-io/lezer-promql';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_LABEL, clusterScoped, clusterScopedVariableQuery } from '../../src/core/cluster-label.js';
import { DASHBOARD_CLUSTER_SCOPE } from '../../src/dashboards/toolkit/builder.js';
import { parsePromQL, substituteGrafanaVariables } from '../support/promql.js';
import { synthStack, ofKind, type K8sObject } from '../support/synth.js';
import { MemoryCredentialStore } from '../../src/core/credential-store.js';

const M = 'cluster=~"$cluster"';
const dash = (expr: string) => clusterScoped(expr, DASHBOARD_CLUSTER_SCOPE);

describe('clusterScoped (the rewriter)', () => {
  it.each([
    ['up', `up{${M}}`],
    ['up{job="a"}', `up{${M}, job="a"}`],
    ['{__name__=~"DCGM_.*"}', `{${M}, __name__=~"DCGM_.*"}`],
    ['up{}', `up{${M}}`],
    ['rate(x_total[$__rate_interval])', `rate(x_total{${M}}[$__rate_interval])`],
    ['sum by (namespace) (x)', `sum by (namespace, cluster) (x{${M}})`],
    ['sum(x) by (namespace)', `sum(x{${M}}) by (namespace, cluster)`],
    ['sum without (pod) (x)', `sum without (pod) (x{${M}})`],
    ['a * on (namespace, pod) group_left (node) b', `a{${M}} * on (namespace, pod, cluster) group_left (node) b{${M}}`],
    ['a * on () group_left vector(1)', `a{${M}} * on () group_left vector(1)`],
    ['sum(x)', `sum(x{${M}})`],
    ['x offset 5m', `x{${M}} offset 5m`],
    ['x{a="}{"} > bool 1e-3', `x{${M}, a="}{"} > bool 1e-3`],
    ['label_replace(x, "dst", "$1", "src", "(.*)")', `label_replace(x{${M}}, "dst", "$1", "src", "(.*)")`],
    ['x{cluster="a"}', 'x{cluster="a"}'],
    ['sum by (cluster, ns) (x{cluster!=""})', 'sum by (cluster, ns) (x{cluster!=""})'],
    ['avg_over_time(x[1h:5m])', `avg_over_time(x{${M}}[1h:5m])`],
    ['histogram_quantile(0.95, sum by (le) (rate(h_bucket{m="$model"}[5m])))', `histogram_quantile(0.95, sum by (le, cluster) (rate(h_bucket{${M}, m="$model"}[5m])))`],
    ['vllm:num_requests_running', `vllm:num_requests_running{${M}}`],
  ])('%s', (input, output) => {
    expect(dash(input)).toBe(output);
    // Idempotent: a scoped expression is left as it is.
    expect(dash(output)).toBe(output);
  });

  it('rules get only the grouping (no selector matcher: a leaf has no cluster label to match)', () => {
    expect(clusterScoped('sum by (namespace) (x{a="b"}) / on (namespace) y')).toBe('sum by (namespace, cluster) (x{a="b"}) / on (namespace, cluster) y');
  });

  it('variable queries: only the selector of label_values and the expression of query_result', () => {
    expect(clusterScopedVariableQuery('label_values(kube_pod_info{namespace="$ns"}, pod)', DASHBOARD_CLUSTER_SCOPE)).toBe(
      `label_values(kube_pod_info{${M}, namespace="$ns"}, pod)`,
    );
    expect(clusterScopedVariableQuery('query_result(topk(3, x))', DASHBOARD_CLUSTER_SCOPE)).toBe(`query_result(topk(3, x{${M}}))`);
    expect(clusterScopedVariableQuery('label_values(cluster)', DASHBOARD_CLUSTER_SCOPE)).toBe('label_values(cluster)');
  });

  it('refuses what it cannot read, naming the place', () => {
    expect(() => clusterScoped('x{a="b"')).toThrow(/unclosed selector/);
    expect(() => clusterScoped('x ¤ y')).toThrow(/cannot read PromQL at '¤ y'/);
  });
});

/** What the Prometheus UI's own grammar sees in an expression: selectors without the cluster matcher, grouping lists without the label. */
function unscoped(expr: string, { selectors }: { selectors: boolean }): string[] {
  const text = substituteGrafanaVariables(expr);
  const problems: string[] = [];
  parser.parse(text).iterate({
    enter(node) {
      const slice = (n: { from: number; to: number }) => text.slice(n.from, n.to);
      if (selectors && node.name === 'VectorSelector') {
        const names = (node.node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []).map((m) => slice(m.getChild('LabelName')!));
        if (!names.includes(CLUSTER_LABEL)) problems.push(`selector ${slice(node)}`);
      }
      if (node.name === 'GroupingLabels') {
        // The keyword right before the list (by, without, on, ignoring, group_left, group_right).
        const kind = /([A-Za-z_]+)\s*$/.exec(text.slice(0, node.from))?.[1]?.toLowerCase() ?? '';
        const labels = node.node.getChildren('LabelName').map(slice);
        if ((kind === 'by' || kind === 'on') && labels.length > 0 && !labels.includes(CLUSTER_LABEL)) problems.push(`${kind} (${labels.join(', ')})`);
      }
    },
  });
  return problems;
}

describe('every synthesized query is cluster-scoped (held against the Prometheus UI grammar, lezer-promql)', () => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = synthStack({ credentials: new MemoryCredentialStore(), gpuExporters: { neuron: { enabled: true } } }).objects;
  });

  it('every dashboard panel query and query variable: parses, every selector matches $cluster, every by/on keeps cluster', () => {
    const dashboards = ofKind(objects, 'ConfigMap')
      .filter((cm) => cm.metadata.labels?.grafana_dashboard === '1')
      .flatMap((cm) => Object.values<string>(cm.data).map((json) => JSON.parse(json)));
    expect(dashboards.length).toBeGreaterThanOrEqual(3);
    let checked = 0;
    for (const d of dashboards) {
      const cluster = d.templating.list.find((v: { name: string }) => v.name === CLUSTER_LABEL);
      expect(cluster, d.uid).toMatchObject({ type: 'query', multi: true, includeAll: true, allValue: '.*', current: { value: '$__all' } });
      const exprs: string[] = [];
      const walk = (panels: any[]) => {
        for (const p of panels ?? []) {
          walk(p.panels);
          for (const t of p.targets ?? []) if (typeof t.expr === 'string') exprs.push(t.expr);
        }
      };
      walk(d.panels);
      for (const v of d.templating.list) {
        const m = v.type === 'query' && v.name !== CLUSTER_LABEL && /^label_values\(([\s\S]*),\s*\w+\)$/.exec(v.definition);
        if (m) exprs.push(m[1]!);
      }
      for (const expr of exprs) {
        expect(parsePromQL(expr, { grafana: true }), expr).toEqual([]);
        expect(unscoped(expr, { selectors: true }), `${d.uid}: ${expr}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('every rule: parses, every by/on keeps cluster, and selectors stay as written', () => {
    const rules = ofKind(objects, 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules));
    expect(rules.length).toBeGreaterThan(20);
    for (const rule of rules) {
      expect(parsePromQL(rule.expr), rule.expr).toEqual([]);
      expect(unscoped(rule.expr, { selectors: false }), rule.expr).toEqual([]);
      expect(rule.expr).not.toContain('$cluster');
    }
  });
});

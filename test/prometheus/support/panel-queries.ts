/**
 * Runs every panel of a dashboard against a real Prometheus the way Grafana would (test code): variables
 * resolved first, then each visible Prometheus query interpolated and sent as a range query (or an instant query
 * for `instant` targets) over the view's time range. A panel has data when at least one of its queries returns
 * a series with a value that is not NaN; log panels (OpenSearch datasource) are not Prometheus queries and are
 * reported separately; panels without queries (text, rows) are not counted.
 */
import { CLUSTER_VARIABLE } from '../../../src/dashboards/toolkit/builder.js';
import { DATASOURCE_TYPES, datasourceTypeOf, flattenPanels, interpolate, queryTiming, resolveVariables, type DashboardJson, type PanelJson, type ResolvedVariable, type TargetJson, type TimeContext } from './grafana.js';
import { PrometheusApiError, type PrometheusRunner, type PromResult } from './prometheus-runner.js';

/** One query of a panel, as sent. */
export interface QueryRun {
  readonly refId: string;
  readonly expr: string;
  readonly kind: 'range' | 'instant';
  readonly series: number;
  readonly error?: string;
  readonly ms: number;
  /** What Prometheus answered (the value checks read it). */
  readonly result?: PromResult;
  /** The step of a range query. */
  readonly step?: number;
}

export type PanelOutcome = 'data' | 'empty' | 'error' | 'logs' | 'no-queries';

export interface PanelRun {
  readonly dashboard: string;
  readonly title: string;
  readonly type: string;
  readonly outcome: PanelOutcome;
  readonly queries: QueryRun[];
}

export interface DashboardRun {
  readonly title: string;
  readonly variables: ReadonlyMap<string, ResolvedVariable>;
  readonly panels: PanelRun[];
  /** Problems resolving variables (no values, unknown query kinds). */
  readonly variableProblems: string[];
}

/** Series of a result that carry at least one value other than NaN. */
export function seriesWithValues(result: PromResult): number {
  if (result.resultType === 'scalar') return Number.isNaN(Number(result.result[1])) ? 0 : 1;
  if (result.resultType === 'string') return 1;
  if (result.resultType === 'vector') return (result.result as { value: [number, string] }[]).filter((s) => !Number.isNaN(Number(s.value[1]))).length;
  return (result.result as { values: [number, string][] }[]).filter((s) => s.values.some(([, v]) => !Number.isNaN(Number(v)))).length;
}

function targetType(panel: PanelJson, target: TargetJson, variables: ReadonlyMap<string, ResolvedVariable>): string | undefined {
  return datasourceTypeOf(target.datasource ?? panel.datasource, variables) ?? datasourceTypeOf(panel.datasource, variables);
}

async function runQuery(prom: PrometheusRunner, panel: PanelJson, target: TargetJson, variables: ReadonlyMap<string, ResolvedVariable>, time: TimeContext): Promise<QueryRun[]> {
  const timing = queryTiming(time, target.interval || panel.interval);
  const expr = interpolate(target.expr ?? '', variables, time, timing);
  const kinds: ('range' | 'instant')[] = [];
  if (target.instant) kinds.push('instant');
  if (target.range || !target.instant) kinds.push('range');
  const runs: QueryRun[] = [];
  for (const kind of kinds) {
    const started = performance.now();
    try {
      // Grafana aligns the range to the step
      const step = timing.stepSeconds;
      const result = kind === 'instant' ? await prom.query(expr, time.to) : await prom.queryRange(expr, Math.floor(time.from / step) * step, Math.floor(time.to / step) * step, step);
      runs.push({ refId: target.refId ?? '?', expr, kind, series: seriesWithValues(result), ms: performance.now() - started, result, step: timing.stepSeconds });
    } catch (error) {
      if (!(error instanceof PrometheusApiError)) throw error;
      runs.push({ refId: target.refId ?? '?', expr, kind, series: 0, error: error.message, ms: performance.now() - started });
    }
  }
  return runs;
}

/**
 * Resolves a dashboard's variables and runs every panel's queries. `clusterLabelStored`: whether the Prometheus
 * stores the `cluster` label (a central store does; a leaf does not: it is an external label, added only to what
 * leaves it), so whether the cluster variable must list values; on a leaf it is All, which matches every series.
 */
export async function runDashboard(
  prom: PrometheusRunner,
  dashboard: DashboardJson,
  time: TimeContext,
  datasourceUids: Readonly<Record<string, string>> = {},
  options: { readonly clusterLabelStored?: boolean } = {},
): Promise<DashboardRun> {
  const variables = await resolveVariables(dashboard, prom, time, datasourceUids);
  const variableProblems: string[] = [];
  for (const v of variables.values()) {
    if (v.name === CLUSTER_VARIABLE && !options.clusterLabelStored) continue;
    if (v.type === 'query' && v.values.length === 0) variableProblems.push(`variable $${v.name} has no values`);
  }
  const panels: PanelRun[] = [];
  for (const panel of flattenPanels(dashboard.panels)) {
    const targets = (panel.targets ?? []).filter((t) => !t.hide);
    const base = { dashboard: dashboard.title, title: panel.title ?? '(untitled)', type: panel.type };
    if (targets.length === 0) {
      panels.push({ ...base, outcome: 'no-queries', queries: [] });
      continue;
    }
    const types = new Set(targets.map((t) => targetType(panel, t, variables)));
    if (types.size === 1 && types.has(DATASOURCE_TYPES.opensearch)) {
      panels.push({ ...base, outcome: 'logs', queries: [] });
      continue;
    }
    const queries: QueryRun[] = [];
    for (const target of targets) {
      const type = targetType(panel, target, variables);
      if (type !== DATASOURCE_TYPES.prometheus) throw new Error(`${dashboard.title} / ${base.title}: query ${target.refId} uses datasource '${type}', which this test does not run`);
      queries.push(...(await runQuery(prom, panel, target, variables, time)));
    }
    const outcome: PanelOutcome = queries.some((q) => q.error) ? 'error' : queries.some((q) => q.series > 0) ? 'data' : 'empty';
    panels.push({ ...base, outcome, queries });
  }
  return { title: dashboard.title, variables, panels, variableProblems };
}

/** Counts of a set of dashboard runs. */
export interface Coverage {
  readonly withData: number;
  readonly prometheusPanels: number;
  readonly logPanels: number;
  readonly line: string;
}

/** The coverage line: `N/N panels returned data (M log panels skipped: OpenSearch datasource)`. */
export function coverage(runs: readonly DashboardRun[]): Coverage {
  const panels = runs.flatMap((r) => r.panels);
  const prometheusPanels = panels.filter((p) => p.outcome === 'data' || p.outcome === 'empty' || p.outcome === 'error').length;
  const withData = panels.filter((p) => p.outcome === 'data').length;
  const logPanels = panels.filter((p) => p.outcome === 'logs').length;
  return { withData, prometheusPanels, logPanels, line: `${withData}/${prometheusPanels} panels returned data (${logPanels} log panels skipped: OpenSearch datasource, not Prometheus)` };
}

/** A readable report of panels without data, with their queries as sent. */
export function describeFailures(runs: readonly DashboardRun[]): string {
  const lines: string[] = [];
  for (const run of runs) {
    for (const problem of run.variableProblems) lines.push(`${run.title}: ${problem}`);
    for (const p of run.panels) {
      if (p.outcome !== 'empty' && p.outcome !== 'error') continue;
      lines.push(`${run.title} / ${p.title} (${p.type}): ${p.outcome}`);
      for (const q of p.queries) lines.push(`    ${q.refId} ${q.kind}: ${q.error ?? `${q.series} series`}  ${q.expr}`);
    }
  }
  return lines.join('\n');
}

/**
 * What Grafana does with a dashboard before it sends a query to Prometheus (test code):
 *
 * - template variables are resolved in order, the way the Prometheus datasource resolves them: `label_values(...)`
 *   via /api/v1/label/<name>/values or /api/v1/series with `match[]`, `label_names()`, `metrics(re)`,
 *   `query_result(expr)`; custom, constant, interval, textbox and datasource variables from their definition;
 *   the variable's `regex` filter and `sort` applied. The value used is the saved `current` one if it still
 *   exists, else All when `includeAll`, else the first value.
 * - variables are interpolated as the Prometheus datasource does (single values as written, multi/All values as
 *   an escaped regex alternation, `allValue` verbatim, `${var:format}` formats), and the built-in macros
 *   `$__interval`, `$__interval_ms`, `$__rate_interval`, `$__range`, `$__range_s`, `$__range_ms`, `$__from`,
 *   `$__to` are computed from the time range, `maxDataPoints` and the datasource's scrape interval
 *   (`$__rate_interval` = max($__interval + scrape interval, 4 × scrape interval)).
 */
import type { PrometheusRunner } from './prometheus-runner.js';

/** Grafana dashboard JSON (the parts read here). */
export interface DashboardJson {
  readonly uid?: string;
  readonly title: string;
  readonly templating?: { readonly list?: readonly VariableJson[] };
  readonly panels?: readonly PanelJson[];
}

export interface VariableJson {
  readonly type: string;
  readonly name: string;
  readonly query?: string | { readonly query?: string; readonly qryType?: number; readonly [key: string]: unknown };
  readonly datasource?: { readonly type?: string; readonly uid?: string } | string | null;
  readonly includeAll?: boolean;
  readonly multi?: boolean;
  readonly allValue?: string | null;
  readonly regex?: string;
  readonly sort?: number;
  readonly current?: { readonly value?: string | string[]; readonly text?: string | string[] };
  readonly options?: readonly { readonly value: string; readonly text?: string }[];
  readonly definition?: string;
}

export interface TargetJson {
  readonly refId?: string;
  readonly expr?: string;
  readonly hide?: boolean;
  readonly instant?: boolean;
  readonly range?: boolean;
  readonly interval?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string } | string | null;
  readonly [key: string]: unknown;
}

export interface PanelJson {
  readonly id?: number;
  readonly type: string;
  readonly title?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string } | string | null;
  readonly targets?: readonly TargetJson[];
  readonly panels?: readonly PanelJson[];
  readonly interval?: string;
  readonly maxDataPoints?: number;
  readonly libraryPanel?: unknown;
}

/** Plugin ids of the datasources our dashboards use. */
export const DATASOURCE_TYPES = { prometheus: 'prometheus', opensearch: 'grafana-opensearch-datasource' } as const;

/** The value chosen for a variable. */
export interface ResolvedVariable {
  readonly name: string;
  readonly type: string;
  /** Every value the variable offers (after regex and sort). */
  readonly values: string[];
  /** The selected values (all of them when All is selected). */
  readonly selected: string[];
  readonly all: boolean;
  readonly multi: boolean;
  readonly includeAll: boolean;
  readonly allValue?: string;
  /** For datasource variables: the plugin id. */
  readonly datasourceType?: string;
}

/** Time range and resolution of a (simulated) Grafana view. */
export interface TimeContext {
  /** Range start / end, unix seconds. */
  readonly from: number;
  readonly to: number;
  /** Panel width in data points (Grafana's maxDataPoints). */
  readonly maxDataPoints: number;
  /** The Prometheus datasource's scrape interval (`timeInterval`), seconds. */
  readonly scrapeIntervalSeconds: number;
}

/** Every panel of a dashboard, rows flattened (collapsed rows keep their panels inside). */
export function flattenPanels(panels: readonly PanelJson[] = []): PanelJson[] {
  const out: PanelJson[] = [];
  for (const panel of panels) {
    if (panel.libraryPanel) throw new Error(`panel '${panel.title}': library panels are not resolved by this test`);
    if (panel.type === 'row') out.push(...flattenPanels(panel.panels ?? []));
    else out.push(panel);
  }
  return out;
}

function variableQuery(v: VariableJson): string {
  if (typeof v.query === 'string') return v.query;
  if (v.query && typeof v.query.query === 'string') return v.query.query;
  return v.definition ?? '';
}

/** Grafana's sort of variable options. */
function sortValues(values: string[], sort = 0): string[] {
  const numeric = (s: string) => Number(/-?\d+(\.\d+)?/.exec(s)?.[0] ?? NaN);
  const natural = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
  switch (sort) {
    case 1:
      return [...values].sort();
    case 2:
      return [...values].sort().reverse();
    case 3:
      return [...values].sort((a, b) => numeric(a) - numeric(b));
    case 4:
      return [...values].sort((a, b) => numeric(b) - numeric(a));
    case 5:
      return [...values].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    case 6:
      return [...values].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase()));
    case 7:
      return [...values].sort(natural);
    case 8:
      return [...values].sort(natural).reverse();
    default:
      return values;
  }
}

/** Applies a variable's `regex` (`/re/flags`; a capture group selects the text). */
function applyRegex(values: string[], regex: string | undefined): string[] {
  if (!regex) return values;
  const m = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  const re = m ? new RegExp(m[1]!, m[2]!.replace('g', '')) : new RegExp(regex);
  const out: string[] = [];
  for (const value of values) {
    const match = re.exec(value);
    if (!match) continue;
    out.push(match.groups?.value ?? match[1] ?? value);
  }
  return [...new Set(out)];
}

function splitArgs(args: string): string[] {
  // split on the last top-level comma: label_values(<selector possibly with commas>, label)
  let depth = 0;
  let quote = '';
  for (let i = args.length - 1; i >= 0; i--) {
    const c = args[i]!;
    if (quote) {
      if (c === quote && args[i - 1] !== '\\') quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === ')' || c === '}' || c === ']') depth++;
    else if (c === '(' || c === '{' || c === '[') depth--;
    else if (c === ',' && depth === 0) return [args.slice(0, i).trim(), args.slice(i + 1).trim()];
  }
  return [args.trim()];
}

/** Runs a Prometheus variable query the way Grafana's Prometheus datasource does. */
export async function prometheusVariableValues(prom: PrometheusRunner, query: string, time: TimeContext): Promise<string[]> {
  const range = { start: String(time.from), end: String(time.to) };
  const q = query.trim();
  let m: RegExpExecArray | null;
  if ((m = /^label_names\((.*)\)$/s.exec(q))) {
    const match = m[1]!.trim();
    return (await prom.api<string[]>('/api/v1/labels', { ...range, ...(match ? { 'match[]': match } : {}) })).filter((n) => n !== '__name__');
  }
  if ((m = /^label_values\((.*)\)$/s.exec(q))) {
    const args = splitArgs(m[1]!);
    if (args.length === 1) return prom.api<string[]>(`/api/v1/label/${encodeURIComponent(args[0]!)}/values`, range);
    const [selector, label] = args as [string, string];
    // Grafana >= 9 asks the labels API with match[]; the series API gives the same answer on every version
    const series = await prom.api<Record<string, string>[]>('/api/v1/series', { ...range, 'match[]': selector });
    return [...new Set(series.map((s) => s[label]).filter((v): v is string => v !== undefined))].sort();
  }
  if ((m = /^metrics\((.*)\)$/s.exec(q))) {
    const re = new RegExp(m[1]!.trim());
    return (await prom.api<string[]>('/api/v1/label/__name__/values', range)).filter((n) => re.test(n));
  }
  if ((m = /^query_result\((.*)\)$/s.exec(q))) {
    const result = await prom.query(m[1]!, time.to);
    if (result.resultType === 'scalar') return [`scalar() ${result.result[1]} ${result.result[0] * 1000}`];
    return (result.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => {
      const { __name__: name = '', ...labels } = r.metric;
      const text = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ');
      return `${name}{${text}} ${r.value[1]} ${r.value[0] * 1000}`;
    });
  }
  throw new Error(`variable query not understood: ${query}`);
}

/** Resolves the template variables of a dashboard, in order. */
export async function resolveVariables(
  dashboard: DashboardJson,
  prom: PrometheusRunner,
  time: TimeContext,
  datasourceUids: Readonly<Record<string, string>> = {},
): Promise<Map<string, ResolvedVariable>> {
  const resolved = new Map<string, ResolvedVariable>();
  for (const v of dashboard.templating?.list ?? []) {
    let values: string[];
    let datasourceType: string | undefined;
    const query = variableQuery(v);
    switch (v.type) {
      case 'datasource':
        datasourceType = query;
        values = [datasourceUids[query] ?? query];
        break;
      case 'query': {
        const dsType = datasourceTypeOf(v.datasource, resolved);
        if (dsType !== DATASOURCE_TYPES.prometheus) throw new Error(`variable $${v.name}: query variables of datasource '${dsType}' are not resolved by this test`);
        values = await prometheusVariableValues(prom, interpolate(query, resolved, time), time);
        break;
      }
      case 'custom':
        values = query.split(/(?<!\\),/).map((s) => s.trim().split(' : ').pop()!.replace(/\\,/g, ',')).filter((s) => s !== '');
        break;
      case 'constant':
      case 'textbox':
        values = [query];
        break;
      case 'interval':
        values = query.split(',').map((s) => s.trim()).filter((s) => s !== '');
        break;
      case 'adhoc':
        continue; // ad-hoc filters add nothing until a user sets one
      default:
        throw new Error(`variable $${v.name}: type '${v.type}' is not resolved by this test`);
    }
    values = sortValues(applyRegex(values, v.regex), v.sort);
    const current = v.current?.value;
    const currentValues = current === undefined ? [] : Array.isArray(current) ? current : [current];
    const wantsAll = currentValues.includes('$__all');
    const savedStillValid = currentValues.length > 0 && !wantsAll && currentValues.every((c) => values.includes(c));
    let selected: string[];
    let all = false;
    if (savedStillValid) selected = currentValues;
    else if (v.includeAll && (wantsAll || currentValues.length === 0 || !savedStillValid)) {
      selected = values;
      all = true;
    } else selected = values.slice(0, 1);
    resolved.set(v.name, {
      name: v.name,
      type: v.type,
      values,
      selected,
      all,
      multi: v.multi ?? false,
      includeAll: v.includeAll ?? false,
      allValue: v.allValue ?? undefined,
      datasourceType,
    });
  }
  return resolved;
}

/** The datasource plugin id a panel/target/variable datasource reference points at. */
export function datasourceTypeOf(ref: VariableJson['datasource'], variables: ReadonlyMap<string, ResolvedVariable>): string | undefined {
  if (ref === null || ref === undefined) return undefined;
  if (typeof ref === 'string') {
    const name = /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(ref)?.[1];
    if (name) return variables.get(name)?.datasourceType;
    return ref;
  }
  if (ref.type) return ref.type;
  const name = ref.uid ? /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(ref.uid)?.[1] : undefined;
  return name ? variables.get(name)?.datasourceType : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// interpolation
// ---------------------------------------------------------------------------------------------------------------

const GRAFANA_INTERVALS: ReadonlyArray<readonly [number, number]> = [
  // [upper bound ms, rounded ms] of Grafana's rangeutil.roundInterval
  [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000], [7500, 5000],
  [12500, 10000], [17500, 15000], [25000, 20000], [45000, 30000], [90000, 60000], [210000, 120000],
  [450000, 300000], [750000, 600000], [1050000, 900000], [1500000, 1200000], [2700000, 1800000],
  [5400000, 3600000], [9000000, 7200000], [16200000, 10800000], [32400000, 21600000],
];

/** Grafana's rangeutil.roundInterval (ms). */
export function roundInterval(ms: number): number {
  for (const [bound, rounded] of GRAFANA_INTERVALS) if (ms < bound) return rounded;
  return 43200000;
}

/** Parses a Prometheus/Grafana duration ("30s", "1m", "500ms") into seconds. */
export function durationSeconds(text: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g;
  let m: RegExpExecArray | null;
  let matched = '';
  while ((m = re.exec(text))) {
    total += Number(m[1]) * units[m[2]!]!;
    matched += m[0];
  }
  if (matched !== text.replace(/^>/, '')) throw new Error(`not a duration: '${text}'`);
  return total;
}

function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${Math.round(seconds)}s`;
}

/** Interval, step and macro values Grafana computes for one query. */
export interface QueryTiming {
  /** `$__interval`, seconds. */
  readonly intervalSeconds: number;
  /** Step sent to Prometheus, seconds. */
  readonly stepSeconds: number;
  /** `$__rate_interval`, seconds. */
  readonly rateIntervalSeconds: number;
  readonly rangeSeconds: number;
}

/** What Grafana's Prometheus datasource computes for a query over `time` (min interval from the target/panel). */
export function queryTiming(time: TimeContext, minInterval?: string): QueryTiming {
  const rangeSeconds = time.to - time.from;
  const scrape = time.scrapeIntervalSeconds;
  const min = minInterval ? durationSeconds(interpolateBuiltins(minInterval, time)) : scrape;
  const raw = roundInterval((rangeSeconds * 1000) / time.maxDataPoints) / 1000;
  const intervalSeconds = Math.max(raw, min);
  // Prometheus refuses more than 11000 points per series; Grafana keeps the step above range/11000
  const stepSeconds = Math.max(intervalSeconds, Math.ceil(rangeSeconds / 11000));
  const rateIntervalSeconds = Math.max(intervalSeconds + scrape, 4 * scrape);
  return { intervalSeconds, stepSeconds, rateIntervalSeconds, rangeSeconds };
}

function interpolateBuiltins(text: string, time: TimeContext, timing?: QueryTiming): string {
  const t = timing ?? queryTiming(time);
  const builtins: Record<string, string> = {
    __interval: formatDuration(t.intervalSeconds),
    __interval_ms: String(Math.round(t.intervalSeconds * 1000)),
    __rate_interval: formatDuration(t.rateIntervalSeconds),
    __rate_interval_ms: String(Math.round(t.rateIntervalSeconds * 1000)),
    __range: `${Math.round(t.rangeSeconds)}s`,
    __range_s: String(Math.round(t.rangeSeconds)),
    __range_ms: String(Math.round(t.rangeSeconds * 1000)),
    __from: String(Math.round(time.from * 1000)),
    __to: String(Math.round(time.to * 1000)),
  };
  return text.replace(/\$\{(__[a-z_]+)(?::[a-z]+)?\}|\$(__[a-z_]+)|\[\[(__[a-z_]+)\]\]/g, (whole, a, b, c) => builtins[a ?? b ?? c] ?? whole);
}

/** Grafana's prometheusRegularEscape / prometheusSpecialRegexEscape. */
function regularEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
}
function specialRegexEscape(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

function formatVariable(v: ResolvedVariable, format: string | undefined): string {
  const values = v.selected;
  if (format) {
    switch (format) {
      case 'raw':
      case 'text':
        return values.join(',');
      case 'csv':
        return values.join(',');
      case 'pipe':
        return values.join('|');
      case 'regex':
        return values.length === 1 ? values[0]!.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&') : `(${values.map((s) => s.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})`;
      case 'json':
        return JSON.stringify(values);
      case 'singlequote':
        return values.map((s) => `'${s.replace(/'/g, "\\'")}'`).join(',');
      case 'doublequote':
        return values.map((s) => `"${s.replace(/"/g, '\\"')}"`).join(',');
      case 'glob':
        return values.length === 1 ? values[0]! : `{${values.join(',')}}`;
      case 'lucene':
        return values.length === 1 ? `"${values[0]}"` : `(${values.map((s) => `"${s}"`).join(' OR ')})`;
      case 'queryparam':
        return values.map((s) => `var-${v.name}=${encodeURIComponent(s)}`).join('&');
      case 'percentencode':
        return encodeURIComponent(values.join(','));
      default:
        throw new Error(`variable format '${format}' not known`);
    }
  }
  if (v.type === 'datasource') return values[0] ?? '';
  if (v.all && v.allValue !== undefined && v.allValue !== null && v.allValue !== '') return v.allValue;
  // the Prometheus datasource's interpolateQueryExpr
  if (!v.multi && !v.includeAll) return regularEscape(values[0] ?? '');
  const escaped = values.map(specialRegexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

/** Replaces template variables and built-in macros in a query, as Grafana does before sending it. */
export function interpolate(text: string, variables: ReadonlyMap<string, ResolvedVariable>, time: TimeContext, timing?: QueryTiming): string {
  const withBuiltins = interpolateBuiltins(text, time, timing);
  return withBuiltins.replace(/\$\{([A-Za-z0-9_]+)(?::([A-Za-z]+))?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z0-9_]+)(?::([A-Za-z]+))?\]\]/g, (whole, n1, f1, n2, n3, f3) => {
    const name = n1 ?? n2 ?? n3;
    const v = variables.get(name);
    if (!v) return whole;
    return formatVariable(v, f1 ?? f3);
  });
}

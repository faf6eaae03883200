/**
 * A PromQL checker for tests: parses expressions with the Prometheus project's own Lezer grammar
 * (`@prometheus-io/lezer-promql`, the one the Prometheus UI uses), lists the metric names an expression reads,
 * and holds those names against the metric catalogs in `test/upstream/metrics/` plus our recording rules.
 *
 * Used by the rules tests and by the dashboards tests (every panel query goes through {@link checkPromQL}).
 */
import { parser } from '@prometheus-io/lezer-promql';
import { RECORDING_RULE_NAMES } from './metric-catalog.js';
import { upstreamJson, upstreamMetricsText } from './upstream.js';

/** The dcgm-exporter CSVs we read (facts: field, type, help). */
export const DCGM_CSV_FILES = ['dcgm-exporter-4.8.2.default-counters.csv', 'dcgm-exporter-4.8.2.dcp-metrics-included.csv'] as const;

/** One syntax problem in an expression. */
export interface PromQLError {
  /** Character offset where the problem starts. */
  readonly from: number;
  /** Character offset where it ends. */
  readonly to: number;
  readonly message: string;
}

/** Options of {@link parsePromQL} and friends. */
export interface PromQLOptions {
  /**
   * Replace Grafana template variables (`$__rate_interval`, `$__interval`, `$__range`, `$var`, `${var}`,
   * `${var:fmt}`, `[[var]]`) with something parseable before parsing: durations by `5m`, others by `x`.
   * @default false
   */
  readonly grafana?: boolean;
}

const GRAFANA_DURATIONS = /\$(?:__rate_interval|__interval|__range)\b|\$\{(?:__rate_interval|__interval|__range)\}/g;
const GRAFANA_VARIABLES = /\$\{[A-Za-z0-9_]+(?::[A-Za-z0-9_]+)?\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[A-Za-z0-9_]+\]\]/g;

/** Applies the Grafana variable substitution of {@link PromQLOptions.grafana}. */
export function substituteGrafanaVariables(expr: string): string {
  return expr.replace(GRAFANA_DURATIONS, '5m').replace(GRAFANA_VARIABLES, 'x');
}

function prepare(expr: string, options: PromQLOptions): string {
  return options.grafana ? substituteGrafanaVariables(expr) : expr;
}

/** Parses an expression; returns its syntax errors (empty when it parses cleanly). */
export function parsePromQL(expr: string, options: PromQLOptions = {}): PromQLError[] {
  const text = prepare(expr, options);
  const errors: PromQLError[] = [];
  if (text.trim() === '') return [{ from: 0, to: 0, message: 'empty expression' }];
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) {
        const near = text.slice(Math.max(0, node.from - 15), node.to + 15);
        errors.push({ from: node.from, to: node.to, message: `syntax error at offset ${node.from} near '${near}'` });
      }
    },
  });
  return errors;
}

/**
 * Metric names an expression reads: the name of every vector/matrix selector, and `__name__="..."` matchers.
 * Sorted and de-duplicated. Regex `__name__` matchers cannot be resolved and are returned by
 * {@link unresolvableSelectors} instead.
 */
export function metricNames(expr: string, options: PromQLOptions = {}): string[] {
  const text = prepare(expr, options);
  const names = new Set<string>();
  parser.parse(text).iterate({
    enter(node) {
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) names.add(text.slice(identifier.from, identifier.to));
        const matchers = node.node.getChild('LabelMatchers');
        for (const matcher of matchers?.getChildren('UnquotedLabelMatcher') ?? []) {
          const label = matcher.getChild('LabelName');
          const op = matcher.getChild('MatchOp');
          const value = matcher.getChild('StringLiteral');
          if (!label || !op || !value) continue;
          if (text.slice(label.from, label.to) === '__name__' && text.slice(op.from, op.to) === '=') {
            names.add(JSON.parse(text.slice(value.from, value.to).replace(/^'|'$/g, '"')));
          }
        }
        for (const quoted of matchers?.getChildren('QuotedLabelName') ?? []) {
          names.add(JSON.parse(text.slice(quoted.from, quoted.to)));
        }
      }
    },
  });
  return [...names].sort();
}

/** Selectors that name no metric (or only by regex), e.g. `{__name__=~"DCGM_.*"}`: not checkable against a catalog. */
export function unresolvableSelectors(expr: string, options: PromQLOptions = {}): string[] {
  const text = prepare(expr, options);
  const found: string[] = [];
  parser.parse(text).iterate({
    enter(node) {
      if (node.name === 'VectorSelector' && !node.node.getChild('Identifier')) {
        const selector = text.slice(node.from, node.to);
        if (!/__name__\s*=\s*["']/.test(selector) && !node.node.getChild('LabelMatchers')?.getChild('QuotedLabelName')) found.push(selector);
      }
    },
  });
  return found;
}

/** Series Prometheus itself produces for every target or alert (not in any exporter's catalog). */
export const PROMETHEUS_SYNTHETIC_SERIES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
  'ALERTS',
  'ALERTS_FOR_STATE',
] as const;

interface CatalogMetric {
  readonly name: string;
  readonly type?: string;
}
interface CatalogExporter {
  readonly name: string;
  readonly metrics?: readonly CatalogMetric[];
  readonly deprecated?: readonly { readonly name: string }[];
  readonly common_labels?: readonly { readonly name: string }[];
  readonly label_sets?: Readonly<Record<string, readonly string[]>>;
}

let catalogCache: readonly CatalogExporter[] | undefined;

/**
 * Metrics we read that the shared catalog (`../shared/metrics/catalog.yaml`, read-only here) does not list, by
 * exporter, each read from the exporter's source at the version the catalog names.
 */
const CATALOG_ADDITIONS: Readonly<Record<string, readonly (CatalogMetric & { readonly labels: readonly string[]; readonly source: string })[]>> = {
  'kube-state-metrics': [
    {
      name: 'kube_replicaset_owner',
      type: 'gauge',
      labels: ['namespace', 'replicaset', 'owner_kind', 'owner_name', 'owner_is_controller'],
      source: 'kubernetes/kube-state-metrics v2.17.0 internal/store/replicaset.go',
    },
  ],
};

/** The exporters of the metric catalog (`test/upstream/metrics/catalog.json`), with {@link CATALOG_ADDITIONS}. */
export function catalogExporters(): readonly CatalogExporter[] {
  catalogCache ??= upstreamJson<{ exporters: CatalogExporter[] }>('metrics/catalog.json').exporters.map((e) => {
    const extra = CATALOG_ADDITIONS[e.name];
    return extra ? { ...e, metrics: [...(e.metrics ?? []), ...extra] } : e;
  });
  return catalogCache;
}

/** One row of a dcgm-exporter CSV (commented-out rows included: they are fields one can switch on). */
export interface DcgmCsvRow {
  readonly field: string;
  readonly type: string;
  readonly help: string;
  /** False when the row is commented out in the shipped CSV. */
  readonly enabledByDefault: boolean;
}

/** Rows of a dcgm-exporter CSV. */
export function dcgmCsvRows(file: string = DCGM_CSV_FILES[0]): DcgmCsvRow[] {
  const rows: DcgmCsvRow[] = [];
  for (const raw of upstreamMetricsText(file).split('\n')) {
    const commented = raw.trimStart().startsWith('#');
    const line = commented ? raw.trimStart().slice(1) : raw;
    const match = /^\s*(DCGM_[A-Z0-9_]+)\s*,\s*([a-z]+)\s*,\s*(.*)$/.exec(line);
    if (match) rows.push({ field: match[1]!, type: match[2]!, help: match[3]!.trim(), enabledByDefault: !commented });
  }
  return rows;
}

/** Wire names of one catalog metric: histograms and summaries expand to their series. */
function seriesNames(metric: CatalogMetric): string[] {
  switch (metric.type) {
    case 'histogram':
      return [metric.name, `${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`];
    case 'summary':
      return [metric.name, `${metric.name}_sum`, `${metric.name}_count`];
    default:
      return [metric.name];
  }
}

let knownCache: ReadonlySet<string> | undefined;

/**
 * Every metric name an exporter we read puts on the wire (catalog.yaml metrics and deprecated names, and
 * every non-label field of the dcgm CSVs), with histogram/summary series expanded.
 */
export function catalogMetricNames(): ReadonlySet<string> {
  if (knownCache) return knownCache;
  const names = new Set<string>();
  for (const exporter of catalogExporters()) {
    for (const metric of exporter.metrics ?? []) for (const name of seriesNames(metric)) names.add(name);
    for (const old of exporter.deprecated ?? []) names.add(old.name);
  }
  for (const file of DCGM_CSV_FILES) for (const row of dcgmCsvRows(file)) if (row.type !== 'label') names.add(row.field);
  for (const name of Object.keys(METRIC_SUPPLEMENT)) names.add(name);
  knownCache = names;
  return names;
}

/**
 * Metrics the shared catalog (read-only here) does not list, each read from its exporter's source at the pinned
 * version; only the OpenSearch storage alerts read them.
 */
export const METRIC_SUPPLEMENT: Readonly<Record<string, string>> = {
  kube_cronjob_status_last_successful_time: 'kubernetes/kube-state-metrics v2.19.1 internal/store/cronjob.go (gauge; labels namespace, cronjob; only after a successful run)',
  kube_cronjob_created: 'kubernetes/kube-state-metrics v2.19.1 internal/store/cronjob.go (gauge; labels namespace, cronjob)',
  kubelet_volume_stats_available_bytes: 'kubernetes pkg/kubelet/metrics/collectors/volume_stats.go (gauge; labels namespace, persistentvolumeclaim); read by kube-prometheus KubePersistentVolumeFillingUp',
  kubelet_volume_stats_capacity_bytes: 'kubernetes pkg/kubelet/metrics/collectors/volume_stats.go (gauge; labels namespace, persistentvolumeclaim)',
  certmanager_certificate_expiration_timestamp_seconds: 'cert-manager/cert-manager v1.21.1 internal/collectors/certificate_collector.go (gauge; labels name, namespace, issuer_name, issuer_kind, issuer_group; 0 while unknown)',
};

/** Names an expression may read: catalogs, our recording rules, Prometheus' own series, and `extra`. */
export function knownMetricNames(extra: Iterable<string> = []): ReadonlySet<string> {
  return new Set([...catalogMetricNames(), ...RECORDING_RULE_NAMES, ...PROMETHEUS_SYNTHETIC_SERIES, ...extra]);
}

/** Metric names an expression reads that are in no catalog and produced by none of our recording rules. */
export function unknownMetricNames(expr: string, options: PromQLOptions & { readonly extra?: Iterable<string> } = {}): string[] {
  const known = knownMetricNames(options.extra);
  return metricNames(expr, options).filter((name) => !known.has(name));
}

/**
 * Every problem with an expression, as readable strings: syntax errors, unknown metric names, and selectors
 * that name no metric. Empty when the expression is fine.
 */
export function checkPromQL(expr: string, options: PromQLOptions & { readonly extra?: Iterable<string> } = {}): string[] {
  const syntax = parsePromQL(expr, options);
  if (syntax.length > 0) return syntax.map((e) => e.message);
  return [
    ...unknownMetricNames(expr, options).map((name) => `unknown metric '${name}' (not in the metric catalogs nor a recording rule of ours)`),
    ...unresolvableSelectors(expr, options).map((s) => `selector '${s}' names no metric`),
  ];
}

/**
 * Typed panel and query descriptions for {@link DashboardBuilder}. A panel description says what to show
 * (title, description, queries, unit, thresholds); the builder places it on the grid, numbers it and binds its
 * queries to the dashboard's datasource variables.
 * @module
 */
import type { PanelType, ThresholdStep } from './model.js';

/** Which datasource variable of the dashboard a query runs against. */
export type QuerySource = 'prometheus' | 'logs';

/** A Prometheus query of a panel. */
export interface PromQuery {
  readonly source: 'prometheus';
  readonly expr: string;
  /** Legend template, e.g. `{{pod}}`. @default Grafana's default (the series labels) */
  readonly legend?: string;
  /** `heatmap` for histogram buckets, `table` for an instant table. @default "time_series" */
  readonly format?: 'time_series' | 'heatmap' | 'table';
  /** Evaluate once at the end of the range instead of over it (stat/table/bar gauge panels). @default false */
  readonly instant?: boolean;
}

/** An OpenSearch logs query (Lucene syntax, Grafana variables allowed). */
export interface LogsQuery {
  readonly source: 'logs';
  readonly query: string;
  /** The document time field. */
  readonly timeField: string;
}

/** Any query of a panel. */
export type Query = PromQuery | LogsQuery;

/** A Prometheus query. */
export function prom(expr: string, options: Omit<PromQuery, 'source' | 'expr'> = {}): PromQuery {
  return { source: 'prometheus', expr, ...options };
}

/** An OpenSearch logs query. */
export function logsQuery(query: string, timeField: string): LogsQuery {
  return { source: 'logs', query, timeField };
}

/** Colour steps: a base colour, then a colour from each value on. */
export interface Thresholds {
  readonly base: string;
  readonly steps?: readonly { readonly value: number; readonly color: string }[];
}

/** What every panel description has. */
export interface PanelSpec {
  readonly title: string;
  /** What the panel shows, and what a bad value means (shown as the panel's info tooltip). Required. */
  readonly description: string;
  readonly queries: readonly Query[];
  /** Grafana unit id, e.g. `percent`, `percentunit`, `bytes`, `watt`, `celsius`, `s`, `currencyUSD`. */
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  readonly thresholds?: Thresholds;
  /** Width in grid columns (of 24). @default 12 */
  readonly width?: number;
  /** Height in grid rows. @default 8 */
  readonly height?: number;
}

/** A panel description with its plugin type and plugin options, ready for {@link DashboardBuilder.panel}. */
export interface PanelDraft {
  readonly type: PanelType;
  readonly spec: PanelSpec;
  readonly options: Readonly<Record<string, unknown>>;
  readonly custom: Readonly<Record<string, unknown>>;
  readonly colorMode?: string;
  readonly transformations?: readonly unknown[];
}

/** Options of a time-series panel. */
export interface TimeseriesSpec extends PanelSpec {
  /** Stack the series (e.g. allocated GPUs per namespace). @default false */
  readonly stack?: boolean;
  /** Draw thresholds as dashed lines. @default false when no thresholds are set */
  readonly showThresholds?: boolean;
  /** Legend calculations shown in a table legend, e.g. `['mean', 'max']`. @default a plain list */
  readonly legendCalcs?: readonly string[];
}

/** A time-series panel. */
export function timeseries(spec: TimeseriesSpec): PanelDraft {
  const calcs = spec.legendCalcs ?? [];
  return {
    type: 'timeseries',
    spec,
    options: {
      legend: calcs.length > 0 ? { displayMode: 'table', placement: 'bottom', showLegend: true, calcs } : { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
    custom: {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: spec.stack ? 40 : 10,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
      thresholdsStyle: { mode: (spec.showThresholds ?? spec.thresholds !== undefined) ? 'dashed' : 'off' },
    },
    colorMode: 'palette-classic',
  };
}

/** A single-value panel (the last value of each series). */
export function stat(spec: PanelSpec & { readonly reducer?: 'lastNotNull' | 'mean' | 'max' | 'sum' }): PanelDraft {
  return {
    type: 'stat',
    spec,
    options: {
      reduceOptions: { calcs: [spec.reducer ?? 'lastNotNull'], fields: '', values: false },
      colorMode: 'value',
      graphMode: 'area',
      justifyMode: 'auto',
      orientation: 'auto',
      textMode: 'auto',
      wideLayout: true,
      showPercentChange: false,
    },
    custom: {},
    colorMode: 'thresholds',
  };
}

/** A gauge (the last value against min/max). */
export function gauge(spec: PanelSpec): PanelDraft {
  return {
    type: 'gauge',
    spec,
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      orientation: 'auto',
      showThresholdLabels: false,
      showThresholdMarkers: true,
    },
    custom: {},
    colorMode: 'thresholds',
  };
}

/** Horizontal bars, one per series (e.g. top namespaces by idle GPU hours). */
export function bargauge(spec: PanelSpec): PanelDraft {
  return {
    type: 'bargauge',
    spec,
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      orientation: 'horizontal',
      displayMode: 'gradient',
      valueMode: 'color',
      showUnfilled: true,
      namePlacement: 'auto',
      sizing: 'auto',
      minVizHeight: 16,
      minVizWidth: 8,
      maxVizHeight: 300,
    },
    custom: {},
    colorMode: 'thresholds',
  };
}

/** A table of instant queries, one row per label set, columns merged across the queries. */
export function table(spec: PanelSpec): PanelDraft {
  return {
    type: 'table',
    spec,
    options: { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '', countRows: false } },
    custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false },
    colorMode: 'thresholds',
    transformations: [{ id: 'merge', options: {} }, { id: 'organize', options: { excludeByName: { Time: true } } }],
  };
}

/** A heatmap of a Prometheus histogram's buckets (queries with `format: 'heatmap'`). */
export function heatmap(spec: PanelSpec): PanelDraft {
  return {
    type: 'heatmap',
    spec,
    options: {
      calculate: false,
      cellGap: 1,
      color: { mode: 'scheme', scheme: 'Oranges', fill: 'dark-orange', scale: 'exponential', exponent: 0.5, steps: 64, reverse: false },
      yAxis: { axisPlacement: 'left', unit: spec.unit ?? 'short' },
      rowsFrame: { layout: 'auto' },
      tooltip: { mode: 'single', yHistogram: true, showColorScale: false },
      legend: { show: true },
      exemplars: { color: 'rgba(255,0,255,0.7)' },
      filterValues: { le: 1e-9 },
    },
    custom: { hideFrom: { legend: false, tooltip: false, viz: false }, scaleDistribution: { type: 'linear' } },
  };
}

/** A logs panel (newest first). */
export function logs(spec: PanelSpec): PanelDraft {
  return {
    type: 'logs',
    spec,
    options: {
      showTime: true,
      showLabels: false,
      showCommonLabels: false,
      wrapLogMessage: true,
      prettifyLogMessage: false,
      enableLogDetails: true,
      enableInfiniteScrolling: false,
      dedupStrategy: 'none',
      sortOrder: 'Descending',
    },
    custom: {},
  };
}

/** Threshold steps in Grafana's form. */
export function thresholdSteps(thresholds: Thresholds): ThresholdStep[] {
  return [{ color: thresholds.base, value: null }, ...(thresholds.steps ?? []).map((s) => ({ color: s.color, value: s.value }))];
}

/**
 * The subset of Grafana's dashboard JSON model (schema version {@link GRAFANA_SCHEMA_VERSION}) that our
 * dashboards use, as TypeScript types. The builder in `builder.ts` produces values of these types; they are
 * rendered to JSON only at synth.
 * @module
 */
import { OPENSEARCH_DATASOURCE_PLUGIN } from '../../logs/opensearch/opensearch-datasource.js';

/**
 * Dashboard schema version written into every dashboard.
 *
 * kube-prometheus-stack 88.5.3 ships the grafana chart 12.x (Grafana 12). 41 is the latest schema version every
 * Grafana 12 release knows (12.2+ know 42 and migrate 41 to 42 on load; the 41 -> 42 step only touches
 * `custom.hideFrom` overrides, which our dashboards do not use), so a dashboard at 41 loads unchanged everywhere.
 */
export const GRAFANA_SCHEMA_VERSION = 41;

/** Plugin id of Grafana's Prometheus datasource. */
export const PROMETHEUS_DATASOURCE_TYPE = 'prometheus';
/** Plugin id of the OpenSearch datasource (the logs datasource's plugin, installed by PrometheusStack). */
export const OPENSEARCH_DATASOURCE_TYPE = OPENSEARCH_DATASOURCE_PLUGIN;

/** A reference to a datasource: by plugin type and uid (the uid may be a `${variable}`). */
export interface DataSourceRef {
  readonly type: string;
  readonly uid: string;
}

/** Position and size of a panel on the 24-column grid. */
export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

/** A Prometheus query of a panel. */
export interface PrometheusQueryTarget {
  readonly refId: string;
  readonly datasource: DataSourceRef;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly editorMode: 'code';
  readonly range: boolean;
  readonly instant: boolean;
  /** `heatmap` for histogram buckets shown as a heatmap, `table` for instant tables. */
  readonly format?: 'time_series' | 'heatmap' | 'table';
  readonly interval?: string;
}

/** An OpenSearch logs query (Lucene syntax) of a panel, as the grafana-opensearch-datasource plugin stores it. */
export interface OpenSearchLogsQueryTarget {
  readonly refId: string;
  readonly datasource: DataSourceRef;
  readonly queryType: 'lucene';
  readonly query: string;
  readonly metrics: readonly [{ readonly id: string; readonly type: 'logs' }];
  readonly bucketAggs: readonly [];
  readonly timeField: string;
}

/** A query of a panel. */
export type PanelTarget = PrometheusQueryTarget | OpenSearchLogsQueryTarget;

/** One threshold step; the first step has `value: null` (base colour). */
export interface ThresholdStep {
  readonly color: string;
  readonly value: number | null;
}

/** Field defaults of a panel. */
export interface FieldDefaults {
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  readonly thresholds?: { readonly mode: 'absolute' | 'percentage'; readonly steps: readonly ThresholdStep[] };
  readonly color?: { readonly mode: string };
  readonly custom?: Readonly<Record<string, unknown>>;
}

/** A data panel (anything but a row). */
export interface DataPanel {
  readonly id: number;
  readonly type: PanelType;
  readonly title: string;
  readonly description: string;
  readonly datasource: DataSourceRef;
  readonly gridPos: GridPos;
  readonly targets: readonly PanelTarget[];
  readonly fieldConfig: { readonly defaults: FieldDefaults; readonly overrides: readonly unknown[] };
  readonly options: Readonly<Record<string, unknown>>;
  readonly transformations?: readonly unknown[];
}

/** A row header; Grafana keeps the panels below it (up to the next row) in it when expanded. */
export interface RowPanel {
  readonly id: number;
  readonly type: 'row';
  readonly title: string;
  readonly collapsed: false;
  readonly gridPos: GridPos;
  readonly panels: readonly [];
}

/** Any panel of a dashboard. */
export type Panel = DataPanel | RowPanel;

/** Panel plugins our dashboards use. */
export type PanelType = 'timeseries' | 'stat' | 'gauge' | 'bargauge' | 'table' | 'heatmap' | 'logs';

/** A variable's current value. */
export interface VariableOption {
  readonly text: string | readonly string[];
  readonly value: string | readonly string[];
  readonly selected?: boolean;
}

/** A datasource template variable: picks a datasource of one plugin type. */
export interface DatasourceVariable {
  readonly type: 'datasource';
  readonly name: string;
  readonly label: string;
  readonly description: string;
  /** The plugin id the variable lists. */
  readonly query: string;
  readonly current: VariableOption;
  readonly hide: 0 | 1 | 2;
  readonly includeAll: false;
  readonly multi: false;
  readonly options: readonly [];
  readonly refresh: 1;
  readonly regex: string;
}

/** A Prometheus query variable (label_values and friends). */
export interface QueryVariable {
  readonly type: 'query';
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly datasource: DataSourceRef;
  readonly definition: string;
  readonly query: { readonly qryType: number; readonly query: string; readonly refId: string };
  readonly current: VariableOption | Record<string, never>;
  readonly hide: 0 | 1 | 2;
  readonly includeAll: boolean;
  readonly multi: boolean;
  readonly allValue?: string;
  readonly options: readonly [];
  /** 2 = refresh on time-range change (labels of series that exist now). */
  readonly refresh: 1 | 2;
  readonly regex: string;
  /** 1 = alphabetical ascending. */
  readonly sort: number;
}

/** Any template variable our dashboards use. */
export type TemplateVariable = DatasourceVariable | QueryVariable;

/** A link from a dashboard to others (by tag) or to a URL. */
export interface DashboardLink {
  readonly title: string;
  readonly type: 'dashboards' | 'link';
  readonly tags: readonly string[];
  readonly asDropdown: boolean;
  readonly includeVars: boolean;
  readonly keepTime: boolean;
  readonly targetBlank: boolean;
  readonly icon: string;
  readonly tooltip: string;
  readonly url: string;
}

/** A complete Grafana dashboard, as loaded by Grafana's dashboard provisioning (the sidecar). */
export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly version: number;
  readonly editable: boolean;
  readonly graphTooltip: 0 | 1 | 2;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly timepicker: { readonly refresh_intervals: readonly string[] };
  readonly timezone: string;
  readonly fiscalYearStartMonth: number;
  readonly liveNow: boolean;
  readonly weekStart: string;
  readonly links: readonly DashboardLink[];
  readonly annotations: { readonly list: readonly unknown[] };
  readonly templating: { readonly list: readonly TemplateVariable[] };
  readonly panels: readonly Panel[];
}

/** True for a data panel (not a row). */
export function isDataPanel(panel: Panel): panel is DataPanel {
  return panel.type !== 'row';
}

/** True for a Prometheus query. */
export function isPrometheusQuery(target: PanelTarget): target is PrometheusQueryTarget {
  return 'expr' in target;
}

/** True for an OpenSearch logs query. */
export function isOpenSearchLogsQuery(target: PanelTarget): target is OpenSearchLogsQueryTarget {
  return 'queryType' in target && target.queryType === 'lucene';
}

/**
 * The toolkit's shared constants, and the dashboards as the rest of the library sees them once built: a read-only
 * view of Grafana's dashboard JSON (identity, variables, panels and their queries) for the public API and the docs.
 *
 * The dashboards are built with Grafana's own `@grafana/grafana-foundation-sdk` (builder.ts, panels.ts), whose
 * types cover every panel option. Those types stay out of this module on purpose: the SDK publishes them behind
 * subpath exports (`@grafana/grafana-foundation-sdk/dashboard`, ...), which TypeScript's `node10` module resolution,
 * the default of a CommonJS app such as the one `cdk8s init typescript-app` generates, cannot follow; a public type
 * naming them would not compile there. A dashboard the builder returns is Grafana's `Dashboard` and fits this view.
 *
 * The JSON is Grafana's classic ("v1") dashboard model, the one Grafana 12's file provisioning and dashboard sidecar
 * load. The SDK marks it deprecated in favour of the v2 schema, which Grafana 12 reads only behind the experimental
 * dynamic-dashboards and `kubernetesDashboards` feature toggles (Grafana 13 migrates v1 dashboards on load).
 * @module
 */
import { OPENSEARCH_DATASOURCE_PLUGIN } from '../../logs/opensearch/opensearch-datasource.js';

/**
 * Dashboard schema version written into every dashboard.
 *
 * kube-prometheus-stack 88.5.3 ships the grafana chart 12.x (Grafana 12). 41 is the latest schema version every
 * Grafana 12 release knows (12.2+ know 42 and migrate 41 to 42 on load; the 41 -> 42 step only touches
 * `custom.hideFrom` overrides, which our dashboards do not use), so a dashboard at 41 loads unchanged everywhere.
 * The SDK's default (42) is overridden for that reason.
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

/** A Prometheus query of a panel. */
export interface PrometheusQueryView {
  readonly refId?: string;
  readonly datasource?: Partial<DataSourceRef>;
  readonly expr: string;
  readonly legendFormat?: string;
}

/** An OpenSearch logs query of a panel (Lucene). */
export interface OpenSearchLogsQueryView {
  readonly refId?: string;
  readonly datasource?: Partial<DataSourceRef>;
  readonly queryType: 'lucene';
  readonly query: string;
  readonly timeField: string;
}

/** A panel, or a row header (`type: 'row'`). */
export interface PanelView {
  readonly type: string;
  readonly id?: number;
  readonly title?: string;
  readonly description?: string;
  readonly datasource?: Partial<DataSourceRef>;
  readonly gridPos?: { readonly h: number; readonly w: number; readonly x: number; readonly y: number };
  /** The panel's queries: {@link isPrometheusQuery} and {@link isOpenSearchLogsQuery} tell them apart. */
  readonly targets?: readonly object[];
}

/** A template variable (URL parameter `var-<name>`). */
export interface VariableView {
  readonly type: string;
  readonly name: string;
  readonly label?: string;
  readonly description?: string;
  /** The value selected when the dashboard opens. */
  readonly current?: { readonly value: string | readonly string[] };
}

/** A built dashboard: the parts of Grafana's dashboard JSON the library and its docs read. */
export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly templating: { readonly list: readonly VariableView[] };
  readonly panels: readonly PanelView[];
}

/** True for a row header. */
export function isRow(panel: PanelView): boolean {
  return panel.type === 'row';
}

/** True for a Prometheus query. */
export function isPrometheusQuery(target: object): target is PrometheusQueryView {
  return 'expr' in target;
}

/** True for an OpenSearch logs query. */
export function isOpenSearchLogsQuery(target: object): target is OpenSearchLogsQueryView {
  return 'queryType' in target && target.queryType === 'lucene';
}

/**
 * The dashboard model: Grafana's own types from `@grafana/grafana-foundation-sdk` (generated from Grafana's schemas),
 * narrowed to what {@link DashboardBuilder} guarantees, plus the constants and type guards the toolkit shares.
 *
 * The model is Grafana's classic ("v1") dashboard JSON, the one Grafana 12's file provisioning and dashboard sidecar
 * load. The SDK marks it deprecated in favour of the v2 schema, which Grafana 12 reads only behind the experimental
 * dynamic-dashboards and `kubernetesDashboards` feature toggles (Grafana 13 migrates v1 dashboards on load).
 * @module
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { OPENSEARCH_DATASOURCE_PLUGIN } from '../../logs/opensearch/opensearch-datasource.js';
import type { OpenSearchLogsQuery } from './opensearch-query.js';

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

/** A data panel (anything but a row), as Grafana's schema types it. */
export type DataPanel = dashboard.Panel;
/** A row header. */
export type RowPanel = dashboard.RowPanel;
/** Any panel of a dashboard. */
export type Panel = DataPanel | RowPanel;
/** A template variable. */
export type TemplateVariable = dashboard.VariableModel;

/**
 * A dashboard as {@link DashboardBuilder} returns it: Grafana's `Dashboard` type with the fields the builder always
 * sets made required.
 */
export type GrafanaDashboard = dashboard.Dashboard & {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: string[];
  readonly panels: Panel[];
  readonly templating: { readonly list: TemplateVariable[] };
};

/** True for a row header. */
export function isRow(panel: Panel): panel is RowPanel {
  return panel.type === 'row';
}

/** True for a Prometheus query. */
export function isPrometheusQuery(target: cog.Dataquery): target is prometheus.Dataquery {
  return 'expr' in target;
}

/** True for an OpenSearch logs query. */
export function isOpenSearchLogsQuery(target: cog.Dataquery): target is OpenSearchLogsQuery {
  return 'queryType' in target && target.queryType === 'lucene';
}

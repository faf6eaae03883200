import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { GRAFANA_SCHEMA_VERSION, OPENSEARCH_DATASOURCE_TYPE, PROMETHEUS_DATASOURCE_TYPE, type DataSourceRef, type GrafanaDashboard, type PanelView } from './model.js';
import { openSearchLogsQuery } from './opensearch-query.js';
import type { PanelDraft, PanelSpec, PromQuery, Query } from './panels.js';
import { DASHBOARD_VARIABLES } from './dashboard-ids.js';
import { CLUSTER_LABEL, clusterScoped, clusterScopedVariableQuery, type ClusterScopeOptions } from '../../core/cluster-label.js';

const GRID_COLUMNS = 24;
const DEFAULT_WIDTH = 12;
const DEFAULT_HEIGHT = 8;
/** Auto-refresh choices offered in the time picker. */
const REFRESH_INTERVALS = ['5s', '10s', '30s', '1m', '5m', '15m'];

/** Name of the cluster variable every dashboard has (see {@link DashboardBuilder.datasourceVariables}). */
export const CLUSTER_VARIABLE = DASHBOARD_VARIABLES.cluster;
/** The series the cluster variable lists the clusters of: `up`, which every scraped target has (and the fleet preset sends). */
export const CLUSTER_VALUES_METRIC = 'up';
/**
 * What every Prometheus query and query variable of a dashboard is scoped with: a `cluster=~"$cluster"` matcher on
 * every selector, `cluster` in every `by` / `on` list (core/cluster-label.ts says why).
 */
export const DASHBOARD_CLUSTER_SCOPE: ClusterScopeOptions = { label: CLUSTER_LABEL, matcher: `${CLUSTER_LABEL}=~"$${CLUSTER_VARIABLE}"` };
/**
 * The cluster variable's All value: a regex that also matches series without the label, so a dashboard on a
 * leaf's own Prometheus (whose TSDB holds no external label) shows its series.
 */
export const CLUSTER_ALL_VALUE = '.*';

/** What {@link DashboardBuilder.build} returns: Grafana's `Dashboard` with the fields the builder always sets. */
type BuiltDashboard = Omit<dashboard.Dashboard, 'panels'> & {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  templating: { list: dashboard.VariableModel[] };
  /** Built by the SDK's panel and row builders. */
  panels: PanelView[];
};

/** Props of {@link DashboardBuilder}. */
export interface DashboardBuilderProps {
  /** Stable uid: the dashboard's URL is `/d/<uid>`. Grafana allows at most 40 characters. */
  readonly uid: string;
  readonly title: string;
  /** What the dashboard is for. */
  readonly description: string;
  /** Tags; dashboards sharing a tag link to each other. @default [] */
  readonly tags?: readonly string[];
  /** Auto-refresh interval. @default "5s" */
  readonly refresh?: string;
  /** Start of the default time range. @default "now-1h" */
  readonly from?: string;
  /** Name of the Prometheus datasource variable panels query through. */
  readonly prometheusVariable: string;
  /** Name of the OpenSearch datasource variable log panels query through. @default none: no log panels */
  readonly logsVariable?: string;
}

/** Props of {@link DashboardBuilder.queryVariable}. */
export interface QueryVariableProps {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  /** A Prometheus variable query, e.g. `label_values(metric{namespace="$namespace"}, pod)`. */
  readonly query: string;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
  readonly hide?: boolean;
}

/**
 * Builds one Grafana dashboard with the foundation SDK's builders, adding what the SDK leaves to its user: lays
 * panels out left to right on the 24-column grid (a panel that does not fit starts a new line, a row header starts
 * a new line), numbers panels, assigns query refIds (A, B, ...), binds every query to the dashboard's datasource
 * variable, and refuses panels without a description or a query, or mixing datasources. Every Prometheus query and
 * query variable is scoped to the dashboard's `cluster` variable ({@link DASHBOARD_CLUSTER_SCOPE}), so a definition
 * never writes the cluster matcher itself.
 */
export class DashboardBuilder {
  private readonly props: DashboardBuilderProps;
  private readonly variables: dashboard.VariableModel[] = [];
  private readonly links: dashboard.DashboardLink[] = [];
  private readonly placed: PanelView[] = [];
  private nextId = 1;
  private x = 0;
  private y = 0;
  private lineHeight = 0;

  constructor(props: DashboardBuilderProps) {
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(props.uid)) {
      throw new Error(`dashboard uid '${props.uid}' must be 1-40 characters of letters, digits, '-' and '_'`);
    }
    this.props = props;
  }

  /** The datasource reference of the dashboard's Prometheus variable. */
  public get prometheusDatasource(): DataSourceRef {
    return { type: PROMETHEUS_DATASOURCE_TYPE, uid: `\${${this.props.prometheusVariable}}` };
  }

  /** The datasource reference of the dashboard's OpenSearch variable. */
  public get logsDatasource(): DataSourceRef {
    if (!this.props.logsVariable) throw new Error(`dashboard '${this.props.uid}' has no logs datasource variable`);
    return { type: OPENSEARCH_DATASOURCE_TYPE, uid: `\${${this.props.logsVariable}}` };
  }

  /** Adds a datasource variable listing datasources of `pluginType`, preselecting the one with uid `defaultUid`. */
  public datasourceVariable(props: { name: string; label: string; description: string; pluginType: string; defaultUid: string; defaultName?: string }): this {
    const variable = new dashboard.DatasourceVariableBuilder(props.name)
      .label(props.label)
      .description(props.description)
      // `type` is the plugin id the variable lists (the variable's `query`).
      .type(props.pluginType)
      .current({ selected: true, text: props.defaultName ?? props.defaultUid, value: props.defaultUid })
      .hide(dashboard.VariableHide.DontHide)
      .includeAll(false)
      .multi(false)
      .regex('');
    return this.addVariable(variable.build());
  }

  /**
   * Adds the dashboard's datasource variables, named as in the props: Prometheus, preselecting `prometheusUid`, and,
   * when the dashboard has log panels, OpenSearch, preselecting `logsUid`; then the cluster variable (multi-value,
   * All by default) every query is scoped with.
   */
  public datasourceVariables(defaults: { prometheusUid: string; logsUid?: string }): this {
    this.datasourceVariable({
      name: this.props.prometheusVariable,
      label: 'Prometheus',
      description: 'Prometheus datasource of the metric panels.',
      pluginType: PROMETHEUS_DATASOURCE_TYPE,
      defaultUid: defaults.prometheusUid,
    });
    if (this.props.logsVariable) {
      if (!defaults.logsUid) throw new Error(`dashboard '${this.props.uid}' has log panels: datasourceVariables needs logsUid`);
      this.datasourceVariable({
        name: this.props.logsVariable,
        label: 'Logs',
        description: 'OpenSearch datasource of the log panels.',
        pluginType: OPENSEARCH_DATASOURCE_TYPE,
        defaultUid: defaults.logsUid,
      });
    }
    // Cluster values from the series' own label (a central store has it on every series; a leaf's TSDB has none,
    // and All, the default, then matches everything).
    this.queryVariable({
      name: CLUSTER_VARIABLE,
      label: 'Cluster',
      description: `Clusters to show (the \`${CLUSTER_LABEL}\` external label each cluster's Prometheus adds); All also shows series without the label.`,
      query: `label_values(${CLUSTER_VALUES_METRIC}, ${CLUSTER_LABEL})`,
      multi: true,
      includeAll: true,
      allValue: CLUSTER_ALL_VALUE,
    });
    return this;
  }

  /** Adds a Prometheus query variable resolved through the dashboard's Prometheus datasource variable. */
  public queryVariable(props: QueryVariableProps): this {
    const query = props.name === CLUSTER_VARIABLE ? props.query : clusterScopedVariableQuery(props.query, DASHBOARD_CLUSTER_SCOPE);
    const variable = new dashboard.QueryVariableBuilder(props.name)
      .label(props.label)
      .description(props.description)
      .datasource(this.prometheusDatasource)
      .definition(query)
      // qryType 1 = classic query (label_values, query_result, ...) in the Prometheus variable editor.
      .query({ qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
      .hide(props.hide ? dashboard.VariableHide.HideVariable : dashboard.VariableHide.DontHide)
      .includeAll(props.includeAll ?? false)
      .multi(props.multi ?? false)
      .options([])
      // Labels of series that exist in the selected time range.
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
      .regex('')
      .sort(dashboard.VariableSort.AlphabeticalAsc);
    if (props.includeAll) variable.current({ selected: true, text: 'All', value: '$__all' });
    if (props.allValue !== undefined) variable.allValue(props.allValue);
    return this.addVariable(variable.build());
  }

  /** Adds a dropdown of the dashboards carrying `tag` (keeping time range and variables). */
  public linkToTag(tag: string, title: string): this {
    // A literal, not the SDK's DashboardLinkBuilder: its default `placement: inControlsMenu` would move the link
    // out of the dashboard's link bar into the controls menu on the Grafana releases that know that field.
    this.links.push({
      title,
      type: dashboard.DashboardLinkType.Dashboards,
      tags: [tag],
      asDropdown: true,
      includeVars: true,
      keepTime: true,
      targetBlank: false,
      icon: 'external link',
      tooltip: '',
      url: '',
    });
    return this;
  }

  /** Starts a new row with a header. */
  public row(title: string): this {
    this.newLine();
    const row = new dashboard.RowBuilder(title).id(this.nextId++).gridPos({ h: 1, w: GRID_COLUMNS, x: 0, y: this.y });
    this.placed.push(row.build());
    this.y += 1;
    return this;
  }

  /** Adds a panel after the previous one, wrapping to a new line when it does not fit. */
  public panel(draft: PanelDraft): this {
    const { spec, builder } = draft;
    const source = this.checkPanel(spec);
    const w = spec.width ?? DEFAULT_WIDTH;
    const h = spec.height ?? DEFAULT_HEIGHT;
    if (this.x + w > GRID_COLUMNS) this.newLine();
    const datasource = source === 'logs' ? this.logsDatasource : this.prometheusDatasource;
    builder.id(this.nextId++).datasource(datasource).gridPos({ h, w, x: this.x, y: this.y });
    spec.queries.forEach((q, i) => builder.withTarget(target(q, refId(i), datasource)));
    this.placed.push(builder.build());
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return this;
  }

  /** Adds panels one after the other, as {@link panel} does. */
  public panels(drafts: readonly PanelDraft[]): this {
    for (const draft of drafts) this.panel(draft);
    return this;
  }

  /** The dashboard, as Grafana's provisioning loads it: Grafana's `Dashboard`, seen through {@link GrafanaDashboard}. */
  public build(): GrafanaDashboard {
    const { uid, title, description } = this.props;
    const settings = new dashboard.DashboardBuilder(title)
      .version(1)
      .readonly()
      .tooltip(dashboard.DashboardCursorSync.Crosshair)
      .refresh(this.props.refresh ?? '5s')
      .time({ from: this.props.from ?? 'now-1h', to: 'now' })
      .timepicker(new dashboard.TimePickerBuilder().refreshIntervals([...REFRESH_INTERVALS]))
      .timezone('browser')
      .fiscalYearStartMonth(0)
      .liveNow(false)
      .weekStart('')
      .annotations([])
      .build();
    const built: BuiltDashboard = {
      // Identity first, so the JSON reads like one Grafana exports.
      uid,
      title,
      description,
      tags: [...(this.props.tags ?? [])],
      ...settings,
      schemaVersion: GRAFANA_SCHEMA_VERSION,
      templating: { list: [...this.variables] },
      links: [...this.links],
      // The builder owns the layout (the SDK's own places a panel after an overflowing one instead of wrapping first).
      panels: [...this.placed],
    };
    return built;
  }


  /** Our checks on a panel description; returns the one datasource its queries use. */
  private checkPanel(spec: PanelSpec): Query['source'] {
    const where = `dashboard '${this.props.uid}'`;
    if (spec.title.trim() === '') throw new Error(`${where}: a panel has no title`);
    if (spec.description.trim() === '') throw new Error(`${where}: panel '${spec.title}' has no description`);
    if (spec.queries.length === 0) throw new Error(`${where}: panel '${spec.title}' has no query`);
    const sources = new Set(spec.queries.map((q) => q.source));
    if (sources.size !== 1) throw new Error(`${where}: panel '${spec.title}' mixes datasources`);
    const w = spec.width ?? DEFAULT_WIDTH;
    if (w < 1 || w > GRID_COLUMNS) throw new Error(`${where}: panel '${spec.title}' width ${w} is not in 1..${GRID_COLUMNS}`);
    return spec.queries[0]!.source;
  }

  private addVariable(variable: dashboard.VariableModel): this {
    if (this.variables.some((v) => v.name === variable.name)) {
      throw new Error(`dashboard '${this.props.uid}': variable '${variable.name}' is defined twice`);
    }
    this.variables.push(variable);
    return this;
  }

  private newLine(): void {
    if (this.x > 0) {
      this.y += this.lineHeight;
      this.x = 0;
      this.lineHeight = 0;
    }
  }
}

/** The SDK query of a query description, bound to `datasource`. */
function target(query: Query, id: string, datasource: DataSourceRef): cog.Builder<cog.Dataquery> {
  if (query.source === 'logs') return openSearchLogsQuery({ refId: id, datasource, query: query.query, timeField: query.timeField });
  const q = new prometheus.DataqueryBuilder().refId(id).datasource(datasource).expr(clusterScoped(query.expr, DASHBOARD_CLUSTER_SCOPE)).editorMode(prometheus.QueryEditorMode.Code);
  if (query.legend !== undefined) q.legendFormat(query.legend);
  if (query.instant) q.instant();
  else q.range();
  if (query.format) q.format(PROM_FORMATS[query.format]);
  return q;
}

const PROM_FORMATS: Readonly<Record<NonNullable<PromQuery['format']>, prometheus.PromQueryFormat>> = {
  time_series: prometheus.PromQueryFormat.TimeSeries,
  table: prometheus.PromQueryFormat.Table,
  heatmap: prometheus.PromQueryFormat.Heatmap,
};

/** refId of the n-th query of a panel: A..Z, then AA, AB, ... */
function refId(index: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return index < letters.length ? letters[index]! : `${letters[Math.floor(index / letters.length) - 1]}${letters[index % letters.length]}`;
}

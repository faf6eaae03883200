import {
  GRAFANA_SCHEMA_VERSION,
  OPENSEARCH_DATASOURCE_TYPE,
  PROMETHEUS_DATASOURCE_TYPE,
  type DataPanel,
  type DataSourceRef,
  type DashboardLink,
  type DatasourceVariable,
  type GrafanaDashboard,
  type Panel,
  type QueryVariable,
  type PanelTarget,
  type TemplateVariable,
} from './model.js';
import { thresholdSteps, type PanelDraft, type Query } from './panels.js';

const GRID_COLUMNS = 24;
const DEFAULT_WIDTH = 12;
const DEFAULT_HEIGHT = 8;

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

/**
 * Builds one Grafana dashboard from typed panel descriptions: lays panels out left to right on the 24-column grid
 * (a row header starts a new line), numbers panels, assigns query refIds (A, B, ...), binds every query to the
 * dashboard's datasource variable, and refuses panels without a description or a query.
 */
export class DashboardBuilder {
  private readonly props: DashboardBuilderProps;
  private readonly variables: TemplateVariable[] = [];
  private readonly links: DashboardLink[] = [];
  private readonly panels: Panel[] = [];
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
    const variable: DatasourceVariable = {
      type: 'datasource',
      name: props.name,
      label: props.label,
      description: props.description,
      query: props.pluginType,
      current: { selected: true, text: props.defaultName ?? props.defaultUid, value: props.defaultUid },
      hide: 0,
      includeAll: false,
      multi: false,
      options: [],
      refresh: 1,
      regex: '',
    };
    return this.addVariable(variable);
  }

  /**
   * Adds the dashboard's datasource variables, named as in the props: Prometheus, preselecting `prometheusUid`, and,
   * when the dashboard has log panels, OpenSearch, preselecting `logsUid`.
   */
  public datasourceVariables(defaults: { prometheusUid: string; logsUid?: string }): this {
    this.datasourceVariable({
      name: this.props.prometheusVariable,
      label: 'Prometheus',
      description: 'Prometheus datasource of the metric panels.',
      pluginType: PROMETHEUS_DATASOURCE_TYPE,
      defaultUid: defaults.prometheusUid,
    });
    if (!this.props.logsVariable) return this;
    if (!defaults.logsUid) throw new Error(`dashboard '${this.props.uid}' has log panels: datasourceVariables needs logsUid`);
    return this.datasourceVariable({
      name: this.props.logsVariable,
      label: 'Logs',
      description: 'OpenSearch datasource of the log panels.',
      pluginType: OPENSEARCH_DATASOURCE_TYPE,
      defaultUid: defaults.logsUid,
    });
  }

  /**
   * Adds a Prometheus query variable, e.g. `label_values(metric{namespace="$namespace"}, pod)`, resolved through
   * the dashboard's Prometheus datasource variable.
   */
  public queryVariable(props: {
    name: string;
    label: string;
    description: string;
    query: string;
    multi?: boolean;
    includeAll?: boolean;
    allValue?: string;
    hide?: boolean;
  }): this {
    const variable: QueryVariable = {
      type: 'query',
      name: props.name,
      label: props.label,
      description: props.description,
      datasource: this.prometheusDatasource,
      definition: props.query,
      // qryType 1 = classic query (label_values, query_result, ...) in the Prometheus variable editor.
      query: { qryType: 1, query: props.query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
      current: props.includeAll ? { selected: true, text: 'All', value: '$__all' } : {},
      hide: props.hide ? 2 : 0,
      includeAll: props.includeAll ?? false,
      multi: props.multi ?? false,
      ...(props.allValue !== undefined ? { allValue: props.allValue } : {}),
      options: [],
      refresh: 2,
      regex: '',
      sort: 1,
    };
    return this.addVariable(variable);
  }

  /** Adds a dropdown of the dashboards carrying `tag` (keeping time range and variables). */
  public linkToTag(tag: string, title: string): this {
    this.links.push({
      title,
      type: 'dashboards',
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
    this.panels.push({ id: this.nextId++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y: this.y }, panels: [] });
    this.y += 1;
    return this;
  }

  /** Adds a panel after the previous one, wrapping to a new line when it does not fit. */
  public panel(draft: PanelDraft): this {
    const { spec } = draft;
    if (spec.title.trim() === '') throw new Error(`dashboard '${this.props.uid}': a panel has no title`);
    if (spec.description.trim() === '') throw new Error(`dashboard '${this.props.uid}': panel '${spec.title}' has no description`);
    if (spec.queries.length === 0) throw new Error(`dashboard '${this.props.uid}': panel '${spec.title}' has no query`);
    const sources = new Set(spec.queries.map((q) => q.source));
    if (sources.size !== 1) throw new Error(`dashboard '${this.props.uid}': panel '${spec.title}' mixes datasources`);
    const w = spec.width ?? DEFAULT_WIDTH;
    const h = spec.height ?? DEFAULT_HEIGHT;
    if (w < 1 || w > GRID_COLUMNS) throw new Error(`dashboard '${this.props.uid}': panel '${spec.title}' width ${w} is not in 1..${GRID_COLUMNS}`);
    if (this.x + w > GRID_COLUMNS) this.newLine();
    const datasource = spec.queries[0]!.source === 'logs' ? this.logsDatasource : this.prometheusDatasource;
    const panel: DataPanel = {
      id: this.nextId++,
      type: draft.type,
      title: spec.title,
      description: spec.description,
      datasource,
      gridPos: { h, w, x: this.x, y: this.y },
      targets: spec.queries.map((q, i) => this.target(q, refId(i), datasource)),
      fieldConfig: {
        defaults: {
          ...(spec.unit !== undefined ? { unit: spec.unit } : {}),
          ...(spec.min !== undefined ? { min: spec.min } : {}),
          ...(spec.max !== undefined ? { max: spec.max } : {}),
          ...(spec.decimals !== undefined ? { decimals: spec.decimals } : {}),
          ...(draft.colorMode ? { color: { mode: draft.colorMode } } : {}),
          thresholds: { mode: 'absolute', steps: thresholdSteps(spec.thresholds ?? { base: 'green' }) },
          custom: draft.custom,
        },
        overrides: [],
      },
      options: draft.options,
      ...(draft.transformations ? { transformations: draft.transformations } : {}),
    };
    this.panels.push(panel);
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return this;
  }

  /** The dashboard, as Grafana's provisioning loads it. */
  public build(): GrafanaDashboard {
    return {
      uid: this.props.uid,
      title: this.props.title,
      description: this.props.description,
      tags: [...(this.props.tags ?? [])],
      schemaVersion: GRAFANA_SCHEMA_VERSION,
      version: 1,
      editable: false,
      graphTooltip: 1,
      refresh: this.props.refresh ?? '5s',
      time: { from: this.props.from ?? 'now-1h', to: 'now' },
      timepicker: { refresh_intervals: ['5s', '10s', '30s', '1m', '5m', '15m'] },
      timezone: 'browser',
      fiscalYearStartMonth: 0,
      liveNow: false,
      weekStart: '',
      links: [...this.links],
      annotations: { list: [] },
      templating: { list: [...this.variables] },
      panels: [...this.panels],
    };
  }

  private addVariable(variable: TemplateVariable): this {
    if (this.variables.some((v) => v.name === variable.name)) {
      throw new Error(`dashboard '${this.props.uid}': variable '${variable.name}' is defined twice`);
    }
    this.variables.push(variable);
    return this;
  }

  private target(query: Query, id: string, datasource: DataSourceRef): PanelTarget {
    if (query.source === 'logs') {
      return { refId: id, datasource, queryType: 'lucene', query: query.query, metrics: [{ id: '1', type: 'logs' }], bucketAggs: [], timeField: query.timeField };
    }
    return {
      refId: id,
      datasource,
      expr: query.expr,
      ...(query.legend !== undefined ? { legendFormat: query.legend } : {}),
      editorMode: 'code',
      range: !query.instant,
      instant: query.instant ?? false,
      ...(query.format ? { format: query.format } : {}),
    };
  }

  private newLine(): void {
    if (this.x > 0) {
      this.y += this.lineHeight;
      this.x = 0;
      this.lineHeight = 0;
    }
  }
}

/** refId of the n-th query of a panel: A..Z, then AA, AB, ... */
function refId(index: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return index < letters.length ? letters[index]! : `${letters[Math.floor(index / letters.length) - 1]}${letters[index % letters.length]}`;
}

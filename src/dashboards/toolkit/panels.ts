/**
 * Panel descriptions for {@link DashboardBuilder}, built with the foundation SDK's typed panel builders. A panel
 * description says what to show (title, description, queries, unit, thresholds); each factory turns it into the
 * SDK builder of its panel plugin with that plugin's options, typed by Grafana's schema. The dashboard builder then
 * places the panel on the grid, numbers it and binds its queries to the dashboard's datasource variables.
 * @module
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as bargaugePanel from '@grafana/grafana-foundation-sdk/bargauge';
import * as heatmapPanel from '@grafana/grafana-foundation-sdk/heatmap';
import * as logsPanel from '@grafana/grafana-foundation-sdk/logs';
import * as statPanel from '@grafana/grafana-foundation-sdk/stat';
import * as tablePanel from '@grafana/grafana-foundation-sdk/table';
import * as timeseriesPanel from '@grafana/grafana-foundation-sdk/timeseries';
import type { DataSourceRef, PanelView } from './model.js';

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

/**
 * What {@link DashboardBuilder} does with a panel's SDK builder: number and place the panel, bind it to a datasource,
 * add its queries and build it. Every panel builder of the SDK has these methods (each panel plugin has its own
 * builder class); they are spelled out here without the SDK's types so that the toolkit's declarations compile in
 * any consumer (see model.ts).
 */
export interface PanelBuilder {
  id(id: number): this;
  gridPos(gridPos: { h: number; w: number; x: number; y: number }): this;
  datasource(datasource: DataSourceRef): this;
  withTarget(target: { build(): object }): this;
  build(): PanelView;
}

/** A panel description with the SDK builder of its plugin, ready for {@link DashboardBuilder.panel}. */
export interface PanelDraft {
  readonly spec: PanelSpec;
  readonly builder: PanelBuilder;
}

/** The builder methods {@link describe} uses: title, description and the field defaults of a panel description. */
interface FieldDefaultsBuilder {
  title(title: string): this;
  description(description: string): this;
  unit(unit: string): this;
  min(min: number): this;
  max(max: number): this;
  decimals(decimals: number): this;
  thresholds(thresholds: cog.Builder<dashboard.ThresholdsConfig>): this;
}

/** Sets a panel description's title, description, unit, min, max, decimals and thresholds on its builder. */
function describe<B extends FieldDefaultsBuilder>(builder: B, spec: PanelSpec): B {
  builder.title(spec.title).description(spec.description).thresholds(thresholdsConfig(spec.thresholds ?? { base: 'green' }));
  if (spec.unit !== undefined) builder.unit(spec.unit);
  if (spec.min !== undefined) builder.min(spec.min);
  if (spec.max !== undefined) builder.max(spec.max);
  if (spec.decimals !== undefined) builder.decimals(spec.decimals);
  return builder;
}

/** Absolute threshold steps in Grafana's form: the base colour from -Infinity (`value: null`), then each step. */
function thresholdsConfig(thresholds: Thresholds): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ color: thresholds.base, value: null }, ...(thresholds.steps ?? []).map((s) => ({ color: s.color, value: s.value }))]);
}

const colorBy = (mode: dashboard.FieldColorModeId) => new dashboard.FieldColorBuilder().mode(mode);

/** The last non-null value of each series (stat and bar gauge panels). */
const lastValue = (calc: string) => new common.ReduceDataOptionsBuilder().calcs([calc]).fields('').values(false);

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
  const builder = describe(new timeseriesPanel.PanelBuilder(), spec)
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(calcs.length > 0 ? common.LegendDisplayMode.Table : common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true)
        .calcs([...calcs]),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .drawStyle(common.GraphDrawStyle.Line)
    .lineWidth(1)
    .fillOpacity(spec.stack ? 40 : 10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false)
    .stacking(new common.StackingConfigBuilder().mode(spec.stack ? common.StackingMode.Normal : common.StackingMode.None).group('A'))
    .thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(
        (spec.showThresholds ?? spec.thresholds !== undefined) ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off,
      ),
    )
    .colorScheme(colorBy(dashboard.FieldColorModeId.PaletteClassic));
  return { spec, builder };
}

/** A single-value panel (the last value of each series). */
export function stat(spec: PanelSpec & { readonly reducer?: 'lastNotNull' | 'mean' | 'max' | 'sum' }): PanelDraft {
  const builder = describe(new statPanel.PanelBuilder(), spec)
    .reduceOptions(lastValue(spec.reducer ?? 'lastNotNull'))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.Area)
    .justifyMode(common.BigValueJustifyMode.Auto)
    .orientation(common.VizOrientation.Auto)
    .textMode(common.BigValueTextMode.Auto)
    .wideLayout(true)
    .showPercentChange(false)
    .colorScheme(colorBy(dashboard.FieldColorModeId.Thresholds));
  return { spec, builder };
}

/** Horizontal bars, one per series (e.g. top namespaces by idle GPU hours). */
export function bargauge(spec: PanelSpec): PanelDraft {
  const builder = describe(new bargaugePanel.PanelBuilder(), spec)
    .reduceOptions(lastValue('lastNotNull'))
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .valueMode(common.BarGaugeValueMode.Color)
    .showUnfilled(true)
    .namePlacement(common.BarGaugeNamePlacement.Auto)
    .sizing(common.BarGaugeSizing.Auto)
    .minVizHeight(16)
    .minVizWidth(8)
    .maxVizHeight(300)
    // The bars carry the series names; no separate legend.
    .legend(new common.VizLegendOptionsBuilder().showLegend(false).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).calcs([]))
    .colorScheme(colorBy(dashboard.FieldColorModeId.Thresholds));
  return { spec, builder };
}

/** A table of instant queries, one row per label set, columns merged across the queries. */
export function table(spec: PanelSpec): PanelDraft {
  const builder = describe(new tablePanel.PanelBuilder(), spec)
    .showHeader(true)
    .cellHeight(common.TableCellHeight.Sm)
    .footer(new common.TableFooterOptionsBuilder().show(false).reducer(['sum']).countRows(false))
    .align(common.FieldTextAlignment.Auto)
    .cellOptions({ type: common.TableCellDisplayMode.Auto })
    .inspect(false)
    .colorScheme(colorBy(dashboard.FieldColorModeId.Thresholds))
    // Transformation options are plugin-specific and untyped in the schema (`options: any`).
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } });
  return { spec, builder };
}

/** A heatmap of a Prometheus histogram's buckets (queries with `format: 'heatmap'`). */
export function heatmap(spec: PanelSpec): PanelDraft {
  const builder = describe(new heatmapPanel.PanelBuilder(), spec)
    .calculate(false)
    .cellGap(1)
    .color(
      new heatmapPanel.HeatmapColorOptionsBuilder()
        .mode(heatmapPanel.HeatmapColorMode.Scheme)
        .scheme('Oranges')
        .fill('dark-orange')
        .scale(heatmapPanel.HeatmapColorScale.Exponential)
        .exponent(0.5)
        .steps(64)
        .reverse(false),
    )
    .yAxis(new heatmapPanel.YAxisConfigBuilder().axisPlacement(common.AxisPlacement.Left).unit(spec.unit ?? 'short'))
    .rowsFrame(new heatmapPanel.RowsHeatmapOptionsBuilder().layout(common.HeatmapCellLayout.Auto))
    .tooltip(new heatmapPanel.HeatmapTooltipBuilder().mode(common.TooltipDisplayMode.Single).yHistogram(true).showColorScale(false))
    .showLegend()
    .exemplarsColor('rgba(255,0,255,0.7)')
    .filterValues(new heatmapPanel.FilterValueRangeBuilder().le(1e-9))
    .hideFrom(new common.HideSeriesConfigBuilder().legend(false).tooltip(false).viz(false))
    .scaleDistribution(new common.ScaleDistributionConfigBuilder().type(common.ScaleDistribution.Linear));
  return { spec, builder };
}

/** A logs panel (newest first). */
export function logs(spec: PanelSpec): PanelDraft {
  const builder = describe(new logsPanel.PanelBuilder(), spec)
    .showTime(true)
    .showLabels(false)
    .showCommonLabels(false)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .enableInfiniteScrolling(false)
    .dedupStrategy(common.LogsDedupStrategy.None)
    .sortOrder(common.LogsSortOrder.Descending);
  return { spec, builder };
}

/**
 * GPU fleet dashboard: every cluster side by side, read from a central store (Amazon Managed Prometheus, Thanos,
 * Mimir) that the clusters remote-write to with the `fleet` preset. Every panel reads recorded series only (the GPU
 * recording rules each cluster evaluates, carrying its `cluster` external label once written out), so it stays fast
 * at thousands of GPUs and works with the fleet preset, which sends nothing else (the cluster variable lists
 * clusters from `up`, which the preset also sends).
 * @module
 */
import type { DashboardContext } from '../src/dashboards/toolkit/context.js';
import { DashboardBuilder } from '../src/dashboards/toolkit/builder.js';
import { DASHBOARD_VARIABLES as V, GPU_DASHBOARD_TAG, GPU_DASHBOARD_UIDS } from '../src/dashboards/toolkit/dashboard-ids.js';
import type { GrafanaDashboard } from '../src/dashboards/toolkit/model.js';
import { bargauge, prom, stat, table, timeseries, type PanelDraft } from '../src/dashboards/toolkit/panels.js';
import { by } from '../src/dashboards/toolkit/promql.js';
import { KSM_LABELS } from '../src/prometheus/kube-metrics.js';
import { GPU_RECORDS } from '../src/gpu/gpu-records.js';
import { CLUSTER_LABEL } from '../src/core/cluster-label.js';

const { NAMESPACE } = KSM_LABELS;
const CLUSTER = CLUSTER_LABEL;
/** Subquery step of the range sums, and samples per hour at that step. */
const STEP = '5m';
const SAMPLES_PER_HOUR = 12;
/** Sum over the dashboard's range of a GPU count or $/h series, in hours (or dollars). */
const overRange = (expr: string, labels: string[]) => `sum ${by(...labels)} (sum_over_time((${expr})[$__range:${STEP}])) / ${SAMPLES_PER_HOUR}`;

/** The panels' queries, by name: the fleet test runs each against every leaf and the central store. */
export const FLEET_QUERIES = {
  allocated: `sum(${GPU_RECORDS.ALLOCATED})`,
  busy: `sum(${GPU_RECORDS.BUSY})`,
  allocatable: `sum(${GPU_RECORDS.ALLOCATABLE})`,
  idleCostRate: `sum(${GPU_RECORDS.IDLE_COST_BY_NAMESPACE})`,
  allocatedByCluster: `sum ${by(CLUSTER)} (${GPU_RECORDS.ALLOCATED})`,
  busyByCluster: `sum ${by(CLUSTER)} (${GPU_RECORDS.BUSY})`,
  idleCostRateByClusterNamespace: `sort_desc(sum ${by(CLUSTER, NAMESPACE)} (${GPU_RECORDS.IDLE_COST_BY_NAMESPACE}))`,
  idleCostByClusterNamespace: `sort_desc(${overRange(GPU_RECORDS.IDLE_COST_BY_NAMESPACE, [CLUSTER, NAMESPACE])})`,
  idleGpuHoursByCluster: `sort_desc(${overRange(GPU_RECORDS.ALLOCATED_IDLE_BY_POD, [CLUSTER])})`,
} as const;

/** The fleet dashboard. */
export function fleetDashboard(context: DashboardContext): GrafanaDashboard {
  const d = new DashboardBuilder({
    uid: GPU_DASHBOARD_UIDS.fleet,
    title: 'GPU fleet (all clusters)',
    description: 'GPUs allocated vs busy, and what the idle ones cost, per cluster and namespace, from the recorded series every cluster sends to the central store.',
    tags: [GPU_DASHBOARD_TAG, 'gpu', 'cost', 'fleet'],
    prometheusVariable: V.datasource,
    from: 'now-24h',
  });
  d.datasourceVariables({ prometheusUid: context.prometheusDatasourceUid }).linkToTag(GPU_DASHBOARD_TAG, 'GPU dashboards');
  d.row('Fleet now').panels(nowPanels());
  d.row('Per cluster').panels(perClusterPanels());
  d.row('Idle cost per cluster and namespace').panels(idleCostPanels());
  return d.build();
}

const count = (title: string, description: string, expr: string, unit = 'short') =>
  stat({ title, description, queries: [prom(expr, { legend: title })], unit, decimals: unit === 'short' ? 0 : 2, width: 6, height: 5 });

function nowPanels(): PanelDraft[] {
  return [
    count('Allocatable GPUs', `GPUs the nodes of the selected clusters offer to pods (sum of ${GPU_RECORDS.ALLOCATABLE}). Bad: lower than the fleet owns: GPUs or device plugins failed.`, FLEET_QUERIES.allocatable),
    count('Allocated GPUs', `GPUs requested by running pods in the selected clusters (sum of ${GPU_RECORDS.ALLOCATED}). Bad: equal to allocatable while jobs queue.`, FLEET_QUERIES.allocated),
    count('Busy GPUs', `GPUs above the idle threshold (5-minute mean utilisation) in the selected clusters (sum of ${GPU_RECORDS.BUSY}). Bad: far below allocated.`, FLEET_QUERIES.busy),
    count('Idle GPU spend rate', `Dollars per hour of the allocated but idle GPUs in the selected clusters (sum of ${GPU_RECORDS.IDLE_COST_BY_NAMESPACE}). Bad: anything that stays above 0.`, FLEET_QUERIES.idleCostRate, 'currencyUSD'),
  ];
}

function perClusterPanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Allocated vs busy GPUs per cluster',
      description: `Allocated (${GPU_RECORDS.ALLOCATED}) and busy (${GPU_RECORDS.BUSY}) GPUs of each cluster over time. Bad: a cluster whose busy line stays well under its allocated line.`,
      queries: [prom(FLEET_QUERIES.allocatedByCluster, { legend: `{{${CLUSTER}}} allocated` }), prom(FLEET_QUERIES.busyByCluster, { legend: `{{${CLUSTER}}} busy` })],
      unit: 'short',
      min: 0,
      width: 16,
    }),
    bargauge({
      title: 'Idle GPU hours per cluster',
      description: `GPU hours requested by pods whose GPUs were idle, per cluster, over the time range (${GPU_RECORDS.ALLOCATED_IDLE_BY_POD} sampled every ${STEP}). Bad: every hour was paid for and unused.`,
      queries: [prom(FLEET_QUERIES.idleGpuHoursByCluster, { legend: `{{${CLUSTER}}}`, instant: true })],
      unit: 'short',
      decimals: 1,
      width: 8,
    }),
  ];
}

function idleCostPanels(): PanelDraft[] {
  return [
    table({
      title: 'Idle GPU spend rate per cluster and namespace',
      description: `Dollars per hour of allocated but idle GPUs now, per cluster and namespace (${GPU_RECORDS.IDLE_COST_BY_NAMESPACE}). Bad: the rows at the top are where reclaiming GPUs saves most.`,
      queries: [prom(FLEET_QUERIES.idleCostRateByClusterNamespace, { format: 'table', instant: true })],
      unit: 'currencyUSD',
      decimals: 2,
    }),
    bargauge({
      title: 'Cost of idle GPU hours per cluster and namespace',
      description: `Idle GPU cost over the time range per cluster and namespace (${GPU_RECORDS.IDLE_COST_BY_NAMESPACE} sampled every ${STEP}). Bad: the money reclaiming idle GPUs would have saved.`,
      queries: [prom(FLEET_QUERIES.idleCostByClusterNamespace, { legend: `{{${CLUSTER}}} / {{${NAMESPACE}}}`, instant: true })],
      unit: 'currencyUSD',
      decimals: 2,
    }),
  ];
}

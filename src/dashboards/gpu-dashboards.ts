import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { fleetAndCostDashboard } from '../../dashboards/fleet-and-cost.js';
import { fleetDashboard } from '../../dashboards/fleet.js';
import { inferenceDashboard } from '../../dashboards/inference.js';
import { neuronDashboard } from '../../dashboards/neuron.js';
import { trainingDashboard } from '../../dashboards/training.js';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import type { DashboardContext, LogsSource } from './toolkit/context.js';
import { GPU_DASHBOARD_NAMES, GPU_DASHBOARD_UIDS, type GpuDashboardName } from './toolkit/dashboard-ids.js';
import type { GrafanaDashboard } from './toolkit/model.js';
import { LOG_FIELDS, LOG_INDEX_PATTERN, LOG_SOURCES } from '../logs/log-fields.js';
import { OPENSEARCH_LOGS_DATASOURCE_UID } from '../logs/opensearch/opensearch-datasource.js';

/**
 * What {@link GpuDashboards} needs from the Grafana that loads the dashboards. `PrometheusStack` implements it.
 */
export interface GrafanaDashboardTarget {
  /** Labels that make Grafana's dashboard sidecar load a ConfigMap. */
  readonly dashboardLabels: Readonly<Record<string, string>>;
  /** UID of the Prometheus datasource the dashboards' datasource variable defaults to. */
  readonly prometheusDatasourceUid: string;
}

/** The dashboard definitions, by name. */
const DEFINITIONS: Readonly<Record<GpuDashboardName, (context: DashboardContext) => GrafanaDashboard>> = {
  training: trainingDashboard,
  inference: inferenceDashboard,
  fleetAndCost: fleetAndCostDashboard,
  fleet: fleetDashboard,
  neuron: neuronDashboard,
};

/** The log panels' source when {@link GpuDashboardsProps.logs} does not say otherwise: the logs pipeline's names. */
export const DEFAULT_DASHBOARD_LOGS_SOURCE: LogsSource = {
  datasourceUid: OPENSEARCH_LOGS_DATASOURCE_UID,
  indexPattern: LOG_INDEX_PATTERN,
  timeField: LOG_FIELDS.timestamp,
  namespaceField: LOG_FIELDS.namespace,
  podField: LOG_FIELDS.pod,
  source: { field: LOG_FIELDS.source, containerValue: LOG_SOURCES.container },
};

/** Kubernetes limit on the size of a ConfigMap's data. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

/** Props of {@link GpuDashboards}. */
export interface GpuDashboardsProps {
  /** The Grafana that loads the dashboards (its sidecar labels and Prometheus datasource uid). */
  readonly grafana: GrafanaDashboardTarget;
  /**
   * Namespace of the dashboard ConfigMaps (the sidecar searches every namespace).
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * Which dashboards to deliver.
   * @default training, inference, fleetAndCost, and neuron when {@link GpuDashboardsProps.neuron} is true
   */
  readonly dashboards?: readonly GpuDashboardName[];
  /**
   * Neuron telemetry is collected (a NeuronMonitor with its rules): delivers the Neuron dashboard by default and adds
   * the Neuron row to the fleet-and-cost dashboard.
   * @default false
   */
  readonly neuron?: boolean;
  /**
   * Where the log panels read from (datasource uid, index pattern, field names), for logs that are not shipped by
   * this library's pipeline.
   * @default {@link DEFAULT_DASHBOARD_LOGS_SOURCE}: the provisioned OpenSearch logs datasource and the pipeline's fields
   */
  readonly logs?: Partial<LogsSource>;
}

/**
 * The GPU training, inference (vLLM), fleet-and-cost and Neuron Grafana dashboards, as code: each is built from typed panel
 * descriptions (`dashboards/*.ts`), rendered to JSON at synth, and delivered as a ConfigMap carrying the stack's
 * dashboard labels so Grafana's sidecar loads it. UIDs are fixed ({@link GPU_DASHBOARD_UIDS}), so links stay valid.
 */
export class GpuDashboards extends Construct {
  /** Namespace of the ConfigMaps. */
  public readonly namespace: string;
  /** The dashboards delivered, by name (the models the JSON is rendered from). */
  public readonly dashboards: Readonly<Partial<Record<GpuDashboardName, GrafanaDashboard>>>;
  /** Name of each dashboard's ConfigMap. */
  public readonly configMapNames: Readonly<Partial<Record<GpuDashboardName, string>>>;

  constructor(scope: Construct, id: string, props: GpuDashboardsProps) {
    super(scope, id);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const names = props.dashboards ?? GPU_DASHBOARD_NAMES.filter((n) => n !== 'neuron' || props.neuron === true);
    for (const name of names) {
      if (!(name in DEFINITIONS)) {
        throw new Error(`gpuDashboards.dashboards: '${String(name)}' is not a dashboard; allowed: ${GPU_DASHBOARD_NAMES.join(', ')}`);
      }
    }
    if (new Set(names).size !== names.length) throw new Error(`gpuDashboards.dashboards: lists a dashboard twice (${names.join(', ')})`);
    const context: DashboardContext = {
      prometheusDatasourceUid: props.grafana.prometheusDatasourceUid,
      logs: { ...DEFAULT_DASHBOARD_LOGS_SOURCE, ...props.logs },
      neuron: props.neuron ?? false,
    };

    const dashboards: Partial<Record<GpuDashboardName, GrafanaDashboard>> = {};
    const configMapNames: Partial<Record<GpuDashboardName, string>> = {};
    for (const name of GPU_DASHBOARD_NAMES.filter((n) => names.includes(n))) {
      const dashboard = DEFINITIONS[name](context);
      dashboards[name] = dashboard;
      const configMapName = `grafana-dashboard-${GPU_DASHBOARD_UIDS[name]}`;
      configMapNames[name] = configMapName;
      new k8s.KubeConfigMap(this, name, {
        metadata: {
          name: configMapName,
          namespace: this.namespace,
          labels: { ...props.grafana.dashboardLabels, 'app.kubernetes.io/component': 'dashboards' },
        },
        // Rendered when the chart is synthesized.
        data: { [`${dashboard.uid}.json`]: Lazy.any({ produce: () => renderDashboard(dashboard) }) },
      });
    }
    this.dashboards = dashboards;
    this.configMapNames = configMapNames;
  }
}

/**
 * A dashboard as the JSON Grafana loads (compact: the ConfigMap must stay under 1 MiB, and under the 256 KiB
 * `kubectl apply` annotation limit for client-side apply). Fails when it does not fit.
 */
export function renderDashboard(dashboard: GrafanaDashboard): string {
  const json = JSON.stringify(dashboard);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes >= CONFIGMAP_MAX_BYTES) throw new Error(`dashboard '${dashboard.uid}' renders to ${bytes} bytes, more than a ConfigMap holds`);
  return json;
}

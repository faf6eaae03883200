import { createHash } from 'node:crypto';
import { ServiceMonitor, ServiceMonitorSpecEndpointsMetricRelabelingsAction, ServiceMonitorSpecEndpointsRelabelingsAction } from '../../imports/monitoring.coreos.com.js';
import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { fieldsMissingFromDefaultCounters, GPU_OPERATOR_DCGM_METRICS_KEY } from './dcgm-default-counters.js';
import { addSynthWarning } from '../core/synth-warnings.js';
import { DEFAULT_NAMESPACE, type ChartComponentProps } from '../core/component-props.js';
import { DEFAULT_DCGM_FIELDS, type DcgmField, dcgmCountersCsv, dcgmSeriesPerGpu } from './dcgm-fields.js';
import { UPSTREAM_CHARTS, type UpstreamChartRelease } from '../core/upstream-chart.js';
import { type ExistingExporter, type ExporterMode, requiredNodeAffinity } from './exporter-mode.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import { deepMerge, type JsonObject } from '../core/deep-merge.js';
import { keepOnlyMetrics, nodeNameRelabeling, type RelabelConfig, relabelingsFor } from '../core/relabel.js';
import { dnsLabel, PropChecks } from '../core/value-types.js';
import { checkExporterMode, EXPORTER_VALUE_TYPES } from './gpu-value-types.js';
import { DEFAULT_PLATFORM, type Platform } from '../core/platform.js';

/** Taint key of NVIDIA GPU nodes (the NVIDIA device plugin's extended resource name). */
export const NVIDIA_GPU_TAINT_KEY = 'nvidia.com/gpu';
/** Node label GPU Feature Discovery (GPU operator, NFD) sets to "true" on NVIDIA GPU nodes. */
export const NVIDIA_GPU_PRESENT_LABEL = 'nvidia.com/gpu.present';

/**
 * Where dcgm-exporter runs by default: nodes that carry any of these labels (the terms are ORed), which covers
 * GPU Feature Discovery (`nvidia.com/gpu.present=true`), Karpenter on AWS (`karpenter.k8s.aws/instance-gpu-manufacturer=nvidia`)
 * and GKE (`cloud.google.com/gke-accelerator`).
 */
export const DEFAULT_GPU_NODE_SELECTOR_TERMS: readonly k8s.NodeSelectorTerm[] = [
  { matchExpressions: [{ key: NVIDIA_GPU_PRESENT_LABEL, operator: 'In', values: ['true'] }] },
  { matchExpressions: [{ key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'] }] },
  { matchExpressions: [{ key: 'cloud.google.com/gke-accelerator', operator: 'Exists' }] },
];

/** Tolerations dcgm-exporter needs on tainted GPU nodes. */
export const DEFAULT_GPU_TOLERATIONS: readonly k8s.Toleration[] = [{ key: NVIDIA_GPU_TAINT_KEY, operator: 'Exists' }];

/** Where an accelerator exporter runs: nodes matching one of the terms, with the taints of those nodes tolerated. */
export interface AcceleratorNodePlacement {
  /** Node affinity terms (ORed): the exporter runs on nodes matching one. */
  readonly nodeSelectorTerms: readonly k8s.NodeSelectorTerm[];
  /** The taints of those nodes the exporter tolerates. */
  readonly tolerations: readonly k8s.Toleration[];
}

/** Node Feature Discovery's label of nodes with an NVIDIA PCI device (vendor 10de), which the GPU operator and the device plugin's chart deploy. */
const NFD_NVIDIA_PCI = { matchExpressions: [{ key: 'feature.node.kubernetes.io/pci-10de.present', operator: 'In', values: ['true'] }] };
const GFD_GPU_PRESENT = { matchExpressions: [{ key: NVIDIA_GPU_PRESENT_LABEL, operator: 'In', values: ['true'] }] };

/**
 * The GPU nodes of each platform and their taints (docs/platforms.md cites each provider's documentation):
 * - `eks`: EKS Auto Mode labels `eks.amazonaws.com/instance-gpu-manufacturer=nvidia`, Karpenter
 *   `karpenter.k8s.aws/instance-gpu-manufacturer=nvidia`, the GPU operator / device plugin with GFD or NFD their
 *   labels; GPU node pools are tainted `nvidia.com/gpu` (Auto Mode's GPU NodePools, and the convention of AWS's
 *   managed node group and Karpenter examples).
 * - `gke`: GKE labels GPU nodes `cloud.google.com/gke-accelerator=<GPU type>` and taints them
 *   `nvidia.com/gpu=present:NoSchedule` when the cluster also has nodes without GPUs.
 * - `aks`: AKS labels GPU node pools `kubernetes.azure.com/accelerator=nvidia`; its GPU guidance taints them
 *   `sku=gpu:NoSchedule`; with the GPU operator the NVIDIA labels and taint apply as well.
 * - `generic`: {@link DEFAULT_GPU_NODE_SELECTOR_TERMS} and {@link DEFAULT_GPU_TOLERATIONS}.
 */
export const GPU_NODE_PLACEMENT: Readonly<Record<Platform, AcceleratorNodePlacement>> = {
  eks: {
    nodeSelectorTerms: [
      { matchExpressions: [{ key: 'eks.amazonaws.com/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'] }] },
      { matchExpressions: [{ key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'] }] },
      GFD_GPU_PRESENT,
      NFD_NVIDIA_PCI,
    ],
    tolerations: DEFAULT_GPU_TOLERATIONS,
  },
  gke: {
    nodeSelectorTerms: [{ matchExpressions: [{ key: 'cloud.google.com/gke-accelerator', operator: 'Exists' }] }],
    tolerations: DEFAULT_GPU_TOLERATIONS,
  },
  aks: {
    nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.azure.com/accelerator', operator: 'In', values: ['nvidia'] }] }, GFD_GPU_PRESENT],
    tolerations: [{ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, ...DEFAULT_GPU_TOLERATIONS],
  },
  generic: { nodeSelectorTerms: DEFAULT_GPU_NODE_SELECTOR_TERMS, tolerations: DEFAULT_GPU_TOLERATIONS },
};

/**
 * The dcgm-exporter the NVIDIA GPU operator runs: Service `nvidia-dcgm-exporter` (label `app: nvidia-dcgm-exporter`,
 * port `gpu-metrics`, 9400) in the operator's namespace, `gpu-operator` by convention.
 */
export const GPU_OPERATOR_DCGM_EXPORTER: ExistingExporter = {
  namespace: 'gpu-operator',
  selectorLabels: { app: 'nvidia-dcgm-exporter' },
  portName: 'gpu-metrics',
};

/** Labels Prometheus adds to a scraped target that, on GPU series, would be mistaken for the GPU's workload. */
const EXPORTER_POD_LABELS = ['pod', 'container', 'namespace'] as const;

/** Where the counters CSV is mounted in the exporter container. */
const COUNTERS_PATH = '/etc/dcgm-exporter/aiml-counters.csv';
const COUNTERS_KEY = 'counters.csv';
/** Pod annotation holding the SHA-256 of the counters CSV, so a changed field list rolls the exporter pods. */
export const COUNTERS_CHECKSUM_ANNOTATION = 'aiml-observability.io/counters-sha256';

/** Options of {@link DcgmExporter} that are not wiring. */
export interface DcgmExporterOptions {
  /**
   * `deploy` runs dcgm-exporter (chart 4.8.x) as a DaemonSet on GPU nodes; `existing` only scrapes one that runs
   * already (the GPU operator's, see {@link existing}).
   * @default {@link DEFAULT_EXPORTER_MODE}
   */
  readonly mode?: ExporterMode;
  /**
   * The exporter to scrape in `existing` mode.
   * @default the GPU operator's ({@link GPU_OPERATOR_DCGM_EXPORTER})
   */
  readonly existing?: ExistingExporter;
  /**
   * Helm release name (`deploy` mode); the DaemonSet and Service are named after it.
   * @default "dcgm-exporter"
   */
  readonly releaseName?: string;
  /**
   * The DCGM fields to collect (`deploy` mode) and to keep (both modes).
   * @default DEFAULT_DCGM_FIELDS
   */
  readonly fields?: readonly DcgmField[];
  /**
   * Nodes the exporter runs on: one of these terms must match (`deploy` mode).
   * @default the platform's GPU nodes ({@link GPU_NODE_PLACEMENT}; DEFAULT_GPU_NODE_SELECTOR_TERMS on `generic`)
   */
  readonly nodeSelectorTerms?: readonly k8s.NodeSelectorTerm[];
  /**
   * Tolerations of the exporter pods (`deploy` mode).
   * @default the platform's GPU taints ({@link GPU_NODE_PLACEMENT}; the `nvidia.com/gpu` taint on `generic`)
   */
  readonly tolerations?: readonly k8s.Toleration[];
  /**
   * Scrape interval.
   * @default "15s"
   */
  readonly scrapeInterval?: string;
  /**
   * Drop, at scrape time, every series that is not one of {@link fields}: keeps the series-per-GPU budget when the
   * exporter (e.g. the GPU operator's) collects more than we read.
   * @default true
   */
  readonly dropUnlistedMetrics?: boolean;
  /**
   * `existing` mode: also write our counters list ({@link fields}) as a ConfigMap in the existing exporter's
   * namespace, under the key the GPU operator reads (`dcgm-metrics.csv`), for the ClusterPolicy's
   * `spec.dcgmExporter.config.name` to point at (docs/gpu-telemetry.md). Off by default: it writes into the GPU
   * operator's namespace.
   * @default false
   */
  readonly operatorCountersConfigMap?: boolean;
}

/** What the ServiceMonitor selects: the exporter's Service, by labels, and its metrics port by name. */
interface ScrapeTarget {
  readonly namespace: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly portName: string;
}

/** Props of {@link DcgmExporter}. `delivery` delivers the chart in `deploy` mode; in `existing` mode nothing is delivered. */
export interface DcgmExporterProps extends ChartComponentProps, DcgmExporterOptions {
  /** The Prometheus that scrapes the exporter. */
  readonly prometheus: PrometheusTarget;
  /**
   * The Kubernetes platform: picks the GPU node labels and taints the exporter runs on.
   * @default "generic"
   */
  readonly platform?: Platform;
}

/**
 * NVIDIA GPU telemetry: dcgm-exporter 4.8.2 as a DaemonSet on GPU nodes (through the delivery layer), reading a
 * counters CSV we build from {@link DEFAULT_DCGM_FIELDS} (profiling fields included), with Kubernetes pod mapping on,
 * or an exporter that already runs. Either way a ServiceMonitor carrying the Prometheus selector labels scrapes it:
 * - with `honorLabels`, and the exporter pod's own `pod`/`container`/`namespace` target labels dropped, so on every
 *   GPU series `pod`/`namespace`/`container` name the workload using the GPU (absent when the GPU is idle);
 * - with a `node` label (the GPU's node) for joins with Ray, kube-state-metrics and OpenCost;
 * - keeping only the fields we read (see {@link seriesPerGpu}).
 */
export class DcgmExporter extends Construct {
  /** `deploy` or `existing`. */
  public readonly mode: ExporterMode;
  /** The fields collected and kept. */
  public readonly fields: readonly DcgmField[];
  /** Series per GPU, not counting one series per XID code / clock-event reason seen. */
  public readonly seriesPerGpu: number;
  /** Name of the ServiceMonitor that scrapes the exporter. */
  public readonly serviceMonitorName: string;
  /** Name of the ConfigMap with the counters CSV (`deploy` mode, or `existing` with {@link DcgmExporterOptions.operatorCountersConfigMap}). */
  public readonly countersConfigMapName?: string;
  /** `existing` mode: the fields we read that the exporter's default counters list lacks (empty in `deploy` mode). */
  public readonly missingFromExistingExporter: readonly string[] = [];
  /** The chart release (`deploy` mode), for inspection and tests. */
  public readonly release?: UpstreamChartRelease;

  constructor(scope: Construct, id: string, props: DcgmExporterProps) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    this.mode = checkExporterMode(props.mode);
    this.fields = props.fields ?? DEFAULT_DCGM_FIELDS;
    const checks = new PropChecks();
    if (this.fields.length === 0) checks.fail('fields', 'must name at least one DCGM field');
    checks.check(dnsLabel(52, { letterFirst: true }), props.releaseName, 'releaseName');
    checks.check(EXPORTER_VALUE_TYPES.namespace, props.existing?.namespace, 'existing.namespace');
    checks.check(EXPORTER_VALUE_TYPES.platform, props.platform, 'platform');
    if (this.mode === 'existing' && props.existing && !props.existing.portName) checks.fail('existing.portName', 'a ServiceMonitor needs the name of the Service port');
    checks.throwIfAny();
    this.seriesPerGpu = dcgmSeriesPerGpu(this.fields);
    const releaseName = props.releaseName ?? 'dcgm-exporter';
    this.serviceMonitorName = releaseName;

    let target: ScrapeTarget;
    if (this.mode === 'deploy') {
      const setupScope = props.setupScope ?? this;
      this.countersConfigMapName = `${releaseName}-counters`;
      new k8s.KubeConfigMap(setupScope, `${id}-counters`, {
        metadata: { name: this.countersConfigMapName, namespace },
        data: { [COUNTERS_KEY]: dcgmCountersCsv(this.fields) },
      });
      this.release = {
        chart: UPSTREAM_CHARTS['dcgm-exporter'],
        releaseName,
        namespace,
        values: deepMerge(this.computeValues(props, releaseName), props.values),
      };
      props.delivery.deliver(setupScope, `${id}-chart`, this.release);
      // The chart's Service: selector labels from its _helpers.tpl, port name from its service.yaml.
      target = {
        namespace,
        selectorLabels: { 'app.kubernetes.io/name': 'dcgm-exporter', 'app.kubernetes.io/instance': releaseName },
        portName: 'metrics',
      };
    } else {
      const existing = props.existing ?? GPU_OPERATOR_DCGM_EXPORTER;
      target = { namespace: existing.namespace, selectorLabels: existing.selectorLabels, portName: existing.portName! };
      const countersName = `${releaseName}-operator-counters`;
      if (props.operatorCountersConfigMap) {
        this.countersConfigMapName = countersName;
        new k8s.KubeConfigMap(props.setupScope ?? this, `${id}-operator-counters`, {
          metadata: { name: countersName, namespace: existing.namespace },
          data: { [GPU_OPERATOR_DCGM_METRICS_KEY]: dcgmCountersCsv(this.fields) },
        });
      }
      // the operator's exporter reads its default list unless told otherwise: say what that leaves empty
      this.missingFromExistingExporter = fieldsMissingFromDefaultCounters(this.fields);
      if (this.missingFromExistingExporter.length > 0) {
        addSynthWarning(
          this,
          `gpuExporters.dcgm (mode existing): dcgm-exporter's default counters list (4.8.2 default-counters.csv) lacks ` +
            `${this.missingFromExistingExporter.join(', ')}, which dashboards and alerts of this library read; with it they stay empty ` +
            `and those alerts cannot fire. Give the GPU operator our list: ` +
            (props.operatorCountersConfigMap
              ? `set ClusterPolicy spec.dcgmExporter.config.name (helm: dcgmExporter.config.name) to the ConfigMap ${existing.namespace}/${countersName} written here.`
              : `set operatorCountersConfigMap (config: exporters.dcgm.operatorCountersConfigMap: true) to write it as ConfigMap ` +
                `${existing.namespace}/${countersName}, then set ClusterPolicy spec.dcgmExporter.config.name to it (docs/gpu-telemetry.md).`),
        );
      }
    }

    this.addServiceMonitor(namespace, target, props);
  }

  /** The ServiceMonitor: the exporter's Service port, the node label, only the configured fields unless told otherwise. */
  private addServiceMonitor(namespace: string, target: ScrapeTarget, props: DcgmExporterProps): void {
    const metricRelabelings: RelabelConfig[] = (props.dropUnlistedMetrics ?? true) ? [keepOnlyMetrics(this.fields.map((f) => f.field))] : [];
    new ServiceMonitor(this, 'service-monitor', {
      metadata: { name: this.serviceMonitorName, namespace, labels: { ...props.prometheus.monitorSelectorLabels } },
      spec: {
        namespaceSelector: { matchNames: [target.namespace] },
        selector: { matchLabels: { ...target.selectorLabels } },
        endpoints: [
          {
            port: target.portName,
            path: '/metrics',
            interval: props.scrapeInterval ?? '15s',
            honorLabels: true,
            relabelings: relabelingsFor(ServiceMonitorSpecEndpointsRelabelingsAction, [
              { action: 'labeldrop', regex: EXPORTER_POD_LABELS.join('|') },
              nodeNameRelabeling(),
            ]),
            metricRelabelings: relabelingsFor(ServiceMonitorSpecEndpointsMetricRelabelingsAction, metricRelabelings),
          },
        ],
      },
    });
  }

  private computeValues(props: DcgmExporterProps, releaseName: string): JsonObject {
    const volume = 'aiml-counters';
    const placement = GPU_NODE_PLACEMENT[props.platform ?? DEFAULT_PLATFORM];
    return {
      fullnameOverride: releaseName,
      arguments: ['-f', COUNTERS_PATH],
      extraConfigMapVolumes: [
        { name: volume, configMap: { name: this.countersConfigMapName, items: [{ key: COUNTERS_KEY, path: 'aiml-counters.csv' }] } },
      ],
      extraVolumeMounts: [{ name: volume, mountPath: COUNTERS_PATH, subPath: 'aiml-counters.csv', readOnly: true }],
      // We emit our own typed ServiceMonitor (selector labels, relabelings, metric budget).
      serviceMonitor: { enabled: false },
      affinity: requiredNodeAffinity(props.nodeSelectorTerms ?? placement.nodeSelectorTerms),
      tolerations: (props.tolerations ?? placement.tolerations).map((t) => ({ ...t })),
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
      // The CSV is mounted with subPath (never refreshed) and read once at start: a changed field list must roll
      // the pods, so their template carries the CSV's digest (chart key `podAnnotations`).
      podAnnotations: { [COUNTERS_CHECKSUM_ANNOTATION]: createHash('sha256').update(dcgmCountersCsv(this.fields)).digest('hex') },
      // Pod labels on every series would multiply cardinality; pod/namespace/container are enough to join.
      kubernetes: { enablePodLabels: false, enablePodUID: false },
    };
  }
}

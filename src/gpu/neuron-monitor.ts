import { PodMonitor, PodMonitorSpecPodMetricsEndpointsMetricRelabelingsAction, PodMonitorSpecPodMetricsEndpointsRelabelingsAction } from '../../imports/monitoring.coreos.com.js';
import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import { type ExistingExporter, type ExporterMode, requiredNodeAffinity } from './exporter-mode.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import { nodeNameRelabeling, relabelingsFor } from '../core/relabel.js';
import { PropChecks } from '../core/value-types.js';
import { checkExporterMode, EXPORTER_VALUE_TYPES, NEURON_MONITOR_VALUE_TYPES } from './gpu-value-types.js';
import { addPrometheusRule, type RuleGroupSpec } from '../core/rule-types.js';
import { PLATFORMS, type Platform } from '../core/platform.js';
import { NEURON_RULES_NAME, neuronRuleGroups } from './neuron-rules.js';

/** The neuron-monitor image AWS publishes (neuron-monitor piped into neuron-monitor-prometheus.py). */
export const NEURON_MONITOR_IMAGE = 'public.ecr.aws/neuron/neuron-monitor:1.3.0';
/** Port neuron-monitor-prometheus.py serves /metrics on (its default). */
export const NEURON_MONITOR_PORT = 8000;
/** Taint key of Inferentia / Trainium nodes (the Neuron device plugin's resource name). */
export const NEURON_TAINT_KEY = 'aws.amazon.com/neuron';

/** EC2 instance types with Neuron devices (Inferentia 1/2, Trainium 1/2), where neuron-monitor runs by default. */
export const NEURON_INSTANCE_TYPES: readonly string[] = [
  'inf1.xlarge', 'inf1.2xlarge', 'inf1.6xlarge', 'inf1.24xlarge',
  'inf2.xlarge', 'inf2.8xlarge', 'inf2.24xlarge', 'inf2.48xlarge',
  'trn1.2xlarge', 'trn1.32xlarge', 'trn1n.32xlarge',
  'trn2.48xlarge', 'trn2u.48xlarge',
];

/**
 * The DaemonSet AWS documents (k8s-neuron-monitor-daemonset.yml): namespace `neuron-monitor`, pods labelled
 * `app: neuron-monitor`, metrics on container port 8000 (unnamed).
 */
export const AWS_NEURON_MONITOR: ExistingExporter = {
  namespace: 'neuron-monitor',
  selectorLabels: { app: 'neuron-monitor' },
  portNumber: NEURON_MONITOR_PORT,
};

/** Options of {@link NeuronMonitor} that are not wiring. */
export interface NeuronMonitorOptions {
  /**
   * `deploy` runs neuron-monitor as a DaemonSet on Neuron nodes; `existing` only scrapes one that runs already.
   * @default {@link DEFAULT_EXPORTER_MODE}
   */
  readonly mode?: ExporterMode;
  /**
   * The exporter pods to scrape in `existing` mode.
   * @default AWS's documented DaemonSet ({@link AWS_NEURON_MONITOR})
   */
  readonly existing?: ExistingExporter;
  /**
   * The neuron-monitor image (must contain `neuron-monitor` and `neuron-monitor-prometheus.py` on PATH).
   * @default NEURON_MONITOR_IMAGE
   */
  readonly image?: string;
  /**
   * Instance types the DaemonSet runs on (`node.kubernetes.io/instance-type`).
   * @default NEURON_INSTANCE_TYPES
   */
  readonly instanceTypes?: readonly string[];
  /**
   * Scrape interval.
   * @default "30s"
   */
  readonly scrapeInterval?: string;
  /**
   * Ship the Neuron recording rules and alerts (NeuronExecutionErrors, NeuronMonitorDown) as the PrometheusRule
   * `neuron-rules`; the Neuron dashboard and the fleet view's Neuron row read the recorded series.
   * @default true
   */
  readonly rules?: boolean;
}

/** Platforms with Neuron devices: AWS only (EKS, or a cluster of your own on EC2). */
export const NEURON_PLATFORMS: readonly Platform[] = ['eks', 'generic'];

/** Props of {@link NeuronMonitor}. */
export interface NeuronMonitorProps extends NeuronMonitorOptions {
  /** The Prometheus that scrapes the exporter. */
  readonly prometheus: PrometheusTarget;
  /**
   * The Kubernetes platform. Neuron devices exist on AWS only: `gke` and `aks` are refused.
   * @default "generic"
   */
  readonly platform?: Platform;
  /**
   * Namespace of the DaemonSet and PodMonitor.
   * @default "observability"
   */
  readonly namespace?: string;
}

/**
 * AWS Inferentia / Trainium telemetry: a DaemonSet of our own running `neuron-monitor | neuron-monitor-prometheus.py`
 * (as AWS documents) on Neuron nodes, or an existing one, scraped through a PodMonitor that adds the `node` label
 * and drops the Python runtime series.
 *
 * neuron-monitor needs a privileged container to read the Neuron devices (AWS's own manifest runs it so): this is
 * the one workload of the library that is not restricted; the namespace must allow privileged pods.
 */
export class NeuronMonitor extends Construct {
  /** `deploy` or `existing`. */
  public readonly mode: ExporterMode;
  /** Name of the DaemonSet (`deploy` mode) and the PodMonitor. */
  public readonly name = 'neuron-monitor';
  /** Labels of the exporter pods. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /**
   * The `job` label of the scraped series: prometheus-operator names a PodMonitor's job `<namespace>/<name>` (no
   * jobLabel set).
   */
  public readonly job: string;
  /** The Neuron rule groups shipped (empty when `rules` is false). */
  public readonly ruleGroups: readonly RuleGroupSpec[];

  constructor(scope: Construct, id: string, props: NeuronMonitorProps) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    this.mode = checkExporterMode(props.mode);
    const checks = new PropChecks();
    checks.check(NEURON_MONITOR_VALUE_TYPES.image, props.image, 'image');
    checks.check(EXPORTER_VALUE_TYPES.namespace, props.existing?.namespace, 'existing.namespace');
    if (this.mode === 'existing' && props.existing && !props.existing.portName && !props.existing.portNumber) {
      checks.fail('existing', 'set portName or portNumber of the metrics port');
    }
    if (props.instanceTypes?.length === 0) checks.fail('instanceTypes', 'must name at least one instance type');
    checks.check(EXPORTER_VALUE_TYPES.platform, props.platform, 'platform');
    if (props.platform !== undefined && PLATFORMS.includes(props.platform) && !NEURON_PLATFORMS.includes(props.platform)) {
      checks.fail('platform', `'${props.platform}' has no Neuron devices (AWS Inferentia / Trainium run on EC2 only): allowed: ${NEURON_PLATFORMS.join(', ')}`);
    }
    checks.throwIfAny();

    let target: ExistingExporter;
    if (this.mode === 'deploy') {
      this.podLabels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/component': 'accelerator-exporter' };
      this.deploy(namespace, props);
      target = { namespace, selectorLabels: this.podLabels, portName: 'metrics' };
    } else {
      target = props.existing ?? AWS_NEURON_MONITOR;
      this.podLabels = target.selectorLabels;
    }

    this.job = `${namespace}/${this.name}`;
    new PodMonitor(this, 'pod-monitor', {
      metadata: { name: this.name, namespace, labels: { ...props.prometheus.monitorSelectorLabels } },
      spec: {
        namespaceSelector: { matchNames: [target.namespace] },
        selector: { matchLabels: { ...target.selectorLabels } },
        podMetricsEndpoints: [
          {
            ...(target.portName ? { port: target.portName } : { portNumber: target.portNumber }),
            path: '/metrics',
            interval: props.scrapeInterval ?? '30s',
            relabelings: relabelingsFor(PodMonitorSpecPodMetricsEndpointsRelabelingsAction, [nodeNameRelabeling()]),
            // prometheus_client adds python_*/process_* runtime series and a *_created twin of every counter.
            metricRelabelings: relabelingsFor(PodMonitorSpecPodMetricsEndpointsMetricRelabelingsAction, [
              { action: 'drop', sourceLabels: ['__name__'], regex: 'python_.*|process_.*|.*_created' },
            ]),
          },
        ],
      },
    });
    this.ruleGroups = props.rules === false ? [] : neuronRuleGroups(this.job);
    if (this.ruleGroups.length > 0) {
      addPrometheusRule(this, 'rules', { name: NEURON_RULES_NAME, namespace, prometheus: props.prometheus, groups: this.ruleGroups });
    }
  }

  private deploy(namespace: string, props: NeuronMonitorProps): void {
    const instanceTypes = props.instanceTypes ?? NEURON_INSTANCE_TYPES;
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: this.name, namespace },
      automountServiceAccountToken: false,
    });
    new k8s.KubeDaemonSet(this, 'daemon-set', {
      metadata: { name: this.name, namespace, labels: { ...this.podLabels } },
      spec: {
        selector: { matchLabels: { ...this.podLabels } },
        template: {
          metadata: { labels: { ...this.podLabels } },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            priorityClassName: 'system-node-critical',
            affinity: requiredNodeAffinity([
              { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: [...instanceTypes] }] },
            ]) as k8s.Affinity,
            tolerations: [{ key: NEURON_TAINT_KEY, operator: 'Exists' }],
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'neuron-monitor',
                image: props.image ?? NEURON_MONITOR_IMAGE,
                command: ['/bin/sh', '-c', `neuron-monitor | neuron-monitor-prometheus.py --port ${NEURON_MONITOR_PORT}`],
                ports: [{ name: 'metrics', containerPort: NEURON_MONITOR_PORT, protocol: 'TCP' }],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                  limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
                },
                // Reading /dev/neuron* needs a privileged container (AWS's manifest does the same).
                securityContext: { privileged: true, readOnlyRootFilesystem: true },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 10 },
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
          },
        },
      },
    });
  }
}

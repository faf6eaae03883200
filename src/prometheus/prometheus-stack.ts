import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, type ChartComponentProps } from '../core/component-props.js';
import { requireCredentialStore } from '../core/credential-store.js';
import { DEFAULT_PLATFORM, MANAGED_CONTROL_PLANE, type Platform } from '../core/platform.js';
import { msg, propList } from '../core/prop-error.js';
import { PropChecks } from '../core/value-types.js';
import { PROMETHEUS_STACK_VALUE_TYPES } from './prometheus-value-types.js';

export { MIN_GRAFANA_PASSWORD_LENGTH } from './prometheus-value-types.js';
import { UPSTREAM_CHARTS, type UpstreamChartRelease } from '../core/upstream-chart.js';
import { deepMerge, type JsonObject } from '../core/deep-merge.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import type { NetworkPort } from '../core/network-access.js';
import type { PodSecurityNeed } from '../core/pod-security.js';

/** Grafana settings of {@link PrometheusStack}. */
export interface GrafanaProps {
  /**
   * Grafana admin user name (ignored with `existingSecret`).
   * @default {@link PROMETHEUS_STACK_DEFAULTS}.grafanaAdminUser
   */
  readonly adminUser?: string;
  /**
   * Grafana admin password. Never the chart's default.
   * @default generated once and kept in the credential store
   */
  readonly adminPassword?: string;
  /**
   * Name of an existing Secret with the keys `admin-user` and `admin-password`; no Secret is emitted then,
   * so no credential lands in `dist/`.
   * @default none: a Secret is emitted
   */
  readonly existingSecret?: string;
}

/** What {@link PrometheusStack} uses for props left out. */
export const PROMETHEUS_STACK_DEFAULTS = {
  releaseName: 'kube-prometheus-stack',
  retention: '15d',
  storageSize: '50Gi',
  grafanaAdminUser: 'admin',
} as const;

/** Props of {@link PrometheusStack}. */
export interface PrometheusStackProps extends ChartComponentProps {
  /**
   * Helm release name; the Prometheus, Alertmanager and Grafana service names derive from it.
   * At most 26 characters (the chart truncates longer names).
   * @default {@link PROMETHEUS_STACK_DEFAULTS}.releaseName
   */
  readonly releaseName?: string;
  /** Grafana settings. @default admin user "admin", generated password */
  readonly grafana?: GrafanaProps;
  /**
   * How long Prometheus keeps samples.
   * @default {@link PROMETHEUS_STACK_DEFAULTS}.retention
   */
  readonly retention?: string;
  /**
   * Size of each Prometheus replica's volume.
   * @default {@link PROMETHEUS_STACK_DEFAULTS}.storageSize
   */
  readonly storageSize?: string;
  /**
   * The Kubernetes platform. On `eks`, `gke` and `aks` the chart's kube-scheduler, kube-controller-manager, etcd and
   * kube-proxy scraping is off, and with it their rules (KubeSchedulerDown, KubeControllerManagerDown, etcd*,
   * KubeProxyDown would fire forever: the managed control plane is out of reach, kube-proxy serves metrics on
   * loopback); `generic` keeps them ({@link CONTROL_PLANE_COMPONENTS}).
   * @default {@link DEFAULT_PLATFORM} ("generic")
   */
  readonly platform?: Platform;
  /**
   * Namespace of node-exporter, which reads the host (host network and PID namespace, host paths `/`, `/proc`,
   * `/sys`) and so needs a namespace whose Pod Security level is `privileged`.
   * @default the stack's namespace
   */
  readonly nodeAgentsNamespace?: string;
}

/**
 * `name` of the kube-prometheus-stack chart (`kube-prometheus-stack.name`: the chart name, no nameOverride is set),
 * which its operator's pod labels carry.
 */
const CHART_NAME = 'kube-prometheus-stack';

/**
 * The ports the stack's pods listen on (pod ports, after Service translation), named as the charts and the
 * operator name them: the one source of the NetworkPolicies' ports.
 * - Prometheus `http-web` 9090 and the config reloader's `reloader-web` 8080 (kube-prometheus-stack 88.5.3
 *   values.yaml `prometheus.service.port`, templates/prometheus/servicemonitor.yaml);
 * - Alertmanager `http-web` 9093, `reloader-web` 8080, and the cluster mesh 9094 (TCP and UDP) between replicas
 *   (prometheus-operator's statefulset for Alertmanager);
 * - Grafana's container port `grafana` 3000 (grafana chart 12.11.1 values `service.targetPort`);
 * - kube-state-metrics `http` 8080 (its chart 8.4.0 values `service.port`);
 * - the operator's `https` 10250 (values `prometheusOperator.tls.internalPort`), its API and admission webhooks.
 */
export const PROMETHEUS_STACK_PORTS = {
  prometheus: [{ name: 'http-web', port: 9090 }, { name: 'reloader-web', port: 8080 }],
  alertmanager: [
    { name: 'http-web', port: 9093 },
    { name: 'reloader-web', port: 8080 },
    { name: 'mesh-tcp', port: 9094 },
    { name: 'mesh-udp', port: 9094, protocol: 'UDP' },
  ],
  grafana: [{ name: 'grafana', port: 3000 }],
  kubeStateMetrics: [{ name: 'http', port: 8080 }],
  operator: [{ name: 'https', port: 10250 }],
} as const satisfies Record<string, readonly NetworkPort[]>;

/**
 * kube-prometheus-stack 88.5.3's values keys of the control-plane components a managed platform hides. Each key
 * gates the component's Service and ServiceMonitor and, in templates/prometheus/rules-1.14/, its rules:
 * kube-scheduler.rules.yaml and kubernetes-system-scheduler.yaml (`kubeScheduler.enabled`),
 * kubernetes-system-controller-manager.yaml (`kubeControllerManager.enabled`), etcd.yaml (`kubeEtcd.enabled`),
 * kubernetes-system-kube-proxy.yaml (`kubeProxy.enabled`).
 */
export const CONTROL_PLANE_COMPONENTS = ['kubeScheduler', 'kubeControllerManager', 'kubeEtcd', 'kubeProxy'] as const;

/** Grafana plugins the stack installs: the OpenSearch datasource for the log panels. */
export const GRAFANA_PLUGINS = ['grafana-opensearch-datasource'] as const;

/** Keys of the Grafana admin Secret, as the chart's `grafana.admin.userKey` / `passwordKey` expect them. */
export const GRAFANA_ADMIN_SECRET_KEYS = { user: 'admin-user', password: 'admin-password' } as const;

/**
 * Metrics, alerting and dashboards: kube-prometheus-stack 88.5.3 (Prometheus, Alertmanager, Grafana with the
 * OpenSearch datasource plugin, node-exporter, kube-state-metrics).
 *
 * Grafana's admin credentials come from a Secret (never the chart's default password); Grafana's sidecar loads
 * dashboards and datasources from objects carrying {@link dashboardLabels} / {@link datasourceLabels}; and
 * Prometheus selects ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and PrometheusRules in every namespace by
 * one label, {@link monitorSelectorLabels}, which the other components ask for.
 */
export class PrometheusStack extends Construct implements PrometheusTarget {
  /** Helm release name. */
  public readonly releaseName: string;
  public readonly prometheusNamespace: string;
  public readonly prometheusServiceName: string;
  public readonly prometheusPort: number = PROMETHEUS_STACK_PORTS.prometheus[0].port;
  public readonly prometheusUrl: string;
  public readonly monitorSelectorLabels: Readonly<Record<string, string>>;
  public readonly prometheusPodLabels: Readonly<Record<string, string>>;
  /** Name of the Alertmanager Service (port 9093). */
  public readonly alertmanagerServiceName: string;
  /** Name of the Grafana Service. */
  public readonly grafanaServiceName: string;
  /** Port of the Grafana Service. */
  public readonly grafanaPort = 80;
  /** Name of the Secret holding Grafana's admin credentials (keys in {@link GRAFANA_ADMIN_SECRET_KEYS}). */
  public readonly grafanaAdminSecretName: string;
  /** Labels that make Grafana's sidecar load a ConfigMap as dashboards. */
  public readonly dashboardLabels: Readonly<Record<string, string>> = { grafana_dashboard: '1' };
  /** Labels that make Grafana's sidecar load a Secret or ConfigMap as datasources. */
  public readonly datasourceLabels: Readonly<Record<string, string>> = { grafana_datasource: '1' };
  /** The platform the stack is configured for. */
  public readonly platform: Platform;
  /** The control-plane components the chart scrapes (and alerts on): none on a managed platform. */
  public readonly scrapedControlPlane: readonly (typeof CONTROL_PLANE_COMPONENTS)[number][];
  /** UID of the Prometheus datasource the chart provisions; dashboards default to it. */
  public readonly prometheusDatasourceUid = 'prometheus';
  /** The chart release this construct delivers (values included), for inspection and tests. */
  public readonly release: UpstreamChartRelease;
  /** Namespace of node-exporter. */
  public readonly nodeAgentsNamespace: string;
  /** Labels of the Alertmanager pods (the operator's, for the Alertmanager resource the chart names). */
  public readonly alertmanagerPodLabels: Readonly<Record<string, string>>;
  /** Labels of the Grafana pods (grafana chart: `app.kubernetes.io/name`, `app.kubernetes.io/instance`). */
  public readonly grafanaPodLabels: Readonly<Record<string, string>>;
  /** Labels of the kube-state-metrics pods (its chart's selector labels). */
  public readonly kubeStateMetricsPodLabels: Readonly<Record<string, string>>;
  /** Labels of the prometheus-operator pods (templates/prometheus-operator/_prometheus-operator.tpl). */
  public readonly operatorPodLabels: Readonly<Record<string, string>>;
  /** Workloads that need more than the `restricted` Pod Security level: node-exporter. */
  public readonly podSecurityNeeds: readonly PodSecurityNeed[];

  constructor(scope: Construct, id: string, props: PrometheusStackProps) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    checkPrometheusStackProps(props);
    this.releaseName = props.releaseName ?? PROMETHEUS_STACK_DEFAULTS.releaseName;
    this.platform = props.platform ?? DEFAULT_PLATFORM;
    this.scrapedControlPlane = MANAGED_CONTROL_PLANE[this.platform] ? [] : [...CONTROL_PLANE_COMPONENTS];

    this.prometheusNamespace = namespace;
    this.prometheusServiceName = `${this.releaseName}-prometheus`;
    this.prometheusUrl = `http://${this.prometheusServiceName}.${namespace}.svc:${this.prometheusPort}`;
    this.alertmanagerServiceName = `${this.releaseName}-alertmanager`;
    this.grafanaServiceName = `${this.releaseName}-grafana`;
    this.monitorSelectorLabels = { release: this.releaseName };
    // The operator labels the pods of the Prometheus resource the chart names like its Service.
    this.prometheusPodLabels = { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': this.prometheusServiceName };
    this.alertmanagerPodLabels = { 'app.kubernetes.io/name': 'alertmanager', alertmanager: this.alertmanagerServiceName };
    this.grafanaPodLabels = { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': this.releaseName };
    this.kubeStateMetricsPodLabels = { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': this.releaseName };
    this.operatorPodLabels = { app: `${CHART_NAME}-operator`, release: this.releaseName };
    this.nodeAgentsNamespace = props.nodeAgentsNamespace ?? namespace;
    // node-exporter runs unless the pass-through values turn the chart's `nodeExporter.enabled` off.
    const nodeExporterOn = (props.values?.nodeExporter as { enabled?: unknown } | undefined)?.enabled !== false;
    this.podSecurityNeeds = !nodeExporterOn ? [] : [
      {
        workload: `DaemonSet/${this.releaseName}-prometheus-node-exporter`,
        namespace: this.nodeAgentsNamespace,
        level: 'privileged',
        reason:
          "node-exporter reads the node: host network and host PID namespace, a host port, and the host paths /, /proc and /sys (prometheus-node-exporter chart 4.56.1 values hostNetwork, hostPID, hostRootFsMount)",
      },
    ];

    const grafana = props.grafana ?? {};
    this.grafanaAdminSecretName = grafana.existingSecret ?? `${this.releaseName}-grafana-admin`;
    const secretScope = props.setupScope ?? this;
    if (!grafana.existingSecret) {
      const password =
        grafana.adminPassword ??
        requireCredentialStore(props.credentials, 'Grafana admin password', [['grafana', 'adminPassword'], ['grafana', 'existingSecret']]).getOrCreate(
          `${namespace}/${this.releaseName}/grafana-admin-password`,
        );
      new k8s.KubeSecret(secretScope, `${id}-grafana-admin`, {
        metadata: { name: this.grafanaAdminSecretName, namespace },
        type: 'Opaque',
        stringData: {
          [GRAFANA_ADMIN_SECRET_KEYS.user]: grafana.adminUser ?? PROMETHEUS_STACK_DEFAULTS.grafanaAdminUser,
          [GRAFANA_ADMIN_SECRET_KEYS.password]: password,
        },
      });
    }

    this.release = {
      chart: UPSTREAM_CHARTS['kube-prometheus-stack'],
      releaseName: this.releaseName,
      namespace,
      values: deepMerge(this.computeValues(props), props.values),
    };
    props.delivery.deliver(secretScope, `${id}-chart`, this.release);
  }

  /** Labels to put on a ServiceMonitor / PodMonitor / PrometheusRule so this Prometheus picks it up. */
  public selectMe(labels: Record<string, string> = {}): Record<string, string> {
    return { ...labels, ...this.monitorSelectorLabels };
  }

  private computeValues(props: PrometheusStackProps): JsonObject {
    const selector = { matchLabels: { ...this.monitorSelectorLabels } };
    const everyNamespace = {};
    return {
      fullnameOverride: this.releaseName,
      prometheus: {
        prometheusSpec: {
          retention: props.retention ?? PROMETHEUS_STACK_DEFAULTS.retention,
          // Time alone does not bound the volume: a cardinality spike fills it and Prometheus stops ingesting.
          // Blocks are also dropped, oldest first, once they pass this share of the volume (the WAL and head chunks
          // are not counted by Prometheus, hence the margin).
          retentionSize: retentionSizeFor(props.storageSize ?? PROMETHEUS_STACK_DEFAULTS.storageSize),
          // Pick up exactly the objects carrying the release label, in every namespace: the chart's own
          // monitors carry it, and so do the ones this library creates (they ask for monitorSelectorLabels).
          serviceMonitorSelectorNilUsesHelmValues: false,
          serviceMonitorSelector: selector,
          serviceMonitorNamespaceSelector: everyNamespace,
          podMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelector: selector,
          podMonitorNamespaceSelector: everyNamespace,
          ruleSelectorNilUsesHelmValues: false,
          ruleSelector: selector,
          ruleNamespaceSelector: everyNamespace,
          probeSelectorNilUsesHelmValues: false,
          probeSelector: selector,
          scrapeConfigSelectorNilUsesHelmValues: false,
          scrapeConfigSelector: selector,
          resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '8Gi' } },
          storageSpec: {
            volumeClaimTemplate: {
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: props.storageSize ?? PROMETHEUS_STACK_DEFAULTS.storageSize } } },
            },
          },
        },
      },
      alertmanager: {
        alertmanagerSpec: {
          resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
        },
      },
      prometheusOperator: {
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        prometheusConfigReloader: {
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
        },
        admissionWebhooks: {
          patch: { resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } } },
        },
      },
      grafana: {
        admin: {
          existingSecret: this.grafanaAdminSecretName,
          userKey: GRAFANA_ADMIN_SECRET_KEYS.user,
          passwordKey: GRAFANA_ADMIN_SECRET_KEYS.password,
        },
        sidecar: {
          dashboards: { enabled: true, ...labelAndValue(this.dashboardLabels), searchNamespace: 'ALL' },
          datasources: { enabled: true, ...labelAndValue(this.datasourceLabels) },
          // The grafana chart gives its k8s-sidecar containers no requests or limits (`sidecar.resources: {}`);
          // one setting covers the dashboards and the datasources sidecar.
          resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
        },
        // Keys of the grafana subchart (listed in DOCUMENTED_VALUE_KEYS).
        fullnameOverride: this.grafanaServiceName,
        plugins: [...GRAFANA_PLUGINS],
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      },
      'kube-state-metrics': {
        resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '512Mi' } },
      },
      'prometheus-node-exporter': {
        // Its own namespace: it needs the privileged Pod Security level, nothing else of the stack does.
        namespaceOverride: this.nodeAgentsNamespace,
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
        // GPU and Neuron nodes are usually tainted; node metrics are needed there most.
        tolerations: [{ operator: 'Exists' }],
      },
      // Off where the platform hides them: their Services, ServiceMonitors and rules go with them.
      ...Object.fromEntries(CONTROL_PLANE_COMPONENTS.filter((c) => !this.scrapedControlPlane.includes(c)).map((c) => [c, { enabled: false }])),
    };
  }
}

/** Share of the Prometheus volume the TSDB blocks may fill before the oldest are deleted. */
const RETENTION_SIZE_SHARE = 0.85;

/**
 * `retentionSize` for a volume of `storageSize` (a binary quantity such as 50Gi, as the prop's type allows):
 * {@link RETENTION_SIZE_SHARE} of it, in Prometheus's base-2 "MB" (MiB).
 */
function retentionSizeFor(storageSize: string): string {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(storageSize);
  if (!match) throw new Error(`storageSize '${storageSize}' is not a binary quantity`);
  const mebibytes = Number(match[1]) * { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 }[match[2] as 'Ki' | 'Mi' | 'Gi' | 'Ti'];
  return `${Math.floor(mebibytes * RETENTION_SIZE_SHARE)}MB`;
}

/** Every problem with the props, at once. */
function checkPrometheusStackProps(props: PrometheusStackProps): void {
  const types = PROMETHEUS_STACK_VALUE_TYPES;
  const grafana = props.grafana ?? {};
  const checks = new PropChecks();
  checks.check(types.releaseName, props.releaseName, 'releaseName');
  checks.check(types.retention, props.retention, 'retention');
  checks.check(types.storageSize, props.storageSize, 'storageSize');
  checks.check(types.grafanaAdminUser, grafana.adminUser, 'grafana.adminUser');
  checks.check(types.grafanaAdminPassword, grafana.adminPassword, 'grafana.adminPassword');
  checks.check(types.grafanaExistingSecret, grafana.existingSecret, 'grafana.existingSecret');
  checks.check(types.platform, props.platform, 'platform');
  const given = (['adminUser', 'adminPassword'] as const).filter((key) => grafana[key] !== undefined);
  if (grafana.existingSecret !== undefined && given.length > 0) {
    checks.fail(
      'grafana.existingSecret',
      msg`cannot be combined with ${propList(given.map((key) => ['grafana', key]))}: the credentials come from the existing Secret; remove one or the other`,
    );
  }
  checks.throwIfAny();
}

function labelAndValue(labels: Readonly<Record<string, string>>): { label: string; labelValue: string } {
  const [entry] = Object.entries(labels);
  return { label: entry![0], labelValue: entry![1] };
}

import { PodMonitor, PodMonitorSpecPodMetricsEndpointsRelabelingsAction } from '../../../imports/monitoring.coreos.com.js';
import { Construct } from 'constructs';
import {
  ClusterFilter,
  type ClusterFilterSpec,
  ClusterFluentBitConfig,
  type ClusterFluentBitConfigSpecService,
  ClusterFluentBitConfigSpecServiceLogLevel,
  ClusterFluentBitConfigSpecServiceStorageChecksum,
  ClusterFluentBitConfigSpecServiceStorageDeleteIrrecoverableChunks,
  ClusterFluentBitConfigSpecServiceStorageMetrics,
  ClusterFluentBitConfigSpecServiceStorageSync,
  ClusterInput,
  type ClusterInputSpec,
  ClusterOutput,
  type ClusterOutputSpec,
  ClusterParser,
  type ClusterParserSpec,
  FluentBit,
  FluentBitSpecResourcesLimits,
  FluentBitSpecResourcesRequests,
  type FluentBitSpecTolerations,
  FluentBitSpecVolumesEmptyDirSizeLimit,
} from '../../../imports/fluentbit.fluent.io.js';
import { DEFAULT_NAMESPACE, type ChartComponentProps } from '../../core/component-props.js';
import { propError } from '../../core/prop-error.js';
import { PropChecks } from '../../core/value-types.js';
import { UPSTREAM_CHARTS, type UpstreamChartRelease } from '../../core/upstream-chart.js';
import type { OpenSearchTarget } from '../../core/opensearch-target.js';
import type { PrometheusTarget } from '../../core/prometheus-target.js';
import { loggingRuleGroup } from './logging-rules.js';
import { addPrometheusRule } from '../../core/rule-types.js';
import { resources as resourceSpec, type ResourceSpec } from '../../core/security.js';
import { deepMerge, type JsonObject } from '../../core/deep-merge.js';
import { nodeNameRelabeling, relabelingsFor } from '../../core/relabel.js';
import { builtInFilters, builtInInputs, builtInOutputs, mergePieces, type PipelinePieces } from './built-in-pipeline.js';
import { FLUENT_BIT_VALUE_TYPES } from './fluent-bit-value-types.js';
import type { NetworkPort } from '../../core/network-access.js';
import type { PodSecurityNeed } from '../../core/pod-security.js';
import { SecretMirror } from '../../core/secret-mirror.js';

export { BUILT_IN_FILTER_ORDINAL, BUILT_IN_PIPELINE, LOG_TAG_REGEX, LOG_TAGS, type PipelinePieces } from './built-in-pipeline.js';

/**
 * Fluent Bit image of the FluentBit resource: the one fluent-operator 4.3.0's chart deploys by default
 * (`fluentbit.image` in its values: ghcr.io/fluent/fluent-operator/fluent-bit, tag 5.1.0).
 */
export const FLUENT_BIT_IMAGE = 'ghcr.io/fluent/fluent-operator/fluent-bit:5.1.0';

/** Port of Fluent Bit's HTTP server (metrics, health), named `metrics` on the DaemonSet's container. */
export const FLUENT_BIT_METRICS_PORT = 2020;

/** Fluent Bit's HTTP port by name, as fluent-operator names the DaemonSet's container port (pkg/operator/daemonset.go, v3.10.0). */
export const FLUENT_BIT_METRICS_NETWORK_PORT = { name: 'metrics', port: FLUENT_BIT_METRICS_PORT } as const satisfies NetworkPort;

/** Path of Fluent Bit's Prometheus metrics. */
export const FLUENT_BIT_METRICS_PATH = '/api/v2/metrics/prometheus';

/** Taints of GPU and Neuron nodes (NVIDIA device plugin / EKS convention, AWS Neuron device plugin). */
export const ACCELERATOR_TOLERATIONS: readonly FluentBitSpecTolerations[] = [
  { key: 'nvidia.com/gpu', operator: 'Exists' },
  { key: 'aws.amazon.com/neuron', operator: 'Exists' },
];

const LOG_LEVELS = {
  error: ClusterFluentBitConfigSpecServiceLogLevel.ERROR,
  warning: ClusterFluentBitConfigSpecServiceLogLevel.WARNING,
  info: ClusterFluentBitConfigSpecServiceLogLevel.INFO,
  debug: ClusterFluentBitConfigSpecServiceLogLevel.DEBUG,
} as const;

/** What {@link FluentBitPipeline} uses for props left out. */
export const FLUENT_BIT_DEFAULTS = { name: 'fluent-bit', releaseName: 'fluent-operator', bufferLimit: '5G', retryLimit: 200 } as const;

/** Props of {@link FluentBitPipeline}. */
export interface FluentBitPipelineProps extends ChartComponentProps {
  /** The OpenSearch logs go to (an {@link OpenSearchCluster} or an external one). */
  readonly openSearch: OpenSearchTarget;
  /** Secret in this namespace with keys `username` and `password` of a user allowed to write the log data streams. */
  readonly credentialsSecret: string;
  /**
   * Namespace of the FluentBit resource, its DaemonSet, PodMonitor and PrometheusRule: Fluent Bit reads host paths
   * (the container logs, the journal, its buffer), which only the `privileged` Pod Security level admits. When it
   * differs from `namespace`, {@link credentialsSecret} and the OpenSearch CA Secret are copied there by a
   * {@link SecretMirror} (pods mount Secrets of their own namespace only).
   * @default `namespace`
   */
  readonly agentNamespace?: string;
  /**
   * The Prometheus that scrapes Fluent Bit and evaluates the logging alerts (PodMonitor and PrometheusRule carry
   * its selector labels).
   * @default none: no PodMonitor and no PrometheusRule
   */
  readonly prometheus?: PrometheusTarget;
  /**
   * The cluster's name, set as the `cluster` field of every record (as the `cluster` label of every metric series).
   * @default none: records carry no cluster field
   */
  readonly clusterName?: string;
  /**
   * Name of the FluentBit resource (its DaemonSet) and prefix of the cluster-wide pipeline resources.
   * @default {@link FLUENT_BIT_DEFAULTS}.name
   */
  readonly name?: string;
  /**
   * Helm release name of fluent-operator; the PrometheusRule is named `<releaseName>-logging`.
   * @default {@link FLUENT_BIT_DEFAULTS}.releaseName
   */
  readonly releaseName?: string;
  /** Fluent Bit image. @default {@link FLUENT_BIT_IMAGE} */
  readonly image?: string;
  /**
   * Skip verification of OpenSearch's TLS certificate. Only for a test cluster: anyone on the path can read the logs
   * and the log writer's password.
   * @default false: verified against the target's CA Secret (or the image's system CAs without one)
   */
  readonly insecureSkipTlsVerify?: boolean;
  /**
   * Retries of a failed batch before it is dropped (counted by the RetriesExhausted alert). With the scheduler's
   * backoff capped at 5 minutes, 200 retries are roughly 8 hours of OpenSearch being down.
   * @default {@link FLUENT_BIT_DEFAULTS}.retryLimit
   */
  readonly retryLimit?: number | 'no_limits';
  /**
   * Disk each node may use to buffer records of the OpenSearch output (`storage.total_limit_size`); beyond it the
   * oldest chunks are dropped (the RecordsDropped alert).
   * @default {@link FLUENT_BIT_DEFAULTS}.bufferLimit
   */
  readonly bufferLimit?: string;
  /**
   * Where the buffer lives: a host directory survives pod restarts and DaemonSet updates; an emptyDir does not.
   * @default "hostPath"
   */
  readonly bufferVolume?: 'hostPath' | 'emptyDir';
  /**
   * Host directory of the read positions and (with a hostPath buffer) the buffer, one subdirectory per pipeline.
   * @default "/var/lib/fluent-bit"
   */
  readonly hostStateDir?: string;
  /** Container log files. @default "/var/log/containers/*.log" */
  readonly containerLogPath?: string;
  /** systemd journal directory. @default "/var/log/journal" */
  readonly journalPath?: string;
  /** systemd units collected. @default ["kubelet.service", "containerd.service"] */
  readonly systemdUnits?: readonly string[];
  /**
   * Tolerations of the DaemonSet. `[{ operator: 'Exists' }]` runs it on every node whatever its taints.
   * @default {@link ACCELERATOR_TOLERATIONS} (GPU and Neuron nodes)
   */
  readonly tolerations?: readonly FluentBitSpecTolerations[];
  /** Resources of each Fluent Bit pod. @default requests 100m / 128Mi, limits 1 CPU / 512Mi */
  readonly resources?: ResourceSpec;
  /** Priority class of the DaemonSet, e.g. `system-node-critical`. @default none */
  readonly priorityClassName?: string;
  /** Fluent Bit's own log level. @default "info" */
  readonly logLevel?: 'error' | 'warning' | 'info' | 'debug';
  /** Inputs to add (new name), replace (built-in name: containers, systemd, kernel) or remove (`null`). @default none */
  readonly inputs?: PipelinePieces<ClusterInputSpec>;
  /** Filters to add, replace (containers, systemd, kernel) or remove. @default none */
  readonly filters?: PipelinePieces<ClusterFilterSpec>;
  /** Outputs to add (e.g. S3, Loki), replace (opensearch) or remove. @default none */
  readonly outputs?: PipelinePieces<ClusterOutputSpec>;
  /** Parsers to add. @default none */
  readonly parsers?: PipelinePieces<ClusterParserSpec>;
}

/**
 * Logs that arrive and stay: fluent-operator 4.3.0 (through the chart delivery, with its own default pipeline turned
 * off) and a Fluent Bit DaemonSet with a cluster-wide pipeline of typed resources:
 * - inputs: container logs (tail, CRI format), the kubelet and containerd units, kernel messages (both from the
 *   systemd journal, which needs no privileged access to /dev/kmsg);
 * - filters: Kubernetes metadata with pod labels (so Ray cluster and job labels reach OpenSearch), and a shape common
 *   to node logs ({@link LOG_FIELDS});
 * - output: OpenSearch data streams `logs-<source>` as the least-privilege log writer, TLS verified against the
 *   target's CA.
 *
 * Nothing is lost while OpenSearch is down: every input buffers on the filesystem (a host directory that outlives the
 * pod), the output keeps up to {@link FluentBitPipelineProps.bufferLimit} per node and retries with backoff; losses
 * are alerted on (PrometheusRule `<releaseName>-logging`, {@link loggingRuleGroup}) from Fluent Bit's own metrics
 * (PodMonitor). The DaemonSet tolerates GPU and Neuron taints, runs without privileges on a read-only root file
 * system; it runs as root (uid 0, no capabilities) only because container and journal files are readable by root
 * alone.
 */
export class FluentBitPipeline extends Construct {
  /** Namespace of the FluentBit resource and its DaemonSet. */
  public readonly namespace: string;
  /** What the Fluent Bit pods need from their namespace's Pod Security level. */
  public readonly podSecurityNeeds: readonly PodSecurityNeed[];
  /** Name of the FluentBit resource and DaemonSet. */
  public readonly name: string;
  /** Labels the ClusterFluentBitConfig selects inputs, filters, outputs and parsers by: add them to pieces of your own. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Labels of the Fluent Bit pods. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Name of the PrometheusRule with the logging alerts (when a Prometheus is given). */
  public readonly ruleName: string;
  /** The OpenSearch the logs go to. */
  public readonly openSearch: OpenSearchTarget;
  /** Secret the OpenSearch output takes its user and password from. */
  public readonly credentialsSecret: string;
  /**
   * Prefix of the data streams the OpenSearch output writes, `<prefix><source>` (e.g. `logs-container`): the
   * target's log index pattern without its trailing `*`.
   */
  public readonly dataStreamPrefix: string;
  /** The fluent-operator chart release (values included), for inspection and tests. */
  public readonly release: UpstreamChartRelease;

  constructor(scope: Construct, id: string, props: FluentBitPipelineProps) {
    super(scope, id);
    const checks = new PropChecks();
    checks.check(FLUENT_BIT_VALUE_TYPES.name, props.name, 'name');
    checks.check(FLUENT_BIT_VALUE_TYPES.bufferLimit, props.bufferLimit, 'bufferLimit');
    if (props.retryLimit !== 'no_limits') checks.check(FLUENT_BIT_VALUE_TYPES.retryLimit, props.retryLimit, 'retryLimit');
    checks.throwIfAny();
    const operatorNamespace = props.namespace ?? DEFAULT_NAMESPACE;
    this.namespace = props.agentNamespace ?? operatorNamespace;
    this.name = props.name ?? FLUENT_BIT_DEFAULTS.name;
    const releaseName = props.releaseName ?? FLUENT_BIT_DEFAULTS.releaseName;
    this.ruleName = `${releaseName}-logging`;
    this.openSearch = props.openSearch;
    this.credentialsSecret = props.credentialsSecret;
    const pattern = /^([a-z0-9][a-z0-9._-]*)\*$/.exec(this.openSearch.logIndexPattern);
    if (!pattern) {
      throw propError(
        'openSearch.logIndexPattern',
        `${JSON.stringify(this.openSearch.logIndexPattern)} is not allowed: must be a lower-case prefix followed by '*' (e.g. logs-*): ` +
          'Fluent Bit writes the data streams <prefix><source> that the pattern must match',
      );
    }
    this.dataStreamPrefix = pattern[1]!;
    this.selectorLabels = { 'logs.aiml-observability.io/pipeline': this.name };
    this.podLabels = { 'app.kubernetes.io/name': 'fluent-bit', 'app.kubernetes.io/instance': this.name };

    const bufferLimit = props.bufferLimit ?? FLUENT_BIT_DEFAULTS.bufferLimit;
    const retryLimit = props.retryLimit ?? FLUENT_BIT_DEFAULTS.retryLimit;

    this.release = {
      chart: UPSTREAM_CHARTS['fluent-operator'],
      releaseName,
      namespace: operatorNamespace,
      values: deepMerge(operatorValues(), props.values),
    };
    props.delivery.deliver(props.setupScope ?? this, `${id}-operator`, this.release);

    if (this.namespace !== operatorNamespace) {
      const ca = this.openSearch.caSecret;
      new SecretMirror(this, 'secret-mirror', {
        name: `${this.name}-secret-mirror`,
        fromNamespace: operatorNamespace,
        toNamespace: this.namespace,
        secrets: [
          { name: this.credentialsSecret, keys: ['username', 'password'] },
          ...(ca ? [{ name: ca.name, keys: [ca.key] }] : []),
        ],
        labels: { 'app.kubernetes.io/name': 'secret-mirror', 'app.kubernetes.io/instance': `${this.name}-secret-mirror` },
      });
    }
    this.podSecurityNeeds = [
      {
        workload: `DaemonSet/${this.name}`,
        namespace: this.namespace,
        level: 'privileged',
        reason:
          'Fluent Bit reads the container logs and the systemd journal from host paths (/var/log, /var/log/journal) and keeps its read positions and buffer in host directories, as root without capabilities (fluent-operator v3.10.0 pkg/operator/daemonset.go mounts the host paths)',
      },
    ];
    this.addFluentBit(props, bufferLimit);
    this.addPipeline(props, bufferLimit, retryLimit);
    if (props.prometheus) this.addMonitoring(props.prometheus);
  }

  private get configName(): string {
    return `${this.name}-config`;
  }

  private addFluentBit(props: FluentBitPipelineProps, bufferLimit: string): void {
    const stateDir = `${(props.hostStateDir ?? '/var/lib/fluent-bit').replace(/\/+$/, '')}/${this.name}`;
    const res = props.resources ?? resourceSpec('100m', '128Mi', '1', '512Mi');
    const limit = (v: string) => FluentBitSpecResourcesLimits.fromString(v);
    const request = (v: string) => FluentBitSpecResourcesRequests.fromString(v);
    const ca = this.openSearch.caSecret;
    const buffer = (props.bufferVolume ?? 'hostPath') === 'hostPath'
      ? { name: 'buffer', hostPath: { path: `${stateDir}/buffer`, type: 'DirectoryOrCreate' } }
      // The emptyDir holds the output's buffer plus what the inputs keep before it (memory-bound).
      : { name: 'buffer', emptyDir: { sizeLimit: FluentBitSpecVolumesEmptyDirSizeLimit.fromString(bufferLimit.replace(/(\d+)(\w)$/, (_, n, u) => `${Math.ceil(Number(n) * 1.2)}${u}i`)) } };

    new FluentBit(this, 'fluent-bit', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...this.podLabels } },
      spec: {
        image: props.image ?? FLUENT_BIT_IMAGE,
        fluentBitConfigName: this.configName,
        labels: { ...this.podLabels },
        positionDb: { hostPath: { path: `${stateDir}/positions`, type: 'DirectoryOrCreate' } },
        resources: {
          requests: { cpu: request(res.requests.cpu), memory: request(res.requests.memory) },
          limits: { cpu: limit(res.limits.cpu), memory: limit(res.limits.memory) },
        },
        tolerations: [...(props.tolerations ?? ACCELERATOR_TOLERATIONS)],
        ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        // Root only to read root-owned log and journal files; no capability, no privilege, nothing writable but the
        // state directories.
        containerSecurityContext: {
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsUser: 0,
          runAsGroup: 0,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        volumes: [
          buffer,
          { name: 'tmp', emptyDir: { sizeLimit: FluentBitSpecVolumesEmptyDirSizeLimit.fromString('64Mi') } },
          ...(ca ? [{ name: 'opensearch-ca', secret: { secretName: ca.name, items: [{ key: ca.key, path: 'ca.crt' }] } }] : []),
        ],
        volumesMounts: [
          { name: 'buffer', mountPath: '/fluent-bit/buffer' },
          { name: 'tmp', mountPath: '/tmp' },
          ...(ca ? [{ name: 'opensearch-ca', mountPath: '/fluent-bit/opensearch-ca', readOnly: true }] : []),
        ],
      },
    });
  }

  private addPipeline(props: FluentBitPipelineProps, bufferLimit: string, retryLimit: number | 'no_limits'): void {
    const labels = { ...this.selectorLabels };
    const selector = { matchLabels: labels };
    new ClusterFluentBitConfig(this, 'config', {
      metadata: { name: this.configName, labels },
      spec: {
        namespace: this.namespace,
        inputSelector: selector,
        filterSelector: selector,
        outputSelector: selector,
        parserSelector: selector,
        service: serviceSpec(props.logLevel ?? 'info'),
      },
    });

    const inputs = builtInInputs({ ...props, pipelineName: this.name, namespace: this.namespace });
    for (const [name, spec] of mergePieces('inputs', inputs, props.inputs)) {
      new ClusterInput(this, `input-${name}`, { metadata: { name: `${this.name}-${name}`, labels }, spec });
    }
    for (const [name, spec] of mergePieces('filters', builtInFilters(props.clusterName), props.filters)) {
      new ClusterFilter(this, `filter-${name}`, { metadata: { name: `${this.name}-${name}`, labels }, spec });
    }
    const outputs = builtInOutputs({ ...props, openSearch: this.openSearch, dataStreamPrefix: this.dataStreamPrefix, retryLimit, bufferLimit });
    for (const [name, spec] of mergePieces('outputs', outputs, props.outputs)) {
      new ClusterOutput(this, `output-${name}`, { metadata: { name: `${this.name}-${name}`, labels }, spec });
    }
    for (const [name, spec] of mergePieces('parsers', {}, props.parsers)) {
      new ClusterParser(this, `parser-${name}`, { metadata: { name: `${this.name}-${name}`, labels }, spec });
    }
  }

  private addMonitoring(prometheus: PrometheusTarget): void {
    new PodMonitor(this, 'pod-monitor', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...prometheus.monitorSelectorLabels } },
      spec: {
        selector: { matchLabels: { ...this.podLabels } },
        podMetricsEndpoints: [
          {
            port: FLUENT_BIT_METRICS_NETWORK_PORT.name,
            path: FLUENT_BIT_METRICS_PATH,
            interval: '30s',
            relabelings: relabelingsFor(PodMonitorSpecPodMetricsEndpointsRelabelingsAction, [nodeNameRelabeling()]),
          },
        ],
      },
    });
    addPrometheusRule(this, 'rules', {
      name: this.ruleName,
      namespace: this.namespace,
      prometheus,
      groups: [loggingRuleGroup({ selector: `namespace="${this.namespace}"` })],
    });
  }
}

/** fluent-operator chart values: the operator only, none of the chart's own Fluent Bit pipeline. */
function operatorValues(): JsonObject {
  return {
    // `Kubernetes: true` would deploy the chart's FluentBit, ClusterFluentBitConfig, inputs, filters and outputs.
    Kubernetes: false,
    containerRuntime: 'containerd',
    fluentbit: { enable: false },
    fluentd: { enable: false },
    operator: {
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    },
  };
}

/** The Fluent Bit service section: HTTP server for metrics, filesystem buffering, retries backing off up to 5 minutes. */
function serviceSpec(logLevel: keyof typeof LOG_LEVELS): ClusterFluentBitConfigSpecService {
  return {
    parsersFile: 'parsers.conf',
    flushSeconds: 1,
    graceSeconds: 30,
    logLevel: LOG_LEVELS[logLevel],
    httpServer: true,
    httpListen: '0.0.0.0',
    httpPort: FLUENT_BIT_METRICS_PORT,
    // Retries back off exponentially from 5s up to 5 minutes.
    schedulerBase: 5,
    schedulerCap: 300,
    storage: {
      path: '/fluent-bit/buffer/',
      sync: ClusterFluentBitConfigSpecServiceStorageSync.NORMAL,
      checksum: ClusterFluentBitConfigSpecServiceStorageChecksum.OFF,
      backlogMemLimit: '50M',
      maxChunksUp: 128,
      metrics: ClusterFluentBitConfigSpecServiceStorageMetrics.ON,
      deleteIrrecoverableChunks: ClusterFluentBitConfigSpecServiceStorageDeleteIrrecoverableChunks.ON,
    },
  };
}

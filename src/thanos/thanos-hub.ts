import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, type ChartComponentProps } from '../core/component-props.js';
import { deepMerge, type JsonObject } from '../core/deep-merge.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import { restrictedContainerSecurityContext } from '../core/security.js';
import { UPSTREAM_CHARTS, type UpstreamChartRelease } from '../core/upstream-chart.js';
import type { NetworkPort } from '../core/network-access.js';
import { dnsLabel, numberIn, objectName, patterned, prometheusDuration, PropChecks } from '../core/value-types.js';

/** The Secret holding Thanos's object storage configuration (https://thanos.io/tip/thanos/storage.md/). */
export interface ThanosObjectStorageSecret {
  /** Name of the Secret, in the hub's namespace. */
  readonly name: string;
  /**
   * Key of the object storage YAML in the Secret.
   * @default {@link THANOS_HUB_DEFAULTS}.objectStorageKey
   */
  readonly key?: string;
}

/** How long the Compactor keeps blocks in object storage, per resolution (Prometheus durations; `0d` keeps forever). */
export interface ThanosRetention {
  /** Raw samples. @default {@link THANOS_HUB_DEFAULTS}.retention.raw */
  readonly raw?: string;
  /** 5-minute downsampled blocks. @default {@link THANOS_HUB_DEFAULTS}.retention.fiveMinutes */
  readonly fiveMinutes?: string;
  /** 1-hour downsampled blocks. @default {@link THANOS_HUB_DEFAULTS}.retention.oneHour */
  readonly oneHour?: string;
}

/** Props of {@link ThanosHub}. */
export interface ThanosHubProps extends ChartComponentProps {
  /** The bucket the leaf clusters' sidecars upload to (the same object storage configuration). */
  readonly objectStorage: ThanosObjectStorageSecret;
  /**
   * gRPC StoreAPI endpoints (`host:port`) of the leaf clusters' Thanos sidecars, which serve the last hours not yet
   * uploaded. Older data is read from the bucket by the Store Gateway.
   */
  readonly stores: readonly string[];
  /** Compactor retention per resolution. @default raw 30d, 5m 90d, 1h 1y */
  readonly retention?: ThanosRetention;
  /**
   * Query replicas.
   * @default {@link THANOS_HUB_DEFAULTS}.queryReplicas
   */
  readonly queryReplicas?: number;
  /**
   * Helm release name; the Services are `<releaseName>-query`, `-storegateway`, `-compactor`.
   * @default {@link THANOS_HUB_DEFAULTS}.releaseName
   */
  readonly releaseName?: string;
  /** The Prometheus that scrapes the hub's components (their ServiceMonitors carry its selector labels). @default not scraped */
  readonly prometheus?: PrometheusTarget;
}

/** What {@link ThanosHub} uses for props left out. */
export const THANOS_HUB_DEFAULTS = {
  releaseName: 'thanos',
  objectStorageKey: 'objstore.yml',
  queryReplicas: 2,
  retention: { raw: '30d', fiveMinutes: '90d', oneHour: '1y' },
} as const;

/** The values {@link ThanosHubProps} accept (the config file's keys use the same types). */
export const THANOS_HUB_VALUE_TYPES = {
  releaseName: dnsLabel(40, { letterFirst: true }),
  objectStorageSecret: objectName,
  objectStorageKey: patterned(/^[-._a-zA-Z0-9]{1,253}$/, 'must be a Secret key: letters, digits, "-", "_" and "."'),
  store: patterned(/^(?=.{1,259}$)[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:\d{1,5}$/, 'must be a gRPC endpoint host:port, such as thanos-sidecar.leaf-a.example.com:10901'),
  retention: prometheusDuration,
  queryReplicas: numberIn(1, 20, { int: true }),
} as const;

/** Port of the Query Service's Prometheus-compatible HTTP API (the chart's `query.service.httpPort`). */
const QUERY_HTTP_PORT = 9090;

/**
 * The hub's pod ports, as the thanos chart 0.38.0 names them (templates/query/deployment.yaml,
 * storegateway/statefulset.yaml, compactor/statefulset.yaml; values `*.service.httpPort|grpcPort|port`): the one
 * source of the NetworkPolicies' ports.
 */
export const THANOS_HUB_PORTS = {
  query: [{ name: 'http', port: QUERY_HTTP_PORT }, { name: 'grpc', port: 10901 }],
  storegateway: [{ name: 'grpc', port: 10901 }, { name: 'http', port: 10902 }],
  compactor: [{ name: 'http', port: 10902 }],
} as const satisfies Record<string, readonly NetworkPort[]>;

/** A component of the hub, as {@link THANOS_HUB_PORTS} and the chart's `app.kubernetes.io/component` label name it. */
export type ThanosHubComponent = keyof typeof THANOS_HUB_PORTS;

/**
 * The central store of a fleet of leaf clusters that run a Thanos sidecar: Thanos Query (PromQL over the leaves'
 * sidecars and the bucket), Store Gateway (the bucket's blocks) and Compactor (compaction, downsampling, retention),
 * from the thanos-community `thanos` chart (pinned in {@link UPSTREAM_CHARTS}). Grafana (of this or any cluster)
 * reads {@link queryUrl}; alerts stay with the leaves' Prometheus (see docs/fleet.md).
 *
 * The chart's Receive, Bucket web, Query Frontend and Ruler are off: leaves upload through sidecars. The object
 * storage configuration comes from a Secret you create; nothing secret is written by the stack.
 */
export class ThanosHub extends Construct {
  /** Name of the Thanos Query Service. */
  public readonly queryServiceName: string;
  /** HTTP port of the Query Service (Prometheus API). */
  public readonly queryPort = QUERY_HTTP_PORT;
  /** In-cluster URL of the Prometheus-compatible query API, for Grafana's datasource. */
  public readonly queryUrl: string;
  /** Namespace of the hub. */
  public readonly namespace: string;
  /** The chart release (values included), for inspection and tests. */
  public readonly release: UpstreamChartRelease;
  /** Whether the stack's Prometheus scrapes the hub. */
  public readonly scraped: boolean;
  private readonly releaseName: string;

  constructor(scope: Construct, id: string, props: ThanosHubProps) {
    super(scope, id);
    checkThanosHubProps(props);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const releaseName = props.releaseName ?? THANOS_HUB_DEFAULTS.releaseName;
    this.releaseName = releaseName;
    this.scraped = props.prometheus !== undefined;
    this.queryServiceName = `${releaseName}-query`;
    this.queryUrl = `http://${this.queryServiceName}.${this.namespace}.svc:${this.queryPort}`;
    this.release = {
      chart: UPSTREAM_CHARTS.thanos,
      releaseName,
      namespace: this.namespace,
      values: deepMerge(this.computeValues(props, releaseName), props.values),
    };
    props.delivery.deliver(props.setupScope ?? this, `${id}-chart`, this.release);
  }

  /** Labels of a component's pods (the chart's `thanos.selectorLabels`; no nameOverride is set). */
  public podLabels(component: ThanosHubComponent): Readonly<Record<string, string>> {
    return { 'app.kubernetes.io/name': 'thanos', 'app.kubernetes.io/instance': this.releaseName, 'app.kubernetes.io/component': component };
  }

  private computeValues(props: ThanosHubProps, releaseName: string): JsonObject {
    const retention = { ...THANOS_HUB_DEFAULTS.retention, ...props.retention };
    // The chart's components default to fsGroup 1000 for their volumes; seccomp is what the restricted profile adds.
    const pod = { runAsNonRoot: true, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } };
    const monitor = props.prometheus ? { enabled: true, labels: { ...props.prometheus.monitorSelectorLabels } } : { enabled: false };
    const sized = (cpu: string, memory: string, limitCpu: string, limitMemory: string) => ({
      requests: { cpu, memory },
      limits: { cpu: limitCpu, memory: limitMemory },
    });
    return {
      fullnameOverride: releaseName,
      global: {
        objstore: {
          createSecret: false,
          secretName: props.objectStorage.name,
          secretKey: props.objectStorage.key ?? THANOS_HUB_DEFAULTS.objectStorageKey,
        },
        containerSecurityContext: restrictedContainerSecurityContext(),
        podSecurityContext: pod,
      },
      query: {
        enabled: true,
        replicaCount: props.queryReplicas ?? THANOS_HUB_DEFAULTS.queryReplicas,
        // The in-chart Store Gateway is found by DNS; the leaves' sidecars are listed.
        endpoints: { autogen: { enabled: true }, static: [...props.stores] },
        resources: sized('200m', '512Mi', '2', '4Gi'),
        podSecurityContext: pod,
        serviceMonitor: monitor,
      },
      storegateway: {
        enabled: true,
        resources: sized('200m', '1Gi', '2', '4Gi'),
        podSecurityContext: pod,
        serviceMonitor: monitor,
      },
      compactor: {
        enabled: true,
        retention: { resolutionRaw: retention.raw, resolution5m: retention.fiveMinutes, resolution1h: retention.oneHour },
        resources: sized('200m', '1Gi', '2', '4Gi'),
        podSecurityContext: pod,
        serviceMonitor: monitor,
      },
      bucket: { enabled: false },
      receive: { enabled: false },
      queryFrontend: { enabled: false },
      ruler: { enabled: false },
    };
  }
}

function checkThanosHubProps(props: ThanosHubProps): void {
  const types = THANOS_HUB_VALUE_TYPES;
  const checks = new PropChecks();
  checks.check(types.releaseName, props.releaseName, 'releaseName');
  if (!props.objectStorage?.name) checks.fail('objectStorage.name', 'a Thanos hub needs the Secret with its object storage configuration (the bucket the sidecars upload to)');
  else checks.check(types.objectStorageSecret, props.objectStorage.name, 'objectStorage.name');
  checks.check(types.objectStorageKey, props.objectStorage?.key, 'objectStorage.key');
  if (props.stores.length === 0) checks.fail('stores', "name at least one leaf cluster's Thanos sidecar (host:port of its gRPC StoreAPI)");
  props.stores.forEach((store, i) => checks.check(types.store, store, `stores.${i}`));
  const twice = props.stores.filter((store, i) => props.stores.indexOf(store) !== i);
  if (twice.length > 0) checks.fail('stores', `lists ${[...new Set(twice)].join(', ')} more than once`);
  for (const key of ['raw', 'fiveMinutes', 'oneHour'] as const) checks.check(types.retention, props.retention?.[key], `retention.${key}`);
  checks.check(types.queryReplicas, props.queryReplicas, 'queryReplicas');
  checks.throwIfAny();
}

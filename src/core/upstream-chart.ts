import type { JsonObject } from './deep-merge.js';

/** Where an upstream Helm chart comes from, pinned to one version. */
export interface UpstreamChart {
  /** The chart's name in its repository, e.g. `kube-prometheus-stack`. */
  readonly chart: string;
  /** The pinned chart version. */
  readonly version: string;
  /** Short name of the Helm repository, used to name Flux HelmRepository objects. */
  readonly repoName: string;
  /** URL of the Helm repository. */
  readonly repoUrl: string;
}

/** One release of an upstream chart: what, under which name, where, and with which values. */
export interface UpstreamChartRelease {
  readonly chart: UpstreamChart;
  /** Helm release name. */
  readonly releaseName: string;
  /** Namespace the release is installed into. */
  readonly namespace: string;
  /** Helm values, already merged with the user's pass-through values. */
  readonly values: JsonObject;
}

/**
 * The upstream charts this library delivers, each pinned in exactly one place.
 * The default values of each are in `../shared/helm-values/<chart>-<version>.values.yaml`.
 */
export const UPSTREAM_CHARTS = {
  'kube-prometheus-stack': {
    chart: 'kube-prometheus-stack',
    version: '88.5.3',
    repoName: 'prometheus-community',
    repoUrl: 'https://prometheus-community.github.io/helm-charts',
  },
  opencost: {
    chart: 'opencost',
    version: '2.5.17',
    repoName: 'opencost',
    repoUrl: 'https://opencost.github.io/opencost-helm-chart',
  },
  'opensearch-operator': {
    chart: 'opensearch-operator',
    version: '2.8.0',
    repoName: 'opensearch-operator',
    repoUrl: 'https://opensearch-project.github.io/opensearch-k8s-operator/',
  },
  'fluent-operator': {
    chart: 'fluent-operator',
    version: '4.3.0',
    repoName: 'fluent',
    repoUrl: 'https://fluent.github.io/helm-charts',
  },
  /** The Thanos hub (Query, Store Gateway, Compactor) of a fleet; Thanos v0.42.4. Off unless asked for. */
  thanos: {
    chart: 'thanos',
    version: '0.38.0',
    repoName: 'thanos-community',
    repoUrl: 'https://thanos-community.github.io/helm-charts',
  },
  'dcgm-exporter': {
    chart: 'dcgm-exporter',
    version: '4.8.2',
    repoName: 'dcgm-exporter',
    repoUrl: 'https://nvidia.github.io/dcgm-exporter/helm-charts',
  },
} as const satisfies Record<string, UpstreamChart>;

/** Names of the upstream charts, the keys of {@link UPSTREAM_CHARTS}. */
export type UpstreamChartName = keyof typeof UPSTREAM_CHARTS;

/** Pass-through values per upstream chart, merged over the values the library computes. */
export type ChartValueOverrides = Partial<Record<UpstreamChartName, JsonObject>>;

/** The chart names in a stable order, for messages and validation. */
export const UPSTREAM_CHART_NAMES = Object.keys(UPSTREAM_CHARTS).sort() as UpstreamChartName[];

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { DEFAULT_CREDENTIALS_FILE, FileCredentialStore } from '../core/credential-store.js';
import type { DeliveryMode } from '../core/chart-delivery.js';
import { type McpConfig, mcpConfigIssues, mcpConfigToProps } from './mcp-config.js';
import type { ObservabilityChartProps } from '../observability-chart.js';
import type { JsonObject } from '../core/deep-merge.js';
import { CONFIG_SCHEMA } from './config-schema.js';
import { type GpuTelemetryConfig, gpuTelemetryConfigIssues, gpuTelemetryConfigToProps } from './gpu-telemetry-config.js';
import { type LogsConfig, logsConfigIssues, logsConfigToProps, logsStored } from './logs-config.js';
import { type ConfigIssue, validate } from './schema.js';

/** The config file read when `AIML_OBS_CONFIG` is not set. */
export const DEFAULT_CONFIG_FILE = 'observability.yaml';
/** Environment variable naming another config file. */
export const CONFIG_FILE_ENV = 'AIML_OBS_CONFIG';

/** Thrown for a config file that cannot be used; lists every problem with its key path. */
export class ConfigFileError extends Error {
  constructor(
    public readonly file: string,
    public readonly issues: readonly ConfigIssue[],
  ) {
    super(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n` + issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n'));
    this.name = 'ConfigFileError';
  }
}

type Section = { readonly enabled?: boolean } & JsonObject;

/** The config file's content once validated: the shape {@link CONFIG_SCHEMA} describes. */
export interface ObservabilityConfig extends GpuTelemetryConfig, LogsConfig {
  readonly namespace?: string;
  readonly charts?: {
    readonly delivery?: DeliveryMode;
    readonly helmExecutable?: string;
    readonly flux?: { readonly interval?: string };
    readonly argocd?: { readonly namespace?: string; readonly project?: string };
    readonly values?: Readonly<Record<string, JsonObject>>;
  };
  readonly credentials?: { readonly file?: string };
  readonly 'prometheus-stack'?: Section & {
    readonly releaseName?: string;
    readonly retention?: string;
    readonly storageSize?: string;
    readonly grafana?: { readonly adminUser?: string; readonly adminPassword?: string; readonly existingSecret?: string };
  };
  readonly opencost?: Section & { readonly clusterId?: string };
  readonly mcp?: McpConfig;
  readonly dashboards?: Section;
}

/** Which config file applies: `$AIML_OBS_CONFIG` if set, else `observability.yaml` in `cwd`. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { path: string; explicit: boolean } {
  const named = env[CONFIG_FILE_ENV];
  return named ? { path: resolve(cwd, named), explicit: true } : { path: resolve(cwd, DEFAULT_CONFIG_FILE), explicit: false };
}

/** Parses and validates config text; throws {@link ConfigFileError} naming every bad key. */
export function parseConfig(text: string, file = DEFAULT_CONFIG_FILE): ObservabilityConfig {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ConfigFileError(file, document.errors.map((e) => ({ path: '(yaml)', message: e.message })));
  }
  const data: unknown = document.toJS() ?? {};
  const issues: ConfigIssue[] = [];
  validate(CONFIG_SCHEMA, data, '', issues);
  if (issues.length === 0) issues.push(...combinationIssues(data as ObservabilityConfig));
  if (issues.length > 0) throw new ConfigFileError(file, issues);
  return data as ObservabilityConfig;
}

/** Combinations of valid values that cannot work together. */
function combinationIssues(config: ObservabilityConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const on = (section: Section | undefined, byDefault = true) => section?.enabled ?? byDefault;
  const prometheus = on(config['prometheus-stack']);
  if (config.opencost?.enabled === true && !prometheus) {
    issues.push({ path: 'opencost.enabled', message: 'OpenCost needs the Prometheus stack: set prometheus-stack.enabled to true, or opencost.enabled to false' });
  }
  const grafana = config['prometheus-stack']?.grafana;
  if (grafana?.existingSecret && (grafana.adminPassword || grafana.adminUser)) {
    issues.push({
      path: 'prometheus-stack.grafana.existingSecret',
      message: 'cannot be combined with adminUser / adminPassword: the credentials come from the existing Secret; remove one or the other',
    });
  }
  issues.push(...gpuTelemetryConfigIssues(config, { prometheusOn: prometheus }));
  if (config.dashboards?.enabled === true && !prometheus) {
    issues.push({ path: 'dashboards.enabled', message: "the dashboards need the Prometheus stack's Grafana: set prometheus-stack.enabled to true, or dashboards.enabled to false" });
  }
  issues.push(...logsConfigIssues(config));
  issues.push(
    ...mcpConfigIssues(config.mcp, {
      prometheusOn: prometheus,
      openSearchOn: logsStored(config),
      openSearchExternal: !(config.opensearch?.enabled ?? true) && config.opensearch?.external !== undefined,
    }),
  );
  return issues;
}

/** Maps a validated config onto the chart's props: the config file is a thin skin over the props. */
export function configToProps(config: ObservabilityConfig, cwd = process.cwd()): ObservabilityChartProps {
  const charts = config.charts ?? {};
  const prometheus = config['prometheus-stack'] ?? {};
  return {
    namespace: config.namespace,
    delivery: charts.delivery ?? 'helm',
    deliveryOptions: {
      helm: { helmExecutable: charts.helmExecutable },
      flux: { interval: charts.flux?.interval },
      argocd: { applicationNamespace: charts.argocd?.namespace, project: charts.argocd?.project },
    },
    credentials: new FileCredentialStore({ path: resolve(cwd, config.credentials?.file ?? DEFAULT_CREDENTIALS_FILE) }),
    chartValues: charts.values,
    prometheusStack: {
      enabled: prometheus.enabled,
      releaseName: prometheus.releaseName,
      retention: prometheus.retention,
      storageSize: prometheus.storageSize,
      grafana: prometheus.grafana,
    },
    openCost: { enabled: config.opencost?.enabled, clusterId: config.opencost?.clusterId },
    ...gpuTelemetryConfigToProps(config),
    mcp: mcpConfigToProps(config.mcp),
    gpuDashboards: { enabled: config.dashboards?.enabled },
    ...logsConfigToProps(config, config.namespace),
  };
}

/**
 * Reads the config file that applies (see {@link configFilePath}); a missing `observability.yaml` means all
 * defaults, a missing file named by `AIML_OBS_CONFIG` is an error.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { file?: string; config: ObservabilityConfig } {
  const { path, explicit } = configFilePath(env, cwd);
  if (!existsSync(path)) {
    if (explicit) throw new ConfigFileError(path, [{ path: CONFIG_FILE_ENV, message: `names ${path}, which does not exist` }]);
    return { config: {} };
  }
  return { file: path, config: parseConfig(readFileSync(path, 'utf8'), path) };
}

/**
 * The config file (observability.yaml), declared once: the TypeScript type of a parsed config, the defaults and
 * meanings the README's table lists, and the JSON Schema editors check the file against all come from
 * {@link CONFIG_SCHEMA}. Value types come from the constructs the keys map to, so a value the config accepts is
 * one the construct accepts, with the same message when it is not.
 */
import { z } from 'zod';
import { GPU_TELEMETRY_KEYS, gpuTelemetryConfigToProps } from './gpu-telemetry-config.js';
import { LOGS_KEYS, logsConfigToProps } from './logs-config.js';
import { MCP_KEYS, mcpConfigToProps } from './mcp-config.js';
import { AGENT_KEYS, agentConfigToProps } from './agent-config.js';
import { METRICS_KEYS, STACK_KEYS, stackConfigToProps } from './stack-config.js';
import { THANOS_KEYS, thanosConfigToProps } from './thanos-config.js';
import type { ObservabilityChartProps } from '../observability-chart.js';

/** The config file's keys, in the order the README lists them. */
export const CONFIG_SCHEMA = z
  .strictObject({ ...STACK_KEYS, ...METRICS_KEYS, ...GPU_TELEMETRY_KEYS, ...MCP_KEYS, ...AGENT_KEYS, ...LOGS_KEYS, ...THANOS_KEYS })
  .meta({
    title: 'observability.yaml',
    description: 'Configuration of the aiml-observability stack (see the README, "Configuration").',
  });

/** A config file as written (every key optional). */
export type ObservabilityConfigInput = z.input<typeof CONFIG_SCHEMA>;

/** A config file once parsed: lists read, the app's own defaults (`charts.delivery`, `credentials.file`) applied. */
export type ObservabilityConfig = z.output<typeof CONFIG_SCHEMA>;

/**
 * The chart props a parsed config stands for: each key copied to its prop, nothing checked and nothing defaulted
 * here (the constructs do both). The credential store is the app's to add: see `credentials.file`.
 */
export function configToProps(config: ObservabilityConfig): ObservabilityChartProps {
  return {
    ...stackConfigToProps(config),
    ...gpuTelemetryConfigToProps(config),
    ...mcpConfigToProps(config),
    ...agentConfigToProps(config),
    ...logsConfigToProps(config),
    ...thanosConfigToProps(config),
  };
}

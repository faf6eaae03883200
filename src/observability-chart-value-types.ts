/**
 * The values ObservabilityChart's own props accept, as zod value types the chart checks with and the config file's
 * keys reuse. Kept apart from the construct so that the package's
 * declarations, which export the construct's module whole, name no zod type.
 */
import { DELIVERY_MODES } from './core/chart-delivery.js';
import { PLATFORMS } from './core/platform.js';
import { dnsLabel, oneOf } from './core/value-types.js';
import { PROMETHEUS_STACK_VALUE_TYPES } from './prometheus/prometheus-value-types.js';

/** The values the chart's own props accept. */
export const OBSERVABILITY_CHART_VALUE_TYPES = {
  namespace: dnsLabel(),
  nodeAgentsNamespace: dnsLabel(),
  delivery: oneOf(DELIVERY_MODES),
  platform: oneOf(PLATFORMS),
  clusterName: PROMETHEUS_STACK_VALUE_TYPES.clusterName,
} as const;

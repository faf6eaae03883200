/**
 * The values the vLLM alert thresholds accept, as zod value types the rules check with and the config file's keys
 * reuse. Kept apart from the construct so that the package's
 * declarations, which export the construct's module whole, name no zod type.
 */
import { numberFrom, numberIn, prometheusDuration } from '../core/value-types.js';

/** The values the vLLM alert thresholds accept (the config file's keys use the same types). */
export const VLLM_ALERT_VALUE_TYPES = {
  ttftSloSeconds: numberFrom(0.001),
  ttftSloFor: prometheusDuration,
  queueLength: numberFrom(0),
  kvCacheUsageRatio: numberIn(0, 1),
  preemptionsPerSecond: numberFrom(0),
} as const;

/**
 * The values FluentBitPipeline's props accept, as zod value types the construct checks with and the config file's
 * keys reuse. Kept apart from the construct so that the package's
 * declarations, which export the construct's module whole, name no zod type.
 */
import { dnsLabel, numberIn, patterned } from '../../core/value-types.js';

/** The values {@link FluentBitPipelineProps} accept (the config file's keys use the same types). */
export const FLUENT_BIT_VALUE_TYPES = {
  name: dnsLabel(40, { letterFirst: true }),
  bufferLimit: patterned(/^[1-9]\d*(K|M|G|T)$/, 'must be a size such as 500M or 5G (more than 0)'),
  /** A count of retries; the prop also takes `no_limits`. */
  retryLimit: numberIn(1, 100000, { int: true }),
} as const;

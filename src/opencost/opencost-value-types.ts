/**
 * The values OpenCost's props accept, as zod value types the construct checks with and the config file's keys
 * reuse. Kept apart from the construct so that the package's
 * declarations, which export the construct's module whole, name no zod type.
 */
import { dnsLabel, labelValue } from '../core/value-types.js';

/** The values {@link OpenCostProps} accept (the config file's keys use the same types). */
export const OPENCOST_VALUE_TYPES = {
  releaseName: dnsLabel(53, { letterFirst: true }),
  /** It becomes a label value of OpenCost's series. */
  clusterId: labelValue.refine((value) => value !== '', { error: 'must not be empty' }),
} as const;

/**
 * The values the delivery modes' options accept (zod value types the strategies check with and the config file's
 * keys reuse). Kept apart from the construct so that the package's
 * declarations, which export the construct's module whole, name no zod type.
 */
import { dnsLabel, objectName } from '../core/value-types.js';

/** Value types of the `argocd` mode's options: a namespace, and a project (an AppProject's object name). */
export const ARGOCD_DELIVERY_VALUE_TYPES = { applicationNamespace: dnsLabel(), project: objectName } as const;

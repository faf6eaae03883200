/**
 * The values PrometheusStack's props accept, as zod value types the construct checks with and the config file's
 * keys reuse. Kept apart from the construct so that the package's
 * declarations, which export the construct's module whole, name no zod type.
 */
import { PLATFORMS } from '../core/platform.js';
import { dnsLabel, objectName, oneOf, password, patterned, positivePrometheusDuration, storageSize } from '../core/value-types.js';

/** Shortest Grafana admin password accepted. */
export const MIN_GRAFANA_PASSWORD_LENGTH = 12;

/** The values {@link PrometheusStackProps} accept (the config file's keys use the same types). */
export const PROMETHEUS_STACK_VALUE_TYPES = {
  /** At most 26 characters: the chart truncates longer names, and the service names derive from it. */
  releaseName: dnsLabel(26, { letterFirst: true }),
  retention: positivePrometheusDuration,
  storageSize,
  grafanaAdminUser: patterned(/^[^\s:]{1,64}$/, 'must be a user name: 1 to 64 characters, no spaces or ":"'),
  grafanaAdminPassword: password(MIN_GRAFANA_PASSWORD_LENGTH),
  grafanaExistingSecret: objectName,
  platform: oneOf(PLATFORMS),
} as const;

/**
 * The values PrometheusStack's props accept, as zod value types the construct checks with and the config file's
 * keys reuse. Kept apart from the construct so that the package's
 * declarations, which export the construct's module whole, name no zod type.
 */
import { z } from 'zod';
import { PLATFORMS } from '../core/platform.js';
import { dnsLabel, numberIn, objectName, oneOf, password, patterned, positivePrometheusDuration, prometheusDuration, storageSize } from '../core/value-types.js';
import { REMOTE_WRITE_SENDS } from './remote-write.js';

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
  /** What EKS allows for a cluster name: letters, digits, `-`, `_`; a letter or digit first; at most 100 characters. */
  clusterName: patterned(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be a cluster name: letters, digits, "-" and "_", a letter or digit first, at most 100 characters'),
  remoteWriteName: dnsLabel(63),
  /** An http(s) URL. */
  url: patterned(/^https?:\/\/[^\s/?#]+[^\s]*$/, 'must be an http:// or https:// URL'),
  awsRegion: patterned(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1'),
  roleArn: patterned(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/amp-writer'),
  secretName: objectName,
  secretKey: patterned(/^[-._a-zA-Z0-9]{1,253}$/, 'must be a Secret key: letters, digits, "-", "_" and "."'),
  send: oneOf(REMOTE_WRITE_SENDS),
  queueCount: numberIn(1, 1_000_000, { int: true }),
  queueDuration: prometheusDuration,
  boolean: z.boolean(),
} as const;

/**
 * Where logs land in OpenSearch and under which field names: the one source of truth for the Fluent Bit pipeline
 * that writes them, the index template that maps them, and the dashboards and alerts that query them.
 *
 * Record shape (after the pipeline's filters and the OpenSearch output's `Replace_Dots`):
 * - container logs (`log_source: container`): `log`, `stream`, and the Kubernetes metadata filter's `kubernetes.*`
 *   (`namespace_name`, `pod_name`, `container_name`, `host`, `container_image`, `pod_id`, `labels.*`);
 * - node logs (`log_source: systemd` or `kernel`, from the systemd journal): `log`, `systemd_unit`, `priority`,
 *   `syslog_identifier`, and the node name under `kubernetes.host` too, so one field filters by node everywhere.
 *
 * Fluent Bit's OpenSearch output replaces every `.` in a key with `_` (`Replace_Dots On`): OpenSearch would read
 * `app.kubernetes.io/name` as nested objects and reject records whose labels `app` and `app.kubernetes.io/name`
 * collide. So a pod label `ray.io/cluster` is the field `kubernetes.labels.ray_io/cluster` ({@link labelField}).
 * @module
 */
import { CLUSTER_LABEL } from '../core/cluster-label.js';

/** Prefix of every log data stream; each {@link LOG_SOURCES source} writes to `logs-<source>`. */
export const LOG_DATA_STREAM_PREFIX = 'logs-';

/** Index pattern that matches every log data stream (and what dashboards and the Grafana datasource query). */
export const LOG_INDEX_PATTERN = `${LOG_DATA_STREAM_PREFIX}*`;

/**
 * Index pattern of the data streams' hidden backing indices (`.ds-logs-container-000001`): permissions on log data
 * must cover them too.
 */
export const LOG_BACKING_INDEX_PATTERN = `.ds-${LOG_DATA_STREAM_PREFIX}*`;

/** Values of the {@link LOG_FIELDS.source} field: which input a record came from. */
export const LOG_SOURCES = {
  /** Container stdout/stderr, tailed from `/var/log/containers` (CRI format). */
  container: 'container',
  /** systemd units of the node (kubelet, containerd by default), from the journal. */
  systemd: 'systemd',
  /** Kernel messages (`_TRANSPORT=kernel` in the journal): OOM kills, Xid errors of GPU drivers, hardware faults. */
  kernel: 'kernel',
} as const;

/** One of {@link LOG_SOURCES}. */
export type LogSource = (typeof LOG_SOURCES)[keyof typeof LOG_SOURCES];

/** The data stream a source's records are written to, e.g. `logs-container`. */
export function logDataStream(source: LogSource): string {
  return `${LOG_DATA_STREAM_PREFIX}${source}`;
}

/** Field names of a log record, as stored (dotted paths are object paths). */
export const LOG_FIELDS = {
  /** Time of the record (`date`); the data streams' timestamp field. */
  timestamp: '@timestamp',
  /** The log line (`text`). */
  message: 'log',
  /** Input the record came from (`keyword`): one of {@link LOG_SOURCES}. */
  source: 'log_source',
  /** The cluster the record comes from (`keyword`): the stack's `clusterName`, as on every metric series. */
  cluster: CLUSTER_LABEL,
  /** `stdout` or `stderr` (container logs). */
  stream: 'stream',
  /** Namespace of the pod. */
  namespace: 'kubernetes.namespace_name',
  /** Pod name. */
  pod: 'kubernetes.pod_name',
  /** Container name. */
  container: 'kubernetes.container_name',
  /** Node name: the pod's node for container logs, the journal's host name for node logs. */
  node: 'kubernetes.host',
  /** Container image. */
  image: 'kubernetes.container_image',
  /** Pod UID. */
  podId: 'kubernetes.pod_id',
  /** Object holding the pod's labels, one field per label ({@link labelField}). */
  labels: 'kubernetes.labels',
  /** systemd unit, e.g. `kubelet.service` (systemd records). */
  systemdUnit: 'systemd_unit',
  /** syslog priority 0 (emerg) to 7 (debug), as a string (node records). */
  priority: 'priority',
  /** syslog identifier, e.g. `kernel` or `kubelet` (node records). */
  syslogIdentifier: 'syslog_identifier',
} as const;

/** The field holding a pod label's value, e.g. `ray.io/cluster` → `kubernetes.labels.ray_io/cluster`. */
export function labelField(label: string): string {
  return `${LOG_FIELDS.labels}.${label.replaceAll('.', '_')}`;
}

/**
 * Pod labels KubeRay 1.7 sets (ray-operator `controllers/ray/utils/constant.go`): head and worker pods carry
 * cluster, node type and group; the RayCluster a RayJob or RayService creates, and a RayJob's submitter Job, carry
 * the originating resource. Batch Jobs label their pods with `batch.kubernetes.io/job-name` (a RayJob's submitter
 * Job is named after the RayJob).
 */
export const KUBERAY_LABELS = {
  cluster: 'ray.io/cluster',
  nodeType: 'ray.io/node-type',
  group: 'ray.io/group',
  isRayNode: 'ray.io/is-ray-node',
  originatedFromCrName: 'ray.io/originated-from-cr-name',
  originatedFromCrd: 'ray.io/originated-from-crd',
  serve: 'ray.io/serve',
  jobName: 'batch.kubernetes.io/job-name',
} as const;

/** Log fields of the {@link KUBERAY_LABELS}: filter log panels by Ray cluster, node type, group or RayJob. */
export const RAY_LOG_FIELDS = {
  cluster: labelField(KUBERAY_LABELS.cluster),
  nodeType: labelField(KUBERAY_LABELS.nodeType),
  group: labelField(KUBERAY_LABELS.group),
  isRayNode: labelField(KUBERAY_LABELS.isRayNode),
  originatedFromCrName: labelField(KUBERAY_LABELS.originatedFromCrName),
  originatedFromCrd: labelField(KUBERAY_LABELS.originatedFromCrd),
  serve: labelField(KUBERAY_LABELS.serve),
  jobName: labelField(KUBERAY_LABELS.jobName),
} as const;

/** Well-known Kubernetes pod labels, mapped explicitly so dashboards can group by them. */
export const APP_LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  app: 'app',
} as const;

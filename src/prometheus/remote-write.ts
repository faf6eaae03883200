/**
 * Remote write of the stack's Prometheus to a central store (Amazon Managed Prometheus, Thanos Receive, Mimir,
 * another Prometheus with `--web.enable-remote-write-receiver`): the props, and their rendering as
 * prometheus-operator v0.93 `RemoteWriteSpec` entries (the Prometheus / PrometheusAgent CRD's `spec.remoteWrite[]`,
 * `example/prometheus-operator-crd/monitoring.coreos.com_prometheuses.yaml`), which kube-prometheus-stack passes
 * through from `prometheus.prometheusSpec.remoteWrite`.
 * @module
 */

/** A key of a Secret in the stack's namespace. */
export interface SecretKeyRef {
  /** Secret name. */
  readonly name: string;
  /** Key in the Secret. */
  readonly key: string;
}

/**
 * Queue settings of one remote write (Prometheus' `queue_config`). Our defaults are Prometheus' own (v2.42+
 * `config/config.go` DefaultQueueConfig) written out, so the values in the output say what runs, plus
 * `retryOnRateLimit` (a 429 is retried rather than dropped).
 */
export interface RemoteWriteQueue {
  /** Samples buffered per shard. @default 10000 */
  readonly capacity?: number;
  /** Fewest shards (parallel senders). @default 1 */
  readonly minShards?: number;
  /** Most shards. @default 50 */
  readonly maxShards?: number;
  /** Most samples per request. @default 2000 */
  readonly maxSamplesPerSend?: number;
  /** Longest a sample waits for a full batch. @default "5s" */
  readonly batchSendDeadline?: string;
  /** First retry delay (doubled on each retry). @default "30ms" */
  readonly minBackoff?: string;
  /** Longest retry delay. @default "5s" */
  readonly maxBackoff?: string;
}

/** Keys of a basic-auth Secret when not given (those of a `kubernetes.io/basic-auth` Secret). */
export const BASIC_AUTH_KEY_DEFAULTS = { usernameKey: 'username', passwordKey: 'password' } as const;

/** Our queue defaults: see {@link RemoteWriteQueue}. */
export const REMOTE_WRITE_QUEUE_DEFAULTS = {
  capacity: 10000,
  minShards: 1,
  maxShards: 50,
  maxSamplesPerSend: 2000,
  batchSendDeadline: '5s',
  minBackoff: '30ms',
  maxBackoff: '5s',
} as const;

/**
 * Which series a remote write sends: `fleet` the recording rules' series and the few raw series the fleet views
 * read (a few series per GPU, see docs/fleet.md), `all` every series (what the per-cluster dashboards need when
 * they read the central store, and what agent mode must send: the recording rules then run centrally).
 */
export const REMOTE_WRITE_SENDS = ['fleet', 'all'] as const;
/** One of {@link REMOTE_WRITE_SENDS}. */
export type RemoteWriteSend = (typeof REMOTE_WRITE_SENDS)[number];

/** One remote-write destination. */
export interface RemoteWriteProps {
  /** Name of the queue (Prometheus' `remote_name` label on the queue metrics); unique among the stack's remote writes. */
  readonly name: string;
  /** Remote-write URL, e.g. `https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-…/api/v1/remote_write`. */
  readonly url: string;
  /**
   * AWS Signature V4 (Amazon Managed Prometheus). Credentials come from the Prometheus pod's identity (EKS Pod
   * Identity or IRSA on the Prometheus service account); `roleArn` is assumed on top when given.
   * @default none
   */
  readonly sigv4?: { readonly region: string; readonly roleArn?: string };
  /** A bearer token from a Secret (`Authorization: Bearer …`). @default none */
  readonly bearerTokenSecret?: SecretKeyRef;
  /** Basic auth from a Secret (keys default to {@link BASIC_AUTH_KEY_DEFAULTS}). @default none */
  readonly basicAuthSecret?: { readonly name: string; readonly usernameKey?: string; readonly passwordKey?: string };
  /** Queue settings. @default {@link REMOTE_WRITE_QUEUE_DEFAULTS} */
  readonly queue?: RemoteWriteQueue;
  /** Which series to send. @default "fleet", or "all" in agent mode */
  readonly send?: RemoteWriteSend;
}

/** A write relabel config in the CRD's shape. */
export interface WriteRelabelConfig {
  readonly sourceLabels: readonly string[];
  readonly regex: string;
  readonly action: 'keep';
}

/** Regex matching exactly the given metric names (anchored by Prometheus). */
export function namesRegex(names: readonly string[]): string {
  return [...new Set(names)].sort().map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** The write relabeling of a send preset: `fleet` keeps exactly `fleetSeries` by name, `all` keeps everything. */
export function writeRelabelConfigs(send: RemoteWriteSend, fleetSeries: readonly string[]): WriteRelabelConfig[] {
  if (send === 'all') return [];
  return [{ sourceLabels: ['__name__'], regex: namesRegex(fleetSeries), action: 'keep' }];
}

/** The prometheus-operator `RemoteWriteSpec` of one destination. */
export function remoteWriteSpec(props: RemoteWriteProps, send: RemoteWriteSend, fleetSeries: readonly string[]): Record<string, unknown> {
  const relabel = writeRelabelConfigs(send, fleetSeries);
  return {
    name: props.name,
    url: props.url,
    ...(props.sigv4 ? { sigv4: { region: props.sigv4.region, ...(props.sigv4.roleArn ? { roleArn: props.sigv4.roleArn } : {}) } } : {}),
    ...(props.bearerTokenSecret ? { authorization: { type: 'Bearer', credentials: { name: props.bearerTokenSecret.name, key: props.bearerTokenSecret.key } } } : {}),
    ...(props.basicAuthSecret
      ? {
          basicAuth: {
            username: { name: props.basicAuthSecret.name, key: props.basicAuthSecret.usernameKey ?? BASIC_AUTH_KEY_DEFAULTS.usernameKey },
            password: { name: props.basicAuthSecret.name, key: props.basicAuthSecret.passwordKey ?? BASIC_AUTH_KEY_DEFAULTS.passwordKey },
          },
        }
      : {}),
    queueConfig: { ...REMOTE_WRITE_QUEUE_DEFAULTS, ...props.queue, retryOnRateLimit: true },
    ...(relabel.length > 0 ? { writeRelabelConfigs: relabel.map((r) => ({ ...r, sourceLabels: [...r.sourceLabels] })) } : {}),
  };
}

/**
 * Stand-in for prometheus-operator (test code): what it writes into prometheus.yml for a Prometheus's
 * `spec.externalLabels` and `spec.remoteWrite[]`, after prometheus-operator pkg/prometheus/promcfg.go (snapshot
 * VERSION 0.93.0, commit 6adcebc): the external labels plus its own `prometheus: <namespace>/<name>` and
 * `prometheus_replica: <pod>`, and per remote write `url`, `name`, `write_relabel_configs`, `queue_config` (with
 * `retryOnRateLimit` as `retry_on_http_429`). Only the fields this library sets are translated; any other field
 * is an error, so the stand-in cannot silently drop one.
 */

const QUEUE_KEYS: Readonly<Record<string, string>> = {
  capacity: 'capacity',
  minShards: 'min_shards',
  maxShards: 'max_shards',
  maxSamplesPerSend: 'max_samples_per_send',
  batchSendDeadline: 'batch_send_deadline',
  minBackoff: 'min_backoff',
  maxBackoff: 'max_backoff',
  retryOnRateLimit: 'retry_on_http_429',
};

/** The operator's external labels for a Prometheus `name` in `namespace` (pod `<prometheus-name>-0`). */
export function operatorExternalLabels(spec: { externalLabels?: Record<string, string> }, namespace: string, name: string): Record<string, string> {
  return { prometheus: `${namespace}/${name}`, prometheus_replica: `prometheus-${name}-0`, ...(spec.externalLabels ?? {}) };
}

/** prometheus.yml `remote_write` entries of the CRD's `remoteWrite`, each URL replaced by `urlOf(name)`. */
export function operatorRemoteWrite(remoteWrite: readonly Record<string, any>[], urlOf: (name: string) => string): Record<string, unknown>[] {
  return remoteWrite.map((rw) => {
    const unknown = Object.keys(rw).filter((k) => !['name', 'url', 'queueConfig', 'writeRelabelConfigs'].includes(k));
    if (unknown.length > 0) throw new Error(`the remote-write stand-in does not translate ${unknown.join(', ')}`);
    const queue = Object.fromEntries(
      Object.entries(rw.queueConfig ?? {}).map(([k, v]) => {
        if (!(k in QUEUE_KEYS)) throw new Error(`the remote-write stand-in does not translate queueConfig.${k}`);
        return [QUEUE_KEYS[k]!, v];
      }),
    );
    return {
      url: urlOf(rw.name),
      name: rw.name,
      ...(Object.keys(queue).length > 0 ? { queue_config: queue } : {}),
      ...(rw.writeRelabelConfigs
        ? {
            write_relabel_configs: rw.writeRelabelConfigs.map((r: any) => ({
              ...(r.sourceLabels ? { source_labels: r.sourceLabels } : {}),
              ...(r.regex !== undefined ? { regex: r.regex } : {}),
              action: r.action,
            })),
          }
        : {}),
    };
  });
}

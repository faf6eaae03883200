import { Construct } from 'constructs';
import type { PrometheusTarget } from '../../core/prometheus-target.js';
import { addPrometheusRule, type AlertRuleSpec, checkThreshold, num, type RuleGroupSpec } from '../../core/rule-types.js';

/** Names of the log storage alerts. */
export const LOG_STORAGE_ALERTS = {
  /** The log-stream check has not passed: a log data stream is missing, a backing index unmanaged, or a plain index under the pattern. */
  INDICES_UNMANAGED: 'OpenSearchLogIndicesUnmanaged',
  /** A node's data volume is fuller than the threshold. */
  VOLUME_FILLING_UP: 'OpenSearchVolumeFillingUp',
  /** A certificate of OpenSearch expires within 30 days. */
  CERTIFICATE_EXPIRES_SOON: 'OpenSearchCertificateExpiresSoon',
} as const;

/**
 * The metrics those alerts read, none from OpenSearch itself (whose image exports no Prometheus metrics):
 * - kube-state-metrics v2.19.1 `internal/store/cronjob.go`: `kube_cronjob_status_last_successful_time` (labels
 *   namespace, cronjob; present once a run succeeded) and `kube_cronjob_created`;
 * - the kubelet's volume stats (kubernetes `pkg/kubelet/metrics/collectors/volume_stats.go`, scraped by
 *   kube-prometheus-stack's kubelet ServiceMonitor): labels namespace, persistentvolumeclaim;
 * - cert-manager v1.21.1 `internal/collectors/certificate_collector.go`:
 *   `certmanager_certificate_expiration_timestamp_seconds` (labels name, namespace, issuer_*; 0 while unknown).
 */
export const LOG_STORAGE_METRICS = {
  CRONJOB_LAST_SUCCESS: 'kube_cronjob_status_last_successful_time',
  CRONJOB_CREATED: 'kube_cronjob_created',
  VOLUME_AVAILABLE_BYTES: 'kubelet_volume_stats_available_bytes',
  VOLUME_CAPACITY_BYTES: 'kubelet_volume_stats_capacity_bytes',
  CERT_MANAGER_EXPIRATION: 'certmanager_certificate_expiration_timestamp_seconds',
} as const;

/** Days before expiry at which {@link LOG_STORAGE_ALERTS.CERTIFICATE_EXPIRES_SOON} fires. */
export const CERTIFICATE_ALERT_DAYS = 30;

/** A CronJob whose runs must keep succeeding, and how long without a success is too long. */
export interface WatchedCronJob {
  readonly name: string;
  /** Seconds without a successful run before the alert fires (a few of its intervals). */
  readonly staleAfterSeconds: number;
  /** Labels of its pods (the runbook's `kubectl logs -l`). */
  readonly podLabels: Readonly<Record<string, string>>;
}

const selector = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');

/** Options of {@link logStorageRuleGroup}. */
export interface LogStorageRuleOptions {
  /** Namespace of the OpenSearch cluster, its volume claims and its CronJobs. */
  readonly namespace: string;
  /** The log-stream check CronJob. */
  readonly logStreamCheck: WatchedCronJob;
  /** Regular expression of the nodes' data volume claims. */
  readonly dataVolumeClaimRegex: string;
  /**
   * Used share of a data volume (percent) above which {@link LOG_STORAGE_ALERTS.VOLUME_FILLING_UP} fires. The default
   * sits below OpenSearch's disk watermarks (85 % low: no new replicas; 90 % high: shards move away; 95 % flood
   * stage: indices turn read-only and Fluent Bit's writes fail).
   * @default 80
   */
  readonly volumeUsedPercent?: number;
  /** Where certificate expiry is read: cert-manager's Certificates, or the expiry-check CronJob. */
  readonly certificates: { readonly certManagerCertificates: readonly string[] } | { readonly expiryCheck: WatchedCronJob };
}

/** `time() - last success > stale`, and for a CronJob that never succeeded, its age. */
function cronJobStale(namespace: string, job: WatchedCronJob): string {
  const sel = `{namespace="${namespace}", cronjob="${job.name}"}`;
  const m = LOG_STORAGE_METRICS;
  const stale = num(job.staleAfterSeconds);
  return (
    `(time() - max by (namespace, cronjob) (${m.CRONJOB_LAST_SUCCESS}${sel}) > ${stale})` +
    ` or (time() - max by (namespace, cronjob) (${m.CRONJOB_CREATED}${sel}) > ${stale}` +
    ` unless on (namespace, cronjob) ${m.CRONJOB_LAST_SUCCESS}${sel})`
  );
}

/**
 * The `opensearch-log-storage` rule group: logs that can fill the disk (an index no policy manages, a volume past
 * the threshold) and certificates about to expire.
 */
export function logStorageRuleGroup(options: LogStorageRuleOptions): RuleGroupSpec {
  const used = checkThreshold('volumeUsedPercent', options.volumeUsedPercent ?? 80, 1, 99);
  const m = LOG_STORAGE_METRICS;
  const ns = options.namespace;
  const check = options.logStreamCheck;
  const claims = `{namespace="${ns}", persistentvolumeclaim=~"${options.dataVolumeClaimRegex}"}`;
  const alerts: AlertRuleSpec[] = [
    {
      alert: LOG_STORAGE_ALERTS.INDICES_UNMANAGED,
      expr: cronJobStale(ns, check),
      severity: 'warning',
      summary: 'OpenSearch log indices may be outside retention',
      description: `The log-stream check (CronJob ${ns}/${check.name}) has not passed for ${Math.round(check.staleAfterSeconds / 60)} minutes: a log data stream is missing, a backing index is managed by no ISM policy (never rolled over, never deleted), or a plain index matches the log pattern. Such indices grow until the disk is full.`,
      runbook: [
        `Read the last runs: kubectl -n ${ns} logs -l ${selector(check.podLabels)} --tail=100. Each PROBLEM line names the index and what to do.`,
        'A plain index where a data stream belongs: reindex what you need elsewhere, delete it; the next run creates the data stream.',
        'OpenSearch unreachable or red: see the cluster first; the check passes again once it answers.',
      ],
    },
    {
      alert: LOG_STORAGE_ALERTS.VOLUME_FILLING_UP,
      expr: `max by (namespace, persistentvolumeclaim) (1 - ${m.VOLUME_AVAILABLE_BYTES}${claims} / ${m.VOLUME_CAPACITY_BYTES}${claims}) * 100 > ${num(used)}`,
      for: '15m',
      severity: 'warning',
      summary: 'OpenSearch data volume filling up',
      description: `Volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanize }}% full. At 85% OpenSearch stops allocating replicas there, at 95% it makes indices read-only and logs stop arriving.`,
      runbook: [
        'Lower the retention (opensearch.retentionDays) or grow the volumes (opensearch.nodes.diskSize; needs a storage class that allows expansion).',
        `Check that every log index is managed (alert ${LOG_STORAGE_ALERTS.INDICES_UNMANAGED}) and which namespaces log the most.`,
      ],
    },
  ];
  const certs = options.certificates;
  if ('certManagerCertificates' in certs) {
    const names = certs.certManagerCertificates.join('|');
    alerts.push({
      alert: LOG_STORAGE_ALERTS.CERTIFICATE_EXPIRES_SOON,
      expr: `min by (namespace, name) (${m.CERT_MANAGER_EXPIRATION}{namespace="${ns}", name=~"${names}"} > 0) - time() < ${num(CERTIFICATE_ALERT_DAYS * 86400)}`,
      severity: 'warning',
      summary: 'OpenSearch certificate expires soon and cert-manager has not renewed it',
      description: `Certificate ${ns}/{{ $labels.name }} expires in {{ $value | humanizeDuration }}; cert-manager should have renewed it 45 days before expiry.`,
      runbook: [`kubectl -n ${ns} describe certificate {{ $labels.name }} and its CertificateRequests: the issuer's answer says why renewal fails.`],
    });
  } else {
    alerts.push({
      alert: LOG_STORAGE_ALERTS.CERTIFICATE_EXPIRES_SOON,
      expr: cronJobStale(ns, certs.expiryCheck),
      severity: 'warning',
      summary: 'An OpenSearch certificate expires within 30 days (or the expiry check cannot run)',
      description: `The certificate check (CronJob ${ns}/${certs.expiryCheck.name}) has not passed for ${Math.round(certs.expiryCheck.staleAfterSeconds / 3600)} hours. The operator's certificates are never renewed: when they expire, Fluent Bit, Grafana and node-to-node transport fail.`,
      runbook: [
        `Read the last runs: kubectl -n ${ns} logs -l ${selector(certs.expiryCheck.podLabels)} --tail=100; each PROBLEM line names the certificate.`,
        'Rotate as docs/logs.md ("Certificates") says: delete the node, HTTP and Dashboards certificate Secrets; the operator re-creates them from its CA and the nodes reload them; restart Dashboards.',
      ],
    });
  }
  return { name: 'opensearch-log-storage', rules: alerts };
}

/** Props of {@link LogStorageAlerts}. */
export interface LogStorageAlertsProps extends LogStorageRuleOptions {
  /** The Prometheus that evaluates them (the PrometheusRule carries its selector labels). */
  readonly prometheus: PrometheusTarget;
  /** Name of the PrometheusRule. */
  readonly name: string;
}

/** The PrometheusRule of {@link logStorageRuleGroup}. */
export class LogStorageAlerts extends Construct {
  /** Name of the PrometheusRule. */
  public readonly ruleName: string;

  constructor(scope: Construct, id: string, props: LogStorageAlertsProps) {
    super(scope, id);
    this.ruleName = props.name;
    addPrometheusRule(this, 'rule', { name: props.name, namespace: props.namespace, prometheus: props.prometheus, groups: [logStorageRuleGroup(props)] });
  }
}

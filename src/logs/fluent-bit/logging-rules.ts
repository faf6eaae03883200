import { FLUENT_BIT_METRICS } from './fluent-bit-metrics.js';
import { type AlertRuleSpec, checkDuration, checkThreshold, num, type RuleGroupSpec } from '../../core/rule-types.js';

/** Names of the logging alerts. */
export const LOGGING_ALERTS = {
  /** An output dropped records (e.g. its filesystem buffer hit `storage.total_limit_size`): they are gone. */
  RECORDS_DROPPED: 'FluentBitRecordsDropped',
  /** An output gave up on batches after its Retry_Limit: those records are gone. */
  RETRIES_EXHAUSTED: 'FluentBitRetriesExhausted',
  /** An output keeps failing (destination down or rejecting): records pile up in the buffer. */
  OUTPUT_FAILING: 'FluentBitOutputFailing',
  /** An output's buffer is nearly full: records will be dropped soon. */
  BUFFER_NEARLY_FULL: 'FluentBitBufferNearlyFull',
} as const;

/** Options of {@link loggingRuleGroup}. */
export interface LoggingRuleOptions {
  /**
   * Label matchers selecting the Fluent Bit series, e.g. `namespace="observability"`.
   * @default none: every Fluent Bit Prometheus scrapes
   */
  readonly selector?: string;
  /**
   * How long an output must keep failing before {@link LOGGING_ALERTS.OUTPUT_FAILING} fires.
   * @default "15m"
   */
  readonly failingFor?: string;
  /**
   * Free buffer capacity (percent) below which {@link LOGGING_ALERTS.BUFFER_NEARLY_FULL} fires.
   * @default 20
   */
  readonly minFreeBufferPercent?: number;
}

/**
 * The `logging` rule group: alerts on log records Fluent Bit lost (dropped, or abandoned after the retry limit) and
 * on what comes before a loss (an output failing for a while, its buffer filling up). Metric names come from
 * {@link FLUENT_BIT_METRICS} (Fluent Bit's `/api/v2/metrics/prometheus`; label `name` is the output's alias).
 */
export function loggingRuleGroup(options: LoggingRuleOptions = {}): RuleGroupSpec {
  const failingFor = checkDuration('logging.failingFor', options.failingFor ?? '15m');
  const minFree = checkThreshold('logging.minFreeBufferPercent', options.minFreeBufferPercent ?? 20, 1, 99);
  const sel = options.selector ? `{${options.selector}}` : '';
  const by = 'sum by (namespace, pod, name)';
  const where = 'Fluent Bit {{ $labels.namespace }}/{{ $labels.pod }}, output {{ $labels.name }}';
  const inspect = 'Read the Fluent Bit pod\'s log (kubectl logs -n {{ $labels.namespace }} {{ $labels.pod }}): the output names the failing requests and the destination\'s answers.';
  const alerts: AlertRuleSpec[] = [
    {
      alert: LOGGING_ALERTS.RECORDS_DROPPED,
      expr: `${by} (increase(${FLUENT_BIT_METRICS.OUTPUT_DROPPED_RECORDS_TOTAL}${sel}[5m])) > 0`,
      severity: 'critical',
      summary: 'Fluent Bit dropped log records',
      description: `${where} dropped {{ $value | humanize }} records in 5 minutes; they will not reach their destination.`,
      runbook: [
        inspect,
        'If the destination was down for long, its buffer (storage.total_limit_size, the pipeline\'s bufferLimit) overflowed: bring the destination back, then consider a larger bufferLimit.',
        'The dropped records are gone; note the time window for whoever reads these logs.',
      ],
    },
    {
      alert: LOGGING_ALERTS.RETRIES_EXHAUSTED,
      expr: `${by} (increase(${FLUENT_BIT_METRICS.OUTPUT_RETRIES_FAILED_TOTAL}${sel}[5m])) > 0`,
      severity: 'critical',
      summary: 'Fluent Bit gave up on log records after the retry limit',
      description: `${where} abandoned {{ $value | humanize }} batches in 5 minutes after exhausting Retry_Limit; their records are lost.`,
      runbook: [
        inspect,
        'A destination down longer than the retries last: restore it; raise the pipeline\'s retryLimit if outages this long are expected.',
        'A destination rejecting the records (mapping conflict, permission denied): fix the index template or the log writer\'s role; the traced error names the field or action.',
      ],
    },
    {
      alert: LOGGING_ALERTS.OUTPUT_FAILING,
      expr: `${by} (rate(${FLUENT_BIT_METRICS.OUTPUT_ERRORS_TOTAL}${sel}[5m])) > 0`,
      for: failingFor,
      severity: 'warning',
      summary: 'Fluent Bit cannot deliver logs',
      description: `${where} has been failing for ${failingFor} (destination down or rejecting records). Records are buffered on disk and retried; nothing is lost yet.`,
      runbook: [
        inspect,
        'Check the destination (OpenSearch cluster health, its pods, disk watermarks) and the log writer\'s credentials.',
      ],
    },
    {
      alert: LOGGING_ALERTS.BUFFER_NEARLY_FULL,
      expr: `min by (namespace, pod, name) (${FLUENT_BIT_METRICS.OUTPUT_CHUNK_AVAILABLE_CAPACITY_PERCENT}${sel}) < ${num(minFree)}`,
      for: '10m',
      severity: 'warning',
      summary: 'Fluent Bit buffer nearly full',
      description: `${where} has {{ $value | humanize }}% of its buffer left; once it is full, buffered records are dropped.`,
      runbook: [inspect, 'Restore the destination before the buffer fills; a larger bufferLimit buys time.'],
    },
  ];
  return { name: 'logging', rules: alerts };
}

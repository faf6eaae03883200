import { bucket } from '../core/metric-names.js';
import { VLLM_LABELS, VLLM_METRICS, VLLM_UNDER_RAY_LABELS } from './vllm-metrics.js';
import { VLLM_RECORDS } from './vllm-records.js';
import { type AlertRuleSpec, num, type RecordingRuleSpec, type RuleGroupSpec } from '../core/rule-types.js';
import { checkProp } from '../core/value-types.js';
import { propError } from '../core/prop-error.js';
import { VLLM_ALERT_VALUE_TYPES } from './vllm-value-types.js';

/** Quantiles the TTFT SLO can be written against (each has a recording rule). */
export type LatencyQuantile = 0.5 | 0.95 | 0.99;

/** The thresholds of the vLLM alerts when left out. */
export const VLLM_ALERT_DEFAULTS = {
  ttftSloSeconds: 2,
  ttftSloQuantile: 0.95,
  ttftSloFor: '10m',
  queueLength: 10,
  kvCacheUsageRatio: 0.95,
  preemptionsPerSecond: 0.05,
} as const;

/** Thresholds of the vLLM alerts; every field has a default ({@link VLLM_ALERT_DEFAULTS}). */
export interface VllmAlertThresholds {
  /**
   * Time-to-first-token SLO in seconds: VllmTtftSloBreach fires when the model's TTFT quantile stays above it.
   * @default 2
   */
  readonly ttftSloSeconds?: number;
  /**
   * Which TTFT quantile the SLO is about.
   * @default 0.95
   */
  readonly ttftSloQuantile?: LatencyQuantile;
  /**
   * How long the SLO may be breached before the alert fires.
   * @default "10m"
   */
  readonly ttftSloFor?: string;
  /**
   * Requests waiting (summed over a model's replicas) above which VllmRequestQueueBuildingUp fires.
   * @default 10
   */
  readonly queueLength?: number;
  /**
   * KV-cache usage (0-1) of an engine above which VllmKvCacheSaturated fires.
   * @default 0.95
   */
  readonly kvCacheUsageRatio?: number;
  /**
   * Preemptions per second (per model) above which VllmPreemptions fires.
   * @default 0.05
   */
  readonly preemptionsPerSecond?: number;
}

/** Name of the PrometheusRule with the vLLM rules (and of its promtool rule file, `<name>.yaml`). */
export const VLLM_RULES_NAME = 'vllm-rules';

const BY = `namespace, ${VLLM_LABELS.MODEL_NAME}`;
/**
 * One engine replica: an engine (`engine`, one per data-parallel rank) of a server pod, and under Ray Serve LLM the
 * Serve replica and worker process (several replicas can share a Ray worker pod).
 */
export const VLLM_ENGINE_REPLICA_LABELS = ['pod', VLLM_LABELS.ENGINE, VLLM_UNDER_RAY_LABELS.REPLICA_ID, VLLM_UNDER_RAY_LABELS.WORKER_ID] as const;
const BY_ENGINE = `${BY}, ${VLLM_ENGINE_REPLICA_LABELS.join(', ')}`;
/** How long a model must have been served for its disappearance to fire VllmEngineDown. */
const ENGINE_SEEN_WINDOW = '1h';
const MODEL = 'model {{ $labels.model_name }} in {{ $labels.namespace }}';

function quantileRecord(record: string, quantile: number, histogram: string): RecordingRuleSpec {
  return { record, expr: `histogram_quantile(${quantile}, sum by (${BY}, le) (rate(${bucket(histogram)}[5m])))` };
}

function rateRecord(record: string, counter: string): RecordingRuleSpec {
  return { record, expr: `sum by (${BY}) (rate(${counter}[5m]))` };
}

const TTFT_RECORD: Readonly<Record<LatencyQuantile, string>> = { 0.5: VLLM_RECORDS.TTFT_P50, 0.95: VLLM_RECORDS.TTFT_P95, 0.99: VLLM_RECORDS.TTFT_P99 };

/** vLLM recording rules (latency quantiles, throughput, cache) and alerts (queue, KV cache, preemption, TTFT SLO). */
export function vllmRuleGroups(thresholds: VllmAlertThresholds = {}): RuleGroupSpec[] {
  const [T, D] = [VLLM_ALERT_VALUE_TYPES, VLLM_ALERT_DEFAULTS];
  const slo = checkProp(T.ttftSloSeconds, thresholds.ttftSloSeconds ?? D.ttftSloSeconds, ['vllm', 'ttftSloSeconds']);
  const quantile = thresholds.ttftSloQuantile ?? VLLM_ALERT_DEFAULTS.ttftSloQuantile;
  if (!(quantile in TTFT_RECORD)) throw propError('vllm.ttftSloQuantile', `${quantile} is not allowed; allowed: 0.5, 0.95, 0.99`);
  const sloFor = checkProp(T.ttftSloFor, thresholds.ttftSloFor ?? D.ttftSloFor, ['vllm', 'ttftSloFor']);
  const queue = checkProp(T.queueLength, thresholds.queueLength ?? D.queueLength, ['vllm', 'queueLength']);
  const kv = checkProp(T.kvCacheUsageRatio, thresholds.kvCacheUsageRatio ?? D.kvCacheUsageRatio, ['vllm', 'kvCacheUsageRatio']);
  const preemptions = checkProp(T.preemptionsPerSecond, thresholds.preemptionsPerSecond ?? D.preemptionsPerSecond, ['vllm', 'preemptionsPerSecond']);

  const records: RecordingRuleSpec[] = [
    quantileRecord(VLLM_RECORDS.TTFT_P50, 0.5, VLLM_METRICS.TIME_TO_FIRST_TOKEN_SECONDS),
    quantileRecord(VLLM_RECORDS.TTFT_P95, 0.95, VLLM_METRICS.TIME_TO_FIRST_TOKEN_SECONDS),
    quantileRecord(VLLM_RECORDS.TTFT_P99, 0.99, VLLM_METRICS.TIME_TO_FIRST_TOKEN_SECONDS),
    quantileRecord(VLLM_RECORDS.ITL_P50, 0.5, VLLM_METRICS.INTER_TOKEN_LATENCY_SECONDS),
    quantileRecord(VLLM_RECORDS.ITL_P95, 0.95, VLLM_METRICS.INTER_TOKEN_LATENCY_SECONDS),
    quantileRecord(VLLM_RECORDS.ITL_P99, 0.99, VLLM_METRICS.INTER_TOKEN_LATENCY_SECONDS),
    quantileRecord(VLLM_RECORDS.E2E_P50, 0.5, VLLM_METRICS.E2E_REQUEST_LATENCY_SECONDS),
    quantileRecord(VLLM_RECORDS.E2E_P95, 0.95, VLLM_METRICS.E2E_REQUEST_LATENCY_SECONDS),
    quantileRecord(VLLM_RECORDS.E2E_P99, 0.99, VLLM_METRICS.E2E_REQUEST_LATENCY_SECONDS),
    quantileRecord(VLLM_RECORDS.QUEUE_TIME_P95, 0.95, VLLM_METRICS.REQUEST_QUEUE_TIME_SECONDS),
    quantileRecord(VLLM_RECORDS.PREFILL_TIME_P95, 0.95, VLLM_METRICS.REQUEST_PREFILL_TIME_SECONDS),
    quantileRecord(VLLM_RECORDS.DECODE_TIME_P95, 0.95, VLLM_METRICS.REQUEST_DECODE_TIME_SECONDS),
    rateRecord(VLLM_RECORDS.PROMPT_TOKENS_RATE, VLLM_METRICS.PROMPT_TOKENS_TOTAL),
    rateRecord(VLLM_RECORDS.GENERATION_TOKENS_RATE, VLLM_METRICS.GENERATION_TOKENS_TOTAL),
    rateRecord(VLLM_RECORDS.REQUEST_SUCCESS_RATE, VLLM_METRICS.REQUEST_SUCCESS_TOTAL),
    rateRecord(VLLM_RECORDS.PREEMPTIONS_RATE, VLLM_METRICS.NUM_PREEMPTIONS_TOTAL),
    {
      record: VLLM_RECORDS.PREFIX_CACHE_HIT_RATIO,
      expr:
        `sum by (${BY}) (rate(${VLLM_METRICS.PREFIX_CACHE_HITS_TOTAL}[5m]))\n/\n` +
        `(sum by (${BY}) (rate(${VLLM_METRICS.PREFIX_CACHE_QUERIES_TOTAL}[5m])) > 0)`,
    },
    {
      record: VLLM_RECORDS.SPEC_DECODE_ACCEPTANCE_RATIO,
      expr:
        `sum by (${BY}) (rate(${VLLM_METRICS.SPEC_DECODE_NUM_ACCEPTED_TOKENS_TOTAL}[5m]))\n/\n` +
        `(sum by (${BY}) (rate(${VLLM_METRICS.SPEC_DECODE_NUM_DRAFT_TOKENS_TOTAL}[5m])) > 0)`,
    },
    { record: VLLM_RECORDS.REQUESTS_RUNNING, expr: `sum by (${BY}) (${VLLM_METRICS.NUM_REQUESTS_RUNNING})` },
    { record: VLLM_RECORDS.REQUESTS_WAITING, expr: `sum by (${BY}) (${VLLM_METRICS.NUM_REQUESTS_WAITING})` },
    { record: VLLM_RECORDS.KV_CACHE_USAGE_MAX, expr: `max by (${BY}) (${VLLM_METRICS.KV_CACHE_USAGE_PERC})` },
  ];

  const alerts: AlertRuleSpec[] = [
    {
      alert: 'VllmRequestQueueBuildingUp',
      expr: `${VLLM_RECORDS.REQUESTS_WAITING} > ${num(queue)}`,
      for: '5m',
      severity: 'warning',
      summary: `{{ $value }} requests are waiting for ${MODEL}`,
      description:
        `More than ${num(queue)} requests have been queued for 5 minutes: the replicas cannot admit them (batch full or KV cache full), ` +
        'so time to first token grows with the queue.',
      runbook: [
        'Open the inference dashboard: compare running vs waiting requests and KV-cache usage for the model.',
        'Scale the model out (more replicas / Ray Serve autoscaling max_replicas) if KV cache or batch slots are full.',
        'If the queue grows while replicas are idle, check the engine logs for a stuck engine and restart the replica.',
      ],
    },
    {
      alert: 'VllmKvCacheSaturated',
      // `<= 1`: a ratio above 1 is Ray summing engines (VllmMetricsAggregatedByRay), not a full cache
      expr: `max by (${BY_ENGINE}) (${VLLM_METRICS.KV_CACHE_USAGE_PERC} <= 1) > ${num(kv)}`,
      for: '10m',
      severity: 'warning',
      summary: `KV cache of ${MODEL} (pod {{ $labels.pod }}, engine {{ $labels.engine }}{{ with $labels.ReplicaId }}, replica {{ . }}{{ end }}) is {{ $value | humanizePercentage }} full`,
      description: 'A full KV cache makes vLLM stop admitting requests and preempt running ones (recomputation costs GPU time).',
      runbook: [
        'Check VllmPreemptions and the queue length of the model.',
        'Add replicas, or raise gpu_memory_utilization / lower max_model_len or max_num_seqs so more sequences fit.',
        'Enable prefix caching if prompts share prefixes (see the prefix-cache hit ratio).',
      ],
    },
    {
      alert: 'VllmPreemptions',
      expr: `${VLLM_RECORDS.PREEMPTIONS_RATE} > ${num(preemptions)}`,
      for: '10m',
      severity: 'warning',
      summary: `${MODEL} preempts {{ printf "%.2f" $value }} requests per second`,
      description: 'Requests are evicted from the running batch because the KV cache is full; they are recomputed later, which wastes GPU time and raises latency.',
      runbook: [
        'Check KV-cache usage of the model (VllmKvCacheSaturated).',
        'Lower max_num_seqs or max_model_len, raise gpu_memory_utilization, or add replicas.',
      ],
    },
    {
      alert: 'VllmTtftSloBreach',
      expr: `${TTFT_RECORD[quantile]} > ${num(slo)}`,
      for: sloFor,
      severity: 'critical',
      summary: `p${Math.round(quantile * 100)} time to first token of ${MODEL} is {{ $value | humanizeDuration }} (SLO ${num(slo)}s)`,
      description: `The p${Math.round(quantile * 100)} time to first token has been above the ${num(slo)}s SLO for ${sloFor}: users wait too long for the first token.`,
      runbook: [
        'Check the queue (VllmRequestQueueBuildingUp): waiting time is part of TTFT.',
        'Check prefill load: long prompts (prompt tokens per second) make prefill slow; consider chunked prefill or more replicas.',
        'Check the GPU dashboard for throttling or errors on the nodes serving the model.',
      ],
    },
  ];

  alerts.push(
    {
      alert: 'VllmEngineDown',
      expr:
        `max by (${BY}) (max_over_time(${VLLM_METRICS.NUM_REQUESTS_RUNNING}[${ENGINE_SEEN_WINDOW}]))\n` +
        `unless on (${BY})\nmax by (${BY}) (${VLLM_METRICS.NUM_REQUESTS_RUNNING})`,
      for: '5m',
      severity: 'critical',
      summary: `No vLLM engine of ${MODEL} reports metrics any more`,
      description:
        `The model was served in the last ${ENGINE_SEEN_WINDOW} (${VLLM_METRICS.NUM_REQUESTS_RUNNING} was reported) but no engine has reported it ` +
        'for 5 minutes: the servers are down, crash-looping, or no longer scraped. Requests for it fail.',
      runbook: [
        'Check the server pods of the model (kubectl get pods; for Ray Serve LLM the RayService status and the Serve replicas).',
        'Read the server logs for engine-core errors, CUDA out-of-memory at start-up or failed model downloads.',
        'If the pods run, check the Prometheus targets of the vLLM / ray-workers jobs: the metrics may just not be scraped.',
      ],
    },
    {
      alert: 'VllmMetricsAggregatedByRay',
      expr: `max by (${BY}, pod) (${VLLM_METRICS.KV_CACHE_USAGE_PERC}) > 1`,
      for: '10m',
      severity: 'info',
      summary: `KV-cache usage of ${MODEL} on pod {{ $labels.pod }} reads {{ $value }}, above 1`,
      description:
        'A ratio above 1 is not a vLLM value: Ray dropped the labels that tell the engine replicas apart and summed their ' +
        'gauges (Ray 2.4x-2.5x with RAY_metric_cardinality_level other than `legacy`: python/ray/_private/telemetry/metric_cardinality.py and ' +
        'open_telemetry_metric_recorder.py). KV-cache, running and waiting requests of that pod are sums over its replicas, ' +
        'and VllmKvCacheSaturated cannot tell one full engine.',
      runbook: [
        'Set RAY_metric_cardinality_level=legacy in the environment of the RayService / RayCluster containers (the default is `recommended` since Ray 2.53), then restart the cluster.',
        'Or run one engine replica per Ray worker pod, so nothing is summed.',
      ],
    },
  );

  return [
    { name: 'vllm.records', rules: records },
    { name: 'vllm.alerts', rules: alerts },
  ];
}

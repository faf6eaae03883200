/**
 * Inference dashboard for vLLM (V1 engine): load, KV and prefix cache, preemptions, token throughput, latency
 * percentiles (TTFT, inter-token, end-to-end, queue), finish reasons and request-length distributions for one
 * served model, next to the GPUs of its server pods and the servers' logs.
 *
 * Model-level series come from our vLLM recording rules; where a panel reads vLLM directly and older releases used
 * another name (gpu_cache_usage_perc, time_per_output_token_seconds, gpu_prefix_cache_*), the query is
 * `current or legacy`, so the panel works against both.
 * @module
 */
import type { DashboardContext, LogsSource } from '../src/dashboards/toolkit/context.js';
import { DashboardBuilder } from '../src/dashboards/toolkit/builder.js';
import { DASHBOARD_VARIABLES as V, GPU_DASHBOARD_TAG, GPU_DASHBOARD_UIDS } from '../src/dashboards/toolkit/dashboard-ids.js';
import { gpuMemory, gpuPower, gpuTemperature, gpuUtilisation, tensorActive, type GpuScope } from '../src/gpu/gpu-panels.js';
import { podLogsQuery } from '../src/dashboards/toolkit/logs-query.js';
import type { GrafanaDashboard } from '../src/dashboards/toolkit/model.js';
import { heatmap, logs, logsQuery, prom, timeseries, type PanelDraft, type PromQuery } from '../src/dashboards/toolkit/panels.js';
import { by, eq, re, sel, v } from '../src/dashboards/toolkit/promql.js';
import { bucket } from '../src/core/metric-names.js';
import { DCGM_LABELS } from '../src/gpu/dcgm-metrics.js';
import { KSM_LABELS } from '../src/prometheus/kube-metrics.js';
import { sum, count } from '../src/core/metric-names.js';
import { RAY_LABELS, RAY_SERVE_METRICS } from '../src/ray/ray-metrics.js';
import { RAY_PROMETHEUS_LABELS } from '../src/ray/ray-endpoints.js';
import { RAY_RECORDS } from '../src/ray/ray-records.js';
import { VLLM_LABELS, VLLM_LEGACY_METRICS, VLLM_METRICS, VLLM_UNDER_RAY_LABELS } from '../src/vllm/vllm-metrics.js';
import { VLLM_RECORDS } from '../src/vllm/vllm-records.js';
import { VLLM_ENGINE_REPLICA_LABELS } from '../src/vllm/vllm-rules.js';

const { NAMESPACE, POD } = KSM_LABELS;
const MODEL = VLLM_LABELS.MODEL_NAME;
/** Window of the legacy fallbacks: the recording rules they stand in for use 5m. */
const RULE_WINDOW = '5m';
/** Label matchers of the selected model, and of its selected server pods. */
const MODEL_MATCHERS = [eq(NAMESPACE, v(V.namespace)), eq(MODEL, v(V.model))];
const POD_MATCHERS = [...MODEL_MATCHERS, re(POD, v(V.pod))];
/** The GPUs of the selected server pods. */
const SCOPE: GpuScope = { matchers: [eq(DCGM_LABELS.NAMESPACE, v(V.namespace)), re(DCGM_LABELS.POD, v(V.pod))] };

/** Series of the selected model's Ray cluster (Ray Serve LLM only). */
const SERVE_MATCHERS = [eq(NAMESPACE, v(V.namespace)), re(RAY_PROMETHEUS_LABELS.CLUSTER, v(V.rayCluster))];

/** A recording rule of the selected model. */
const rec = (name: string) => sel(name, ...MODEL_MATCHERS);

/** The vLLM inference dashboard for a cluster described by `context`. */
export function inferenceDashboard(context: DashboardContext): GrafanaDashboard {
  const d = new DashboardBuilder({
    uid: GPU_DASHBOARD_UIDS.inference,
    title: 'Inference (vLLM)',
    description: 'One model served by vLLM: load, caches, throughput, latency, request shapes, the GPUs of its pods and their logs.',
    tags: [GPU_DASHBOARD_TAG, 'gpu', 'inference', 'vllm'],
    prometheusVariable: V.datasource,
    logsVariable: V.logsDatasource,
  });
  addVariables(d, context);
  d.row('Load and caches').panels([...loadAndCachePanels(), ...throughputPanels()]);
  d.row('Latency').panels([...quantilePanels(), queueTime()]);
  d.row('Prefill, decode and speculative decoding').panels(enginePhasePanels());
  d.row('Request shapes').panels(requestShapePanels());
  d.row('Ray Serve (Ray Serve LLM only)').panels(servePanels());
  d.row('GPUs of the server pods').panels([
    gpuUtilisation(SCOPE, 8),
    tensorActive(SCOPE, 8),
    gpuMemory(
      SCOPE,
      8,
      'vLLM reserves --gpu-memory-utilization (default 0.9) of each GPU at start for weights and KV cache, so a flat line near 0.9 is normal for it.',
    ),
    gpuPower(SCOPE),
    gpuTemperature(SCOPE),
  ]);
  d.row('Server logs').panel(serverLogs(context.logs));
  return d.build();
}

/** Datasources; namespace, served model and its server pods; the link to the other GPU dashboards. */
function addVariables(d: DashboardBuilder, context: DashboardContext): void {
  d.datasourceVariables({ prometheusUid: context.prometheusDatasourceUid, logsUid: context.logs.datasourceUid })
    .queryVariable({
      name: V.namespace,
      label: 'Namespace',
      description: 'Namespaces with vLLM servers.',
      query: `label_values(${VLLM_METRICS.NUM_REQUESTS_RUNNING}, ${NAMESPACE})`,
    })
    .queryVariable({
      name: V.model,
      label: 'Model',
      description: 'Served model name (--served-model-name).',
      query: `label_values(${sel(VLLM_METRICS.NUM_REQUESTS_RUNNING, eq(NAMESPACE, v(V.namespace)))}, ${MODEL})`,
    })
    .queryVariable({
      name: V.pod,
      label: 'Pod',
      description: 'vLLM server pods serving the model.',
      query: `label_values(${sel(VLLM_METRICS.NUM_REQUESTS_RUNNING, ...MODEL_MATCHERS)}, ${POD})`,
      multi: true,
      includeAll: true,
    })
    .queryVariable({
      name: V.rayCluster,
      label: 'Ray cluster (Serve LLM)',
      description: 'RayCluster serving the model under Ray Serve LLM (empty when vLLM runs on its own): the Ray Serve panels read it.',
      query: `label_values(${sel(VLLM_METRICS.NUM_REQUESTS_RUNNING, ...MODEL_MATCHERS)}, ${RAY_PROMETHEUS_LABELS.CLUSTER})`,
      multi: true,
      includeAll: true,
    })
    .linkToTag(GPU_DASHBOARD_TAG, 'GPU dashboards');
}

/** Requests running and waiting, KV-cache usage and prefix-cache hits. */
function loadAndCachePanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Requests running and waiting',
      description:
        `Requests in the model's running batches (${VLLM_RECORDS.REQUESTS_RUNNING}) and queued for a slot ` +
        `(${VLLM_RECORDS.REQUESTS_WAITING}), summed over engines and replicas (vLLM ${VLLM_METRICS.NUM_REQUESTS_RUNNING} / ` +
        `${VLLM_METRICS.NUM_REQUESTS_WAITING}). Bad: waiting above 0 for more than a few seconds means the servers are saturated: ` +
        'time to first token grows with it; add replicas or raise --max-num-seqs if KV cache allows.',
      queries: [prom(rec(VLLM_RECORDS.REQUESTS_RUNNING), { legend: 'running' }), prom(rec(VLLM_RECORDS.REQUESTS_WAITING), { legend: 'waiting' })],
      unit: 'short',
      min: 0,
      width: 8,
    }),
    timeseries({
      title: 'KV-cache usage',
      description:
        `Fraction of the KV-cache blocks in use per engine replica (${VLLM_METRICS.KV_CACHE_USAGE_PERC}; ${VLLM_LEGACY_METRICS.KV_CACHE_USAGE_PERC} ` +
        `on vLLM before 0.10): per pod and engine, and under Ray Serve LLM per Serve replica (${VLLM_UNDER_RAY_LABELS.REPLICA_ID}, ` +
        `${VLLM_UNDER_RAY_LABELS.WORKER_ID}), since one Ray worker pod can host several replicas. Bad: sustained above ~0.9 the ` +
        'scheduler runs out of blocks and preempts running requests (see preemptions); raise --gpu-memory-utilization, shorten ' +
        '--max-model-len, or add replicas. A value above 1 means Ray summed replicas (RAY_metric_cardinality_level not `legacy`; ' +
        'alert VllmMetricsAggregatedByRay).',
      queries: [
        prom(
          `max ${by(...VLLM_ENGINE_REPLICA_LABELS)} (${sel(VLLM_METRICS.KV_CACHE_USAGE_PERC, ...POD_MATCHERS)}) or ` +
            `max ${by(...VLLM_ENGINE_REPLICA_LABELS)} (${sel(VLLM_LEGACY_METRICS.KV_CACHE_USAGE_PERC, ...POD_MATCHERS)})`,
          { legend: `{{${POD}}} · engine {{${VLLM_LABELS.ENGINE}}} {{${VLLM_UNDER_RAY_LABELS.REPLICA_ID}}}` },
        ),
      ],
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: { base: 'green', steps: [{ value: 0.9, color: 'orange' }, { value: 0.98, color: 'red' }] },
      width: 8,
    }),
    timeseries({
      title: 'Prefix-cache hit rate',
      description:
        `Share of prompt tokens served from the prefix cache (${VLLM_RECORDS.PREFIX_CACHE_HIT_RATIO}, from ${VLLM_METRICS.PREFIX_CACHE_HITS_TOTAL} / ` +
        `${VLLM_METRICS.PREFIX_CACHE_QUERIES_TOTAL}; ${VLLM_LEGACY_METRICS.PREFIX_CACHE_HITS_TOTAL} on older vLLM). Bad: near 0 for a ` +
        'workload with shared system prompts or multi-turn chats means prefix caching is off or requests are spread over ' +
        'replicas without prefix-aware routing.',
      queries: [
        prom(
          `${rec(VLLM_RECORDS.PREFIX_CACHE_HIT_RATIO)} or (sum ${by(NAMESPACE, MODEL)} (rate(${sel(VLLM_LEGACY_METRICS.PREFIX_CACHE_HITS_TOTAL, ...MODEL_MATCHERS)}[${RULE_WINDOW}])) / ` +
            `sum ${by(NAMESPACE, MODEL)} (rate(${sel(VLLM_LEGACY_METRICS.PREFIX_CACHE_QUERIES_TOTAL, ...MODEL_MATCHERS)}[${RULE_WINDOW}])))`,
          { legend: 'hit rate' },
        ),
      ],
      unit: 'percentunit',
      min: 0,
      max: 1,
      width: 8,
    }),
  ];
}

/** Preemptions, token throughput and why requests finished. */
function throughputPanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Preemptions',
      description:
        `Requests preempted per second (${VLLM_RECORDS.PREEMPTIONS_RATE}, from ${VLLM_METRICS.NUM_PREEMPTIONS_TOTAL}): the scheduler ` +
        'evicted a running request to free KV-cache blocks and must recompute it later. Bad: anything sustained above 0 ' +
        'wastes GPU time and inflates latency; give the KV cache more memory or admit fewer concurrent sequences.',
      queries: [prom(rec(VLLM_RECORDS.PREEMPTIONS_RATE), { legend: 'preemptions/s' })],
      unit: 'short',
      min: 0,
      thresholds: { base: 'green', steps: [{ value: 0.1, color: 'red' }] },
      width: 8,
    }),
    timeseries({
      title: 'Token throughput',
      description:
        `Prompt (prefill) and generated (decode) tokens per second for the model (${VLLM_RECORDS.PROMPT_TOKENS_RATE} / ` +
        `${VLLM_RECORDS.GENERATION_TOKENS_RATE}, from ${VLLM_METRICS.PROMPT_TOKENS_TOTAL} / ${VLLM_METRICS.GENERATION_TOKENS_TOTAL}). ` +
        'Bad: throughput that stops rising while requests keep queueing marks the capacity of the current replicas.',
      queries: [
        prom(rec(VLLM_RECORDS.PROMPT_TOKENS_RATE), { legend: 'prompt tokens/s' }),
        prom(rec(VLLM_RECORDS.GENERATION_TOKENS_RATE), { legend: 'generation tokens/s' }),
      ],
      unit: 'short',
      min: 0,
      width: 8,
    }),
    timeseries({
      title: 'Finished requests by reason',
      description:
        `Requests finished per second by finish reason (${VLLM_METRICS.REQUEST_SUCCESS_TOTAL}, label ${VLLM_LABELS.FINISHED_REASON}): ` +
        '`stop` = the model ended the answer, `length` = it hit max_tokens or the context limit, `abort` = the client went away ' +
        'or the request was cancelled. Bad: a growing share of `length` means truncated answers; `abort` usually means clients ' +
        'time out waiting.',
      queries: [
        prom(`sum ${by(VLLM_LABELS.FINISHED_REASON)} (rate(${sel(VLLM_METRICS.REQUEST_SUCCESS_TOTAL, ...POD_MATCHERS)}[$__rate_interval]))`, {
          legend: `{{${VLLM_LABELS.FINISHED_REASON}}}`,
        }),
      ],
      unit: 'reqps',
      min: 0,
      stack: true,
      width: 8,
    }),
  ];
}

/** p50 / p95 / p99 of a latency: recording rules, or, with `legacy`, the legacy histogram when the rule has no data. */
function quantiles(p50: string, p95: string, p99: string, legacy?: { metric: string }): PromQuery[] {
  return (
    [
      [p50, 0.5, 'p50'],
      [p95, 0.95, 'p95'],
      [p99, 0.99, 'p99'],
    ] as const
  ).map(([record, q, legend]) =>
    prom(
      legacy
        ? `${rec(record)} or histogram_quantile(${q}, sum ${by(NAMESPACE, MODEL, 'le')} (rate(${sel(bucket(legacy.metric), ...MODEL_MATCHERS)}[${RULE_WINDOW}])))`
        : rec(record),
      { legend },
    ),
  );
}

/** Time to first token, inter-token latency and end-to-end latency percentiles. */
function quantilePanels(): PanelDraft[] {
  return [
    timeseries({
      title: 'Time to first token',
      description:
        `p50 / p95 / p99 time from request arrival to the first generated token (${VLLM_METRICS.TIME_TO_FIRST_TOKEN_SECONDS}, recording rules ` +
        `${VLLM_RECORDS.TTFT_P50} etc.). It includes queueing and prefill. Bad: p95 above the interactive target (often 1-2 s) ` +
        'with waiting requests means too little capacity; without queueing it means long prompts (chunked prefill helps).',
      queries: quantiles(VLLM_RECORDS.TTFT_P50, VLLM_RECORDS.TTFT_P95, VLLM_RECORDS.TTFT_P99),
      unit: 's',
      min: 0,
    }),
    timeseries({
      title: 'Inter-token latency',
      description:
        `p50 / p95 / p99 time between consecutive output tokens of a request (${VLLM_METRICS.INTER_TOKEN_LATENCY_SECONDS}; ` +
        `${VLLM_LEGACY_METRICS.INTER_TOKEN_LATENCY_SECONDS} before vLLM 0.11). Bad: p95 above ~100 ms makes streaming feel slow; ` +
        'it rises with batch size and with prefills interleaved into decode steps.',
      queries: quantiles(VLLM_RECORDS.ITL_P50, VLLM_RECORDS.ITL_P95, VLLM_RECORDS.ITL_P99, { metric: VLLM_LEGACY_METRICS.INTER_TOKEN_LATENCY_SECONDS }),
      unit: 's',
      min: 0,
    }),
    timeseries({
      title: 'End-to-end request latency',
      description:
        `p50 / p95 / p99 time from arrival to the last token (${VLLM_METRICS.E2E_REQUEST_LATENCY_SECONDS}, recording rules ` +
        `${VLLM_RECORDS.E2E_P50} etc.). Grows with output length; read it together with the generation-length distribution. ` +
        'Bad: a rising p99 with stable lengths means queueing or preemptions.',
      queries: quantiles(VLLM_RECORDS.E2E_P50, VLLM_RECORDS.E2E_P95, VLLM_RECORDS.E2E_P99),
      unit: 's',
      min: 0,
    }),
  ];
}

/** Queue time percentiles (p95 recorded, p50 and p99 from the histogram). */
function queueTime(): PanelDraft {
  return timeseries({
    title: 'Queue time',
    description:
      `p50 / p95 / p99 time requests spent waiting before the scheduler admitted them (${VLLM_METRICS.REQUEST_QUEUE_TIME_SECONDS}; ` +
      `p95 from ${VLLM_RECORDS.QUEUE_TIME_P95}). Bad: anything but a few milliseconds means the servers are saturated.`,
    queries: [
      prom(`histogram_quantile(0.5, sum ${by(NAMESPACE, MODEL, 'le')} (rate(${sel(bucket(VLLM_METRICS.REQUEST_QUEUE_TIME_SECONDS), ...MODEL_MATCHERS)}[${RULE_WINDOW}])))`, {
        legend: 'p50',
      }),
      prom(rec(VLLM_RECORDS.QUEUE_TIME_P95), { legend: 'p95' }),
      prom(`histogram_quantile(0.99, sum ${by(NAMESPACE, MODEL, 'le')} (rate(${sel(bucket(VLLM_METRICS.REQUEST_QUEUE_TIME_SECONDS), ...MODEL_MATCHERS)}[${RULE_WINDOW}])))`, {
        legend: 'p99',
      }),
    ],
    unit: 's',
    min: 0,
  });
}

/** p95 prefill and decode time, tokens per request, speculative-decoding acceptance. */
function enginePhasePanels(): PanelDraft[] {
  const mean = (histogram: string) =>
    `sum ${by(NAMESPACE, MODEL)} (rate(${sel(sum(histogram), ...MODEL_MATCHERS)}[${RULE_WINDOW}])) / ` +
    `(sum ${by(NAMESPACE, MODEL)} (rate(${sel(count(histogram), ...MODEL_MATCHERS)}[${RULE_WINDOW}])) > 0)`;
  return [
    timeseries({
      title: 'Prefill vs decode time (p95)',
      description:
        `p95 time a request spends in prefill (prompt processing, ${VLLM_METRICS.REQUEST_PREFILL_TIME_SECONDS}) and in decode ` +
        `(generating, ${VLLM_METRICS.REQUEST_DECODE_TIME_SECONDS}), recording rules ${VLLM_RECORDS.PREFILL_TIME_P95} / ` +
        `${VLLM_RECORDS.DECODE_TIME_P95}; model-level: all pods of the model. Bad: prefill growing with a steady queue means longer ` +
        'prompts (chunked prefill, prefix caching); decode growing with the batch means the GPUs are saturated.',
      queries: [prom(rec(VLLM_RECORDS.PREFILL_TIME_P95), { legend: 'prefill p95' }), prom(rec(VLLM_RECORDS.DECODE_TIME_P95), { legend: 'decode p95' })],
      unit: 's',
      min: 0,
      width: 8,
    }),
    timeseries({
      title: 'Tokens per request',
      description:
        `Mean prompt and generated tokens per finished request over 5 minutes (${VLLM_METRICS.REQUEST_PROMPT_TOKENS} / ` +
        `${VLLM_METRICS.REQUEST_GENERATION_TOKENS} histograms: _sum / _count); model-level: all pods of the model. Bad: a jump in ` +
        'prompt length explains slower time to first token and KV-cache pressure without more traffic.',
      queries: [
        prom(mean(VLLM_METRICS.REQUEST_PROMPT_TOKENS), { legend: 'prompt tokens' }),
        prom(mean(VLLM_METRICS.REQUEST_GENERATION_TOKENS), { legend: 'generated tokens' }),
      ],
      unit: 'short',
      min: 0,
      width: 8,
    }),
    timeseries({
      title: 'Speculative decoding acceptance',
      description:
        `Share of the draft tokens the target model accepted (${VLLM_RECORDS.SPEC_DECODE_ACCEPTANCE_RATIO}, from ` +
        `${VLLM_METRICS.SPEC_DECODE_NUM_ACCEPTED_TOKENS_TOTAL} / ${VLLM_METRICS.SPEC_DECODE_NUM_DRAFT_TOKENS_TOTAL}); empty when the ` +
        'model runs without speculative decoding. Model-level: all pods of the model. Bad: below ~0.3 the drafts cost more ' +
        'than they save; use fewer speculative tokens or a better draft method.',
      queries: [prom(rec(VLLM_RECORDS.SPEC_DECODE_ACCEPTANCE_RATIO), { legend: 'accepted share' })],
      unit: 'percentunit',
      min: 0,
      max: 1,
      width: 8,
    }),
  ];
}

/** Ray Serve's view of the model's application: requests per replica and the HTTP 5xx share. */
function servePanels(): PanelDraft[] {
  const { DEPLOYMENT, REPLICA, APPLICATION } = RAY_LABELS;
  return [
    timeseries({
      title: 'Serve QPS per replica',
      description:
        `Requests per second each Serve replica processed (${RAY_SERVE_METRICS.DEPLOYMENT_REQUEST_COUNTER_TOTAL}, by ${DEPLOYMENT} and ` +
        `${REPLICA}): the ingress replicas and the LLMServer replicas that hold the engines. Ray Serve LLM only. Bad: very ` +
        'uneven load across LLMServer replicas (routing), or QPS flat while the queue grows (saturated).',
      queries: [
        prom(`sum ${by(DEPLOYMENT, REPLICA)} (rate(${sel(RAY_SERVE_METRICS.DEPLOYMENT_REQUEST_COUNTER_TOTAL, ...SERVE_MATCHERS)}[$__rate_interval]))`, {
          legend: `{{${REPLICA}}}`,
        }),
      ],
      unit: 'reqps',
      min: 0,
      width: 12,
    }),
    timeseries({
      title: 'Serve HTTP 5xx share',
      description:
        `Share of the HTTP requests the Serve proxy answered with a 5xx status, per application (${RAY_RECORDS.SERVE_HTTP_5XX_RATIO}, ` +
        `from ${RAY_SERVE_METRICS.NUM_HTTP_REQUESTS_TOTAL} by status_code). Ray Serve LLM only. Bad: above a few percent ` +
        '(alert RayServeHttp5xx at 5 %): 503 = no replica could take the request (backpressure), 500 = the deployment raised.',
      queries: [prom(sel(RAY_RECORDS.SERVE_HTTP_5XX_RATIO, ...SERVE_MATCHERS), { legend: `{{${APPLICATION}}}` })],
      unit: 'percentunit',
      min: 0,
      thresholds: { base: 'green', steps: [{ value: 0.01, color: 'orange' }, { value: 0.05, color: 'red' }] },
      width: 12,
    }),
  ];
}

/** Prompt and generation length distributions. */
function requestShapePanels(): PanelDraft[] {
  const lengths = (metric: string) =>
    prom(`sum ${by('le')} (increase(${sel(bucket(metric), ...POD_MATCHERS)}[$__rate_interval]))`, { legend: '{{le}}', format: 'heatmap' });
  return [
    heatmap({
      title: 'Prompt length distribution',
      description:
        `Finished requests per prompt-length bucket over time (${VLLM_METRICS.REQUEST_PROMPT_TOKENS} histogram, tokens). ` +
        'Bad: a shift to long prompts explains rising time to first token and KV-cache pressure; prompts near --max-model-len ' +
        'get truncated or rejected.',
      queries: [lengths(VLLM_METRICS.REQUEST_PROMPT_TOKENS)],
      unit: 'short',
    }),
    heatmap({
      title: 'Generation length distribution',
      description:
        `Finished requests per generated-length bucket over time (${VLLM_METRICS.REQUEST_GENERATION_TOKENS} histogram, tokens). ` +
        'Bad: a pile-up in the bucket of the max_tokens default means answers are being cut off (compare with the `length` finish reason).',
      queries: [lengths(VLLM_METRICS.REQUEST_GENERATION_TOKENS)],
      unit: 'short',
    }),
  ];
}

/** Container logs of the selected server pods. */
function serverLogs(source: LogsSource): PanelDraft {
  return logs({
    title: 'vLLM server logs',
    description:
      `Container log lines of the selected vLLM server pods, newest first, from the log data streams ${source.indexPattern} ` +
      `(fields ${source.namespaceField} and ${source.podField}), including the periodic throughput and cache lines vLLM logs. ` +
      'Bad: engine-core exceptions (the engine died and the server stops answering), CUDA out-of-memory at start-up, ' +
      'and 400 responses for prompts longer than --max-model-len.',
    queries: [logsQuery(podLogsQuery(source, V.namespace, V.pod), source.timeField)],
    width: 24,
    height: 12,
  });
}

/**
 * Metric and label names of vLLM (V1 engine, 0.10-0.12); counters carry _total on the wire.
 *
 * Facts come from `../shared/metrics/catalog.yaml`; `test/core/metrics.test.ts` holds every name here against it,
 * so a typo fails the build. Dashboards and rules import these constants instead of re-typing names.
 * @module
 */

/** vLLM V1 engine metric names. Histograms are the base name: use {@link bucket}/{@link sum}/{@link count}. */
export const VLLM_METRICS = {
  NUM_REQUESTS_RUNNING: 'vllm:num_requests_running',
  NUM_REQUESTS_WAITING: 'vllm:num_requests_waiting',
  KV_CACHE_USAGE_PERC: 'vllm:kv_cache_usage_perc',
  CACHE_CONFIG_INFO: 'vllm:cache_config_info',
  PREFIX_CACHE_QUERIES_TOTAL: 'vllm:prefix_cache_queries_total',
  PREFIX_CACHE_HITS_TOTAL: 'vllm:prefix_cache_hits_total',
  NUM_PREEMPTIONS_TOTAL: 'vllm:num_preemptions_total',
  PROMPT_TOKENS_TOTAL: 'vllm:prompt_tokens_total',
  GENERATION_TOKENS_TOTAL: 'vllm:generation_tokens_total',
  REQUEST_SUCCESS_TOTAL: 'vllm:request_success_total',
  SPEC_DECODE_NUM_DRAFTS_TOTAL: 'vllm:spec_decode_num_drafts_total',
  SPEC_DECODE_NUM_DRAFT_TOKENS_TOTAL: 'vllm:spec_decode_num_draft_tokens_total',
  SPEC_DECODE_NUM_ACCEPTED_TOKENS_TOTAL: 'vllm:spec_decode_num_accepted_tokens_total',
  SPEC_DECODE_NUM_ACCEPTED_TOKENS_PER_POS_TOTAL: 'vllm:spec_decode_num_accepted_tokens_per_pos_total',
  EXTERNAL_PREFIX_CACHE_QUERIES_TOTAL: 'vllm:external_prefix_cache_queries_total',
  EXTERNAL_PREFIX_CACHE_HITS_TOTAL: 'vllm:external_prefix_cache_hits_total',
  MM_CACHE_QUERIES_TOTAL: 'vllm:mm_cache_queries_total',
  MM_CACHE_HITS_TOTAL: 'vllm:mm_cache_hits_total',
  CORRUPTED_REQUESTS_TOTAL: 'vllm:corrupted_requests_total',
  // histograms
  REQUEST_PROMPT_TOKENS: 'vllm:request_prompt_tokens',
  REQUEST_GENERATION_TOKENS: 'vllm:request_generation_tokens',
  ITERATION_TOKENS: 'vllm:iteration_tokens_total',
  TIME_TO_FIRST_TOKEN_SECONDS: 'vllm:time_to_first_token_seconds',
  INTER_TOKEN_LATENCY_SECONDS: 'vllm:inter_token_latency_seconds',
  REQUEST_TIME_PER_OUTPUT_TOKEN_SECONDS: 'vllm:request_time_per_output_token_seconds',
  E2E_REQUEST_LATENCY_SECONDS: 'vllm:e2e_request_latency_seconds',
  REQUEST_QUEUE_TIME_SECONDS: 'vllm:request_queue_time_seconds',
  REQUEST_INFERENCE_TIME_SECONDS: 'vllm:request_inference_time_seconds',
  REQUEST_PREFILL_TIME_SECONDS: 'vllm:request_prefill_time_seconds',
  REQUEST_DECODE_TIME_SECONDS: 'vllm:request_decode_time_seconds',
  REQUEST_MAX_NUM_GENERATION_TOKENS: 'vllm:request_max_num_generation_tokens',
  REQUEST_PARAMS_N: 'vllm:request_params_n',
  REQUEST_PARAMS_MAX_TOKENS: 'vllm:request_params_max_tokens',
  // HTTP server (prometheus_fastapi_instrumentator)
  HTTP_REQUESTS_TOTAL: 'http_requests_total',
  HTTP_REQUEST_DURATION_SECONDS: 'http_request_duration_seconds',
} as const;

/**
 * The vLLM V1 engine's counters (vllm/v1/metrics/loggers.py, vllm/v1/spec_decode/metrics.py; the catalog's counters
 * of the 0.10-0.12 line). Under Ray Serve LLM, Ray exports each also as a deprecated gauge without `_total`
 * (see RayEndpoints' `dropCounterGaugeTwins`). Histograms whose name ends in `_total` (iteration_tokens_total) are
 * not counters and are not listed.
 */
export const VLLM_COUNTERS: readonly string[] = [
  VLLM_METRICS.PREFIX_CACHE_QUERIES_TOTAL,
  VLLM_METRICS.PREFIX_CACHE_HITS_TOTAL,
  VLLM_METRICS.EXTERNAL_PREFIX_CACHE_QUERIES_TOTAL,
  VLLM_METRICS.EXTERNAL_PREFIX_CACHE_HITS_TOTAL,
  VLLM_METRICS.MM_CACHE_QUERIES_TOTAL,
  VLLM_METRICS.MM_CACHE_HITS_TOTAL,
  VLLM_METRICS.NUM_PREEMPTIONS_TOTAL,
  VLLM_METRICS.PROMPT_TOKENS_TOTAL,
  VLLM_METRICS.GENERATION_TOKENS_TOTAL,
  VLLM_METRICS.REQUEST_SUCCESS_TOTAL,
  VLLM_METRICS.CORRUPTED_REQUESTS_TOTAL,
  VLLM_METRICS.SPEC_DECODE_NUM_DRAFTS_TOTAL,
  VLLM_METRICS.SPEC_DECODE_NUM_DRAFT_TOKENS_TOTAL,
  VLLM_METRICS.SPEC_DECODE_NUM_ACCEPTED_TOKENS_TOTAL,
  VLLM_METRICS.SPEC_DECODE_NUM_ACCEPTED_TOKENS_PER_POS_TOTAL,
];

/**
 * Older vLLM names (V0 engine or deprecated in V1) that differ from {@link VLLM_METRICS}, keyed like their
 * replacement where there is one. For dashboards that must also read old deployments (`or` the two).
 */
export const VLLM_LEGACY_METRICS = {
  /** Replaced by vllm:kv_cache_usage_perc (deprecated 0.9). */
  KV_CACHE_USAGE_PERC: 'vllm:gpu_cache_usage_perc',
  /** Replaced by vllm:prefix_cache_queries_total. */
  PREFIX_CACHE_QUERIES_TOTAL: 'vllm:gpu_prefix_cache_queries_total',
  /** Replaced by vllm:prefix_cache_hits_total. */
  PREFIX_CACHE_HITS_TOTAL: 'vllm:gpu_prefix_cache_hits_total',
  /** Replaced by vllm:inter_token_latency_seconds (deprecated 0.11). */
  INTER_TOKEN_LATENCY_SECONDS: 'vllm:time_per_output_token_seconds',
  /** V0 only, no replacement. */
  NUM_REQUESTS_SWAPPED: 'vllm:num_requests_swapped',
  /** V0 only, no replacement. */
  CPU_CACHE_USAGE_PERC: 'vllm:cpu_cache_usage_perc',
} as const;

/** Labels vLLM sets. */
export const VLLM_LABELS = {
  MODEL_NAME: 'model_name',
  ENGINE: 'engine',
  FINISHED_REASON: 'finished_reason',
} as const;

/**
 * Labels vLLM's series carry under Ray Serve LLM only (not in the metric catalog, which lists vLLM's own labels;
 * read from the source): the Serve replica, which newer vLLM's RayPrometheusStatLogger adds
 * (vllm/v1/metrics/ray_wrappers.py, `labels.append("ReplicaId")`), and the worker process, a global tag of every
 * metric a Ray core worker records (src/ray/core_worker/core_worker_process.cc; dropped when
 * RAY_metric_cardinality_level is not `legacy`, python/ray/_private/telemetry/metric_cardinality.py).
 */
export const VLLM_UNDER_RAY_LABELS = {
  REPLICA_ID: 'ReplicaId',
  WORKER_ID: 'WorkerId',
} as const;

/**
 * Names of the vLLM recording rules (vllm-rules.ts), so dashboards query the pre-aggregated series instead of
 * re-aggregating raw ones. Naming follows the Prometheus convention `level:metric:operations` (level = the labels kept).
 * @module
 */

/** vLLM recording rules; every one keeps labels namespace and model_name. */
export const VLLM_RECORDS = {
  /** p50 / p95 / p99 time to first token (seconds) over 5m. */
  TTFT_P50: 'namespace_model_name:vllm_time_to_first_token_seconds:p50_5m',
  TTFT_P95: 'namespace_model_name:vllm_time_to_first_token_seconds:p95_5m',
  TTFT_P99: 'namespace_model_name:vllm_time_to_first_token_seconds:p99_5m',
  /** p50 / p95 / p99 inter-token latency (seconds) over 5m. */
  ITL_P50: 'namespace_model_name:vllm_inter_token_latency_seconds:p50_5m',
  ITL_P95: 'namespace_model_name:vllm_inter_token_latency_seconds:p95_5m',
  ITL_P99: 'namespace_model_name:vllm_inter_token_latency_seconds:p99_5m',
  /** p50 / p95 / p99 end-to-end request latency (seconds) over 5m. */
  E2E_P50: 'namespace_model_name:vllm_e2e_request_latency_seconds:p50_5m',
  E2E_P95: 'namespace_model_name:vllm_e2e_request_latency_seconds:p95_5m',
  E2E_P99: 'namespace_model_name:vllm_e2e_request_latency_seconds:p99_5m',
  /** p95 time requests wait in the queue (seconds) over 5m. */
  QUEUE_TIME_P95: 'namespace_model_name:vllm_request_queue_time_seconds:p95_5m',
  /** p95 time requests spent in prefill / in decode (seconds) over 5m. */
  PREFILL_TIME_P95: 'namespace_model_name:vllm_request_prefill_time_seconds:p95_5m',
  DECODE_TIME_P95: 'namespace_model_name:vllm_request_decode_time_seconds:p95_5m',
  /** Share (0-1) of the speculative draft tokens the target model accepted, over 5m. */
  SPEC_DECODE_ACCEPTANCE_RATIO: 'namespace_model_name:vllm_spec_decode_accepted_tokens:ratio_rate5m',
  /** Prompt / generation tokens per second over 5m. */
  PROMPT_TOKENS_RATE: 'namespace_model_name:vllm_prompt_tokens:rate5m',
  GENERATION_TOKENS_RATE: 'namespace_model_name:vllm_generation_tokens:rate5m',
  /** Finished requests per second over 5m. */
  REQUEST_SUCCESS_RATE: 'namespace_model_name:vllm_request_success:rate5m',
  /** Preemptions per second over 5m. */
  PREEMPTIONS_RATE: 'namespace_model_name:vllm_num_preemptions:rate5m',
  /** Prefix cache hit ratio (0-1) over 5m. */
  PREFIX_CACHE_HIT_RATIO: 'namespace_model_name:vllm_prefix_cache_hit:ratio_rate5m',
  /** Requests running / waiting (sum over engines and replicas). */
  REQUESTS_RUNNING: 'namespace_model_name:vllm_num_requests_running:sum',
  REQUESTS_WAITING: 'namespace_model_name:vllm_num_requests_waiting:sum',
  /** Highest KV-cache usage (ratio 0-1) among the model's engines. */
  KV_CACHE_USAGE_MAX: 'namespace_model_name:vllm_kv_cache_usage_perc:max',
} as const;

import { describe, expect, it } from 'vitest';
import { checkPromQL, dcgmCsvRows, metricNames, parsePromQL, substituteGrafanaVariables, unknownMetricNames } from './support/promql.js';

describe('PromQL checker (test/support/promql.ts)', () => {
  it('accepts valid expressions and reports syntax errors with their position', () => {
    expect(parsePromQL('sum by (namespace) (rate(vllm:prompt_tokens_total[5m]))')).toEqual([]);
    expect(parsePromQL('histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))')).toEqual([]);
    expect(parsePromQL('sum(rate(up[5m])')).not.toEqual([]);
    expect(parsePromQL('up{job="a"')).not.toEqual([]);
    expect(parsePromQL('up == ')).not.toEqual([]);
    expect(parsePromQL('')).not.toEqual([]);
  });

  it('lists the metric names an expression reads, including __name__ matchers', () => {
    expect(metricNames('a_total / on(pod) group_left() b{x="1"} + {__name__="c"} and rate(d[5m])')).toEqual(['a_total', 'b', 'c', 'd']);
    expect(metricNames('sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket[5m]))')).toEqual(['vllm:e2e_request_latency_seconds_bucket']);
  });

  it('fails on a typo in a metric name, and knows histogram series, deprecated names and recording rules', () => {
    expect(unknownMetricNames('DCGM_FI_DEV_GPU_UTILL > 0')).toEqual(['DCGM_FI_DEV_GPU_UTILL']);
    expect(unknownMetricNames('DCGM_FI_DEV_GPU_UTIL > 0')).toEqual([]);
    expect(unknownMetricNames('rate(vllm:time_to_first_token_seconds_bucket[5m])')).toEqual([]);
    expect(unknownMetricNames('vllm:gpu_cache_usage_perc')).toEqual([]);
    expect(unknownMetricNames('namespace:dcgm_gpu_utilization:avg')).toEqual([]);
    // a counter from the CSV that is commented out is still a real field
    expect(unknownMetricNames('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL')).toEqual([]);
    expect(checkPromQL('{job="x"}')).toEqual([`selector '{job="x"}' names no metric`]);
  });

  it('substitutes Grafana variables when asked', () => {
    const query = 'sum(rate(DCGM_FI_DEV_POWER_USAGE{node=~"$node", pod="${pod}"}[$__rate_interval]))';
    expect(parsePromQL(query)).not.toEqual([]);
    expect(parsePromQL(query, { grafana: true })).toEqual([]);
    expect(substituteGrafanaVariables('x[$__range] $ns')).toBe('x[5m] x');
    expect(checkPromQL(query, { grafana: true })).toEqual([]);
  });

  it('reads the dcgm CSVs, commented rows included', () => {
    const rows = dcgmCsvRows();
    expect(rows.find((r) => r.field === 'DCGM_FI_DEV_GPU_UTIL')).toMatchObject({ type: 'gauge', enabledByDefault: true });
    expect(rows.find((r) => r.field === 'DCGM_FI_PROF_SM_ACTIVE')).toMatchObject({ type: 'gauge', enabledByDefault: false });
  });
});

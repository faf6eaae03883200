import { describe, expect, it } from 'vitest';
import { RECORDING_RULE_NAMES } from '../support/metric-catalog.js';
import { GPU_RULES_NAME, gpuRuleGroups } from '../../src/gpu/gpu-rules.js';
import { NEURON_RULES_NAME, neuronRuleGroups } from '../../src/gpu/neuron-rules.js';
import { RAY_RULES_NAME, rayRuleGroups } from '../../src/ray/ray-rules.js';
import { NODE_RULES_NAME } from '../../src/prometheus/node-rules.js';
import { isAlert, type RuleGroupSpec } from '../../src/core/rule-types.js';
import { VLLM_RULES_NAME, vllmRuleGroups } from '../../src/vllm/vllm-rules.js';
import { checkPromQL, metricNames, unknownMetricNames } from '../support/promql.js';
import { ofKind, synthStack } from '../support/synth.js';

let cached: ReturnType<typeof ofKind> | undefined;
/** The PrometheusRules of the whole stack (synthesized once). */
const stackRules = () => (cached ??= ofKind(synthStack({ gpuExporters: { neuron: { enabled: true } } }).objects, 'PrometheusRule'));

/** Every rule of every PrometheusRule in the synthesized stack, with where it comes from. */
function everyRule(): Array<{ where: string; rule: { alert?: string; record?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string> } }> {
  return stackRules().flatMap((r) =>
    (r.spec.groups as Array<{ name: string; rules: any[] }>).flatMap((g) => g.rules.map((rule) => ({ where: `${r.metadata.name}/${g.name}/${rule.alert ?? rule.record}`, rule }))),
  );
}

describe('alert and recording rules', () => {
  it('every PromQL expression of the stack parses and reads only catalogued metrics or our recording rules', () => {
    const rules = everyRule();
    expect(rules.length).toBeGreaterThan(30);
    const problems = rules.flatMap(({ where, rule }) => checkPromQL(rule.expr).map((p) => `${where}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('the checker fails on a typo in a rule (the check can fail)', () => {
    const [{ rule }] = everyRule().filter(({ rule }) => rule.alert === 'GpuTemperatureHigh');
    expect(checkPromQL(rule!.expr.replace('DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_GPU_TEMPERATURE'))).toEqual([
      "unknown metric 'DCGM_FI_DEV_GPU_TEMPERATURE' (not in the metric catalogs nor a recording rule of ours)",
    ]);
    expect(checkPromQL(rule!.expr.replace('>', '>>'))).not.toEqual([]);
  });

  it('records exactly the names exported in *-records.ts, each once', () => {
    const ours = stackRules().filter((r) => [GPU_RULES_NAME, VLLM_RULES_NAME, RAY_RULES_NAME, NEURON_RULES_NAME, NODE_RULES_NAME].includes(r.metadata.name));
    const recorded = ours.flatMap((r) => (r.spec.groups as any[]).flatMap((g) => g.rules.filter((x: any) => x.record).map((x: any) => x.record as string)));
    expect([...recorded].sort()).toEqual([...RECORDING_RULE_NAMES]);
  });

  it('a recording rule is defined before the alerts that read it (records group first)', () => {
    for (const groups of [gpuRuleGroups(), vllmRuleGroups(), rayRuleGroups(), neuronRuleGroups('observability/neuron-monitor')]) {
      const recordsIndex = groups.findIndex((g) => g.rules.some((r) => !isAlert(r)));
      const alertsIndex = groups.findIndex((g) => g.rules.some(isAlert));
      expect(recordsIndex).toBeLessThan(alertsIndex);
    }
  });

  it('every alert has a severity and runbook-style annotations: summary, description, numbered runbook steps', () => {
    const ours = everyRule().filter(({ where, rule }) => rule.alert && /^(gpu|vllm|ray|neuron)-rules\//.test(where));
    expect(ours.length).toBeGreaterThanOrEqual(16);
    for (const { where, rule } of ours) {
      expect(['critical', 'warning', 'info'], where).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, where).toBeTruthy();
      expect(rule.annotations?.description, where).toBeTruthy();
      expect(rule.annotations?.runbook, where).toMatch(/^1\. .+/);
    }
  });

  it('covers the alerts the issue asks for', () => {
    const names = everyRule().map(({ rule }) => rule.alert).filter(Boolean);
    expect(names).toEqual(
      expect.arrayContaining([
        'GpuFatalXidError', 'GpuXidError', 'GpuUncorrectableEccErrors', 'GpuRowRemapFailed', 'GpuThermalThrottling', 'GpuPowerThrottling',
        'GpuMemoryNearlyFull', 'GpuAllocatedButIdle', 'VllmRequestQueueBuildingUp', 'VllmKvCacheSaturated', 'VllmPreemptions',
        'VllmTtftSloBreach', 'VllmEngineDown', 'VllmMetricsAggregatedByRay', 'RayMetricsMissing', 'RayOomKills', 'RayServeHttp5xx',
        'RayServeReplicaUnhealthy', 'NeuronExecutionErrors', 'NeuronMonitorDown',
      ]),
    );
  });

  it('GpuAllocatedButIdle joins kube-state-metrics GPU requests with DCGM utilisation, for 30 minutes by default', () => {
    const groups = gpuRuleGroups();
    const alert = groups.flatMap((g) => g.rules).find((r) => isAlert(r) && r.alert === 'GpuAllocatedButIdle');
    expect(alert && isAlert(alert) && alert.for).toBe('30m');
    const record = groups.flatMap((g) => g.rules).find((r) => !isAlert(r) && r.record === 'namespace_pod:kube_pod_gpu_requests_idle:sum')!;
    expect(metricNames(record.expr)).toEqual(['DCGM_FI_DEV_GPU_UTIL', 'kube_pod_container_resource_requests', 'kube_pod_status_phase']);
    expect(record.expr).toContain('resource="nvidia_com_gpu"');
  });
});

describe('thresholds are props', () => {
  const find = (groups: RuleGroupSpec[], alert: string) => groups.flatMap((g) => g.rules).find((r) => isAlert(r) && r.alert === alert) as any;

  it('the TTFT SLO threshold and quantile change the alert', () => {
    expect(find(vllmRuleGroups(), 'VllmTtftSloBreach').expr).toBe('namespace_model_name:vllm_time_to_first_token_seconds:p95_5m > 2');
    const strict = find(vllmRuleGroups({ ttftSloSeconds: 0.5, ttftSloQuantile: 0.99, ttftSloFor: '5m' }), 'VllmTtftSloBreach');
    expect(strict.expr).toBe('namespace_model_name:vllm_time_to_first_token_seconds:p99_5m > 0.5');
    expect(strict.for).toBe('5m');
  });

  it('GPU thresholds change the alerts and recording rules that use them', () => {
    const groups = gpuRuleGroups({ idleUtilizationPercent: 10, idleFor: '1h', memoryUsedRatio: 0.9, temperatureCelsius: 80, fatalXids: [79] });
    expect(find(groups, 'GpuAllocatedButIdle').for).toBe('1h');
    expect(find(groups, 'GpuMemoryNearlyFull').expr).toMatch(/> 0\.9$/);
    expect(find(groups, 'GpuTemperatureHigh').expr).toMatch(/> 80$/);
    expect(find(groups, 'GpuFatalXidError').expr).toContain('xid=~"79"');
    const busy = groups.flatMap((g) => g.rules).find((r) => !isAlert(r) && r.record === 'cluster:dcgm_gpu_busy:count')!;
    expect(busy.expr).toContain('> 10)');
  });

  it('rejects bad thresholds with the prop name and the allowed values', () => {
    expect(() => vllmRuleGroups({ ttftSloSeconds: -1 })).toThrow(/vllm\.ttftSloSeconds: -1 is not allowed: must be a number of at least 0\.001/);
    expect(() => vllmRuleGroups({ ttftSloQuantile: 0.9 as any })).toThrow(/vllm.ttftSloQuantile: 0.9 is not allowed; allowed: 0.5, 0.95, 0.99/);
    expect(() => gpuRuleGroups({ idleUtilizationPercent: 150 })).toThrow(/gpu\.idleUtilizationPercent: 150 is not allowed: must be a number from 0 to 100/);
    expect(() => gpuRuleGroups({ idleFor: 'half an hour' })).toThrow(/gpu\.idleFor: "half an hour" is not allowed: must be a Prometheus duration/);
    expect(() => gpuRuleGroups({ fatalXids: [] })).toThrow(/gpu.fatalXids/);
    expect(() => rayRuleGroups({ serveHttp5xxRatio: 5 })).toThrow(/ray\.serveHttp5xxRatio: 5 is not allowed: must be a number from 0 to 1/);
    expect(() => rayRuleGroups({ oomKillWindow: 'ten minutes' })).toThrow(/ray\.oomKillWindow/);
  });

  it('alerts can be switched off per domain through the chart', () => {
    const names = (props: object) => ofKind(synthStack(props).objects, 'PrometheusRule').map((r) => r.metadata.name);
    expect(names({})).toEqual(expect.arrayContaining([GPU_RULES_NAME, VLLM_RULES_NAME, RAY_RULES_NAME]));
    expect(names({ alerts: { vllm: false } })).not.toContain(VLLM_RULES_NAME);
    expect(names({ alerts: { enabled: false } })).not.toContain(GPU_RULES_NAME);
    expect(names({ rayEndpoints: { alerts: false } })).not.toContain(RAY_RULES_NAME);
  });

  it('every recording rule read by an alert is one we produce', () => {
    for (const groups of [gpuRuleGroups(), vllmRuleGroups(), rayRuleGroups(), neuronRuleGroups('observability/neuron-monitor')]) {
      for (const rule of groups.flatMap((g) => g.rules)) expect(unknownMetricNames(rule.expr), rule.expr).toEqual([]);
    }
  });
});

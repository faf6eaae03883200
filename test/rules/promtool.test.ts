/**
 * The promtool harness: synthesizes the whole stack (flux delivery, every component on), writes every
 * PrometheusRule to `<metadata.name>.yaml` (its spec, a Prometheus rule file) in one temporary directory, runs
 * `promtool check rules` on all of them, copies test/rules/promtool/*.yaml there (as `test-<name>.yaml`, so a test
 * file never overwrites a rule file; `rule_files:` entries name the rule files, e.g. `gpu-rules.yaml`) and runs
 * `promtool test rules` on each. Every alert of every rule must be expected to fire in at least one test file.
 *
 * promtool is required: CI installs it (Debian package `prometheus`); a machine without it fails here.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyPromtoolTests, PROMTOOL_TESTS_DIR, promtool, promtoolPath, writeRuleFiles } from '../support/rule-files.js';
import { ofKind, synthStack } from '../support/synth.js';

/** Every component on, including the optional ones whose rules we test. */
function fullStack() {
  return synthStack({ gpuExporters: { neuron: { enabled: true } } });
}

describe('PrometheusRules under promtool', () => {
  let dir: string;
  let ruleFiles: string[];
  let testFiles: string[];

  beforeAll(() => {
    ({ dir, ruleFiles } = writeRuleFiles(fullStack().objects));
    testFiles = copyPromtoolTests(dir);
  });

  it('has promtool (install the Debian package `prometheus`, or set $PROMTOOL)', () => {
    expect(promtoolPath(), 'promtool is missing: apt-get install -y prometheus').toBeDefined();
  });

  it('emits the GPU, vLLM and Ray rule files', () => {
    expect(ruleFiles).toEqual(expect.arrayContaining(['gpu-rules.yaml', 'vllm-rules.yaml', 'ray-rules.yaml', 'neuron-rules.yaml']));
  });

  it('promtool check rules accepts every rule file', () => {
    const result = promtool(['check', 'rules', ...ruleFiles], dir);
    expect(result.status, result.output).toBe(0);
  });

  it('has a promtool test file for every rule file of ours', () => {
    const tested = new Set(testFiles.flatMap((t) => (parse(readFileSync(join(dir, t), 'utf8')).rule_files ?? []) as string[]));
    for (const file of ['gpu-rules.yaml', 'vllm-rules.yaml', 'ray-rules.yaml', 'neuron-rules.yaml']) expect(tested, file).toContain(file);
  });

  it.each(readdirYaml())('promtool test rules %s passes', (name) => {
    const result = promtool(['test', 'rules', `test-${name}`], dir);
    expect(result.status, result.output).toBe(0);
  });

  it('every alert is expected to fire in at least one promtool test (no alert goes untested)', () => {
    const alerts = ofKind(fullStack().objects, 'PrometheusRule').flatMap((r) =>
      (r.spec.groups as Array<{ rules: Array<{ alert?: string }> }>).flatMap((g) => g.rules.flatMap((rule) => (rule.alert ? [rule.alert] : []))),
    );
    expect(alerts.length).toBeGreaterThan(0);
    const firing = new Set<string>();
    for (const file of testFiles) {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as { tests?: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }> };
      for (const test of doc.tests ?? []) {
        for (const check of test.alert_rule_test ?? []) if ((check.exp_alerts ?? []).length > 0) firing.add(check.alertname);
      }
    }
    expect(alerts.filter((a) => !firing.has(a)).sort()).toEqual([]);
  });

  it('fails a promtool test whose expectation is wrong (the harness can fail)', () => {
    const broken = 'rule_files: [gpu-rules.yaml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n' +
      "      - series: 'DCGM_FI_DEV_ROW_REMAP_FAILURE{gpu=\"0\"}'\n        values: '0 0 0'\n" +
      '    alert_rule_test:\n      - eval_time: 2m\n        alertname: GpuRowRemapFailed\n        exp_alerts:\n          - exp_labels: {severity: critical, gpu: "0"}\n';
    const file = join(dir, 'broken-test.yaml');
    writeFileSync(file, broken);
    expect(promtool(['test', 'rules', 'broken-test.yaml'], dir).status).not.toBe(0);
  });
});

function readdirYaml(): string[] {
  return readdirSync(PROMTOOL_TESTS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/**
 * The Neuron rules as NeuronMonitor ships them: next to its PodMonitor, reading that PodMonitor's job, gone with
 * `rules: false` (and then no Neuron dashboard by default either).
 */
import { describe, expect, it } from 'vitest';
import { NEURON_RULES_NAME } from '../../src/gpu/neuron-rules.js';
import { GPU_DASHBOARD_UIDS } from '../../src/dashboards/toolkit/dashboard-ids.js';
import { ofKind, one, synthStack, type K8sObject } from '../support/synth.js';

const rule = (objects: K8sObject[], alert: string) =>
  one(objects, 'PrometheusRule', NEURON_RULES_NAME).spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === alert);
const dashboardUids = (objects: K8sObject[]) =>
  ofKind(objects, 'ConfigMap').flatMap((cm) => Object.values<string>(cm.data ?? {}).flatMap((d) => (d.startsWith('{') ? [JSON.parse(d).uid as string] : [])));

describe('Neuron rules shipped with NeuronMonitor', () => {
  it.each([
    ['deploy', {}],
    ['existing', { mode: 'existing' as const }],
  ])('%s mode: NeuronMonitorDown reads the job prometheus-operator gives the PodMonitor (<namespace>/<name>)', (_mode, options) => {
    const { chart, objects } = synthStack({ namespace: 'obs-x', gpuExporters: { neuron: { enabled: true, ...options } } });
    const monitor = one(objects, 'PodMonitor', 'neuron-monitor');
    const job = `${monitor.metadata.namespace}/${monitor.metadata.name}`;
    expect(chart.gpuExporters!.neuron!.job).toBe(job);
    expect(rule(objects, 'NeuronMonitorDown').expr).toContain(`up{job="${job}"}`);
    const prometheusRule = one(objects, 'PrometheusRule', NEURON_RULES_NAME);
    expect(prometheusRule.metadata.namespace).toBe('obs-x');
    expect(prometheusRule.metadata.labels).toEqual(expect.objectContaining(chart.prometheusStack!.monitorSelectorLabels));
  });

  it('counts only kube-state-metrics\' own series for NeuronCores (not OpenCost\'s KSM copies)', () => {
    const { objects } = synthStack({ gpuExporters: { neuron: { enabled: true } } });
    const records = one(objects, 'PrometheusRule', NEURON_RULES_NAME).spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.record);
    for (const r of records.filter((x: any) => /kube_/.test(x.expr) && !/^cluster:/.test(x.record))) {
      for (const selector of r.expr.match(/kube_[a-z_]+\{[^}]*\}/g) ?? []) expect(selector, r.record).toContain('job="kube-state-metrics"');
    }
  });

  it('rules: false ships no Neuron rules and, by default, no Neuron dashboard (it would read records nobody records)', () => {
    const withRules = synthStack({ gpuExporters: { neuron: { enabled: true } } }).objects;
    const without = synthStack({ gpuExporters: { neuron: { enabled: true, rules: false } } }).objects;
    expect(ofKind(withRules, 'PrometheusRule', NEURON_RULES_NAME)).toHaveLength(1);
    expect(ofKind(without, 'PrometheusRule', NEURON_RULES_NAME)).toHaveLength(0);
    expect(dashboardUids(withRules)).toContain(GPU_DASHBOARD_UIDS.neuron);
    expect(dashboardUids(without)).not.toContain(GPU_DASHBOARD_UIDS.neuron);
  });
});

import { describe, expect, it } from 'vitest';
import { configToProps } from '../../src/config/config-schema.js';
import { parseConfig } from '../../src/config/load-config.js';
import { schemaNodeAt } from '../../src/config/json-schema.js';
import { ofKind, one, synthStack } from '../support/synth.js';
import { configProblems } from '../support/config.js';

const problems = configProblems;

/** Synthesizes the stack from config text (flux delivery, in-memory credentials). */
function synthConfig(text: string) {
  const { credentials: _c, delivery: _d, ...props } = configToProps(parseConfig(text));
  return synthStack(props).objects;
}

describe('config keys of the GPU telemetry', () => {
  it('documents exporters, endpoints and alerts keys in the schema, with defaults', () => {
    for (const key of [
      'exporters.dcgm.enabled', 'exporters.dcgm.mode', 'exporters.dcgm.existingNamespace',
      'exporters.neuron.enabled', 'exporters.neuron.mode', 'exporters.neuron.image', 'exporters.neuron.existingNamespace',
      'endpoints.enabled', 'endpoints.normalizeVllmMetricNames', 'endpoints.dropUnreadHistogramBuckets',
      'alerts.enabled', 'alerts.ttftSloSeconds', 'alerts.gpuIdleUtilizationPercent', 'alerts.gpuIdleFor',
      'alerts.gpuMemoryUsedRatio', 'alerts.gpuTemperatureCelsius', 'alerts.vllmQueueLength', 'alerts.vllmKvCacheUsageRatio',
    ]) {
      expect(schemaNodeAt(key.split('.'))?.description, key).toBeTruthy();
    }
    expect(schemaNodeAt(['exporters', 'dcgm', 'enabled'])).toMatchObject({ default: true });
    expect(schemaNodeAt(['exporters', 'neuron', 'enabled'])).toMatchObject({ default: false });
  });

  it('defaults: dcgm-exporter deployed, neuron-monitor off, Ray endpoints and alerts on', () => {
    const objects = synthConfig('');
    one(objects, 'HelmRelease', 'dcgm-exporter');
    expect(ofKind(objects, 'DaemonSet', 'neuron-monitor')).toEqual([]);
    one(objects, 'ServiceMonitor', 'ray-head');
    one(objects, 'PrometheusRule', 'gpu-rules');
  });

  it('exporters.dcgm.mode: existing scrapes the GPU operator exporter in the namespace given', () => {
    const objects = synthConfig('exporters:\n  dcgm:\n    mode: existing\n    existingNamespace: nvidia-gpu-operator\n');
    expect(ofKind(objects, 'HelmRelease', 'dcgm-exporter')).toEqual([]);
    const monitor = one(objects, 'ServiceMonitor', 'dcgm-exporter');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['nvidia-gpu-operator'] });
    expect(monitor.spec.endpoints[0].port).toBe('gpu-metrics');
  });

  it('exporters.neuron.enabled and image', () => {
    const objects = synthConfig('exporters:\n  neuron:\n    enabled: true\n    image: registry.example/neuron-monitor:9\n');
    expect(one(objects, 'DaemonSet', 'neuron-monitor').spec.template.spec.containers[0].image).toBe('registry.example/neuron-monitor:9');
  });

  it('turning both exporters off leaves no exporter object', () => {
    const objects = synthConfig('exporters:\n  dcgm:\n    enabled: false\n');
    expect(objects.filter((o) => /dcgm|neuron/.test(o.metadata.name))).toEqual([]);
  });

  it('endpoints.enabled maps to RayEndpoints', () => {
    expect(ofKind(synthConfig('endpoints:\n  enabled: false\n'), 'PodMonitor', 'ray-workers')).toEqual([]);
  });

  it('endpoints.dropUnreadHistogramBuckets / dropCounterGaugeTwins: false keep the Ray scrape\'s histogram buckets / counter gauge twins', () => {
    const drops = (text: string) =>
      (one(synthConfig(text), 'PodMonitor', 'ray-workers').spec.podMetricsEndpoints[0].metricRelabelings ?? []).filter((r: { action?: string }) => r.action === 'drop');
    const buckets = (text: string) => drops(text).filter((r: { regex?: string }) => String(r.regex).includes('_bucket'));
    const twins = (text: string) => drops(text).filter((r: { regex?: string }) => !String(r.regex).includes('_bucket'));
    expect(buckets('')).toHaveLength(1);
    expect(twins('')).toHaveLength(1);
    expect(buckets('endpoints:\n  dropUnreadHistogramBuckets: false\n')).toEqual([]);
    expect(twins('endpoints:\n  dropCounterGaugeTwins: false\n')).toEqual([]);
    expect(drops('endpoints:\n  dropUnreadHistogramBuckets: false\n  dropCounterGaugeTwins: false\n')).toEqual([]);
  });

  it('alert thresholds reach the rules', () => {
    const objects = synthConfig('alerts:\n  ttftSloSeconds: 0.8\n  gpuIdleFor: 2h\n  gpuIdleUtilizationPercent: 3\n');
    const rules = ofKind(objects, 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules));
    expect(rules.find((r: any) => r.alert === 'VllmTtftSloBreach').expr).toMatch(/> 0\.8$/);
    expect(rules.find((r: any) => r.alert === 'GpuAllocatedButIdle').for).toBe('2h');
    expect(rules.find((r: any) => r.record === 'cluster:dcgm_gpu_busy:count').expr).toContain('> 3)');
    expect(ofKind(synthConfig('alerts:\n  enabled: false\n'), 'PrometheusRule', 'gpu-rules')).toEqual([]);
  });

  it('names bad values with their key path and the allowed values', () => {
    expect(problems('exporters:\n  dcgm:\n    mode: sidecar\n')).toEqual(['exporters.dcgm.mode: "sidecar" is not allowed; allowed: deploy, existing']);
    expect(problems('alerts:\n  gpuMemoryUsedRatio: 1.5\n')).toEqual(['alerts.gpuMemoryUsedRatio: 1.5 is not allowed: must be a number from 0 to 1']);
    expect(problems('alerts:\n  gpuIdleFor: soon\n')[0]).toMatch(/^alerts\.gpuIdleFor: "soon" is not allowed: must be a Prometheus duration/);
    expect(problems('exporters:\n  dcgm:\n    mdoe: deploy\n')[0]).toMatch(/^exporters.dcgm.mdoe: unknown key \(did you mean 'mode'\?\)/);
  });

  it('asking for GPU telemetry without the Prometheus stack is an error; leaving it at its default is not', () => {
    const off = 'prometheus-stack:\n  enabled: false\nopencost:\n  enabled: false\n';
    expect(problems(off)).toEqual([]);
    expect(problems(`${off}exporters:\n  dcgm:\n    enabled: true\nalerts:\n  enabled: true\n`)).toEqual([
      'exporters.dcgm.enabled: needs the Prometheus stack: set prometheus-stack.enabled to true, or exporters.dcgm.enabled to false',
      'alerts.enabled: needs the Prometheus stack: set prometheus-stack.enabled to true, or alerts.enabled to false',
    ]);
    expect(() => synthStack({ prometheusStack: { enabled: false }, openCost: { enabled: false }, rayEndpoints: { enabled: true } })).toThrow(
      /rayEndpoints\.enabled: needs the Prometheus stack: set prometheusStack\.enabled to true/,
    );
    const objects = synthStack({ prometheusStack: { enabled: false }, openCost: { enabled: false } }).objects;
    expect(objects.filter((o) => ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'].includes(o.kind))).toEqual([]);
  });
});

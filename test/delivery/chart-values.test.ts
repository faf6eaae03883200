import { describe, expect, it } from 'vitest';
import { DOCUMENTED_VALUE_KEYS } from '../../src/delivery/documented-value-keys.js';
import { UPSTREAM_CHARTS, type UpstreamChartName } from '../../src/core/upstream-chart.js';
import { defaultValues, undeclaredPaths } from '../support/helm-values.js';
import { ofKind, synthStack } from '../support/synth.js';

const chartOf = (name: string) => Object.keys(UPSTREAM_CHARTS).find((c) => UPSTREAM_CHARTS[c as UpstreamChartName].chart === name) as UpstreamChartName;

describe('values the library sets for upstream charts', () => {
  const { objects } = synthStack();
  const releases = ofKind(objects, 'HelmRelease');

  it('delivers at least the Prometheus stack and OpenCost', () => {
    const charts = releases.map((r) => r.spec.chart.spec.chart);
    expect(charts).toEqual(expect.arrayContaining(['kube-prometheus-stack', 'opencost']));
  });

  it.each(releases.map((r) => [r.spec.chart.spec.chart as string, r] as const))(
    'every key path set for %s exists in its pinned values.yaml or is documented',
    (chartName, release) => {
      const chart = chartOf(chartName);
      expect(release.spec.chart.spec.version).toBe(UPSTREAM_CHARTS[chart].version);
      const documented = Object.keys(DOCUMENTED_VALUE_KEYS[chart] ?? {});
      const unknown = undeclaredPaths(release.spec.values, defaultValues(chart)).filter(
        (path) => !documented.some((d) => path === d || path.startsWith(`${d}.`)),
      );
      expect(unknown).toEqual([]);
    },
  );

  it('detects a key the chart does not have (the check itself can fail)', () => {
    expect(undeclaredPaths({ prometheus: { prometheusSpec: { retentionn: '1d' } } }, defaultValues('kube-prometheus-stack'))).toEqual([
      'prometheus.prometheusSpec.retentionn',
    ]);
  });

  it('documents only keys that really are missing from the parent chart', () => {
    for (const [chart, keys] of Object.entries(DOCUMENTED_VALUE_KEYS)) {
      const defaults = defaultValues(chart as UpstreamChartName);
      for (const path of Object.keys(keys ?? {})) {
        const nested = path.split('.').reduceRight<Record<string, unknown>>((acc, key) => ({ [key]: acc }), { __probe: true });
        expect(undeclaredPaths(nested, defaults).length, `${chart}: ${path} is declared by the chart, drop it from DOCUMENTED_VALUE_KEYS`).toBeGreaterThan(0);
      }
    }
  });
});

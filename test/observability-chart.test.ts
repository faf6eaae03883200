import { describe, expect, it } from 'vitest';
import { ofKind, one, synthStack } from './support/synth.js';

describe('ObservabilityChart', () => {
  it('puts the namespace, secrets and upstream charts in the setup chart, which the main chart depends on', () => {
    const { chart } = synthStack();
    const setupKinds = chart.setupChart.toJson().map((o: any) => o.kind);
    expect(setupKinds[0]).toBe('Namespace');
    expect(setupKinds).toContain('HelmRelease');
    expect(chart.node.dependencies).toContain(chart.setupChart);
  });

  it('creates the namespace it deploys into', () => {
    const { objects } = synthStack({ namespace: 'gpu-obs' });
    one(objects, 'Namespace', 'gpu-obs');
    const releases = ofKind(objects, 'HelmRelease');
    expect(releases.length).toBeGreaterThan(0);
    for (const release of releases) expect(release.metadata.namespace).toBe('gpu-obs');
  });
});

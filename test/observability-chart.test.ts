import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { MemoryCredentialStore } from '../src/core/credential-store.js';
import { HelmDelivery } from '../src/delivery/helm-delivery.js';
import { ObservabilityChart } from '../src/observability-chart.js';
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

describe('constructing the stack has no side effects', () => {
  /** Runs `build` in an empty working directory and returns what it left there. */
  function inEmptyDirectory(build: () => void): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'no-side-effects-'));
    const previous = process.cwd();
    process.chdir(dir);
    try {
      build();
    } finally {
      process.chdir(previous);
    }
    return readdirSync(dir);
  }

  it('without a credential store: no file is written, and the error names the prop and what to set instead', () => {
    const app = () => Testing.app();
    const secretsElsewhere = { openSearch: { existingSecret: 'vault-logs' }, prometheusStack: { grafana: { existingSecret: 'grafana-admin' } } } as const;
    expect(inEmptyDirectory(() => new ObservabilityChart(app(), 'obs', { delivery: 'flux', ...secretsElsewhere }))).toEqual([]);
    let message = '';
    expect(
      inEmptyDirectory(() => {
        try {
          new ObservabilityChart(app(), 'obs', { delivery: 'flux', openSearch: { existingSecret: 'vault-logs' } });
        } catch (error) {
          message = (error as Error).message;
        }
      }),
    ).toEqual([]);
    expect(message).toMatch(/^credentials: is needed to generate the Grafana admin password .*pass a CredentialStore .*or set grafana\.adminPassword or grafana\.existingSecret$/);
  });

  it('choosing the helm delivery runs nothing: helm is looked for only when a chart is delivered', () => {
    const delivery = new HelmDelivery({ helmExecutable: '/nonexistent/helm' });
    expect(delivery.helmExecutable).toBe('/nonexistent/helm');
    expect(() => new ObservabilityChart(Testing.app(), 'obs', { delivery, openSearch: { enabled: false }, fluentBit: { enabled: false }, prometheusStack: { enabled: false }, credentials: new MemoryCredentialStore() })).not.toThrow();
    expect(() => synthStack({ delivery })).toThrow(/no '\/nonexistent\/helm' executable was found/);
  });
});

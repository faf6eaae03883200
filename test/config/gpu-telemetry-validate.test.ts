import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ObservabilityChart, type ObservabilityChartProps } from '../../src/observability-chart.js';
import { testCredentials } from '../support/credentials.js';
import { kubeValidatePath } from '../support/kube-validate.js';

/** Synthesizes the stack to a temporary directory, as `cdk8s synth` would, and returns the directory. */
function synthToDir(props: ObservabilityChartProps): string {
  const outdir = mkdtempSync(join(tmpdir(), 'gpu-telemetry-'));
  const app = new App({ outdir, outputFileExtension: '.k8s.yaml' });
  new ObservabilityChart(app, 'obs', { delivery: 'flux', credentials: testCredentials(), ...props });
  app.synth();
  return outdir;
}

describe('strict schema validation (test/support/kube-validate) of the synthesized GPU telemetry', () => {
  it.each<[string, ObservabilityChartProps]>([
    ['deploy mode, neuron-monitor on', { gpuExporters: { neuron: { enabled: true } } }],
    ['existing exporters', { gpuExporters: { dcgm: { mode: 'existing' }, neuron: { enabled: true, mode: 'existing' } } }],
  ])('%s: 0 invalid', (_name, props) => {
    const dir = synthToDir(props);
    const text = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    for (const kind of ['ServiceMonitor', 'PodMonitor', 'PrometheusRule']) expect(text).toContain(`kind: ${kind}`);
    const result = kubeValidatePath(dir);
    expect(result.invalid, result.output).toBe(0);
  });
});

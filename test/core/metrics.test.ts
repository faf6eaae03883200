import { describe, expect, it } from 'vitest';
import { DCGM_METRICS } from '../../src/gpu/dcgm-metrics.js';
import { KSM_RESOURCES } from '../../src/prometheus/kube-metrics.js';
import { LABEL_CATALOG, METRIC_CATALOG } from '../support/metric-catalog.js';
import { VLLM_LEGACY_METRICS, VLLM_METRICS } from '../../src/vllm/vllm-metrics.js';
import { catalogExporters, DCGM_CSV_FILES, dcgmCsvRows } from '../support/promql.js';

function exporter(name: string) {
  const found = catalogExporters().find((e) => e.name === name);
  if (!found) throw new Error(`exporter '${name}' is not in catalog.yaml`);
  return found;
}

/** Label-like tokens of a catalog label entry such as "pod/namespace/container (pod mapping on)". */
function tokens(entry: string): string[] {
  return entry.split(/[\s,/()]+/).filter((t) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(t));
}

function labelsOf(name: string): Set<string> {
  const e = exporter(name) as any;
  const labels = new Set<string>();
  for (const l of e.common_labels ?? []) tokens(l.name).forEach((t) => labels.add(t));
  for (const set of Object.values<string[]>(e.label_sets ?? {})) set.flatMap(tokens).forEach((t) => labels.add(t));
  for (const m of e.metrics ?? []) for (const l of m.labels ?? []) tokens(String(l)).forEach((t) => labels.add(t));
  return labels;
}

describe('metric names (src/*/…-metrics.ts)', () => {
  for (const [name, objects] of Object.entries(METRIC_CATALOG)) {
    it(`every ${name} metric name is in the catalog under that exporter`, () => {
      const e = exporter(name);
      const known = new Set([...(e.metrics ?? []).map((m) => m.name), ...(e.deprecated ?? []).map((d) => d.name)]);
      if (name === 'dcgm-exporter') for (const f of DCGM_CSV_FILES) for (const row of dcgmCsvRows(f)) known.add(row.field);
      const missing = objects.flatMap((o) => Object.values(o)).filter((metric) => !known.has(metric));
      expect(missing).toEqual([]);
    });
  }

  for (const [name, objects] of Object.entries(LABEL_CATALOG)) {
    it(`every ${name} label name is a label the catalog lists for that exporter`, () => {
      const known = labelsOf(name);
      const missing = objects.flatMap((o) => Object.values(o)).filter((label) => !known.has(label));
      expect(missing).toEqual([]);
    });
  }

  it('keeps the dcgm names to non-label CSV fields, with the type the CSV gives', () => {
    const rows = new Map(dcgmCsvRows().map((r) => [r.field, r]));
    for (const metric of Object.values(DCGM_METRICS)) {
      const row = rows.get(metric);
      if (row) expect(row.type, metric).not.toBe('label');
    }
  });

  it('maps every legacy vLLM name to a current one where the catalog names a replacement', () => {
    const deprecated = new Map((exporter('vllm').deprecated ?? []).map((d: any) => [d.name, d.replaced_by]));
    for (const [key, old] of Object.entries(VLLM_LEGACY_METRICS)) {
      const replacement = deprecated.get(old);
      if (replacement && key in VLLM_METRICS) expect(VLLM_METRICS[key as keyof typeof VLLM_METRICS]).toBe(replacement);
    }
  });

  it('uses the sanitized extended-resource names kube-state-metrics documents', () => {
    const notes = ((exporter('kube-state-metrics') as any).notes as string[]).join(' ');
    expect(notes).toContain(`nvidia.com/gpu is exposed as resource="${KSM_RESOURCES.NVIDIA_GPU}"`);
    expect(notes).toContain(`aws.amazon.com/neuron -> ${KSM_RESOURCES.AWS_NEURON}`);
  });

  it('fails on a name that is not in the catalog (the check can fail)', () => {
    const known = new Set((exporter('vllm').metrics ?? []).map((m) => m.name));
    expect(known.has('vllm:num_requests_waitin')).toBe(false);
  });
});

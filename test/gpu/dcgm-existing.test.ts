/**
 * Issue 10 item 10: with `exporters.dcgm.mode: existing` the GPU operator's dcgm-exporter reads its default counters
 * list, which lacks fields our dashboards and alerts read. The library says so at synth time, naming the fields,
 * and can write our list as the ConfigMap the operator's ClusterPolicy points at.
 */
import { describe, expect, it } from 'vitest';
import { DCGM_EXPORTER_DEFAULT_COUNTERS, fieldsMissingFromDefaultCounters, GPU_OPERATOR_DCGM_METRICS_KEY } from '../../src/gpu/dcgm-default-counters.js';
import { DEFAULT_DCGM_FIELDS } from '../../src/gpu/dcgm-fields.js';
import { GPU_OPERATOR_DCGM_EXPORTER } from '../../src/gpu/dcgm-exporter.js';
import { synthWarnings } from '../../src/core/synth-warnings.js';
import { dcgmCsvRows, DCGM_CSV_FILES } from '../support/promql.js';
import { ofKind, synthStack } from '../support/synth.js';

/** The fields dcgm-exporter 4.8.2's default-counters.csv enables (its uncommented rows). */
const shippedDefaults = () => dcgmCsvRows(DCGM_CSV_FILES[0]).filter((r) => r.enabledByDefault).map((r) => r.field);

describe('dcgm-exporter existing mode: what the operator default list lacks', () => {
  it('the default list we hold is the 4.8.2 default-counters.csv', () => {
    expect([...DCGM_EXPORTER_DEFAULT_COUNTERS].sort()).toEqual([...new Set(shippedDefaults())].sort());
  });

  it('warns at synth time, naming exactly the fields of ours the default list lacks', () => {
    const { chart } = synthStack({ gpuExporters: { dcgm: { mode: 'existing' } } });
    const warnings = synthWarnings(chart);
    expect(warnings).toHaveLength(1);
    const expected = DEFAULT_DCGM_FIELDS.map((f) => f.field).filter((f) => !shippedDefaults().includes(f));
    expect(expected.length).toBeGreaterThan(5);
    for (const field of expected) expect(warnings[0]).toContain(field);
    expect(fieldsMissingFromDefaultCounters(DEFAULT_DCGM_FIELDS)).toEqual(expected);
    // among them what the plan names: profiling, throttling, XID window, ECC
    expect(expected).toEqual(expect.arrayContaining(['DCGM_FI_PROF_SM_ACTIVE', 'DCGM_FI_DEV_THERMAL_VIOLATION', 'DCGM_EXP_XID_ERRORS_COUNT', 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL']));
    // and where the fix is
    expect(warnings[0]).toMatch(/operatorCountersConfigMap/);
    // no ConfigMap unless asked for
    expect(ofKind(synthStack({ gpuExporters: { dcgm: { mode: 'existing' } } }).objects, 'ConfigMap').filter((c) => GPU_OPERATOR_DCGM_METRICS_KEY in (c.data ?? {}))).toEqual([]);
  });

  it('no warning in deploy mode, nor with a field list the default list covers', () => {
    expect(synthWarnings(synthStack({}).chart)).toEqual([]);
    const covered = DEFAULT_DCGM_FIELDS.filter((f) => shippedDefaults().includes(f.field));
    expect(synthWarnings(synthStack({ gpuExporters: { dcgm: { mode: 'existing', fields: covered } } }).chart)).toEqual([]);
  });

  it('writes our list as the ConfigMap the operator reads (key dcgm-metrics.csv) when asked, and names it in the warning', () => {
    const { chart, objects } = synthStack({ gpuExporters: { dcgm: { mode: 'existing', operatorCountersConfigMap: true } } });
    const [cm, ...more] = ofKind(objects, 'ConfigMap').filter((c) => GPU_OPERATOR_DCGM_METRICS_KEY in (c.data ?? {}));
    expect(more).toEqual([]);
    expect(cm!.metadata.namespace).toBe(GPU_OPERATOR_DCGM_EXPORTER.namespace);
    const listed = String(cm!.data[GPU_OPERATOR_DCGM_METRICS_KEY])
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(',')[0]!.trim());
    expect(listed).toEqual(DEFAULT_DCGM_FIELDS.map((f) => f.field));
    expect(synthWarnings(chart)[0]).toContain(`${GPU_OPERATOR_DCGM_EXPORTER.namespace}/${cm!.metadata.name}`);
  });
});

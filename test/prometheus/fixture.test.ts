/**
 * The telemetry fixture speaks like the real exporters: names and types from test/upstream/metrics (the catalog and
 * the dcgm CSV the library configures), parseable exposition text, counters that never go back, cumulative
 * histogram buckets, one HTTP listener per exporter port serving only the exporter's real path, and a sick
 * scenario that differs from the healthy one where it should.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogExporters, catalogMetricNames } from '../support/promql.js';
import { buildCluster, type ClusterModel, type Scenario } from './fixture/cluster.js';
import { parseExposition, renderExposition, type MetricFamily } from './fixture/exposition.js';
import { gpuState } from './fixture/exporters/gpu-state.js';
import { TelemetryFixture, type FixtureTarget } from './fixture/server.js';
import { synthesizeStack, type SynthesizedStack } from './support/stack.js';

/** Wire names the fixture serves that the catalog does not list, and why. */
const NOT_IN_CATALOG: Readonly<Record<string, RegExp>> = {
  'cAdvisor and kubelet (read by kube-prometheus-stack default rules; no catalog entry)': /^(container_|kubelet_)/,
  'node-exporter families beside the catalog subset': /^node_(load5|load15|uname_info)$/,
  "the Ray dashboard process' own Python metrics": /^process_(resident_memory_bytes|cpu_seconds_total)$/,
};

/** Ray re-exports vLLM's metrics as ray_vllm_*; the catalog lists them under their vLLM names. */
const wireToCatalog = (name: string) => name.replace(/^ray_vllm_/, 'vllm:');

function catalogTypes(): Map<string, string> {
  const types = new Map<string, string>();
  for (const exporter of catalogExporters()) for (const m of exporter.metrics ?? []) if (m.type) types.set(m.name, m.type === 'info' ? 'gauge' : m.type);
  return types;
}

describe('the telemetry fixture', () => {
  let stack: SynthesizedStack;
  const clusters = {} as Record<Scenario, ClusterModel>;
  let fixture: TelemetryFixture;
  const t0 = Math.floor(Date.now() / 1000);
  const everything = (f: TelemetryFixture, t: number): { target: FixtureTarget; path: string; families: MetricFamily[] }[] =>
    f.targets.flatMap((target) => Object.keys(target.endpoint.paths).map((path) => ({ target, path, families: f.render(target, path, t) })));

  beforeAll(async () => {
    stack = synthesizeStack();
    for (const scenario of ['healthy', 'sick'] as const) {
      clusters[scenario] = buildCluster({ scenario, gpuNodes: 2, gpusPerNode: 4, names: stack.names, ksmPodLabelAllowlist: stack.ksmPodLabelAllowlist, dcgmFields: stack.dcgmFields });
    }
    fixture = await TelemetryFixture.start(clusters.sick);
  });
  afterAll(async () => fixture?.stop());

  it('models the small cluster of the issue: 2 GPU nodes x 4 GPUs, a Ray training job, a vLLM service', () => {
    const c = clusters.sick;
    expect(c.gpus).toHaveLength(8);
    expect(c.rayClusters.filter((r) => r.jobId !== '')).toHaveLength(1);
    expect(c.vllmServices).toHaveLength(1);
    expect(c.gpus.every((g) => g.holder !== undefined)).toBe(true);
  });

  it('serves only names the catalogs list (or documented extras), with the catalog type', () => {
    const known = catalogMetricNames();
    const types = catalogTypes();
    const unknown = new Set<string>();
    const wrongType = new Set<string>();
    for (const { families } of everything(fixture, t0)) {
      for (const family of families) {
        for (const sample of family.samples) {
          const name = wireToCatalog(sample.name);
          if (!known.has(name) && !Object.values(NOT_IN_CATALOG).some((re) => re.test(name))) unknown.add(sample.name);
        }
        const expected = types.get(wireToCatalog(family.name));
        if (expected && expected !== 'untyped' && expected !== family.type) wrongType.add(`${family.name}: ${family.type}, catalog ${expected}`);
      }
    }
    expect([...unknown].sort()).toEqual([]);
    expect([...wrongType].sort()).toEqual([]);
  });

  it('serves exactly the dcgm fields of the counters CSV the library configures', () => {
    const dcgm = everything(fixture, t0).filter((x) => x.target.endpoint.paths[x.path] === 'dcgm');
    expect(dcgm).toHaveLength(2);
    const served = new Set(dcgm.flatMap((x) => x.families.filter((f) => f.samples.length > 0).map((f) => f.name)));
    const configured = stack.dcgmFields.filter((f) => f.type !== 'label').map((f) => f.field);
    // XID and clock-event counts only have series once something happened (none at t0, before the sick day's events)
    expect([...served].sort()).toEqual(configured.filter((f) => !/^DCGM_EXP_(XID_ERRORS|CLOCK_EVENTS)_COUNT$/.test(f) || served.has(f)).sort());
  });

  it('writes exposition text that parses back to the same samples', () => {
    for (const { families } of everything(fixture, t0)) {
      const parsed = parseExposition(renderExposition(families));
      expect(parsed.length).toBe(families.reduce((n, f) => n + f.samples.length, 0));
    }
  });

  it('moves values between scrapes, never lowers counters, and keeps histogram buckets cumulative', () => {
    const before = everything(fixture, t0);
    const after = everything(fixture, t0 + 7);
    let moved = 0;
    before.forEach(({ families }, i) => {
      families.forEach((family, j) => {
        family.samples.forEach((sample, k) => {
          const later = after[i]!.families[j]!.samples[k]!;
          expect(later.name).toBe(sample.name);
          if (later.value !== sample.value) moved++;
          const cumulative = family.type === 'counter' || (family.type === 'histogram' && !sample.name.endsWith('_created'));
          if (cumulative) expect(later.value, `${sample.name} ${JSON.stringify(sample.labels)}`).toBeGreaterThanOrEqual(sample.value);
        });
        if (family.type === 'histogram') {
          const byLabels = new Map<string, number[]>();
          for (const s of family.samples.filter((x) => x.name.endsWith('_bucket'))) {
            const { le: _le, ...rest } = s.labels;
            const key = JSON.stringify(rest);
            byLabels.set(key, [...(byLabels.get(key) ?? []), s.value]);
          }
          for (const counts of byLabels.values()) expect(counts).toEqual([...counts].sort((a, b) => a - b));
        }
      });
    });
    expect(moved).toBeGreaterThan(100);
  });

  it('listens on 127.0.0.1, one port per exporter, and answers 404 off the exporter path', async () => {
    expect(new Set(fixture.targets.map((t) => t.address)).size).toBe(fixture.targets.length);
    const kinds = new Set(fixture.targets.flatMap((t) => Object.values(t.endpoint.paths)));
    expect([...kinds].sort()).toEqual(['cadvisor', 'dcgm', 'fluent-bit', 'kube-state-metrics', 'kubelet', 'node-exporter', 'opencost', 'ray', 'ray-autoscaler', 'ray-dashboard']);
    const fluentBit = fixture.targets.find((t) => t.endpoint.paths['/api/v2/metrics/prometheus'])!;
    expect(fluentBit.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await fetch(`http://${fluentBit.address}/api/v2/metrics/prometheus`)).status).toBe(200);
    expect((await fetch(`http://${fluentBit.address}/metrics`)).status).toBe(404);
  });

  it('is sick where the sick day says and healthy elsewhere', () => {
    const sick = clusters.sick;
    const idle = sick.sick.idleAllocatedGpus[0]!;
    const xid = sick.sick.xidGpus[0]!;
    const hot = sick.sick.throttlingGpus[0]!;
    expect(gpuState(sick, idle, t0, t0).util).toBe(0);
    expect(gpuState(sick, xid.gpu, t0, t0).xid).toBe(0); // the XID happens a few seconds in
    expect(gpuState(sick, xid.gpu, t0 + sick.xidAfterSeconds, t0).xid).toBe(xid.xid);
    expect(gpuState(sick, hot, t0, t0)).toMatchObject({ throttling: true });
    expect(gpuState(sick, hot, t0, t0).temperatureC).toBeGreaterThan(85);
    const healthy = clusters.healthy;
    for (const gpu of healthy.gpus) {
      const s = gpuState(healthy, gpu, t0, t0);
      expect(s.util, gpu.uuid).toBeGreaterThan(5);
      expect(s.xid).toBe(0);
      expect(s.temperatureC).toBeLessThan(85);
    }
  });
});

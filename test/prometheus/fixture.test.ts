/**
 * The telemetry fixture speaks like the real exporters: names and types from test/upstream/metrics (the catalog and
 * the dcgm CSV the library configures), parseable exposition text, counters that never go back, cumulative
 * histogram buckets, one HTTP listener per exporter port serving only the exporter's real path, and a sick
 * scenario that differs from the healthy one where it should.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogExporters, catalogMetricNames } from '../support/promql.js';
import { buildCluster, holderAt, lastXid, TIMELINE, type ClusterModel, type GpuInstance, type Scenario } from './fixture/cluster.js';
import { parseExposition, renderExposition, type MetricFamily } from './fixture/exposition.js';
import { gpuState } from './fixture/exporters/gpu-state.js';
import { TelemetryFixture, type FixtureTarget } from './fixture/server.js';
import { synthesizeStack, type SynthesizedStack } from './support/stack.js';

/** Wire names the fixture serves that the catalog does not list, and why (each read from the exporter's source). */
const NOT_IN_CATALOG: Readonly<Record<string, RegExp>> = {
  'cAdvisor and kubelet (read by kube-prometheus-stack default rules; no catalog entry)': /^(container_|kubelet_)/,
  'node-exporter families beside the catalog subset': /^node_(load5|load15|uname_info)$/,
  "Python processes' own metrics (Ray dashboard, neuron-monitor-prometheus.py)": /^(process_(resident_memory_bytes|cpu_seconds_total)|python_gc_objects_collected_total)$/,
  'kube-state-metrics internal/store/replicaset.go': /^kube_replicaset_owner$/,
  "OpenCost's KSM v1 copies (pkg/metrics/podmetrics.go, nodemetrics.go)": /^kube_(pod_container_status_running|node_status_(capacity|allocatable)_(cpu_cores|memory_bytes))$/,
  'Fluent Bit 5.1 src/flb_input.c rate gauges': /^fluentbit_input_rate_(bytes|records)$/,
};

/**
 * Ray re-exports vLLM's metrics as ray_vllm_* (newer vLLM) or ray_vllm:* (older); the catalog lists them under their
 * vLLM names.
 */
const wireToCatalog = (name: string) => name.replace(/^ray_vllm[_:]/, 'vllm:');
/** Ray's deprecated gauge twin of a counter (RAY_EXPORT_COUNTER_AS_GAUGE): the counter's name without `_total`. */
const isRayCounterGauge = (name: string, known: ReadonlySet<string>) => name.startsWith('ray_') && known.has(`${wireToCatalog(name)}_total`);
/** prometheus_client's `_created` twin of a counter the catalog lists (the catalog's naming convention). */
const isCreatedTwin = (name: string, known: ReadonlySet<string>) => name.endsWith('_created') && known.has(name.replace(/_created$/, '_total'));

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
      clusters[scenario] = buildCluster({ scenario, gpuNodes: 3, gpusPerNode: 4, names: stack.names, ksmPodLabelAllowlist: stack.ksmPodLabelAllowlist, dcgmFields: stack.dcgmFields });
    }
    fixture = await TelemetryFixture.start(clusters.sick);
  });
  afterAll(async () => fixture?.stop());

  it('models the small cluster: 3 GPU nodes x 4 GPUs, a MIG node, a Neuron node, a training job, two vLLM namings', () => {
    const c = clusters.sick;
    expect(c.gpus.filter((g) => !g.mig)).toHaveLength(12);
    expect(c.gpus.filter((g) => g.mig).map((g) => g.mig!.profile)).toEqual(['1g.10gb', '1g.10gb', '2g.20gb', '3g.40gb']);
    expect(c.nodes.filter((n) => n.neuron)).toHaveLength(1);
    expect(c.rayClusters.filter((r) => r.jobId !== '')).toHaveLength(1);
    expect(c.vllmServices.map((v) => v.naming)).toEqual(['sanitized', 'colon']);
    // every GPU is held when the fixture starts but the one that fell off the bus and the free 3g MIG slice
    const unheld = c.gpus.filter((g) => holderAt(g, 0) === undefined);
    expect(unheld.map((g) => g.mig?.profile ?? 'gpu')).toEqual(['gpu', '3g.40gb']);
    expect(c.sick.vanishedGpus).toEqual([unheld[0]]);
  });

  it('hands a GPU from one pod to the next after an XID, and the XID stays with the GPU', () => {
    const c = clusters.sick;
    const xid = c.events.find((e) => e.kind === 'xid' && e.xid === 31)!;
    const gpu = (xid as { gpu: GpuInstance }).gpu;
    expect(holderAt(gpu, TIMELINE.applicationXid)?.pod.name).toBe('notebook-bob-0');
    expect(holderAt(gpu, TIMELINE.previousTenantDeleted + 1)).toBeUndefined();
    expect(holderAt(gpu, 0)?.pod.name).toBe('notebook-carol-0');
    expect(lastXid(c, gpu, 0)).toBe(31);
    expect(lastXid(c, gpu, TIMELINE.applicationXid - 1)).toBe(0);
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
          if (!known.has(name) && !isRayCounterGauge(sample.name, known) && !isCreatedTwin(name, known) && !Object.values(NOT_IN_CATALOG).some((re) => re.test(name))) unknown.add(sample.name);
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
    expect(dcgm).toHaveLength(4);
    const served = new Set(dcgm.flatMap((x) => x.families.filter((f) => f.samples.length > 0).map((f) => f.name)));
    const configured = stack.dcgmFields.filter((f) => f.type !== 'label').map((f) => f.field);
    expect([...served].sort()).toEqual([...configured].sort());
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
    expect([...kinds].sort()).toEqual(['cadvisor', 'dcgm', 'fluent-bit', 'kube-state-metrics', 'kubelet', 'neuron-monitor', 'node-exporter', 'opencost', 'ray', 'ray-autoscaler', 'ray-dashboard']);
    const fluentBit = fixture.targets.find((t) => t.endpoint.paths['/api/v2/metrics/prometheus'])!;
    expect(fluentBit.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await fetch(`http://${fluentBit.address}/api/v2/metrics/prometheus`)).status).toBe(200);
    expect((await fetch(`http://${fluentBit.address}/metrics`)).status).toBe(404);
  });

  it('is sick where the sick day says and healthy elsewhere', () => {
    const sick = clusters.sick;
    for (const pod of sick.sick.idlePods) for (const gpu of pod.gpus) expect(gpuState(sick, gpu, t0, t0).activity, pod.name).toBe(0);
    const xid = sick.sick.xidGpus[0]!;
    expect(gpuState(sick, xid.gpu, t0 + TIMELINE.fatalXid - 1, t0).xid).toBe(0);
    expect(gpuState(sick, xid.gpu, t0 + TIMELINE.fatalXid, t0).xid).toBe(xid.xid);
    expect(gpuState(sick, xid.gpu, t0, t0).xid).toBe(xid.xid); // sticky
    const hot = sick.sick.throttlingGpus[0]!;
    expect(gpuState(sick, hot, t0, t0)).toMatchObject({ throttling: true });
    expect(gpuState(sick, hot, t0, t0).temperatureC).toBeGreaterThan(85);
    // MIG instances report 0 utilisation however busy they are; the graphics engine activity tells
    const dave = sick.gpus.find((g) => holderAt(g, 0)?.pod.name === 'notebook-dave-0')!;
    expect(gpuState(sick, dave, t0, t0).util).toBe(0);
    expect(gpuState(sick, dave, t0, t0).grEngineActive).toBeGreaterThan(0.05);
    const healthy = clusters.healthy;
    for (const gpu of healthy.gpus.filter((g) => holderAt(g, 0))) {
      const s = gpuState(healthy, gpu, t0, t0);
      expect(s.activity, gpu.uuid).toBeGreaterThan(5);
      expect(s.xid).toBe(0);
      expect(s.temperatureC).toBeLessThan(85);
    }
  });
});

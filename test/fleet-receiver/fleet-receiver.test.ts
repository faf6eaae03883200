/**
 * The fleet topology with real components on 127.0.0.1: two leaf Prometheus (the proof's sick-day fixture as
 * cluster `a`, the healthy day as cluster `b`), each configured from the stack the library synthesizes for it
 * (scrape configs, rules, the `cluster` external label, and its two remote writes: the `fleet` preset into one
 * receiver, `all` into another), writing into two receiving Prometheus (`--web.enable-remote-write-receiver`).
 *
 * - every panel of every dashboard, run as Grafana would against a receiver with `cluster=a` (or `b`), returns what
 *   it returns against leaf a (b) itself; with All, labelled results are the union of the leaves' and the fleet
 *   dashboard's totals their sum;
 * - the fleet preset's receiver holds only the preset's series;
 * - fault: the fleet receiver is stopped for two minutes while the leaves scrape and evaluate, then started again:
 *   afterwards it holds every sample of the recorded series each leaf has (counted), and the catch-up time is
 *   reported.
 *
 * Stand-ins as in the proof (docs/prometheus-proof.md): the exporters, Kubernetes discovery, Grafana's query
 * runner, and prometheus-operator (operator-remote-write.ts renders the remote writes and external labels).
 * Run with `npm run test:fleet` (about 5 minutes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_QUERIES } from '../../dashboards/fleet.js';
import { CLUSTER_LABEL } from '../../src/core/cluster-label.js';
import { CLUSTER_VARIABLE } from '../../src/dashboards/toolkit/builder.js';
import { fleetSeriesNames } from '../../src/fleet/fleet-series.js';
import type { Scenario } from '../prometheus/fixture/cluster.js';
import { DATASOURCE_TYPES, type DashboardJson } from '../prometheus/support/grafana.js';
import { runDashboard, type DashboardRun } from '../prometheus/support/panel-queries.js';
import { freePort, prometheusMissing, prometheusVersion, PrometheusRunner, sleep, type PromResult } from '../prometheus/support/prometheus-runner.js';
import { ProofEnvironment } from '../prometheus/support/proof-env.js';
import { PROOF_STACK_PROPS, synthesizeStack, type SynthesizedStack } from '../prometheus/support/stack.js';
import { withVariables } from '../prometheus/support/value-checks.js';
import { operatorExternalLabels, operatorRemoteWrite } from './operator-remote-write.js';

const missing = prometheusMissing();
const CLUSTERS = { a: 'sick', b: 'healthy' } as const satisfies Record<string, Scenario>;
type ClusterName = keyof typeof CLUSTERS;
const NAMES = Object.keys(CLUSTERS) as ClusterName[];
/** Labels only the central copy carries: the cluster, and the external labels prometheus-operator adds. */
const CENTRAL_ONLY_LABELS = [CLUSTER_LABEL, 'prometheus', 'prometheus_replica'];
const INTERVAL = '2s';
const OUTAGE_SECONDS = Number(process.env.FLEET_OUTAGE_SECONDS ?? 120);
const RECEIVER_FLAGS = ['--web.enable-remote-write-receiver'];

type Receivers = { fleet: PrometheusRunner; all: PrometheusRunner };

describe.skipIf(missing !== undefined)(`the fleet: two leaves remote-writing into receivers ${missing ? `(skipped: ${missing})` : ''}`, () => {
  const leaves: Partial<Record<ClusterName, ProofEnvironment>> = {};
  const stacks: Partial<Record<ClusterName, SynthesizedStack>> = {};
  let receivers: Receivers;
  const ports = { fleet: 0, all: 0 };
  let fleetDataDir = '';
  const leaf = (c: ClusterName) => leaves[c]!.prometheus!;

  beforeAll(async () => {
    console.log(`prometheus ${prometheusVersion()}`);
    ports.fleet = await freePort();
    ports.all = await freePort();
    const quiet = { global: { scrape_interval: '15s', evaluation_interval: '15s' } };
    const [fleet, all] = await Promise.all([
      PrometheusRunner.start({ config: quiet, flags: RECEIVER_FLAGS, port: ports.fleet }),
      PrometheusRunner.start({ config: quiet, flags: RECEIVER_FLAGS, port: ports.all }),
    ]);
    receivers = { fleet, all };
    fleetDataDir = fleet.dataDir;
    const urlOf = (name: string) => `http://127.0.0.1:${ports[name as keyof typeof ports]}/api/v1/write`;
    for (const cluster of NAMES) {
      // The stack each cluster synthesizes: its name, and the two remote writes (their URLs are the receivers').
      const stack = synthesizeStack({
        ...PROOF_STACK_PROPS,
        clusterName: cluster,
        prometheusStack: {
          remoteWrite: [
            { name: 'fleet', url: urlOf('fleet'), send: 'fleet' },
            { name: 'all', url: urlOf('all'), send: 'all' },
          ],
        },
      });
      stacks[cluster] = stack;
    }
    const started = await Promise.allSettled(
      NAMES.map((cluster) => {
        const stack = stacks[cluster]!;
        const spec = stack.prometheusSpec as { externalLabels?: Record<string, string>; remoteWrite?: Record<string, unknown>[] };
        return ProofEnvironment.start(stack, {
          scenario: CLUSTERS[cluster],
          gpuNodes: 3,
          gpusPerNode: 4,
          scrapeInterval: INTERVAL,
          evaluationInterval: INTERVAL,
          forOverride: '2s',
          extraConfig: {
            externalLabels: operatorExternalLabels(spec, stack.namespace, `${stack.names.kubePrometheusStackRelease}-prometheus`),
            remoteWrite: operatorRemoteWrite(spec.remoteWrite ?? [], urlOf),
          },
          log: (m) => console.log(`[${cluster}] ${m}`),
        });
      }),
    );
    started.forEach((r, i) => {
      if (r.status === 'fulfilled') leaves[NAMES[i]!] = r.value;
    });
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(NAMES.map((c) => leaves[c]!.waitForTargetsUp(60_000)));
    // Long enough for the 5-minute windows of the rules to hold several samples, and the idle rules to settle.
    await sleep(45_000);
  }, 240_000);

  afterAll(async () => {
    await Promise.allSettled([...Object.values(leaves).map((e) => e?.stop()), receivers?.fleet.stop(), receivers?.all.stop()]);
  }, 60_000);

  /** Waits until a receiver holds `up` samples of every leaf at or after `time`. */
  async function caughtUp(receiver: PrometheusRunner, time: number, timeoutMs = 60_000): Promise<void> {
    await receiver.waitFor(
      `samples at ${time}`,
      async () => {
        const r = await receiver.query(`min(timestamp(up{${CLUSTER_LABEL}=~"${NAMES.join('|')}"}) > 0) by (${CLUSTER_LABEL})`);
        return r.result.length === NAMES.length && r.result.every((s: { value: [number, string] }) => Number(s.value[1]) >= time);
      },
      timeoutMs,
    );
  }

  async function dashboardRuns(prom: PrometheusRunner, cluster: ClusterName | 'All' | undefined, to: number): Promise<DashboardRun[]> {
    const time = { from: to - 120, to, maxDataPoints: 60, scrapeIntervalSeconds: 2 };
    const stack = stacks.a!;
    const uids = { [DATASOURCE_TYPES.prometheus]: stack.prometheusDatasourceUid, [DATASOURCE_TYPES.opensearch]: 'opensearch-logs' };
    const runs: DashboardRun[] = [];
    for (const d of stack.dashboards) {
      const json: DashboardJson = cluster && cluster !== 'All' ? withVariables(d.json, { [CLUSTER_VARIABLE]: [cluster] }) : d.json;
      runs.push(await runDashboard(prom, json, time, uids, { clusterLabelStored: cluster !== undefined }));
    }
    return runs;
  }

  it('the receivers hold each leaf\'s series under its cluster label, and the fleet preset only its own series', async () => {
    const to = Math.floor(Date.now() / 1000) - 5;
    await Promise.all([caughtUp(receivers.fleet, to), caughtUp(receivers.all, to)]);
    const names = async (prom: PrometheusRunner, cluster: ClusterName) =>
      (await prom.query(`count by (__name__) ({${CLUSTER_LABEL}="${cluster}"})`, to)).result.map((s: { metric: { __name__: string } }) => s.metric.__name__).sort();
    const preset = new Set(fleetSeriesNames());
    for (const cluster of NAMES) {
      const fleetNames: string[] = await names(receivers.fleet, cluster);
      const allNames: string[] = await names(receivers.all, cluster);
      expect(fleetNames.filter((n) => !preset.has(n)), 'series the fleet preset drops reached its receiver').toEqual([]);
      expect(fleetNames.length).toBeGreaterThan(5);
      for (const raw of ['DCGM_FI_DEV_GPU_UTIL', 'kube_pod_info', 'node_cpu_seconds_total']) {
        expect(allNames, raw).toContain(raw);
        expect(fleetNames, raw).not.toContain(raw);
      }
      const seriesOf = async (prom: PrometheusRunner) => Number((await prom.query(`count({${CLUSTER_LABEL}="${cluster}"})`, to)).result[0]?.value[1] ?? 0);
      const leafSeries = Number((await leaf(cluster).query('count({__name__=~".+"})', to)).result[0].value[1]);
      const gpus = Number((await leaf(cluster).query('count(count by (node, gpu) (DCGM_FI_DEV_GPU_UTIL))', to)).result[0].value[1]);
      const [fleetSeries, allSeries] = [await seriesOf(receivers.fleet), await seriesOf(receivers.all)];
      console.log(`cluster ${cluster} (${CLUSTERS[cluster]} day, ${gpus} GPUs): leaf ${leafSeries} series; receiver fleet preset ${fleetSeries} series (${(fleetSeries / gpus).toFixed(1)} per GPU), all ${allSeries} (${(allSeries / gpus).toFixed(1)} per GPU)`);
      expect(allSeries).toBe(leafSeries);
      expect(fleetSeries).toBeLessThan(allSeries / 5);
    }
  });

  it('every panel of every dashboard returns against the receiver with cluster=a / b what it returns against leaf a / b', async () => {
    const to = Math.floor(Date.now() / 1000) - 5;
    await caughtUp(receivers.all, to);
    let compared = 0;
    let withData = 0;
    const mismatches: string[] = [];
    for (const cluster of NAMES) {
      const local = await dashboardRuns(leaf(cluster), undefined, to);
      const central = await dashboardRuns(receivers.all, cluster, to);
      forEachQuery(local, central, (where, l, c) => {
        compared++;
        if (seriesOf(l).size > 0) withData++;
        const diff = compareResults(seriesOf(l), seriesOf(c, CENTRAL_ONLY_LABELS));
        if (diff) mismatches.push(`[${cluster}] ${where}: ${diff}`);
      });
    }
    console.log(`per-cluster dashboards: ${compared - mismatches.length}/${compared} panel queries equal on the receiver (cluster=a/b) and the leaf (${withData} with data)`);
    expect(mismatches).toEqual([]);
    expect(withData).toBeGreaterThan(compared / 2);
  });

  it('with All, labelled results are the union of the leaves\' and the fleet totals are their sum; the fleet dashboard works on the fleet preset alone', async () => {
    const to = Math.floor(Date.now() / 1000) - 5;
    await Promise.all([caughtUp(receivers.fleet, to), caughtUp(receivers.all, to)]);
    const mismatches: string[] = [];
    let unions = 0;
    for (const [preset, receiver] of Object.entries(receivers)) {
      const all = await dashboardRuns(receiver, 'All', to);
      const perCluster = await Promise.all(NAMES.map((c) => dashboardRuns(receiver, c, to)));
      for (const [i, run] of all.entries()) {
        // The fleet preset's receiver serves the fleet dashboard only.
        if (preset === 'fleet' && run.title !== 'GPU fleet (all clusters)') continue;
        for (const [p, panel] of run.panels.entries()) {
          for (const [q, query] of panel.queries.entries()) {
            const series = [...seriesOf(query.result).entries()];
            const labelled = series.length > 0 && series.every(([key]) => JSON.parse(key)[CLUSTER_LABEL] !== undefined);
            if (!labelled) continue;
            // Union: every labelled series of All is that cluster's series with cluster=<it>.
            unions++;
            const expected = new Map<string, number[]>();
            for (const [c, cluster] of NAMES.entries()) {
              for (const [key, values] of seriesOf(perCluster[c]![i]!.panels[p]!.queries[q]!.result)) if (JSON.parse(key)[CLUSTER_LABEL] === cluster) expected.set(key, values);
            }
            const diff = compareResults(expected, new Map(series), false);
            if (diff) mismatches.push(`[${preset}] ${run.title} / ${panel.title} ${query.refId}: ${diff}`);
          }
        }
      }
      // The fleet totals: sum of the leaves.
      for (const [name, expr] of Object.entries(FLEET_QUERIES)) {
        if (/by \(/.test(expr)) continue;
        const central = await receiver.query(expr.replace(/\b([a-z_]+:[a-z_]+:[a-z_]+)\b/g, `$1{${CLUSTER_LABEL}=~".*"}`), to);
        const sum = (await Promise.all(NAMES.map((c) => leaf(c).query(expr, to)))).reduce((acc, r) => acc + Number(r.result[0]?.value[1] ?? 0), 0);
        const got = Number(central.result[0]?.value[1] ?? 0);
        if (Math.abs(got - sum) > 1e-9 * Math.max(1, Math.abs(sum))) mismatches.push(`[${preset}] fleet total ${name}: ${got} on the receiver, ${sum} summed over the leaves`);
      }
    }
    console.log(`All: ${unions} labelled panel queries are the union of the clusters', fleet totals are the sums`);
    expect(mismatches).toEqual([]);
    expect(unions).toBeGreaterThan(10);
  });

  it(`fault: the fleet receiver down for ${OUTAGE_SECONDS} s loses no sample of the recorded series`, async () => {
    const recorded = fleetSeriesNames().filter((n) => n.includes(':'));
    const downAt = Math.floor(Date.now() / 1000);
    await receivers.fleet.stop({ keepFiles: true });
    console.log(`fleet receiver stopped at ${downAt}; waiting ${OUTAGE_SECONDS} s while the leaves scrape and evaluate`);
    await sleep(OUTAGE_SECONDS * 1000);
    const upAt = performance.now();
    receivers.fleet = await PrometheusRunner.start({ config: { global: { scrape_interval: '15s' } }, flags: RECEIVER_FLAGS, port: ports.fleet, dataDir: fleetDataDir });
    // Caught up: both leaves' fleet queues have sent everything they had when the receiver came back.
    const target = Math.floor(Date.now() / 1000) - 2;
    await caughtUp(receivers.fleet, target, 180_000);
    const catchUpSeconds = (performance.now() - upAt) / 1000;
    const to = target;
    const window = to - downAt + 60;
    const counts: string[] = [];
    const samples = async (prom: PrometheusRunner, selector: string) => Number((await prom.query(`sum(count_over_time(${selector}[${window}s]))`, to)).result[0]?.value[1] ?? 0);
    for (const cluster of NAMES) {
      let [local, central] = [0, 0];
      const differ: string[] = [];
      for (const name of recorded) {
        const l = await samples(leaf(cluster), name);
        const c = await samples(receivers.fleet, `${name}{${CLUSTER_LABEL}="${cluster}"}`);
        if (l !== c) differ.push(`${name}: leaf ${l}, receiver ${c}`);
        local += l;
        central += c;
      }
      counts.push(`${cluster}: leaf ${local}, receiver ${central}`);
      expect(differ, `samples of the recorded series of cluster ${cluster} over the ${window} s around the outage`).toEqual([]);
      expect(local).toBeGreaterThan(0);
    }
    console.log(`fault: receiver down ${OUTAGE_SECONDS} s, caught up ${catchUpSeconds.toFixed(1)} s after it started again; recorded-series samples over ${window} s: ${counts.join('; ')}`);
  }, (OUTAGE_SECONDS + 240) * 1000);
});

/** A query result as series key (labels without the central-only ones, sorted) -> values. */
function seriesOf(result: PromResult | undefined, drop: readonly string[] = []): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!result) return out;
  const key = (metric: Record<string, string>) => JSON.stringify(Object.fromEntries(Object.entries(metric).filter(([k]) => !drop.includes(k)).sort(([a], [b]) => a.localeCompare(b))));
  if (result.resultType === 'scalar') out.set('{}', [Number(result.result[1])]);
  else if (result.resultType === 'vector') for (const s of result.result as { metric: Record<string, string>; value: [number, string] }[]) out.set(key(s.metric), [Number(s.value[1])]);
  else if (result.resultType === 'matrix') {
    // Series that differ only in a dropped label are one series once it is dropped: a receiver answers
    // `x{cluster="a"} or on () vector(0)` with the cluster's series where it has data and the label-less 0 elsewhere,
    // which a leaf (no cluster label) returns as a single series. Merge them point by point.
    const points = new Map<string, Map<number, number>>();
    for (const s of result.result as { metric: Record<string, string>; values: [number, string][] }[]) {
      const at = points.get(key(s.metric)) ?? new Map<number, number>();
      for (const [t, v] of s.values) at.set(t, Number(v));
      points.set(key(s.metric), at);
    }
    for (const [k, at] of points) out.set(k, [...at].sort(([a], [b]) => a - b).map(([, v]) => v));
  }
  return out;
}

/** Differences between two results (same series keys, same values), or undefined when equal. */
function compareResults(expected: Map<string, number[]>, actual: Map<string, number[]>, dropCentral = true): string | undefined {
  const strip = (m: Map<string, number[]>) =>
    dropCentral ? new Map([...m].map(([k, v]) => [JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(k)).filter(([l]) => !CENTRAL_ONLY_LABELS.includes(l)))), v])) : m;
  const [e, a] = [strip(expected), strip(actual)];
  const missing = [...e.keys()].filter((k) => !a.has(k));
  const extra = [...a.keys()].filter((k) => !e.has(k));
  if (missing.length || extra.length) return `series differ: missing ${missing.slice(0, 3).join(' ')} extra ${extra.slice(0, 3).join(' ')}`;
  for (const [k, values] of e) {
    const other = a.get(k)!;
    if (other.length !== values.length) return `${k}: ${values.length} points vs ${other.length}`;
    const same = (x: number, y: number) => (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x));
    const i = values.findIndex((v, j) => !same(v, other[j]!));
    if (i >= 0) return `${k}: point ${i} is ${values[i]} vs ${other[i]}`;
  }
  return undefined;
}

/** Calls `each` for every panel query present in both sets of runs (same dashboards, same order). */
function forEachQuery(local: DashboardRun[], central: DashboardRun[], each: (where: string, l: PromResult | undefined, c: PromResult | undefined) => void): void {
  for (const [i, run] of local.entries()) {
    for (const [p, panel] of run.panels.entries()) {
      for (const [q, query] of panel.queries.entries()) {
        const other = central[i]!.panels[p]!.queries[q];
        each(`${run.title} / ${panel.title} ${query.refId} (${query.kind})`, query.result, other?.result);
      }
    }
  }
}

/**
 * Fleet benchmark (`npm run bench:fleet`, about 8 minutes, not in CI): 10 clusters x 1,000 GPUs remote-writing the
 * `fleet` preset into one receiving Prometheus (`--web.enable-remote-write-receiver`) on 127.0.0.1.
 *
 * Stand-in for ten clusters: ONE leaf Prometheus scrapes the proof's fixture at 1,000 GPUs (125 nodes x 8, sick
 * day) through the library's monitors and evaluates its rules, and writes to the receiver ten times, each remote
 * write with the synthesized fleet relabeling plus one rule that sets `cluster` to c01..c10: the receiver sees ten
 * clusters' worth of series and samples (identical values), which is what it pays for; ten real leaves would need
 * ten 1,000-GPU fixtures and Prometheus, more than this 2-core machine has.
 *
 * Measures: series per GPU the leaf holds (everything) vs what the fleet preset keeps; receiver ingestion samples/s
 * (rate of prometheus_tsdb_head_samples_appended_total over a minute), receiver head series and RSS; p50/p95 of every
 * fleet-dashboard query against the receiver (All clusters, last 15 minutes, as Grafana sends them).
 *
 * Environment: BENCH_GPU_NODES (default 125), BENCH_CLUSTERS (default 10), BENCH_REPEAT (default 20),
 * BENCH_WARMUP_SECONDS (live time before measuring, default 240).
 */
import { parseExposition } from '../prometheus/fixture/exposition.js';
import { DATASOURCE_TYPES, flattenPanels, interpolate, queryTiming, resolveVariables } from '../prometheus/support/grafana.js';
import { seriesWithValues } from '../prometheus/support/panel-queries.js';
import { freePort, prometheusMissing, prometheusVersion, PrometheusRunner, sleep } from '../prometheus/support/prometheus-runner.js';
import { ProofEnvironment } from '../prometheus/support/proof-env.js';
import { PROOF_STACK_PROPS, synthesizeStack } from '../prometheus/support/stack.js';
import { CLUSTER_LABEL } from '../../src/core/cluster-label.js';
import { fleetSeriesNames } from '../../src/fleet/fleet-series.js';
import { namesRegex } from '../../src/prometheus/remote-write.js';
import { GPU_DASHBOARD_UIDS } from '../../src/dashboards/toolkit/dashboard-ids.js';
import { operatorExternalLabels, operatorRemoteWrite } from './operator-remote-write.js';

const GPU_NODES = Number(process.env.BENCH_GPU_NODES ?? 125);
const GPUS_PER_NODE = 8;
const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 10);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 240);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function selfMetric(prom: PrometheusRunner, name: string): Promise<number> {
  const text = await (await fetch(`${prom.url}/metrics`)).text();
  const sample = parseExposition(text).find((s) => s.name === name);
  if (!sample) throw new Error(`Prometheus does not report ${name}`);
  return sample.value;
}

async function main(): Promise<void> {
  const missing = prometheusMissing();
  if (missing) throw new Error(missing);
  const gpus = GPU_NODES * GPUS_PER_NODE;
  console.log(`prometheus ${prometheusVersion()}; ${CLUSTERS} clusters x ${gpus} GPUs (one leaf, ${CLUSTERS} relabelled remote writes); warm-up ${WARMUP_SECONDS} s`);
  const port = await freePort();
  const receiver = await PrometheusRunner.start({ config: { global: { scrape_interval: '15s' } }, flags: ['--web.enable-remote-write-receiver'], port });
  const url = `http://127.0.0.1:${port}/api/v1/write`;
  const stack = synthesizeStack({ ...PROOF_STACK_PROPS, clusterName: 'c01', prometheusStack: { remoteWrite: [{ name: 'fleet', url, send: 'fleet' }] } });
  const spec = stack.prometheusSpec as { externalLabels?: Record<string, string>; remoteWrite?: Record<string, unknown>[] };
  const [fleet] = operatorRemoteWrite(spec.remoteWrite ?? [], () => url) as (Record<string, unknown> & { write_relabel_configs: unknown[] })[];
  const remoteWrite = Array.from({ length: CLUSTERS }, (_, i) => {
    const cluster = `c${String(i + 1).padStart(2, '0')}`;
    return { ...fleet, name: `fleet-${cluster}`, write_relabel_configs: [...fleet!.write_relabel_configs, { target_label: CLUSTER_LABEL, replacement: cluster, action: 'replace' }] };
  });
  let env: ProofEnvironment | undefined;
  try {
  env = await ProofEnvironment.start(stack, {
    scenario: 'sick',
    gpuNodes: GPU_NODES,
    gpusPerNode: GPUS_PER_NODE,
    scrapeInterval: '30s',
    overrideIntervals: false,
    evaluationInterval: '30s',
    epoch: Math.floor(Date.now() / 1000) - 3 * 3600,
    extraConfig: { externalLabels: operatorExternalLabels(spec, stack.namespace, `${stack.names.kubePrometheusStackRelease}-prometheus`), remoteWrite },
    log: (m) => console.log(m),
  });
    await env.waitForTargetsUp(300_000);
    console.log(`targets up; ${WARMUP_SECONDS} s of live scraping, rule evaluation and remote write`);
    await sleep(WARMUP_SECONDS * 1000);
    const leaf = env.prometheus!;
    const now = Math.floor(Date.now() / 1000) - 30;
    const count = async (expr: string) => Number((await leaf.query(`count(${expr})`, now)).result[0]?.value[1] ?? 0);
    const allSeries = await count('{__name__=~".+"}');
    const fleetSeries = await count(`{__name__=~"${namesRegex(fleetSeriesNames())}"}`);

    const samples0 = await selfMetric(receiver, 'prometheus_tsdb_head_samples_appended_total');
    const t0 = performance.now();
    await sleep(60_000);
    const samples1 = await selfMetric(receiver, 'prometheus_tsdb_head_samples_appended_total');
    const samplesPerSecond = (samples1 - samples0) / ((performance.now() - t0) / 1000);
    const headSeries = await selfMetric(receiver, 'prometheus_tsdb_head_series');
    const rss = await selfMetric(receiver, 'process_resident_memory_bytes');
    const clusters = (await receiver.query(`count(count by (${CLUSTER_LABEL}) (up))`)).result[0]?.value[1];

    // Every fleet-dashboard query against the receiver, as Grafana sends it (All clusters, last 15 minutes).
    const dashboard = stack.dashboards.find((d) => d.json.uid === GPU_DASHBOARD_UIDS.fleet)!.json;
    const to = Math.floor(Date.now() / 1000);
    const time = { from: to - 900, to, maxDataPoints: 300, scrapeIntervalSeconds: 30 };
    const variables = await resolveVariables(dashboard, receiver, time, { [DATASOURCE_TYPES.prometheus]: stack.prometheusDatasourceUid });
    const rows: string[] = [];
    for (const panel of flattenPanels(dashboard.panels)) {
      for (const target of panel.targets ?? []) {
        const timing = queryTiming(time, target.interval || panel.interval);
        const expr = interpolate(target.expr ?? '', variables, time, timing);
        const step = timing.stepSeconds;
        const run = () => (target.instant ? receiver.query(expr, time.to) : receiver.queryRange(expr, Math.floor(time.from / step) * step, Math.floor(time.to / step) * step, step));
        const first = await run();
        const ms: number[] = [];
        for (let i = 0; i < REPEAT; i++) {
          const started = performance.now();
          await run();
          ms.push(performance.now() - started);
        }
        rows.push(`| ${panel.title} (${target.refId}, ${target.instant ? 'instant' : 'range'}) | ${seriesWithValues(first)} | ${fmt(percentile(ms, 50), 1)} | ${fmt(percentile(ms, 95), 1)} |`);
      }
    }
    console.log('\n## fleet bench');
    console.log(`- clusters in the receiver: ${clusters}; GPUs: ${fmt(CLUSTERS * gpus)} (${CLUSTERS} x ${fmt(gpus)})`);
    console.log(`- series per GPU on a leaf: everything ${fmt(allSeries / gpus, 1)} (${fmt(allSeries)} series), fleet preset ${fmt(fleetSeries / gpus, 2)} (${fmt(fleetSeries)} series)`);
    console.log(`- receiver: ${fmt(samplesPerSecond)} samples/s ingested (scrape and rule interval 30 s), ${fmt(headSeries)} head series, RSS ${fmt(rss / 2 ** 20)} MiB`);
    console.log(`\n| fleet panel query (All clusters, 15 min) | series | p50 ms | p95 ms |\n|---|---|---|---|\n${rows.join('\n')}`);
  } finally {
    await env?.stop();
    await receiver.stop();
  }
}

await main();

/**
 * Scale benchmark (`npm run bench:prometheus`): the telemetry fixture at 1,000 GPUs (125 nodes x 8), scraped by a
 * real Prometheus through the library's monitors (at the monitors' own intervals), with the library's rules, and
 * one hour of history backfilled before it starts (`promtool tsdb create-blocks-from openmetrics` at 60 s
 * resolution, then `create-blocks-from rules` for the recording rules).
 *
 * Measures: head series per GPU (/api/v1/status/tsdb) and per job, ingestion samples/s (rate of
 * prometheus_tsdb_head_samples_appended_total over a minute of live scraping), Prometheus RSS
 * (process_resident_memory_bytes), and p50/p95 latency of every dashboard query over the last hour, as written
 * (with our recording rules) and with every recorded series replaced by its rule's expression (raw).
 * Prints the figures and writes them into docs/prometheus-proof.md between the bench markers.
 *
 * The sick day is benched (idle GPUs, an XID, a throttling GPU, a saturated model), so every query has something
 * to return. Queries are timed once the backfilled blocks are compacted (raw and recording-rule blocks overlap).
 *
 * Environment: BENCH_GPU_NODES (default 125), BENCH_REPEAT (timed runs per query, default 20), BENCH_NO_DOC=1 (do
 * not touch the doc).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricNames } from '../support/promql.js';
import { parseExposition } from './fixture/exposition.js';
import { DATASOURCE_TYPES, datasourceTypeOf, flattenPanels, interpolate, queryTiming, resolveVariables, type TimeContext } from './support/grafana.js';
import { inlineRecords } from './support/inline-records.js';
import { seriesWithValues } from './support/panel-queries.js';
import { prometheusMissing, prometheusVersion, sleep, type PrometheusRunner } from './support/prometheus-runner.js';
import { ProofEnvironment } from './support/proof-env.js';
import { synthesizeStack } from './support/stack.js';

const GPU_NODES = Number(process.env.BENCH_GPU_NODES ?? 125);
const GPUS_PER_NODE = 8;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 20);
const HISTORY_SECONDS = 3600;
const HISTORY_STEP = 60;
const LIVE_WINDOW_SECONDS = 60;
/** Target: every panel query's p95 over a 1-hour range. */
const P95_TARGET_MS = 100;
/** The documented budget of head series per GPU (all jobs, see docs/prometheus-proof.md). */
const SERIES_PER_GPU_BUDGET = 130;
const DOC = join(import.meta.dirname, '..', '..', 'docs', 'prometheus-proof.md');

interface Timed {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly kind: 'range' | 'instant';
  readonly expr: string;
  readonly p50: number;
  readonly p95: number;
  readonly series: number;
  readonly raw?: { readonly p50: number; readonly p95: number; readonly series: number };
}

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

async function timeQuery(prom: PrometheusRunner, expr: string, kind: 'range' | 'instant', time: TimeContext, step: number): Promise<{ p50: number; p95: number; series: number }> {
  const run = () => (kind === 'instant' ? prom.query(expr, time.to) : prom.queryRange(expr, Math.floor(time.from / step) * step, Math.floor(time.to / step) * step, step));
  const first = await run(); // warm-up (and the answer)
  const ms: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    await run();
    ms.push(performance.now() - started);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), series: seriesWithValues(first) };
}

/**
 * Waits until the backfilled blocks are merged: the raw history and the recording-rule history are separate,
 * overlapping blocks, which Prometheus compacts (vertically) within a minute or two of starting. Timing queries
 * during that compaction would time the compaction.
 */
async function waitForCompaction(prom: PrometheusRunner, from: number, to: number): Promise<void> {
  const windows = new Set<number>();
  for (let t = from; t < to; t += 60) windows.add(Math.floor(t / 7200));
  const started = performance.now();
  let last = -1;
  for (;;) {
    const blocks = await selfMetric(prom, 'prometheus_tsdb_blocks_loaded');
    const compactions = await selfMetric(prom, 'prometheus_tsdb_compactions_total');
    if (blocks <= windows.size && compactions === last) break;
    if (performance.now() - started > 180_000) {
      console.log(`compaction not settled after 180 s (${blocks} blocks loaded); timing anyway`);
      break;
    }
    last = compactions;
    await sleep(5000);
  }
  console.log(`blocks compacted (${fmt((performance.now() - started) / 1000)} s of waiting)`);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const missing = prometheusMissing();
  if (missing) throw new Error(missing);
  const benchStarted = performance.now();
  const stack = synthesizeStack();
  const gpus = GPU_NODES * GPUS_PER_NODE;
  console.log(`prometheus ${prometheusVersion()}; ${GPU_NODES} nodes x ${GPUS_PER_NODE} GPUs = ${gpus} GPUs; history ${HISTORY_SECONDS / 60} min at ${HISTORY_STEP} s`);
  const env = await ProofEnvironment.start(stack, {
    scenario: 'sick',
    gpuNodes: GPU_NODES,
    gpusPerNode: GPUS_PER_NODE,
    scrapeInterval: '30s',
    overrideIntervals: false,
    evaluationInterval: '30s',
    history: { seconds: HISTORY_SECONDS, stepSeconds: HISTORY_STEP, ruleEvalInterval: `${HISTORY_STEP}s` },
    epoch: Math.floor(Date.now() / 1000) - 3 * 3600,
    log: (m) => console.log(m),
  });
  const stop = () => void env.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const prom = env.prometheus!;
    await env.waitForTargetsUp(120_000);
    console.log(`${env.targets.length} targets up; measuring ingestion over ${LIVE_WINDOW_SECONDS} s of live scraping`);
    await sleep(10_000);
    const a0 = await selfMetric(prom, 'prometheus_tsdb_head_samples_appended_total');
    const t0 = performance.now();
    await sleep(LIVE_WINDOW_SECONDS * 1000);
    const a1 = await selfMetric(prom, 'prometheus_tsdb_head_samples_appended_total');
    const ingestion = (a1 - a0) / ((performance.now() - t0) / 1000);
    await waitForCompaction(prom, env.history!.from, env.history!.to);

    const tsdb = await prom.api<{ headStats: { numSeries: number; chunkCount: number; minTime: number; maxTime: number } }>('/api/v1/status/tsdb');
    const headSeries = tsdb.headStats.numSeries;
    const byJob = (await prom.query('count by (job) ({__name__=~".+"})')).result as { metric: { job?: string }; value: [number, string] }[];
    const byName = (await prom.query('count by (__name__) ({__name__=~".+"})')).result as { metric: { __name__: string }; value: [number, string] }[];

    // metric names any dashboard query or rule reads
    const read = new Set<string>();
    for (const d of stack.dashboards) for (const p of flattenPanels(d.json.panels)) for (const t of p.targets ?? []) if (t.expr) for (const n of metricNames(t.expr, { grafana: true })) read.add(n);
    const records = env.ruleFiles!.records;
    for (const file of Object.values(env.ruleFiles!.files)) for (const g of file.groups) for (const r of g.rules) for (const n of metricNames(String(r.expr))) read.add(n);
    const unreadSeries = byName.filter((s) => !read.has(s.metric.__name__) && !(s.metric.__name__ in records) && !['ALERTS', 'ALERTS_FOR_STATE'].includes(s.metric.__name__) && !s.metric.__name__.startsWith('scrape_') && s.metric.__name__ !== 'up');
    const unreadCount = unreadSeries.reduce((n, s) => n + Number(s.value[1]), 0);
    const topUnread = [...unreadSeries].sort((x, y) => Number(y.value[1]) - Number(x.value[1])).slice(0, 8);
    const unreadRegex = unreadSeries.map((s) => s.metric.__name__).join('|'); // metric names need no regex escaping
    const unreadByJob = unreadRegex ? ((await prom.query(`count by (job) ({__name__=~"${unreadRegex}"})`)).result as { metric: { job?: string }; value: [number, string] }[]) : [];

    // every dashboard query over the last hour, as Grafana would send it
    const to = Math.floor(Date.now() / 1000);
    const time: TimeContext = { from: to - 3600, to, maxDataPoints: 800, scrapeIntervalSeconds: 30 };
    const uids = { [DATASOURCE_TYPES.prometheus]: stack.prometheusDatasourceUid, [DATASOURCE_TYPES.opensearch]: 'opensearch-logs' };
    const timed: Timed[] = [];
    let logPanels = 0;
    for (const dashboard of stack.dashboards) {
      const variables = await resolveVariables(dashboard.json, prom, time, uids);
      for (const panel of flattenPanels(dashboard.json.panels)) {
        for (const target of (panel.targets ?? []).filter((x) => !x.hide)) {
          const type = datasourceTypeOf(target.datasource ?? panel.datasource, variables);
          if (type === DATASOURCE_TYPES.opensearch) {
            logPanels++;
            continue;
          }
          const timing = queryTiming(time, target.interval || panel.interval);
          const expr = interpolate(target.expr ?? '', variables, time, timing);
          const kinds: ('range' | 'instant')[] = target.instant ? ['instant'] : ['range'];
          for (const kind of kinds) {
            const withRules = await timeQuery(prom, expr, kind, time, timing.stepSeconds);
            const rawExpr = inlineRecords(expr, records);
            const raw = rawExpr !== expr ? await timeQuery(prom, rawExpr, kind, time, timing.stepSeconds) : undefined;
            timed.push({ dashboard: dashboard.json.title, panel: panel.title ?? '', refId: target.refId ?? '', kind, expr, ...withRules, raw });
          }
        }
      }
    }
    const rss = await selfMetric(prom, 'process_resident_memory_bytes');
    const worst = [...timed].sort((x, y) => y.p95 - x.p95);
    const over = timed.filter((q) => q.p95 >= P95_TARGET_MS);
    const withRaw = timed.filter((q) => q.raw);
    const empty = timed.filter((q) => q.series === 0);
    const allP95 = timed.map((q) => q.p95);

    const lines: string[] = [];
    lines.push(`Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:prometheus\` on this project's 2-core machine; Prometheus ${prometheusVersion()}.`);
    lines.push('');
    lines.push(`Fixture: ${GPU_NODES} GPU nodes x ${GPUS_PER_NODE} GPUs = **${fmt(gpus)} GPUs** (plus a system node), ${env.cluster!.pods.length} pods, ${env.cluster!.rayClusters.length} Ray clusters, ${env.cluster!.vllmServices.reduce((n, s) => n + s.replicas.length, 0)} vLLM replicas; ${env.targets.length} scrape targets at the monitors' own intervals; ${HISTORY_SECONDS / 60} minutes of history backfilled at ${HISTORY_STEP} s (${fmt(env.history!.samples)} samples).`);
    lines.push('');
    lines.push('| Figure | Value | Target |');
    lines.push('| --- | --- | --- |');
    lines.push(`| Head series | ${fmt(headSeries)} | |`);
    lines.push(`| Head series per GPU | **${fmt(headSeries / gpus, 1)}** | budget ${SERIES_PER_GPU_BUDGET}: ${headSeries / gpus <= SERIES_PER_GPU_BUDGET ? 'PASS' : 'FAIL'} |`);
    lines.push(`| Ingestion (rate of prometheus_tsdb_head_samples_appended_total) | ${fmt(ingestion)} samples/s | |`);
    lines.push(`| Prometheus RSS (process_resident_memory_bytes) | ${fmt(rss / 1024 ** 2)} MiB | |`);
    lines.push(`| Dashboard queries timed (1 h range, ${REPEAT} runs each) | ${timed.length} (${logPanels} log queries skipped) | |`);
    lines.push(`| Queries with data at this scale | ${timed.length - empty.length}/${timed.length} | all |`);
    lines.push(`| p50 / p95 of all query p95s | ${fmt(percentile(allP95, 50), 1)} ms / ${fmt(percentile(allP95, 95), 1)} ms | |`);
    lines.push(`| Slowest query p95 | ${fmt(worst[0]!.p95, 1)} ms (${worst[0]!.dashboard} / ${worst[0]!.panel}) | < ${P95_TARGET_MS} ms: ${over.length === 0 ? 'PASS' : `FAIL (${over.length} over)`} |`);
    lines.push('');
    lines.push('Head series by job (per GPU):');
    lines.push('');
    lines.push('| Job | Series | Per GPU |');
    lines.push('| --- | --- | --- |');
    for (const j of byJob.sort((x, y) => Number(y.value[1]) - Number(x.value[1]))) lines.push(`| ${j.metric.job ?? '(recording rules, ALERTS)'} | ${fmt(Number(j.value[1]))} | ${fmt(Number(j.value[1]) / gpus, 1)} |`);
    lines.push('');
    lines.push(`Series of metrics no dashboard or rule reads: ${fmt(unreadCount)} (${fmt(unreadCount / gpus, 1)} per GPU); by job: ${unreadByJob.sort((x, y) => Number(y.value[1]) - Number(x.value[1])).map((j) => `${j.metric.job ?? '(no job)'} ${fmt(Number(j.value[1]) / gpus, 1)}`).join(', ')} per GPU; largest: ${topUnread.map((s) => `\`${s.metric.__name__}\` ${fmt(Number(s.value[1]))}`).join(', ')}.`);
    lines.push('');
    lines.push(`Recording rules vs raw (the same panel query with every recorded series replaced by its rule's expression), ${withRaw.length} queries that read recorded series:`);
    lines.push('');
    lines.push('| Dashboard / panel | Query | p50 / p95 with rules | p50 / p95 raw |');
    lines.push('| --- | --- | --- | --- |');
    for (const q of [...withRaw].sort((x, y) => y.raw!.p95 - x.raw!.p95)) {
      lines.push(`| ${q.dashboard} / ${q.panel} | ${q.refId} ${q.kind} | ${fmt(q.p50, 1)} / ${fmt(q.p95, 1)} ms | ${fmt(q.raw!.p50, 1)} / ${fmt(q.raw!.p95, 1)} ms |`);
    }
    lines.push('');
    lines.push('Slowest queries as written (p95):');
    lines.push('');
    lines.push('| Dashboard / panel | Query | p50 | p95 | Series |');
    lines.push('| --- | --- | --- | --- | --- |');
    for (const q of worst.slice(0, 10)) lines.push(`| ${q.dashboard} / ${q.panel} | ${q.refId} ${q.kind} | ${fmt(q.p50, 1)} ms | ${fmt(q.p95, 1)} ms | ${q.series} |`);
    lines.push('');
    lines.push(`Start-up phases (s): ${Object.entries(env.timings).map(([k, v]) => `${k} ${v}`).join(', ')}; whole bench ${fmt((performance.now() - benchStarted) / 1000)} s.`);
    const report = lines.join('\n');
    console.log(`\n${report}\n`);
    if (empty.length) console.log(`queries without data at scale:\n  ${empty.map((q) => `${q.dashboard} / ${q.panel} ${q.refId}: ${q.expr}`).join('\n  ')}`);

    if (process.env.BENCH_NO_DOC !== '1') {
      const doc = readFileSync(DOC, 'utf8');
      const start = '<!-- bench:start -->';
      const end = '<!-- bench:end -->';
      if (!doc.includes(start) || !doc.includes(end)) throw new Error(`${DOC} lacks the ${start} / ${end} markers`);
      writeFileSync(DOC, `${doc.slice(0, doc.indexOf(start) + start.length)}\n${report}\n${doc.slice(doc.indexOf(end))}`);
      console.log(`figures written into ${DOC}`);
    }
    if (over.length > 0 || headSeries / gpus > SERIES_PER_GPU_BUDGET) process.exitCode = 1;
  } finally {
    await env.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

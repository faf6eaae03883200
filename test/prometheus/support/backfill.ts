/**
 * History for the real Prometheus (test code): the fixture's exporters rendered at past timestamps, labelled as
 * the live scrape labels them, written as OpenMetrics and turned into TSDB blocks with
 * `promtool tsdb create-blocks-from openmetrics`; recording rules over that history with
 * `promtool tsdb create-blocks-from rules`.
 *
 * Target labels come from running each scrape config's relabel_configs over its static targets in TypeScript
 * ({@link resolveTargets}); the test compares them with the labels the real Prometheus reports on
 * /api/v1/targets, so the backfilled and live series are the same series.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { seriesText, formatValue } from '../fixture/exposition.js';
import type { FixtureTarget, TelemetryFixture } from '../fixture/server.js';
import type { ScrapeConfig } from './monitor-translator.js';
import { PROMTOOL_BIN } from './prometheus-runner.js';
import { relabel, scrapedLabels } from './relabel.js';

/** A target as Prometheus will scrape it. */
export interface ResolvedTarget {
  readonly job: ScrapeConfig;
  readonly fixture: FixtureTarget;
  readonly path: string;
  /** Target labels after relabeling (no `__` labels). */
  readonly labels: Record<string, string>;
  /** URL Prometheus scrapes. */
  readonly scrapeUrl: string;
}

/** Runs every scrape config's relabeling over its static targets, as Prometheus' target manager does. */
export function resolveTargets(configs: readonly ScrapeConfig[], fixture: TelemetryFixture, globalScrapeInterval: string): ResolvedTarget[] {
  const out: ResolvedTarget[] = [];
  for (const job of configs) {
    for (const group of job.static_configs) {
      for (const address of group.targets) {
        const initial: Record<string, string> = {
          ...group.labels,
          job: job.job_name,
          __address__: address,
          __metrics_path__: job.metrics_path ?? '/metrics',
          __scheme__: job.scheme ?? 'http',
          __scrape_interval__: job.scrape_interval ?? globalScrapeInterval,
          __scrape_timeout__: job.scrape_timeout ?? globalScrapeInterval,
        };
        for (const [k, v] of Object.entries(job.params ?? {})) initial[`__param_${k}`] = v[0]!;
        const result = relabel(initial, job.relabel_configs);
        if (!result) continue;
        const labels: Record<string, string> = {};
        for (const [k, v] of Object.entries(result)) if (!k.startsWith('__')) labels[k] = v;
        labels.instance ??= result.__address__!;
        const fixtureTarget = fixture.targetAt(result.__address__!);
        const path = result.__metrics_path__ ?? '/metrics';
        if (!fixtureTarget || !fixtureTarget.endpoint.paths[path]) continue; // scrapes as down: nothing to backfill
        out.push({ job, fixture: fixtureTarget, path, labels, scrapeUrl: `${result.__scheme__}://${result.__address__}${path}` });
      }
    }
  }
  return out;
}

/** Result of {@link writeOpenMetricsHistory}. */
export interface HistoryStats {
  readonly samples: number;
  readonly seriesAtEnd: number;
}

/**
 * Writes the fixture's output for every target at `from, from+step, ... < to` as an OpenMetrics file, each sample
 * labelled as the scrape would label it (honor_labels, metric_relabel_configs). Samples are written time by time,
 * so every series' timestamps ascend.
 */
export async function writeOpenMetricsHistory(file: string, fixture: TelemetryFixture, targets: readonly ResolvedTarget[], from: number, to: number, stepSeconds: number): Promise<HistoryStats> {
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  let samples = 0;
  let seriesAtEnd = 0;
  const write = (chunk: string) => (out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  // Series text per target and sample position: an exporter writes the same series in the same order on every
  // scrape, so labels are worked out once and reused while the sample names and label values stay the same.
  const cache = new Map<ResolvedTarget, { keys: string[]; texts: (string | undefined)[] }>();
  for (let t = from; t < to; t += stepSeconds) {
    seriesAtEnd = 0;
    const ts = t.toFixed(3);
    for (const target of targets) {
      const flat = fixture.render(target.fixture, target.path, t).flatMap((f) => f.samples);
      const keys = flat.map((s) => `${s.name}${Object.values(s.labels).join('\u0000')}`);
      let cached = cache.get(target);
      if (!cached || cached.keys.length !== keys.length || cached.keys.some((k, i) => k !== keys[i])) {
        const metricRelabel = target.job.metric_relabel_configs ?? [];
        const seen = new Set<string>();
        const texts = flat.map((sample) => {
          const labels = scrapedLabels({ __name__: sample.name, ...sample.labels }, target.labels, target.job.honor_labels, metricRelabel);
          if (!labels) return undefined;
          const { __name__: name, ...rest } = labels;
          const text = seriesText(name!, rest);
          if (seen.has(text)) return undefined; // a duplicate series in one scrape: Prometheus keeps the first
          seen.add(text);
          return text;
        });
        cached = { keys, texts };
        cache.set(target, cached);
      }
      let chunk = '';
      flat.forEach((sample, i) => {
        const text = cached!.texts[i];
        if (text === undefined) return;
        chunk += `${text} ${formatValue(sample.value)} ${ts}\n`;
        samples++;
        seriesAtEnd++;
      });
      if (chunk) await write(chunk);
    }
  }
  await write('# EOF\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { samples, seriesAtEnd };
}

/** `promtool tsdb create-blocks-from openmetrics <file> <dir>`; throws with promtool's output on failure. */
export function createBlocksFromOpenMetrics(file: string, dataDir: string): void {
  const result = spawnSync(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`promtool create-blocks-from openmetrics failed:\n${result.stdout}${result.stderr}`.slice(0, 4000));
}

/** `promtool tsdb create-blocks-from rules` against a running Prometheus; throws with promtool's output on failure. */
export function createBlocksFromRules(url: string, ruleFiles: readonly string[], from: number, to: number, outputDir: string, evalInterval: string): void {
  const result = spawnSync(
    PROMTOOL_BIN,
    ['tsdb', 'create-blocks-from', 'rules', '--quiet', `--url=${url}`, `--start=${Math.floor(from)}`, `--end=${Math.floor(to)}`, `--output-dir=${outputDir}`, `--eval-interval=${evalInterval}`, ...ruleFiles],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`promtool create-blocks-from rules failed:\n${result.stdout}${result.stderr}`.slice(0, 4000));
}

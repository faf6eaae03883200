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
  const out = createWriteStream(file);
  let samples = 0;
  let lastSeries = new Set<string>();
  const write = (chunk: string) => (out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  for (let t = from; t < to; t += stepSeconds) {
    const series = new Set<string>();
    const ts = t.toFixed(3);
    for (const target of targets) {
      const lines: string[] = [];
      const metricRelabel = target.job.metric_relabel_configs ?? [];
      for (const family of fixture.render(target.fixture, target.path, t)) {
        for (const sample of family.samples) {
          const labels = scrapedLabels({ __name__: sample.name, ...sample.labels }, target.labels, target.job.honor_labels, metricRelabel);
          if (!labels) continue;
          const { __name__: name, ...rest } = labels;
          const text = seriesText(name!, rest);
          if (series.has(text)) continue; // a duplicate series in one scrape: Prometheus keeps the first
          series.add(text);
          lines.push(`${text} ${formatValue(sample.value)} ${ts}`);
        }
      }
      samples += lines.length;
      if (lines.length > 0) await write(`${lines.join('\n')}\n`);
    }
    lastSeries = series;
  }
  await write('# EOF\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { samples, seriesAtEnd: lastSeries.size };
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

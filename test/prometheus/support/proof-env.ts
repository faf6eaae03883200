/**
 * One proof environment (test code): the telemetry fixture for a cluster and scenario, a real Prometheus on
 * 127.0.0.1 scraping it through scrape configs translated from the synthesized monitors, with the synthesized
 * PrometheusRules loaded, and optionally some history (backfilled raw samples and recording rules) so that
 * dashboard queries over a time range and `[$__range:5m]` subqueries have data from the first second.
 *
 * {@link ProofEnvironment.stop} stops Prometheus and the fixture and removes every file, also when start-up
 * failed half-way.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildCluster, type ClusterModel, type Scenario } from '../fixture/cluster.js';
import { TelemetryFixture } from '../fixture/server.js';
import { createBlocksFromOpenMetrics, createBlocksFromRules, resolveTargets, writeOpenMetricsHistory, type HistoryStats, type ResolvedTarget } from './backfill.js';
import { inventoryOf, translateMonitor, type ScrapeConfig } from './monitor-translator.js';
import { PrometheusRunner } from './prometheus-runner.js';
import { recordingRulePasses, ruleFilesOf, type RuleFiles } from './rule-files.js';
import type { SynthesizedStack } from './stack.js';

export interface ProofOptions {
  readonly scenario: Scenario;
  readonly gpuNodes: number;
  readonly gpusPerNode: 4 | 8;
  readonly nodeExporterCpus?: number;
  /** Global scrape interval, and every monitor's interval when `overrideIntervals`. */
  readonly scrapeInterval: string;
  /** Replace the monitors' intervals by `scrapeInterval` (the test scrapes every second). @default true */
  readonly overrideIntervals?: boolean;
  /** Global and rule-group evaluation interval. */
  readonly evaluationInterval: string;
  /** Shorten every alert's `for:` to this in the test's copy of the rules (reported). @default keep */
  readonly forOverride?: string;
  /** Backfill this much history before Prometheus starts. @default none */
  readonly history?: { readonly seconds: number; readonly stepSeconds: number; readonly ruleEvalInterval: string };
  /** Unix seconds the simulated processes started (counters count from here). */
  readonly epoch?: number;
  readonly log?: (message: string) => void;
  /** More of the Prometheus configuration: `external_labels` of `global`, and `remote_write`. @default none */
  readonly extraConfig?: { readonly externalLabels?: Readonly<Record<string, string>>; readonly remoteWrite?: readonly unknown[] };
}

/** A running proof environment. */
export class ProofEnvironment {
  public prometheus?: PrometheusRunner;
  public fixture?: TelemetryFixture;
  public cluster?: ClusterModel;
  public scrapeConfigs: ScrapeConfig[] = [];
  public targets: ResolvedTarget[] = [];
  public ruleFiles?: RuleFiles;
  public history?: HistoryStats & { readonly from: number; readonly to: number; readonly seconds: number };
  /** Seconds each start-up phase took. */
  public readonly timings: Record<string, number> = {};
  private readonly workDir: string;

  private constructor(
    public readonly stack: SynthesizedStack,
    public readonly options: ProofOptions,
  ) {
    this.workDir = mkdtempSync(join(tmpdir(), `prom-proof-${options.scenario}-`));
  }

  /** Starts everything; on failure stops what was started and rethrows. */
  static async start(stack: SynthesizedStack, options: ProofOptions): Promise<ProofEnvironment> {
    const env = new ProofEnvironment(stack, options);
    try {
      await env.run();
      return env;
    } catch (error) {
      await env.stop();
      throw error;
    }
  }

  /** The Prometheus configuration in use. */
  get config(): Record<string, unknown> {
    const extra = this.options.extraConfig;
    return {
      global: {
        scrape_interval: this.options.scrapeInterval,
        scrape_timeout: this.options.scrapeInterval,
        evaluation_interval: this.options.evaluationInterval,
        ...(extra?.externalLabels ? { external_labels: { ...extra.externalLabels } } : {}),
      },
      scrape_configs: this.scrapeConfigs,
      ...(extra?.remoteWrite ? { remote_write: [...extra.remoteWrite] } : {}),
    };
  }

  private phase<T>(name: string, started: number, value: T): T {
    this.timings[name] = Math.round((performance.now() - started) / 100) / 10;
    this.options.log?.(`[${this.options.scenario}] ${name}: ${this.timings[name]} s`);
    return value;
  }

  private async run(): Promise<void> {
    const o = this.options;
    let t0 = performance.now();
    this.cluster = buildCluster({
      scenario: o.scenario,
      gpuNodes: o.gpuNodes,
      gpusPerNode: o.gpusPerNode,
      nodeExporterCpus: o.nodeExporterCpus,
      names: this.stack.names,
      ksmPodLabelAllowlist: this.stack.ksmPodLabelAllowlist,
      dcgmFields: this.stack.dcgmFields,
      epoch: o.epoch,
    });
    this.fixture = await TelemetryFixture.start(this.cluster);
    const inventory = inventoryOf(this.cluster, this.fixture);
    const translate = { defaultNamespace: this.stack.namespace, intervalOverride: (o.overrideIntervals ?? true) ? o.scrapeInterval : undefined };
    this.scrapeConfigs = [...this.stack.monitors, ...this.stack.chartMonitors].flatMap((m) => translateMonitor(m, inventory, translate));
    this.ruleFiles = ruleFilesOf([...this.stack.rules, ...this.stack.chartRules], { forOverride: o.forOverride, intervalOverride: o.evaluationInterval });
    this.targets = resolveTargets(this.scrapeConfigs, this.fixture, o.scrapeInterval);
    this.phase('fixture and config', t0, undefined);

    const dataDir = join(this.workDir, 'data');
    mkdirSync(dataDir);
    if (o.history) {
      // Raw history up to now, recording rules over it, then again for what passed meanwhile, until the last chunk is
      // a few seconds: the Prometheus the rules are backfilled against does not scrape (samples it scraped before a
      // restart onto newer blocks are lost), so the only gap before live scraping starts is that last chunk.
      const step = o.history.stepSeconds;
      const from = Math.floor(Date.now() / 1000) - 1 - o.history.seconds;
      let next = from;
      let samples = 0;
      let seriesAtEnd = 0;
      const timings = { raw: 0, blocks: 0, rules: 0 };
      for (let chunk = 0; chunk < 4; chunk++) {
        const to = Math.floor(Date.now() / 1000) - 1;
        if (chunk > 0 && to - next < 5) break;
        t0 = performance.now();
        const file = join(this.workDir, `history-${chunk}.om`);
        const stats = await writeOpenMetricsHistory(file, this.fixture, this.targets, next, to, step);
        samples += stats.samples;
        seriesAtEnd = stats.seriesAtEnd;
        timings.raw += performance.now() - t0;
        t0 = performance.now();
        createBlocksFromOpenMetrics(file, dataDir);
        rmSync(file);
        timings.blocks += performance.now() - t0;
        t0 = performance.now();
        await this.backfillRules(dataDir, next, to, o.history.ruleEvalInterval, chunk);
        timings.rules += performance.now() - t0;
        next = from + Math.ceil((to - from) / step) * step;
        this.history = { samples, seriesAtEnd, from, to, seconds: to - from };
      }
      for (const [name, ms] of Object.entries({ 'history written': timings.raw, 'history blocks': timings.blocks, 'recording-rule history': timings.rules })) {
        this.timings[name] = Math.round(ms / 100) / 10;
        o.log?.(`[${o.scenario}] ${name}: ${this.timings[name]} s`);
      }
    }

    t0 = performance.now();
    this.prometheus = await PrometheusRunner.start({ config: this.config, ruleFiles: this.ruleFiles.files, dataDir });
    this.phase('prometheus start', t0, undefined);
  }

  /**
   * Recording rules over [from, to), one pass per level of rules reading records (see recordingRulePasses), each
   * against a Prometheus (not scraping) started on the blocks of the passes before.
   */
  private async backfillRules(dataDir: string, from: number, to: number, evalInterval: string, chunk: number): Promise<void> {
    const { global } = this.config;
    const quiet = { global, scrape_configs: [] };
    for (const [i, pass] of recordingRulePasses(this.ruleFiles!.files).entries()) {
      const passDir = join(this.workDir, `rule-pass-${chunk}-${i}`);
      const rulesOut = join(passDir, 'blocks');
      mkdirSync(passDir);
      const files = Object.entries(pass).map(([name, content]) => {
        writeFileSync(join(passDir, name), stringify(content));
        return join(passDir, name);
      });
      const prometheus = await PrometheusRunner.start({ config: quiet, ruleFiles: {}, dataDir });
      try {
        createBlocksFromRules(prometheus.url, files, from, to, rulesOut, evalInterval);
      } finally {
        await prometheus.stop();
      }
      // a chunk shorter than the evaluation interval has no evaluation: promtool writes no output directory
      if (!existsSync(rulesOut)) continue;
      for (const block of readdirSync(rulesOut)) renameSync(join(rulesOut, block), join(dataDir, block));
    }
  }

  /** Waits until every target the fixture serves is scraped successfully. */
  async waitForTargetsUp(timeoutMs: number): Promise<void> {
    const expected = new Set(this.targets.map((t) => t.scrapeUrl));
    await this.prometheus!.waitFor(
      `${expected.size} targets up`,
      async () => {
        const active = await this.prometheus!.activeTargets();
        return [...expected].every((url) => active.some((a) => a.scrapeUrl === url && a.health === 'up'));
      },
      timeoutMs,
    );
  }

  /** Stops Prometheus and the fixture and removes the environment's files. */
  async stop(): Promise<void> {
    try {
      await this.prometheus?.stop();
    } finally {
      try {
        await this.fixture?.stop();
      } finally {
        rmSync(this.workDir, { recursive: true, force: true });
      }
    }
  }
}

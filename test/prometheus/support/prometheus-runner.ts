/**
 * Runs a real Prometheus for a test (test code): on 127.0.0.1 and a free port, with a temporary data directory,
 * in its own process group; stopped (SIGTERM, then SIGKILL) and its directory removed by {@link stop}, which also
 * runs when the Node process exits. A small client for the HTTP API comes with it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Where the Debian package installs the binaries. */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

/** Why Prometheus cannot run here, or undefined when it can. */
export function prometheusMissing(): string | undefined {
  for (const bin of [PROMETHEUS_BIN, PROMTOOL_BIN]) {
    if (!existsSync(bin)) return `${bin} not found: apt-get install -y prometheus (or set PROMETHEUS_BIN / PROMTOOL_BIN)`;
  }
  return undefined;
}

/** The installed Prometheus version, e.g. "2.42.0". */
export function prometheusVersion(): string {
  const out = spawnSync(PROMETHEUS_BIN, ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(`${out.stdout}${out.stderr}`)?.[1] ?? 'unknown';
}

/** A free TCP port on 127.0.0.1 (bound and released; Prometheus binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Options of {@link PrometheusRunner.start}. */
export interface PrometheusOptions {
  /** The configuration (global, scrape_configs, rule_files are written as given). */
  readonly config: Record<string, unknown>;
  /** Rule files to write beside the config: file name -> content (YAML object). */
  readonly ruleFiles?: Readonly<Record<string, unknown>>;
  /** Use this data directory (kept by stop()) instead of a temporary one. */
  readonly dataDir?: string;
  /** Extra command-line flags. */
  readonly flags?: readonly string[];
  /** How long to wait for /-/ready. @default 30000 */
  readonly readyTimeoutMs?: number;
  /** Listen on this port (a restarted remote-write receiver keeps its URL). @default a free port */
  readonly port?: number;
}

const running = new Set<PrometheusRunner>();
process.once('exit', () => {
  for (const p of running) p.killNow();
});

/** A Prometheus process and the files it uses. */
export class PrometheusRunner {
  public readonly url: string;
  private exited = false;
  private readonly log: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    public readonly port: number,
    public readonly workDir: string,
    public readonly dataDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    child.once('exit', () => {
      this.exited = true;
    });
    const keep = (chunk: Buffer) => {
      this.log.push(chunk.toString());
      if (this.log.length > 200) this.log.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** Writes the configuration and rule files, starts Prometheus and waits until it is ready. */
  static async start(options: PrometheusOptions): Promise<PrometheusRunner> {
    const missing = prometheusMissing();
    if (missing) throw new Error(missing);
    const workDir = mkdtempSync(join(tmpdir(), 'prom-proof-'));
    const ruleNames = Object.keys(options.ruleFiles ?? {});
    for (const name of ruleNames) writeFileSync(join(workDir, name), stringify(options.ruleFiles![name]));
    const config = { ...options.config, rule_files: ruleNames.map((n) => join(workDir, n)) };
    writeFileSync(join(workDir, 'prometheus.yml'), stringify(config, { lineWidth: 0 }));
    const check = spawnSync(PROMTOOL_BIN, ['check', 'config', join(workDir, 'prometheus.yml')], { encoding: 'utf8' });
    if (check.status !== 0) {
      rmSync(workDir, { recursive: true, force: true });
      throw new Error(`promtool check config failed:\n${check.stdout}${check.stderr}`);
    }
    const dataDir = options.dataDir ?? join(workDir, 'data');
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = options.port ?? (await freePort());
      const child = spawn(
        PROMETHEUS_BIN,
        [
          `--config.file=${join(workDir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${dataDir}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--storage.tsdb.retention.time=7d',
          '--log.level=warn',
          ...(options.flags ?? []),
        ],
        { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const runner = new PrometheusRunner(child, port, workDir, dataDir);
      running.add(runner);
      try {
        await runner.waitReady(options.readyTimeoutMs ?? 30_000);
        return runner;
      } catch (error) {
        lastError = error;
        await runner.stop({ keepFiles: true });
      }
    }
    rmSync(workDir, { recursive: true, force: true });
    throw lastError;
  }

  /** Recent lines Prometheus logged (warnings and errors). */
  get recentLog(): string {
    return this.log.join('');
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`prometheus exited during start-up:\n${this.recentLog}`);
      try {
        const res = await fetch(`${this.url}/-/ready`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`prometheus not ready after ${timeoutMs} ms:\n${this.recentLog}`);
  }

  /** Kills the process group immediately (used on process exit). */
  killNow(): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Stops Prometheus (SIGTERM to its process group, SIGKILL after 10 s) and removes its files. */
  async stop(options: { keepFiles?: boolean } = {}): Promise<void> {
    if (!this.exited && this.child.pid !== undefined) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      try {
        process.kill(-this.child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => this.killNow(), 10_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(this);
    // the work directory holds the config, the rule files and (unless one was given) the data directory
    if (!options.keepFiles) rmSync(this.workDir, { recursive: true, force: true });
  }

  // ---- HTTP API ----

  /** GET an API path (with query parameters); returns `data` or throws with Prometheus' error. */
  async api<T = any>(path: string, params: Record<string, string | string[]> = {}): Promise<T> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const value of Array.isArray(v) ? v : [v]) search.append(k, value);
    const res = await fetch(`${this.url}${path}?${search}`);
    const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new PrometheusApiError(`${path} ${JSON.stringify(params)}: ${body.errorType}: ${body.error}`);
    return body.data;
  }

  /** POST a form to an API path (long queries). */
  async apiPost<T = any>(path: string, params: Record<string, string>): Promise<T> {
    const res = await fetch(`${this.url}${path}`, { method: 'POST', body: new URLSearchParams(params) });
    const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new PrometheusApiError(`${path} ${JSON.stringify(params)}: ${body.errorType}: ${body.error}`);
    return body.data;
  }

  /** Instant query. */
  async query(expr: string, time?: number): Promise<PromResult> {
    return this.apiPost<PromResult>('/api/v1/query', { query: expr, ...(time !== undefined ? { time: String(time) } : {}) });
  }

  /** Range query. */
  async queryRange(expr: string, start: number, end: number, step: number): Promise<PromResult> {
    return this.apiPost<PromResult>('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) });
  }

  /** Active targets (scrape pool, labels after relabeling, health, last error). */
  async activeTargets(): Promise<ActiveTarget[]> {
    return (await this.api<{ activeTargets: ActiveTarget[] }>('/api/v1/targets', { state: 'active' })).activeTargets;
  }

  /** Alerts currently pending or firing. */
  async alerts(): Promise<PromAlert[]> {
    return (await this.api<{ alerts: PromAlert[] }>('/api/v1/alerts')).alerts;
  }

  /** Rule groups with their rules' health and last error. */
  async ruleGroups(): Promise<RuleGroupStatus[]> {
    return (await this.api<{ groups: RuleGroupStatus[] }>('/api/v1/rules')).groups;
  }

  /** Waits until `condition` is true (polling every `intervalMs`), at most `timeoutMs`. */
  async waitFor(what: string, condition: () => Promise<boolean>, timeoutMs: number, intervalMs = 500): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exited) throw new Error(`prometheus exited while waiting for ${what}:\n${this.recentLog}`);
      if (await condition()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(intervalMs);
    }
  }
}

/** An error answer of the Prometheus API. */
export class PrometheusApiError extends Error {}

/** A query result. */
export interface PromResult {
  readonly resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  readonly result: any;
}

/** Number of series in a result (a scalar counts as one). */
export function seriesCount(result: PromResult): number {
  if (result.resultType === 'scalar' || result.resultType === 'string') return 1;
  return (result.result as unknown[]).length;
}

export interface ActiveTarget {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly labels: Record<string, string>;
  readonly discoveredLabels: Record<string, string>;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
}

export interface PromAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly activeAt: string;
  readonly value: string;
}

export interface RuleGroupStatus {
  readonly name: string;
  readonly file: string;
  readonly rules: { readonly name: string; readonly type: 'alerting' | 'recording'; readonly health: string; readonly lastError?: string; readonly query: string }[];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

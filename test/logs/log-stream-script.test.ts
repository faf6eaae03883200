/**
 * The log-stream script (bootstrap Job and check CronJob) run for real, with bash and curl, against a STAND-IN for
 * OpenSearch: this machine cannot run OpenSearch, so a small HTTP server answers the few REST calls the script makes,
 * shaped as OpenSearch 3.1 answers them (data stream API `GET/PUT _data_stream/<name>`; index template
 * `GET _index_template/<name>`; ISM `GET _plugins/_ism/policies/<id>`, `GET _plugins/_ism/explain/<index>` with
 * `index.plugins.index_state_management.policy_id` null for an unmanaged index, `POST _plugins/_ism/add/<index>`
 * answering `updated_indices`; `_cat/indices?format=json`). ISM's rule is modelled too: a policy's ISM template
 * attaches it only to indices created after the policy. What the stand-in cannot prove: the real cluster's answers
 * and permissions (docs/logs.md says so).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_STREAM_SCRIPT } from '../../src/logs/opensearch/log-stream-bootstrap.js';
import { CERTIFICATE_CHECK_SCRIPT } from '../../src/logs/opensearch/certificate-expiry-check.js';

const POLICY = 'logs-log-retention';
const TEMPLATE = 'logs-log-streams';
const STREAMS = ['logs-container', 'logs-systemd', 'logs-kernel'];
/** A password with the characters curl's config syntax needs escaped. */
const PASSWORD = 'p"ss\\word with spaces';

interface Index { policy: string | null; stream?: string }
class StandIn {
  health = 200;
  template = false;
  policy = false;
  readonly indices = new Map<string, Index>();
  readonly streams = new Map<string, string[]>();
  readonly calls: string[] = [];
  readonly auth = new Set<string>();
  /** Template lookups before the template and policy appear (the operator's controllers, retrying later). */
  operatorAfterCalls = 0;
  server!: Server;

  createIndex(name: string, stream?: string) {
    // ISM attaches a policy by its ISM template only to indices created after the policy exists.
    this.indices.set(name, { policy: this.policy ? POLICY : null, ...(stream ? { stream } : {}) });
  }

  handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, 'http://x');
    const path = decodeURIComponent(url.pathname);
    this.calls.push(`${req.method} ${path}`);
    this.auth.add(req.headers.authorization ?? '');
    const send = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    let m: RegExpExecArray | null;
    if (path === '/_cluster/health') return send(this.health, { status: this.health === 200 ? 'green' : 'red' });
    if ((m = /^\/_index_template\/(.+)$/.exec(path))) {
      if (this.operatorAfterCalls > 0 && --this.operatorAfterCalls === 0) { this.template = true; this.policy = true; }
      return send(this.template && m[1] === TEMPLATE ? 200 : 404, {});
    }
    if ((m = /^\/_plugins\/_ism\/policies\/(.+)$/.exec(path))) return send(this.policy && m[1] === POLICY ? 200 : 404, {});
    if ((m = /^\/_data_stream\/(.+)$/.exec(path))) {
      const name = m[1]!;
      if (req.method === 'PUT') {
        if (this.streams.has(name) || this.indices.has(name)) return send(400, { error: { type: 'resource_already_exists_exception' } });
        const backing = `.ds-${name}-000001`;
        this.streams.set(name, [backing]);
        this.createIndex(backing, name);
        return send(200, { acknowledged: true });
      }
      const indices = this.streams.get(name);
      return indices ? send(200, { data_streams: [{ name, timestamp_field: { name: '@timestamp' }, indices: indices.map((i) => ({ index_name: i, index_uuid: 'u' })), generation: indices.length, status: 'GREEN', template: TEMPLATE }] }) : send(404, { error: { type: 'index_not_found_exception' } });
    }
    if ((m = /^\/_plugins\/_ism\/explain\/(.+)$/.exec(path))) {
      const index = this.indices.get(m[1]!);
      return send(200, { [m[1]!]: { 'index.plugins.index_state_management.policy_id': index?.policy ?? null, 'index.opendistro.index_state_management.policy_id': index?.policy ?? null, enabled: index?.policy ? true : null }, total_managed_indices: index?.policy ? 1 : 0 });
    }
    if ((m = /^\/_plugins\/_ism\/add\/(.+)$/.exec(path)) && req.method === 'POST') {
      const index = this.indices.get(m[1]!)!;
      if (index.policy) return send(200, { updated_indices: 0, failures: true, failed_indices: [{ index_name: m[1], reason: 'This index already has a policy, use the update policy API to update index policies' }] });
      index.policy = POLICY;
      return send(200, { updated_indices: 1, failures: false, failed_indices: [] });
    }
    if ((m = /^\/_cat\/indices\/(.+)$/.exec(path))) {
      const prefix = m[1]!.replace(/\*$/, '');
      const plain = [...this.indices.entries()].filter(([name, i]) => !i.stream && name.startsWith(prefix)).map(([name]) => name);
      const backing = [...this.streams.entries()].filter(([name]) => name.startsWith(prefix)).flatMap(([, indices]) => indices);
      return send(200, [...plain, ...backing].map((index) => ({ index })));
    }
    if ((m = /^\/([^_/][^/]*)$/.exec(path))) return send(this.indices.has(m[1]!) && !this.indices.get(m[1]!)!.stream ? 200 : 404, {});
    return send(400, { error: `stand-in does not know ${req.method} ${path}` });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => { req.resume(); req.on('end', () => this.handle(req, res)); });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'log-streams-'));
const script = join(dir, 'log-streams.sh');
writeFileSync(script, LOG_STREAM_SCRIPT);

let standIn: StandIn;
afterEach(() => standIn?.server.close());

/** Shims that record the command line of every external command the script runs, then run the real one. */
const shims = join(dir, 'shims');
const argvLog = join(dir, 'argv.log');
mkdirSync(shims);
for (const command of ['curl', 'sed', 'grep', 'cat', 'mktemp', 'printenv', 'sleep']) {
  const real = execFileSync('bash', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
  writeFileSync(join(shims, command), `#!/bin/bash\nprintf '%s\\n' "${command} $*" >> '${argvLog}'\nexec ${real} "$@"\n`, { mode: 0o755 });
}

async function run(mode: string, setup: (s: StandIn) => void = () => {}): Promise<{ code: number; stdout: string; stderr: string }> {
  standIn = new StandIn();
  setup(standIn);
  const url = await standIn.start();
  const env = { PATH: `${shims}:${process.env.PATH!}`, OPENSEARCH_URL: url, OPENSEARCH_USERNAME: 'admin', OPENSEARCH_PASSWORD: PASSWORD, TEMPLATE_NAME: TEMPLATE, POLICY_ID: POLICY, DATA_STREAMS: STREAMS.join(' '), INDEX_PATTERN: 'logs-*', OPENSEARCH_CA_FILE: '/dev/null', WAIT_SECONDS: '0.05' };
  return new Promise((resolve) => {
    execFile('bash', [script, mode], { env, timeout: 20_000 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

describe('log-stream script against an OpenSearch stand-in (issue 11 item 1)', () => {
  it('bootstrap waits for the operator\'s template and policy, then creates every data stream under the policy', async () => {
    const result = await run('bootstrap', (s) => { s.operatorAfterCalls = 3; });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('waiting: index template');
    for (const stream of STREAMS) {
      expect(standIn.streams.get(stream)).toEqual([`.ds-${stream}-000001`]);
      expect(standIn.indices.get(`.ds-${stream}-000001`)!.policy).toBe(POLICY);
    }
    // No data stream was created before the template and the policy existed.
    const firstPut = standIn.calls.findIndex((c) => c.startsWith('PUT /_data_stream/'));
    const lastWait = standIn.calls.map((c) => c).lastIndexOf(`GET /_plugins/_ism/policies/${POLICY}`);
    expect(firstPut).toBeGreaterThan(lastWait);
    // Basic auth with the password as given, special characters and all (curl config read from stdin)...
    expect([...standIn.auth]).toEqual([`Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`]);
    // ...and no command line of any command it ran held the password (it is visible to every process of the node).
    const commandLines = readFileSync(argvLog, 'utf8');
    expect(commandLines).toMatch(/^curl /m);
    expect(commandLines).not.toContain('ss\\word');
  });

  it('is idempotent: a second run over the finished state changes nothing and succeeds', async () => {
    const result = await run('check', (s) => {
      s.template = true; s.policy = true;
      for (const stream of STREAMS) { s.streams.set(stream, [`.ds-${stream}-000001`]); s.createIndex(`.ds-${stream}-000001`, stream); }
    });
    expect(result.code, result.stderr).toBe(0);
    expect(standIn.calls.filter((c) => !c.startsWith('GET '))).toEqual([]);
  });

  it('attaches the policy to backing indices created before it (ISM templates only catch later ones), then passes', async () => {
    const result = await run('check', (s) => {
      s.template = true;
      for (const stream of STREAMS) { s.streams.set(stream, [`.ds-${stream}-000001`]); s.createIndex(`.ds-${stream}-000001`, stream); }
      s.policy = true; // created after the indices: they are unmanaged
    });
    expect(result.code, result.stderr).toBe(0);
    for (const stream of STREAMS) expect(standIn.indices.get(`.ds-${stream}-000001`)!.policy).toBe(POLICY);
    expect(standIn.calls.filter((c) => c.startsWith('POST /_plugins/_ism/add/'))).toHaveLength(3);
  });

  it('fails, naming it, on a plain index where a data stream belongs (a writer that could create indices made it)', async () => {
    const result = await run('check', (s) => { s.template = true; s.policy = true; s.createIndex('logs-container'); });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PROBLEM: logs-container is a plain index, not a data stream');
    expect(standIn.streams.has('logs-systemd')).toBe(true); // the others are still created
    expect(standIn.calls).not.toContain('DELETE /logs-container'); // nothing is deleted
  });

  it('fails on any other plain index under logs-*', async () => {
    const result = await run('check', (s) => { s.template = true; s.policy = true; s.createIndex('logs-log-reader'); });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PROBLEM: logs-log-reader matches logs-* but is a plain index');
  });

  it('check does not wait: an unreachable or red cluster fails at once', async () => {
    const result = await run('check', (s) => { s.health = 503; });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not yet: OpenSearch at');
  });

  it('refuses an unknown mode', async () => {
    const result = await run('destroy');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: log-streams.sh bootstrap|check');
  });
});

describe('certificate check script, run for real with keytool and certificates made by openssl (issue 11 item 2)', () => {
  /** A self-signed certificate valid for `days` days, at `<root>/<secret>/<file>`. */
  function certificate(root: string, secret: string, file: string, days: number): void {
    const dirPath = join(root, secret);
    mkdirSync(dirPath, { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${secret}`, '-days', String(days), '-keyout', join(dirPath, 'tls.key'), '-out', join(dirPath, file)], { stdio: 'ignore' });
  }
  const checkScript = join(dir, 'check-certificates.sh');
  writeFileSync(checkScript, CERTIFICATE_CHECK_SCRIPT);
  const check = (root: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile('bash', [checkScript], { env: { PATH: process.env.PATH!, CERTS_DIR: root, MIN_DAYS_LEFT: '30' }, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })),
    );

  it('passes while every certificate has more than 30 days left, listing each', async () => {
    const root = mkdtempSync(join(tmpdir(), 'certs-ok-'));
    certificate(root, 'logs-http-cert', 'tls.crt', 365);
    certificate(root, 'logs-transport-cert', 'logs-nodes-0.crt', 200);
    const result = await check(root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ok: .*logs-http-cert\/tls\.crt expires in 36[45] days/);
    expect(result.stdout).toMatch(/ok: .*logs-transport-cert\/logs-nodes-0\.crt expires in (199|200) days/);
  }, 60_000);

  it('fails, naming the certificate, when one expires within 30 days', async () => {
    const root = mkdtempSync(join(tmpdir(), 'certs-expiring-'));
    certificate(root, 'logs-http-cert', 'tls.crt', 365);
    certificate(root, 'logs-dashboards-cert', 'tls.crt', 20);
    const result = await check(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PROBLEM: .*logs-dashboards-cert\/tls\.crt expires in (19|20) days/);
    expect(result.stderr).not.toContain('logs-http-cert');
  }, 60_000);

  it('fails when it finds no certificate at all (the Secrets are missing or mounted elsewhere)', async () => {
    const result = await check(mkdtempSync(join(tmpdir(), 'certs-none-')));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PROBLEM: no certificate under');
  });
});

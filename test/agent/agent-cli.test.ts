/**
 * `aiml-observability agent` end to end: the package's bin, run as a user runs it, against the OpenAI-compatible
 * stand-in and a real MCP server; and an interactive session in which a write needs the user's "yes".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAgentCli } from '../../app/agent-cli.js';
import { startOpenAiStandIn, type ModelStandIn } from './support/provider-standins.js';
import { startTestMcpServer, type TestMcpServer } from './support/test-mcp-server.js';

const REPO = join(import.meta.dirname, '..', '..');
/** The bin as the package ships it: `npm ci` builds lib/ (prepare); after a change, `npm run build`. */
const BIN = join(REPO, 'lib', 'app', 'aiml-observability.js');
let mcp: TestMcpServer;
let model: ModelStandIn | undefined;
let dir: string;

beforeAll(async () => {
  mcp = await startTestMcpServer('streamable');
  dir = mkdtempSync(join(tmpdir(), 'agent-cli-'));
});
afterAll(async () => {
  await mcp?.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await model?.stop();
  model = undefined;
});

function runBin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STANDIN_KEY: 'sk-cli' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const jsonLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('aiml-observability agent', () => {
  it('answers one question with --ask: tool calls and result summaries as they happen, the answer, a transcript and the audit log', async () => {
    model = await startOpenAiStandIn([
      { toolCall: { id: 'c1', name: 'metrics_gpu_utilization', argumentPieces: ['{}'] } },
      { text: ['notebook-alice-0 ', 'holds an idle GPU.'] },
    ]);
    const transcript = join(dir, 'ask.jsonl');
    const auditFile = join(dir, 'audit.jsonl');
    const r = await runBin([
      'agent',
      ...['--provider', 'openai-compatible', '--model', 'standin-model', '--base-url', `${model.url}/v1`, '--api-key-env', 'STANDIN_KEY'],
      ...['--mcp', `metrics=${mcp.url}`, '--ask', 'Which GPU is idle?', '--transcript', transcript, '--audit-log', auditFile, '--who', 'alice'],
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('aiml-observability agent, model openai-compatible.chat/standin-model');
    expect(lines[1]).toBe('  metrics: streamable-http, 4 of 6 tools offered (0 write)');
    expect(r.stdout).toContain('\n> Which GPU is idle?\n  -> metrics.gpu_utilization {}\n  <- ok, ');
    expect(r.stdout).toMatch(/<- ok, \d+ B, \d+ ms: 2 series: \{namespace=ml-training,pod=trainer-0\} 31; \{namespace=ml-research,pod=notebook-alice-0\} 0\nnotebook-alice-0 holds an idle GPU\.\n/);
    expect(model.requests[0]!.headers.authorization).toBe('Bearer sk-cli');
    // the system prompt is the generated one
    expect(model.requests[0]!.body.messages[0].content).toContain('## Playbooks');

    const t = jsonLines(transcript);
    expect(t.map((x) => x.type)).toEqual(['session', 'question', 'tool-call', 'tool-result', 'answer']);
    expect(t[0]).toMatchObject({ model: 'openai-compatible.chat/standin-model', who: 'alice', servers: [{ name: 'metrics', transport: 'streamable-http' }] });
    expect(t[0].withheld.map((w: any) => w.tool).sort()).toEqual(['scale_deployment', 'unannotated']);
    expect(t[3]).toMatchObject({ server: 'metrics', tool: 'gpu_utilization', outcome: 'ok', result: { kind: 'mcp-tool-result' } });
    expect(t[4]).toMatchObject({ text: 'notebook-alice-0 holds an idle GPU.', steps: 2, hitStepLimit: false });
    expect(jsonLines(auditFile)).toEqual([expect.objectContaining({ who: 'alice', server: 'metrics', tool: 'gpu_utilization', outcome: 'ok', arguments: {} })]);
  });

  it('refuses to start without a model, naming the flag; without MCP servers; and with an unknown provider', async () => {
    const run = async (args: string[]) => {
      let err = '';
      const stderr = new PassThrough().on('data', (d) => (err += d));
      const code = await runAgentCli(args, { stdout: new PassThrough(), stderr, stdin: new PassThrough(), interactive: false, env: {} });
      return { code, err };
    };
    const noModel = await run(['--provider', 'bedrock', '--mcp', `metrics=${mcp.url}`, '--ask', 'q']);
    expect(noModel.code).toBe(2);
    expect(noModel.err).toMatch(/^error: --model is required: there is no default model/);
    expect(noModel.err).toContain('usage: aiml-observability agent');
    expect((await run(['--provider', 'bedrock', '--model', 'm', '--ask', 'q'])).err).toMatch(/^error: give at least one MCP server/);
    expect((await run(['--provider', 'openai', '--model', 'm', '--mcp', `metrics=${mcp.url}`])).err).toMatch(/^error: --provider 'openai' is not known/);
    expect((await run(['--provider', 'openai-compatible', '--model', 'm', '--mcp', `metrics=${mcp.url}`])).err).toMatch(/^error: --base-url is required/);
    const unreachable = await run(['--provider', 'openai-compatible', '--model', 'm', '--base-url', 'http://127.0.0.1:9/v1', '--mcp', 'metrics=http://127.0.0.1:9/mcp', '--ask', 'q']);
    expect(unreachable).toEqual({ code: 1, err: expect.stringMatching(/^error: cannot reach MCP server metrics/) });
  });

  it('asks the user before a write in an interactive session, and runs it only after "yes"', async () => {
    model = await startOpenAiStandIn([
      { toolCall: { id: 'w1', name: 'kubernetes_scale_deployment', argumentPieces: ['{"namespace":"team-a","name":"web","replicas":2}'] } },
      { text: ['Scaled.'] },
      { toolCall: { id: 'w2', name: 'kubernetes_scale_deployment', argumentPieces: ['{"namespace":"team-a","name":"web","replicas":9}'] } },
      { text: ['Not scaled.'] },
    ]);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    const transcript = join(dir, 'interactive.jsonl');
    const done = runAgentCli(
      ['--provider', 'openai-compatible', '--model', 'm', '--base-url', `${model.url}/v1`, '--mcp', `kubernetes=${mcp.url}`, '--write-namespaces', 'team-a', '--transcript', transcript, '--audit-log', join(dir, 'audit2.jsonl')],
      { stdout, stderr: process.stderr, stdin, interactive: true, env: {} },
    );
    const waitFor = async (text: string) => {
      for (let i = 0; i < 200 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out, `waiting for ${JSON.stringify(text)}`).toContain(text);
    };
    await waitFor('? ');
    const before = mcp.calls.filter((c) => c.tool === 'scale_deployment').length;
    stdin.write('scale web to 2\n');
    await waitFor('Allow? type yes to allow: ');
    expect(out).toContain('The agent wants to CHANGE something: kubernetes.scale_deployment');
    stdin.write('yes\n');
    await waitFor('Scaled.');
    stdin.write('scale web to 9\n');
    await waitFor('{"namespace":"team-a","name":"web","replicas":9}\n  Allow?');
    stdin.write('no\n');
    await waitFor('Not scaled.');
    stdin.end();
    expect(await done).toBe(0);
    expect(mcp.calls.filter((c) => c.tool === 'scale_deployment').slice(before).map((c) => c.args.replicas)).toEqual([2]);
    expect(out).toContain('  metrics'.replace('metrics', 'kubernetes') + ': streamable-http, 6 of 6 tools offered (2 write)');
    expect(jsonLines(transcript).filter((x) => x.type === 'approval').map((x) => x.approved)).toEqual([true, false]);
  });
});

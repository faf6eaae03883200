/**
 * `aiml-observability agent serve` over HTTP, without a browser (the browser test is in test/agent/live/): the
 * streamed events of an answer, the earlier turns the browser sends, write approvals answered only by the browser
 * that asked, the audit lines, the probes, and the checks that keep other sites and other hosts out. Real MCP
 * server (test-mcp-server.ts), scripted model.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { runAgentServe, startAgentWebServer, webWho, type AgentWebServer } from '../../app/agent-serve.js';
import { AGENT_AUDIT_LOG_NAME } from '../../src/agent/agent-web-contract.js';
import { scriptedModel, type Script } from './support/scripted-model.js';
import { startTestMcpServer, type TestMcpServer } from './support/test-mcp-server.js';

let mcp: TestMcpServer;
beforeAll(async () => {
  mcp = await startTestMcpServer('streamable');
});
afterAll(async () => {
  await mcp?.stop();
});

async function serve(script: Script, opts: { writeNamespaces?: string[]; mcpUrl?: string; approvalTimeoutMs?: number } = {}) {
  const audit: string[] = [];
  const log: string[] = [];
  const model = scriptedModel(script);
  const server = await startAgentWebServer({
    model,
    servers: [{ name: 'kubernetes', url: opts.mcpUrl ?? mcp.url }],
    maxSteps: 6,
    maxResultBytes: 16_000,
    allowTools: [],
    writeNamespaces: opts.writeNamespaces ?? [],
    port: 0,
    listen: '127.0.0.1',
    allowedHosts: [],
    approvalTimeoutMs: opts.approvalTimeoutMs ?? 30_000,
    audit: (l) => audit.push(l),
    log: (l) => log.push(l),
  });
  return { server, audit, log, model };
}

/** Posts a question and collects the streamed events; `onEvent` may act on each as it arrives. */
async function askOver(server: AgentWebServer, body: Record<string, unknown>, onEvent: (e: any) => void = () => undefined): Promise<any[]> {
  const res = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
  const events: any[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      const event = JSON.parse(line);
      events.push(event);
      onEvent(event);
    }
  }
  return events;
}

/** A raw request with the headers given (fetch does not let a test set Host). */
function raw(server: AgentWebServer, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const readThenAnswer: Script = (s) =>
  s.step === 0 ? { call: [{ tool: 'kubernetes_gpu_utilization', input: {} }] } : { answer: `notebook-alice-0 is idle (${s.results.length} result).` };

describe('agent serve', () => {
  it('streams an answer: the tool call, its result, the text as it is written, the end; and writes one audit line per call', async () => {
    const { server, audit, model } = await serve(readThenAnswer);
    try {
      const browser = randomUUID();
      const conversation = randomUUID();
      const events = await askOver(server, { question: 'Which GPU is idle?', conversation, browser, earlierTurns: [] });
      expect(events[0]).toMatchObject({ type: 'start', conversation, who: webWho(browser), model: 'scripted/scripted' });
      const types = events.map((e) => e.type);
      expect(types.indexOf('tool-call')).toBeLessThan(types.indexOf('tool-result'));
      expect(types.indexOf('tool-result')).toBeLessThan(types.indexOf('text'));
      expect(types.filter((t) => t === 'text').length).toBeGreaterThan(3); // word by word, as it streams
      expect(types.at(-1)).toBe('answer');
      expect(events.at(-1).text).toBe('notebook-alice-0 is idle (1 result).');
      const result = events.find((e) => e.type === 'tool-result');
      expect(result).toMatchObject({ server: 'kubernetes', tool: 'gpu_utilization', outcome: 'ok' });
      expect(result.summary).toContain('notebook-alice-0');
      expect(result).not.toHaveProperty('forModel');
      // the model got the real result
      expect(model.states[1]!.results[0]!.value.data).toContain('notebook-alice-0');
      expect(audit.map((l) => JSON.parse(l))).toEqual([
        expect.objectContaining({ log: AGENT_AUDIT_LOG_NAME, who: webWho(browser), conversation, server: 'kubernetes', tool: 'gpu_utilization', outcome: 'ok', access: 'read' }),
      ]);
      expect(JSON.parse(audit[0]!).resultBytes).toBeGreaterThan(100);
      expect(typeof JSON.parse(audit[0]!).durationMs).toBe('number');
    } finally {
      await server.close();
    }
  });

  it("sends the conversation's earlier questions and answers, which the browser keeps, to the model", async () => {
    const { server, model } = await serve(() => ({ answer: 'ok' }));
    try {
      const earlierTurns = [{ question: 'Which GPU is idle?', answer: 'notebook-alice-0 holds one.' }];
      await askOver(server, { question: 'What does it cost?', conversation: randomUUID(), browser: randomUUID(), earlierTurns });
      const prompt = model.states[0]!.options.prompt.filter((m) => m.role !== 'system');
      const text = (m: any) => (typeof m.content === 'string' ? m.content : m.content.map((p: any) => p.text ?? '').join(''));
      expect(prompt.map((m) => [m.role, text(m)])).toEqual([
        ['user', 'Which GPU is idle?'],
        ['assistant', 'notebook-alice-0 holds one.'],
        ['user', 'What does it cost?'],
      ]);
      // and keeps none of it: a second browser's question starts from nothing
      await askOver(server, { question: 'Hello?', conversation: randomUUID(), browser: randomUUID(), earlierTurns: [] });
      expect(model.states[1]!.options.prompt.filter((m) => m.role !== 'system')).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('runs a write only when the browser that asked allows it; another browser cannot answer', async () => {
    const script: Script = (s) => (s.step === 0 ? { call: [{ tool: 'kubernetes_scale_deployment', input: { namespace: 'team-a', name: 'web', replicas: 2 } }] } : { answer: `done: ${s.results[0]!.value.status}` });
    const { server, audit } = await serve(script, { writeNamespaces: ['team-a'] });
    try {
      const browser = randomUUID();
      const before = mcp.calls.filter((c) => c.tool === 'scale_deployment').length;
      const answers: number[] = [];
      const events = await askOver(server, { question: 'scale web', conversation: randomUUID(), browser, earlierTurns: [] }, (e) => {
        if (e.type !== 'approval') return;
        expect(e).toMatchObject({ server: 'kubernetes', tool: 'scale_deployment', arguments: { namespace: 'team-a', name: 'web', replicas: 2 }, destructive: false });
        const post = (who: string, approved: unknown) =>
          fetch(`${server.url}/api/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ approval: e.approval, browser: who, approved }) });
        void (async () => {
          answers.push((await post(randomUUID(), true)).status); // someone else
          answers.push((await post(browser, 'yes')).status); // not a boolean
          answers.push((await post(browser, true)).status);
        })();
      });
      expect(answers).toEqual([404, 400, 204]);
      expect(events.find((e) => e.type === 'approval-decided')).toMatchObject({ approved: true });
      expect(events.at(-1).text).toBe('done: ok');
      expect(mcp.calls.filter((c) => c.tool === 'scale_deployment').length).toBe(before + 1);
      expect(JSON.parse(audit[0]!)).toMatchObject({ tool: 'scale_deployment', access: 'write', outcome: 'ok', who: webWho(browser) });
    } finally {
      await server.close();
    }
  });

  it('denies a write the browser denies, or leaves unanswered until the timeout', async () => {
    const script: Script = (s) => (s.step === 0 ? { call: [{ tool: 'kubernetes_scale_deployment', input: { namespace: 'team-a', name: 'web', replicas: 0 } }] } : { answer: `not done: ${s.results[0]!.value.status}` });
    const { server, audit } = await serve(script, { writeNamespaces: ['team-a'], approvalTimeoutMs: 300 });
    try {
      const before = mcp.calls.filter((c) => c.tool === 'scale_deployment').length;
      const browser = randomUUID();
      const denied = await askOver(server, { question: 'scale to 0', conversation: randomUUID(), browser, earlierTurns: [] }, (e) => {
        if (e.type === 'approval') void fetch(`${server.url}/api/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ approval: e.approval, browser, approved: false }) });
      });
      expect(denied.at(-1).text).toBe('not done: denied');
      const unanswered = await askOver(server, { question: 'scale to 0', conversation: randomUUID(), browser, earlierTurns: [] });
      expect(unanswered.find((e) => e.type === 'approval-decided')).toMatchObject({ approved: false });
      expect(unanswered.at(-1).text).toBe('not done: denied');
      expect(mcp.calls.filter((c) => c.tool === 'scale_deployment').length).toBe(before);
      expect(audit.map((l) => JSON.parse(l).outcome)).toEqual(['denied', 'denied']);
    } finally {
      await server.close();
    }
  });

  it('answers the probes; is not ready while an MCP server cannot be reached', async () => {
    const { server } = await serve(readThenAnswer);
    const down = await serve(readThenAnswer, { mcpUrl: 'http://127.0.0.1:9/mcp' });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${down.server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${down.server.url}/readyz`)).status).toBe(503);
      expect(down.log.join('\n')).toMatch(/not ready yet: cannot reach MCP server kubernetes/);
    } finally {
      await server.close();
      await down.server.close();
    }
  });

  it('serves the page with a strict Content-Security-Policy, and refuses other hosts, other origins and bad questions', async () => {
    const { server } = await serve(readThenAnswer);
    try {
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
      expect(await page.text()).toContain('<script src="/chat.js"');
      expect((await fetch(`${server.url}/chat.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      // DNS rebinding: a page of evil.example resolving to this address
      expect(await raw(server, '/', { host: 'evil.example:8080' })).toBe(421);
      expect(await raw(server, '/', { host: `localhost:${server.port}` })).toBe(200);
      const body = JSON.stringify({ question: 'q', conversation: randomUUID(), browser: randomUUID() });
      expect(await raw(server, '/api/ask', { host: `localhost:${server.port}`, origin: 'https://evil.example', 'content-type': 'application/json' }, 'POST', body)).toBe(403);
      expect(await raw(server, '/api/ask', { host: `localhost:${server.port}`, origin: 'null', 'content-type': 'application/json' }, 'POST', body)).toBe(403);
      expect(await raw(server, '/api/ask', { host: `localhost:${server.port}`, 'content-type': 'text/plain' }, 'POST', body)).toBe(415);
      const bad = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'q', conversation: 'x', browser: randomUUID() }) });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: 'conversation: a lower-case UUID is required' });
    } finally {
      await server.close();
    }
  });
});

describe('aiml-observability agent serve (the command)', () => {
  it('writes each tool call as one JSON line on stdout and nothing else there; its own messages go to stderr', async () => {
    let out = '';
    let err = '';
    const stdout = new PassThrough().on('data', (d) => (out += d));
    const stderr = new PassThrough().on('data', (d) => (err += d));
    const stop = new AbortController();
    const done = runAgentServe(
      ['--mcp', `kubernetes=${mcp.url}`, '--port', '0'],
      { stdout, stderr, stdin: new PassThrough(), interactive: false, env: {} },
      { model: scriptedModel(readThenAnswer), signal: stop.signal },
    );
    await expect.poll(() => /listening on 127\.0\.0\.1:(\d+)/.exec(err)?.[1]).toBeDefined();
    const port = /listening on 127\.0\.0\.1:(\d+)/.exec(err)![1];
    const browser = randomUUID();
    const server = { url: `http://127.0.0.1:${port}` } as AgentWebServer;
    const events = await askOver(server, { question: 'Which GPU is idle?', conversation: randomUUID(), browser, earlierTurns: [] });
    expect(events.at(-1).type).toBe('answer');
    stop.abort();
    expect(await done).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ log: AGENT_AUDIT_LOG_NAME, who: webWho(browser), server: 'kubernetes', tool: 'gpu_utilization', outcome: 'ok' });
    expect(err).toMatch(/ready: kubernetes reached/);
  });

  it('says what is wrong with its arguments', async () => {
    let err = '';
    const stderr = new PassThrough().on('data', (d) => (err += d));
    const io = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), interactive: false, env: {} };
    expect(await runAgentServe(['--provider', 'bedrock', '--mcp', 'kubernetes=http://x/mcp'], io)).toBe(2);
    expect(err).toContain('error: --model is required: there is no default model');
    err = '';
    expect(await runAgentServe(['--mcp', 'kubernetes=http://x/mcp', '--port', 'http'], io, { model: scriptedModel(readThenAnswer) })).toBe(2);
    expect(err).toContain("error: --port: 'http' is not a port number");
  });
});

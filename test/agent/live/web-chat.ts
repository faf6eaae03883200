/**
 * The web chat (`aiml-observability agent serve`) in a real browser: headless Chromium from Debian (`apt-get install
 * chromium`) driven by playwright-core, against the same real servers as playbooks.test.ts (a real Prometheus on the
 * sick day behind prometheus-mcp, kubernetes-mcp-server in front of the stand-in API server) and the scripted model
 * (its words are slowed down so that streaming can be seen). Asks the vLLM question, watches the tool calls appear
 * and the answer grow while the response is still open, exports the conversation as Markdown, and checks that the
 * conversation lives in this browser only. A second test approves a write in the page (against the SDK-built test
 * MCP server: the real Kubernetes server runs read-only, as we deploy it).
 *
 * Registered by playbooks.test.ts inside its suite, so both share one live environment (starting it is most of the
 * suite's time). Run with `npm run test:agent`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startAgentWebServer, type AgentWebServer } from '../../../app/agent-serve.js';
import { stackKnowledge } from '../../../src/agent/system-prompt.js';
import { loadScenarios } from '../eval/scenarios.js';
import { vllmLatencyScript } from '../support/playbook-scripts.js';
import { scriptedModel, type Script } from '../support/scripted-model.js';
import { startTestMcpServer, type TestMcpServer } from '../support/test-mcp-server.js';
import type { AgentLiveEnvironment } from './support/live-env.js';

/** Debian's chromium package; CHROMIUM names another binary. */
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;

/** The scripted model with a pause before each word of its answers, as a provider's stream has. */
function slowWords(model: ReturnType<typeof scriptedModel>, ms: number): LanguageModelV3 {
  const doStream = model.doStream.bind(model);
  return Object.assign(Object.create(Object.getPrototypeOf(model)), model, {
    doStream: async (options: Parameters<typeof doStream>[0]) => {
      const result = await doStream(options);
      const paced = result.stream.pipeThrough(
        new TransformStream({
          async transform(part, controller) {
            if (part.type === 'text-delta') await new Promise((r) => setTimeout(r, ms));
            controller.enqueue(part);
          },
        }),
      );
      return { ...result, stream: paced };
    },
  });
}

interface Observation {
  readonly t: number;
  readonly toolCalls: number;
  readonly results: number;
  readonly answer: number;
  readonly idle: boolean;
}

/** Records, on every change of the messages, how many tool calls and results are shown and how long the answer is. */
async function observe(page: Page): Promise<void> {
  // In the page (as source text: the test's TypeScript has no DOM types).
  await page.evaluate(`(() => {
    window.observations = [];
    const snapshot = () => {
      const turns = document.querySelectorAll('[data-testid=turn]');
      const last = turns[turns.length - 1];
      window.observations.push({
        t: performance.now(),
        toolCalls: last ? last.querySelectorAll('[data-testid=tool-call]').length : 0,
        results: last ? [...last.querySelectorAll('[data-testid=tool-outcome]')].filter((e) => e.textContent.startsWith('←')).length : 0,
        answer: last ? last.querySelector('[data-testid=answer]').textContent.length : 0,
        idle: document.body.getAttribute('data-idle') === 'true',
      });
    };
    new MutationObserver(snapshot).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  })()`);
}

/** The web chat's tests, in the live suite whose environment `liveEnv` gives once it is up. */
export function describeWebChat(liveEnv: () => AgentLiveEnvironment): void {
  describe.skipIf(missing !== undefined)(`the web chat in a real browser ${missing ? `(skipped: ${missing})` : ''}`, () => {
    let env: AgentLiveEnvironment;
    let browser: Browser;
    let server: AgentWebServer;
    let testMcp: TestMcpServer | undefined;
    const audit: string[] = [];
    let started = 0;

    beforeAll(async () => {
      started = Date.now();
      env = liveEnv();
      // Chromium's sandbox needs user namespaces or a non-root user; as root (CI containers) it runs without.
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
      server = await startAgentWebServer({
        model: slowWords(scriptedModel(vllmLatencyScript(stackKnowledge()), 'scripted-vllm-latency'), 15),
        servers: [
          { name: 'prometheus', url: env.prometheusMcpUrl },
          { name: 'kubernetes', url: env.kubernetesMcpUrl },
        ],
        maxSteps: 12,
        maxResultBytes: 16_000,
        allowTools: [],
        writeNamespaces: [],
        port: 0,
        listen: '127.0.0.1',
        allowedHosts: [],
        approvalTimeoutMs: 60_000,
        audit: (l) => audit.push(l),
        log: (l) => console.log(`agent serve: ${l}`),
      });
      console.log(`browser and web chat up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await testMcp?.stop();
      await browser?.close();
      console.log(`web chat tests: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    }, 60_000);

    it('asks, shows each tool call and the answer as they stream in, exports Markdown, and keeps the conversation in this browser only', async () => {
      const t0 = Date.now();
      expect(server.ready).toBe(true);
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(server.url);
      await expect.poll(() => page.textContent('[data-testid=session]')).toContain('model scripted/scripted-vllm-latency · servers prometheus, kubernetes · read-only');
      await observe(page);

      const cluster = env.proof.cluster!;
      const model = cluster.sick.saturatedVllm[0]!;
      const question = loadScenarios().find((sc) => sc.playbook === 'vllm-latency')!.question;
      await page.fill('[data-testid=question]', question);
      await page.click('[data-testid=send]');
      await page.waitForSelector('body[data-idle=true] [data-testid=answer]:not(:empty)', { timeout: 60_000 });

      // every tool call is shown, with its arguments and its outcome
      const calls = await page.$$eval('[data-testid=tool-call]', (els) => els.map((e) => ({ tool: e.getAttribute('data-tool'), text: e.textContent! })));
      expect(calls.map((c) => c.tool)).toEqual([...Array(4).fill('prometheus.prometheus_query'), 'kubernetes.pods_list_in_namespace']);
      expect(calls[0]!.text).toContain('vllm_time_to_first_token_seconds:p95_5m');
      for (const c of calls) expect(c.text).toMatch(/← ok, \d+ B, \d+ ms: /);
      expect(calls[0]!.text).toContain(model.modelName);
      const answer = (await page.textContent('[data-testid=answer]'))!;
      expect(answer).toMatch(new RegExp(`^Model ${model.modelName.replace(/[.]/g, '\\.')} in ${model.namespace}: p95 time to first token [\\d.]+ s \\(SLO 2 s: breached\\)`));
      for (const replica of model.replicas) expect(answer).toContain(replica.pod.name);

      // streamed: tool calls were on the page, and the answer grew word by word, while the response was still open
      const seen = (await page.evaluate('window.observations')) as Observation[];
      const open = seen.filter((o) => !o.idle);
      expect(open.some((o) => o.toolCalls >= 1 && o.results === 0 && o.answer === 0), 'a tool call shown before its result').toBe(true);
      expect(open.some((o) => o.results === 5 && o.answer === 0), 'every result shown before the answer began').toBe(true);
      const partial = new Set(open.map((o) => o.answer).filter((n) => n > 0 && n < answer.length));
      expect(partial.size, 'partial answers shown while streaming').toBeGreaterThan(20);

      // one audit line per call, naming this browser
      const lines = audit.map((l) => JSON.parse(l));
      const browserId = await page.evaluate("localStorage.getItem('aiml-agent.browser')");
      expect(lines.map((l) => `${l.server}.${l.tool}`)).toEqual(calls.map((c) => c.tool));
      for (const l of lines) expect(l).toMatchObject({ who: `web-browser:${browserId}`, outcome: 'ok' });

      // Markdown export: the question, every tool call with its arguments and outcome, the answer
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')]);
      expect(download.suggestedFilename()).toMatch(/^aiml-agent-[0-9a-f-]{36}\.md$/);
      const markdown = readFileSync((await download.path())!, 'utf8');
      expect(markdown).toContain(`## 1. ${question}`);
      expect(markdown.match(/^- `prometheus\.prometheus_query` `\{"query":/gm)).toHaveLength(4);
      expect(markdown).toMatch(/^- `kubernetes\.pods_list_in_namespace` `\{"namespace":"[^"]+"\}` → ok, \d+ B, \d+ ms: /m);
      expect(markdown).toContain(answer);

      // kept in this browser: there after a reload; another browser (profile) has no conversation
      await page.reload();
      await expect.poll(() => page.textContent('[data-testid=answer]')).toBe(answer);
      expect(await page.$$eval('[data-testid=conversations] li', (els) => els.map((e) => e.textContent))).toEqual([question.slice(0, 60)]);
      const other = await browser.newContext();
      const otherPage = await other.newPage();
      await otherPage.goto(server.url);
      await otherPage.waitForSelector('[data-testid=conversations] li');
      expect(await otherPage.$$('[data-testid=turn]')).toHaveLength(0);
      await other.close();
      await context.close();
      expect(errors).toEqual([]);
      console.log(`browser test: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });

    it('a write waits for Allow in the page, and runs once allowed', async () => {
      testMcp = await startTestMcpServer('streamable');
      const script: Script = (s) =>
        s.step === 0 ? { call: [{ tool: 'kubernetes_scale_deployment', input: { namespace: 'team-a', name: 'web', replicas: 2 } }] } : { answer: `Scaled: ${s.results[0]!.value.data}` };
      const writer = await startAgentWebServer({
        model: scriptedModel(script),
        servers: [{ name: 'kubernetes', url: testMcp.url }],
        maxSteps: 4,
        maxResultBytes: 16_000,
        allowTools: [],
        writeNamespaces: ['team-a'],
        port: 0,
        listen: '127.0.0.1',
        allowedHosts: [],
        approvalTimeoutMs: 60_000,
        audit: () => undefined,
        log: () => undefined,
      });
      try {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(writer.url);
        await expect.poll(() => page.textContent('[data-testid=session]')).toContain('writes in team-a need your approval');
        await page.fill('[data-testid=question]', 'Scale web in team-a to 2 replicas');
        await page.click('[data-testid=send]');
        const approval = await page.waitForSelector('[data-testid=approval]');
        expect(await approval.textContent()).toContain('The agent wants to CHANGE something: kubernetes.scale_deployment');
        // nothing has run yet
        expect(testMcp.calls.filter((c) => c.tool === 'scale_deployment')).toEqual([]);
        await page.click('[data-testid=approve]');
        expect(await (await page.waitForSelector('[data-testid=approval-decided]')).textContent()).toBe('Allowed.');
        await page.waitForSelector('body[data-idle=true] [data-testid=answer]:not(:empty)');
        expect(await page.textContent('[data-testid=answer]')).toBe('Scaled: scaled team-a/web to 2');
        expect(await page.textContent('[data-testid=tool-call][data-tool="kubernetes.scale_deployment"]')).toContain('[WRITE]');
        expect(testMcp.calls.filter((c) => c.tool === 'scale_deployment')).toEqual([{ tool: 'scale_deployment', args: { namespace: 'team-a', name: 'web', replicas: 2 } }]);
        await context.close();
      } finally {
        await writer.close();
      }
    });
  });
}

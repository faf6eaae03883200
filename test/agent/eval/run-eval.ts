/**
 * `npm run agent:eval`: asks a REAL model the scenario questions (scenarios/*.json) against the live environment of
 * `npm run test:agent` (real Prometheus with the sick-day fixture, prometheus-mcp, kubernetes-mcp-server and the
 * stand-in API server), records each exchange as a JSON-lines transcript, and checks that each answer names what
 * the scenario requires. Without a model configured it says so and exits 0 (skipped).
 *
 *   AGENT_EVAL_PROVIDER=bedrock AGENT_EVAL_MODEL=<model or inference-profile id> AWS_REGION=... npm run agent:eval
 *   AGENT_EVAL_PROVIDER=openai-compatible AGENT_EVAL_MODEL=<name> AGENT_EVAL_BASE_URL=http://.../v1 [AGENT_EVAL_API_KEY=...] npm run agent:eval
 *
 * Options: AGENT_EVAL_SCENARIOS=id,id (a subset), AGENT_EVAL_OUT=dir (transcripts; default eval-results/<time>).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildAgentTools } from '../../../src/agent/agent-tools.js';
import { AuditLog } from '../../../src/agent/audit-log.js';
import { DiagnosisAgent } from '../../../src/agent/diagnosis-agent.js';
import { connectAll } from '../../../src/agent/mcp-connection.js';
import { createLanguageModel, type ProviderConfig } from '../../../src/agent/providers.js';
import { diagnosisSystemPrompt } from '../../../src/agent/system-prompt.js';
import { ToolPolicy } from '../../../src/agent/tool-policy.js';
import { prometheusMissing } from '../../prometheus/support/prometheus-runner.js';
import { AgentLiveEnvironment } from '../live/support/live-env.js';
import { checkAnswer, loadScenarios } from './scenarios.js';

function providerFromEnv(env: NodeJS.ProcessEnv): ProviderConfig | string {
  const provider = env.AGENT_EVAL_PROVIDER;
  const modelId = env.AGENT_EVAL_MODEL;
  if (!provider || !modelId) return 'no model configured: set AGENT_EVAL_PROVIDER (bedrock | openai-compatible) and AGENT_EVAL_MODEL';
  if (provider === 'bedrock') return { provider, modelId, region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION, profile: env.AWS_PROFILE };
  if (provider === 'openai-compatible') {
    if (!env.AGENT_EVAL_BASE_URL) return 'AGENT_EVAL_BASE_URL is required with AGENT_EVAL_PROVIDER=openai-compatible';
    return { provider, modelId, baseURL: env.AGENT_EVAL_BASE_URL, apiKey: env.AGENT_EVAL_API_KEY };
  }
  return `AGENT_EVAL_PROVIDER '${provider}' is not known (bedrock | openai-compatible)`;
}

async function main(): Promise<number> {
  const scenarios = loadScenarios().filter((s) => !process.env.AGENT_EVAL_SCENARIOS || process.env.AGENT_EVAL_SCENARIOS.split(',').includes(s.id));
  const config = providerFromEnv(process.env);
  if (typeof config === 'string') {
    console.log(`agent:eval skipped: ${config}. ${scenarios.length} scenarios are ready: ${scenarios.map((s) => s.id).join(', ')}.`);
    return 0;
  }
  const missing = prometheusMissing();
  if (missing) {
    console.log(`agent:eval skipped: ${missing}`);
    return 0;
  }
  const model = createLanguageModel(config);
  const out = process.env.AGENT_EVAL_OUT ?? join('eval-results', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(out, { recursive: true });
  console.log(`agent:eval: ${scenarios.length} scenarios with ${config.provider}/${config.modelId}; transcripts in ${out}/`);
  const env = await AgentLiveEnvironment.start();
  const connections = await connectAll([
    { name: 'prometheus', url: env.prometheusMcpUrl },
    { name: 'kubernetes', url: env.kubernetesMcpUrl },
  ]);
  let failed = 0;
  try {
    for (const scenario of scenarios) {
      const file = join(out, `${scenario.id}.jsonl`);
      const write = (record: object) => appendFileSync(file, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
      let agent: DiagnosisAgent;
      const tools = buildAgentTools({ connections, policy: new ToolPolicy(), audit: new AuditLog((line) => write({ type: 'audit', ...JSON.parse(line) })) }, () => agent.toolContext());
      agent = new DiagnosisAgent({ model, system: diagnosisSystemPrompt(), tools, who: 'agent-eval', conversation: scenario.id });
      write({ type: 'question', scenario: scenario.id, text: scenario.question });
      const started = performance.now();
      try {
        const answer = await agent.ask(scenario.question, {
          onEvent: (e) => {
            if (e.type === 'tool-call' || e.type === 'tool-result') write(e);
          },
        });
        const checks = checkAnswer(scenario, env.proof.cluster!, answer.text);
        const ok = checks.every((c) => c.found);
        failed += ok ? 0 : 1;
        write({ type: 'answer', text: answer.text, steps: answer.steps, hitStepLimit: answer.hitStepLimit, checks, pass: ok });
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.log(`${ok ? 'PASS' : 'FAIL'} ${scenario.id} (${answer.steps} steps, ${seconds} s)${ok ? '' : `: does not name ${checks.filter((c) => !c.found).map((c) => `${c.key} (${c.accepted[0]})`).join(', ')}`}`);
      } catch (error) {
        failed++;
        write({ type: 'error', message: (error as Error).message });
        console.log(`FAIL ${scenario.id}: ${(error as Error).message}`);
      }
    }
  } finally {
    await Promise.allSettled(connections.map((c) => c.close()));
    await env.stop();
  }
  console.log(`agent:eval: ${scenarios.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();

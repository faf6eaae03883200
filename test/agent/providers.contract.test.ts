/**
 * Provider contracts, against local stand-ins of an OpenAI-compatible endpoint (what vLLM serves) and of the
 * Bedrock runtime's Converse API (through the endpoint override): the request each provider sends (model, system
 * prompt, tools and their schemas, credentials), a tool-call round trip through the agent and a real MCP server,
 * streamed text, and errors. See support/provider-standins.ts for what the stand-ins reproduce.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentTools, type AgentEvent } from '../../src/agent/agent-tools.js';
import { AuditLog } from '../../src/agent/audit-log.js';
import { DiagnosisAgent } from '../../src/agent/diagnosis-agent.js';
import { McpServerConnection } from '../../src/agent/mcp-connection.js';
import { createLanguageModel, type ProviderConfig } from '../../src/agent/providers.js';
import { ToolPolicy } from '../../src/agent/tool-policy.js';
import { startBedrockStandIn, startOpenAiStandIn, type ModelStandIn, type StandInResponse } from './support/provider-standins.js';
import { startTestMcpServer, type TestMcpServer } from './support/test-mcp-server.js';

let mcp: TestMcpServer;
let standIn: ModelStandIn | undefined;
beforeAll(async () => {
  mcp = await startTestMcpServer('streamable');
});
afterAll(async () => {
  await mcp?.stop();
});
afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

const SYSTEM = 'You are the test agent.';
const ROUND_TRIP: StandInResponse[] = [
  { toolCall: { id: 'call-1', name: 'metrics_gpu_utilization', argumentPieces: ['{"namespace":', '"ml-research"}'] } },
  { text: ['The idle ', 'GPU is held by ', 'notebook-alice-0.'] },
];

async function askThrough(config: ProviderConfig, env: NodeJS.ProcessEnv = {}) {
  const connection = await McpServerConnection.connect({ name: 'metrics', url: mcp.url });
  const events: AgentEvent[] = [];
  try {
    const model = createLanguageModel(config, env);
    let agent: DiagnosisAgent;
    const tools = buildAgentTools({ connections: [connection], policy: new ToolPolicy({ allowTools: [] }), audit: new AuditLog(() => undefined) }, () => agent.toolContext());
    agent = new DiagnosisAgent({ model, system: SYSTEM, tools, who: 'test', conversation: 'c' });
    const answer = await agent.ask('Which GPU is idle?', { onEvent: (e) => events.push(e) });
    return { answer, events };
  } finally {
    await connection.close();
  }
}

describe('model ids', () => {
  it('has no default model: an empty id is refused for either provider', () => {
    expect(() => createLanguageModel({ provider: 'bedrock', modelId: '', region: 'us-west-2' })).toThrow(/a model id is required/);
    expect(() => createLanguageModel({ provider: 'openai-compatible', modelId: ' ', baseURL: 'http://x/v1' })).toThrow(/a model id is required/);
    expect(() => createLanguageModel({ provider: 'bedrock', modelId: 'm' }, {})).toThrow(/no AWS region/);
  });
});

describe('an OpenAI-compatible endpoint (vLLM)', () => {
  const config = (url: string, apiKey?: string): ProviderConfig => ({ provider: 'openai-compatible', modelId: 'Qwen/Qwen3-32B', baseURL: `${url}/v1`, apiKey });

  it('gets the model, the system prompt and the MCP tools with their JSON schemas, and a bearer key when one is set', async () => {
    standIn = await startOpenAiStandIn([...ROUND_TRIP]);
    await askThrough(config(standIn.url, 'sk-standin'));
    const [first] = standIn.requests;
    expect(first).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(first!.headers.authorization).toBe('Bearer sk-standin');
    expect(first!.body).toMatchObject({ model: 'Qwen/Qwen3-32B', stream: true, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Which GPU is idle?' }] });
    const tool = first!.body.tools.find((t: any) => t.function.name === 'metrics_gpu_utilization');
    expect(tool).toMatchObject({ type: 'function', function: { description: expect.stringContaining('GPU utilisation per pod'), parameters: { type: 'object', properties: { namespace: { type: 'string' } } } } });
    expect(first!.body.tools.map((t: any) => t.function.name)).not.toContain('metrics_scale_deployment');
  });

  it('completes a tool-call round trip: streamed arguments, the real tool result sent back, the streamed answer', async () => {
    standIn = await startOpenAiStandIn([...ROUND_TRIP]);
    const before = mcp.calls.length;
    const { answer, events } = await askThrough(config(standIn.url));
    expect(standIn.requests[0]!.headers.authorization).toBeUndefined();
    expect(mcp.calls.slice(before)).toEqual([{ tool: 'gpu_utilization', args: { namespace: 'ml-research' } }]);
    const second = standIn.requests[1]!.body.messages;
    expect(second[2]).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call-1', type: 'function', function: { name: 'metrics_gpu_utilization', arguments: '{"namespace":"ml-research"}' } }] });
    expect(second[3]).toMatchObject({ role: 'tool', tool_call_id: 'call-1' });
    const sent = JSON.parse(second[3].content);
    expect(sent).toMatchObject({ kind: 'mcp-tool-result', server: 'metrics', tool: 'gpu_utilization', status: 'ok' });
    expect(sent.data).toContain('notebook-alice-0');
    expect(answer.text).toBe('The idle GPU is held by notebook-alice-0.');
    expect(events.filter((e) => e.type === 'text').map((e) => (e.type === 'text' ? e.delta : ''))).toEqual(['The idle ', 'GPU is held by ', 'notebook-alice-0.']);
  });

  it('reports an error the endpoint returns, without retrying a client error', async () => {
    standIn = await startOpenAiStandIn([{ error: { status: 400, type: 'BadRequestError', message: 'This model does not support tool calls: start vLLM with --enable-auto-tool-choice' } }]);
    await expect(askThrough(config(standIn.url))).rejects.toThrow(/--enable-auto-tool-choice/);
    expect(standIn.requests).toHaveLength(1);
  });

  it('retries an overloaded endpoint, then gives up with its message', async () => {
    standIn = await startOpenAiStandIn([{ error: { status: 503, type: 'ServiceUnavailable', message: 'engine overloaded' } }]);
    await expect(askThrough(config(standIn.url))).rejects.toThrow(/engine overloaded/);
    expect(standIn.requests.length).toBe(3);
  });
});

describe('the Bedrock runtime (endpoint override)', () => {
  const MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
  const config = (url: string): ProviderConfig => ({ provider: 'bedrock', modelId: MODEL, region: 'us-west-2', endpoint: url });
  const saved = { ...process.env };
  const credentials = { AWS_ACCESS_KEY_ID: 'AKIDSTANDIN', AWS_SECRET_ACCESS_KEY: 'secret-standin', AWS_SESSION_TOKEN: 'session-standin' };
  beforeAll(() => {
    // the AWS provider chain reads these first (fromEnv); no profile or instance metadata is consulted
    Object.assign(process.env, credentials);
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_BEARER_TOKEN_BEDROCK;
  });
  afterAll(() => {
    for (const k of Object.keys(credentials)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('signs with credentials from the AWS provider chain and sends the Converse request: system, messages, tool specs', async () => {
    standIn = await startBedrockStandIn([...ROUND_TRIP]);
    await askThrough(config(standIn.url));
    const [first] = standIn.requests;
    expect(first!.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse-stream`);
    expect(first!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSTANDIN\/\d{8}\/us-west-2\/bedrock\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
    expect(first!.headers['x-amz-security-token']).toBe('session-standin');
    expect(first!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(first!.body).toMatchObject({ system: [{ text: SYSTEM }], messages: [{ role: 'user', content: [{ text: 'Which GPU is idle?' }] }] });
    const spec = first!.body.toolConfig.tools.find((t: any) => t.toolSpec?.name === 'metrics_gpu_utilization')?.toolSpec;
    expect(spec).toMatchObject({ description: expect.stringContaining('GPU utilisation per pod'), inputSchema: { json: { type: 'object', properties: { namespace: { type: 'string' } } } } });
  });

  it('completes a tool-call round trip over the event stream: toolUse in, toolResult back, streamed text', async () => {
    standIn = await startBedrockStandIn([...ROUND_TRIP]);
    const before = mcp.calls.length;
    const { answer, events } = await askThrough(config(standIn.url));
    expect(mcp.calls.slice(before)).toEqual([{ tool: 'gpu_utilization', args: { namespace: 'ml-research' } }]);
    const messages = standIn.requests[1]!.body.messages;
    expect(messages[1]).toMatchObject({ role: 'assistant', content: [{ toolUse: { toolUseId: 'call-1', name: 'metrics_gpu_utilization', input: { namespace: 'ml-research' } } }] });
    const toolResult = messages[2].content.find((c: any) => c.toolResult)?.toolResult;
    expect(toolResult.toolUseId).toBe('call-1');
    expect(JSON.stringify(toolResult.content)).toContain('notebook-alice-0');
    expect(JSON.stringify(toolResult.content)).toContain('mcp-tool-result');
    expect(answer.text).toBe('The idle GPU is held by notebook-alice-0.');
    expect(events.filter((e) => e.type === 'text')).toHaveLength(3);
  });

  it('reports an AWS error by its message (access denied is not retried)', async () => {
    standIn = await startBedrockStandIn([{ error: { status: 403, type: 'AccessDeniedException', message: 'You do not have access to the model with the specified model ID.' } }]);
    await expect(askThrough(config(standIn.url))).rejects.toThrow(/do not have access to the model/);
    expect(standIn.requests).toHaveLength(1);
  });
});

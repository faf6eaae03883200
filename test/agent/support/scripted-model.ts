/**
 * A deterministic scripted language model for tests (test code; there is no LLM here): the AI SDK's own
 * MockLanguageModelV3 (`ai/test`), whose every step is decided by a script from what the model was actually sent,
 * in particular the REAL tool results of the steps before. It streams its output like a provider does.
 *
 * What it cannot prove: that a real model picks these tools, writes these queries, reads these results the same
 * way or writes an answer this good. It proves the agent's side: tools offered and called, real results reaching
 * the model (wrapped as data, size-capped), the loop, the caps, the audit log and the transcript.
 */
import { MockLanguageModelV3 } from 'ai/test';

type CallOptions = Parameters<MockLanguageModelV3['doStream']>[0];
type StreamResult = Awaited<ReturnType<MockLanguageModelV3['doStream']>>;
type StreamPart = StreamResult['stream'] extends ReadableStream<infer P> ? P : never;

/** A tool result the model has seen, as the agent sent it. */
export interface SeenToolResult {
  readonly toolCallId: string;
  readonly toolName: string;
  /** The value the agent sent (for MCP tools: the `mcp-tool-result` object). */
  readonly value: any;
}

/** What the script sees at each step. */
export interface ScriptState {
  /** 0-based step within the current answer. */
  readonly step: number;
  /** The question of the current answer (the last user message that is not the agent's step-limit note). */
  readonly question: string;
  /** Tool results of the current answer, in order. */
  readonly results: readonly SeenToolResult[];
  /** Names of the tools offered in this step (empty when the agent forced an answer). */
  readonly tools: readonly string[];
  /** The system prompt. */
  readonly system: string;
  readonly options: CallOptions;
}

/** One step: call tools, or answer. */
export type ScriptStep = { readonly call: readonly { readonly tool: string; readonly input: Record<string, unknown> }[] } | { readonly answer: string };

/** The script: decides each step from the state. */
export type Script = (state: ScriptState) => ScriptStep;

const USAGE = {
  inputTokens: { total: 0, noCache: 0, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 0, text: 0, reasoning: undefined },
};

/**
 * Reads the script state out of the prompt the agent sent. The question is the last user message that does not
 * follow tool results (the agent's step-limit note does); the step is the number of assistant messages after it.
 */
export function scriptState(options: CallOptions): ScriptState {
  const prompt = options.prompt;
  let index = -1;
  prompt.forEach((m, i) => {
    if (m.role === 'user' && prompt[i - 1]?.role !== 'tool') index = i;
  });
  const question = index >= 0 && prompt[index]!.role === 'user' ? (prompt[index] as any).content.map((p: any) => (p.type === 'text' ? p.text : '')).join('') : '';
  const after = prompt.slice(index + 1);
  // results in the order the model called the tools (parallel calls may finish in any order)
  const callOrder: string[] = [];
  for (const m of after) if (m.role === 'assistant') for (const part of m.content) if (part.type === 'tool-call') callOrder.push(part.toolCallId);
  const results: SeenToolResult[] = [];
  for (const m of after) {
    if (m.role !== 'tool') continue;
    for (const part of m.content) {
      if (part.type !== 'tool-result') continue;
      const out = part.output;
      results.push({ toolCallId: part.toolCallId, toolName: part.toolName, value: out.type === 'json' || out.type === 'text' ? out.value : out });
    }
  }
  results.sort((a, b) => callOrder.indexOf(a.toolCallId) - callOrder.indexOf(b.toolCallId));
  const system = prompt.find((m) => m.role === 'system');
  return {
    step: after.filter((m) => m.role === 'assistant').length,
    question,
    results,
    tools: options.toolChoice?.type === 'none' ? [] : (options.tools ?? []).map((t) => t.name),
    system: system && system.role === 'system' ? system.content : '',
    options,
  };
}

/** Stream parts of one step. */
function partsOf(step: ScriptStep, stepIndex: number): StreamPart[] {
  if ('answer' in step) {
    const words = step.answer.match(/\S+\s*|\s+/g) ?? [];
    return [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: `t${stepIndex}` },
      ...words.map((w) => ({ type: 'text-delta' as const, id: `t${stepIndex}`, delta: w })),
      { type: 'text-end', id: `t${stepIndex}` },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE },
    ] as StreamPart[];
  }
  return [
    { type: 'stream-start', warnings: [] },
    ...step.call.map((c, i) => ({ type: 'tool-call' as const, toolCallId: `call-${stepIndex}-${i}`, toolName: c.tool, input: JSON.stringify(c.input) })),
    { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: USAGE },
  ] as StreamPart[];
}

/** A scripted model. `calls` records what the agent sent at each step. */
export function scriptedModel(script: Script, modelId = 'scripted'): MockLanguageModelV3 & { readonly states: ScriptState[] } {
  const states: ScriptState[] = [];
  const model = new MockLanguageModelV3({
    provider: 'scripted',
    modelId,
    doStream: async (options) => {
      const state = scriptState(options);
      states.push(state);
      const step = script(state);
      if ('call' in step && step.call.some((c) => !state.tools.includes(c.tool))) {
        throw new Error(`script called a tool that is not offered in this step: ${step.call.map((c) => c.tool).join(', ')} (offered: ${state.tools.join(', ') || 'none'})`);
      }
      const parts = partsOf(step, states.length);
      return {
        stream: new ReadableStream<StreamPart>({
          start(controller) {
            for (const p of parts) controller.enqueue(p);
            controller.close();
          },
        }),
      };
    },
  });
  return Object.assign(model, { states });
}

/** Parses the `data` of an MCP tool result as JSON (Prometheus tools answer JSON), or undefined. */
export function resultJson(result: SeenToolResult | undefined): any {
  if (!result) return undefined;
  try {
    return JSON.parse(result.value?.data ?? '');
  } catch {
    return undefined;
  }
}

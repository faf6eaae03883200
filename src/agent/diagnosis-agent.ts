import { pruneMessages, stepCountIs, streamText, type LanguageModel, type ModelMessage, type ToolSet } from 'ai';
import type { AgentEvent, ToolCallContext } from './agent-tools.js';

/** Props of {@link DiagnosisAgent}. */
export interface DiagnosisAgentProps {
  /** The language model (see createLanguageModel). */
  readonly model: LanguageModel;
  /** The system prompt (see diagnosisSystemPrompt). */
  readonly system: string;
  /** The session's tools (see buildAgentTools). */
  readonly tools: ToolSet;
  /**
   * Model calls per answer: each step is one model call and the tool calls it asks for. The last step is made
   * without tools, so an answer always comes.
   * @default 12
   */
  readonly maxSteps?: number;
  /** Tokens the model may write per step. @default 4096 */
  readonly maxOutputTokens?: number;
  /**
   * Whether the tool calls and results of earlier questions are sent again with a new question. Off, only the
   * questions and answers of the conversation are (tool results are the bulk of a conversation and would soon fill
   * the model's context); the model re-queries what it needs.
   * @default false
   */
  readonly resendEarlierToolResults?: boolean;
  /** Who is asking (the audit log's `who`). */
  readonly who: string;
  /** Conversation id (the audit log's `conversation`). */
  readonly conversation: string;
  /**
   * The conversation's earlier questions and answers, oldest first: the web chat's browser keeps them and sends
   * them with each question, so the server keeps no conversation of its own.
   * @default none: a new conversation
   */
  readonly earlierTurns?: readonly ConversationTurn[];
}

/** One earlier question and its answer. */
export interface ConversationTurn {
  readonly question: string;
  readonly answer: string;
}

/** Default {@link DiagnosisAgentProps.maxSteps}. */
export const DEFAULT_MAX_STEPS = 12;

/** Options of {@link DiagnosisAgent.ask}. */
export interface AskOptions {
  /** Receives tool calls, their results and the answer's text as they happen. */
  readonly onEvent?: (event: AgentEvent) => void;
  readonly signal?: AbortSignal;
}

/** The end of one question. */
export interface AgentAnswer {
  readonly text: string;
  /** Model calls made. */
  readonly steps: number;
  /** Whether the step cap was reached (the last step was forced to answer without tools). */
  readonly hitStepLimit: boolean;
}

const LAST_STEP_NOTE =
  'You have used every tool call this answer may make. Do not call tools: answer now from what the tools returned, ' +
  'say what you could not check, and which query or tool the user could run next.';

/**
 * One conversation with the diagnosis agent: a tool loop over the session's MCP tools, with the history of this
 * conversation only (each user, each terminal session, has its own instance). Tool calls and their results are
 * reported as they happen; the step count per answer is capped.
 */
export class DiagnosisAgent {
  private readonly messages: ModelMessage[] = [];
  private readonly maxSteps: number;
  private listener: (event: AgentEvent) => void = () => undefined;

  constructor(private readonly props: DiagnosisAgentProps) {
    this.maxSteps = props.maxSteps ?? DEFAULT_MAX_STEPS;
    if (!Number.isInteger(this.maxSteps) || this.maxSteps < 1 || this.maxSteps > 50) throw new Error(`maxSteps must be an integer from 1 to 50, not ${this.maxSteps}`);
    for (const turn of props.earlierTurns ?? []) this.messages.push({ role: 'user', content: turn.question }, { role: 'assistant', content: turn.answer });
  }

  /** The context the tools read at call time (who asks, where events go). */
  readonly toolContext = (): ToolCallContext => ({ who: this.props.who, conversation: this.props.conversation, onEvent: (e) => this.listener(e) });

  /** The conversation so far (user, assistant and tool messages). */
  get history(): readonly ModelMessage[] {
    return this.messages;
  }

  /** Asks one question in this conversation; resolves with the answer once the model has given it. */
  async ask(question: string, options: AskOptions = {}): Promise<AgentAnswer> {
    const emit = options.onEvent ?? (() => undefined);
    this.listener = emit;
    const conversation: ModelMessage[] = [...this.messages, { role: 'user', content: question }];
    const pending = this.props.resendEarlierToolResults ? conversation : pruneMessages({ messages: conversation, toolCalls: 'before-last-message', emptyMessages: 'remove' });
    let failure: unknown;
    const result = streamText({
      model: this.props.model,
      system: this.props.system,
      messages: pending,
      tools: this.props.tools,
      stopWhen: stepCountIs(this.maxSteps),
      maxOutputTokens: this.props.maxOutputTokens ?? 4096,
      abortSignal: options.signal,
      prepareStep: ({ stepNumber, messages }) =>
        stepNumber === this.maxSteps - 1 && this.maxSteps > 1
          ? { toolChoice: 'none', messages: [...messages, { role: 'user', content: LAST_STEP_NOTE }] }
          : undefined,
      onError: ({ error }) => {
        failure = error;
      },
    });
    let text = '';
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        text += part.text;
        emit({ type: 'text', delta: part.text });
      } else if (part.type === 'start-step') {
        // a new step's text replaces nothing: keep only the final step's text as the answer
        text = '';
      } else if (part.type === 'error') {
        failure ??= part.error;
      }
    }
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
    const steps = (await result.steps).length;
    const hitStepLimit = steps >= this.maxSteps;
    if (hitStepLimit) emit({ type: 'step-limit', maxSteps: this.maxSteps });
    const response = await result.response;
    this.messages.push({ role: 'user', content: question }, ...response.messages);
    emit({ type: 'answer', text });
    return { text, steps, hitStepLimit };
  }
}

import { dynamicTool, jsonSchema, type ToolSet } from 'ai';
import type { AuditLog, ToolCallOutcome } from './audit-log.js';
import type { McpServerConnection, McpToolInfo } from './mcp-connection.js';
import { byteLength, summarizeOutput, toolResultForModel, type ToolResultForModel } from './tool-output.js';
import type { ToolDecision, ToolPolicy } from './tool-policy.js';

/** A write call put to the user. */
export interface WriteApprovalRequest {
  readonly server: string;
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Whether the server marks the tool destructive (or says nothing). */
  readonly destructive: boolean;
}

/** Asks the user whether a write call may run; resolves true only on an explicit yes. */
export type ApproveWrite = (request: WriteApprovalRequest) => Promise<boolean>;

/** What happens during a session, for whoever shows it (the CLI, the web chat) and for transcripts. */
export type AgentEvent =
  | { readonly type: 'tool-call'; readonly id: string; readonly server: string; readonly tool: string; readonly arguments: Readonly<Record<string, unknown>>; readonly access: 'read' | 'write' }
  | {
      readonly type: 'tool-result';
      readonly id: string;
      readonly server: string;
      readonly tool: string;
      readonly outcome: ToolCallOutcome;
      readonly durationMs: number;
      readonly resultBytes: number;
      readonly truncated: boolean;
      /** One line for people. */
      readonly summary: string;
      /** What the model was given. */
      readonly forModel: ToolResultForModel;
    }
  | { readonly type: 'text'; readonly delta: string }
  | { readonly type: 'step-limit'; readonly maxSteps: number }
  | { readonly type: 'answer'; readonly text: string };

/** A tool as offered to the model, with where it comes from. */
export interface OfferedTool {
  /** Name the model calls it by: `<server>_<tool>`. */
  readonly name: string;
  readonly server: string;
  readonly tool: McpToolInfo;
  readonly decision: Extract<ToolDecision, { offered: true }>;
}

/** A tool the policy withheld, and why. */
export interface WithheldTool {
  readonly server: string;
  readonly tool: string;
  readonly reason: string;
}

/** Limits of {@link buildAgentTools}. */
export interface ToolLimits {
  /** Bytes of one tool result the model sees; larger results are cut with a hint to narrow the query. @default 16000 */
  readonly maxResultBytes?: number;
}

/** Inputs of {@link buildAgentTools}. */
export interface AgentToolsInput {
  readonly connections: readonly McpServerConnection[];
  readonly policy: ToolPolicy;
  readonly audit: AuditLog;
  /** Asked for every write call; without it, write calls are refused. */
  readonly approveWrite?: ApproveWrite;
  readonly limits?: ToolLimits;
}

/** Per-call context: who asks, in which conversation, and where events go. */
export interface ToolCallContext {
  readonly who: string;
  readonly conversation: string;
  readonly onEvent: (event: AgentEvent) => void;
}

/** Default cap of one tool result, in bytes (about 4,000 tokens). */
export const DEFAULT_MAX_RESULT_BYTES = 16_000;

/** Tool name the model sees: `<server>_<tool>`, limited to what every provider accepts (`[A-Za-z0-9_-]{1,64}`). */
export function modelToolName(server: string, tool: string): string {
  return `${server}_${tool}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/** The offered and withheld tools of some connections under a policy. */
export function offeredTools(connections: readonly McpServerConnection[], policy: ToolPolicy): { offered: OfferedTool[]; withheld: WithheldTool[] } {
  const offered: OfferedTool[] = [];
  const withheld: WithheldTool[] = [];
  for (const connection of connections) {
    for (const tool of connection.tools) {
      const decision = policy.decide(connection.server.name, tool);
      if (!decision.offered) {
        withheld.push({ server: connection.server.name, tool: tool.name, reason: decision.reason });
        continue;
      }
      const name = modelToolName(connection.server.name, tool.name);
      if (offered.some((o) => o.name === name)) throw new Error(`two tools map to the model tool name '${name}'`);
      offered.push({ name, server: connection.server.name, tool, decision });
    }
  }
  return { offered, withheld };
}

/**
 * The AI SDK tools of a session: one per offered MCP tool. Each call is logged to the audit log, its result cut to
 * the size cap and wrapped as data; write calls outside the write namespaces are refused, the others run only after
 * the user approved them.
 */
export function buildAgentTools(input: AgentToolsInput, context: () => ToolCallContext): ToolSet {
  const maxBytes = input.limits?.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  const byServer = new Map(input.connections.map((c) => [c.server.name, c]));
  const tools: ToolSet = {};
  for (const offered of offeredTools(input.connections, input.policy).offered) {
    const connection = byServer.get(offered.server)!;
    const access = offered.decision.access;
    tools[offered.name] = dynamicTool({
      description: `[${offered.server} MCP server${access === 'write' ? ', WRITE: needs the user\'s approval' : ''}] ${offered.tool.description}`,
      inputSchema: jsonSchema(offered.tool.inputSchema as Parameters<typeof jsonSchema>[0]),
      execute: async (rawArgs, { toolCallId, abortSignal }) => {
        const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as Record<string, unknown>;
        const ctx = context();
        const time = new Date().toISOString();
        ctx.onEvent({ type: 'tool-call', id: toolCallId, server: offered.server, tool: offered.tool.name, arguments: args, access });
        const finish = (outcome: ToolCallOutcome, output: string, durationMs: number, detail?: string): ToolResultForModel => {
          const forModel = toolResultForModel({ server: offered.server, tool: offered.tool.name, status: outcome, output, maxBytes });
          const resultBytes = outcome === 'ok' || outcome === 'tool-error' ? byteLength(output) : 0;
          input.audit.record({
            time,
            who: ctx.who,
            conversation: ctx.conversation,
            server: offered.server,
            tool: offered.tool.name,
            arguments: args,
            durationMs,
            resultBytes,
            truncated: forModel.truncated !== undefined,
            outcome,
            access,
            ...(detail ? { detail } : {}),
          });
          ctx.onEvent({
            type: 'tool-result',
            id: toolCallId,
            server: offered.server,
            tool: offered.tool.name,
            outcome,
            durationMs,
            resultBytes,
            truncated: forModel.truncated !== undefined,
            summary: outcome === 'ok' || outcome === 'tool-error' ? summarizeOutput(output) : (detail ?? outcome),
            forModel,
          });
          return forModel;
        };

        if (access === 'write') {
          const refusal = input.policy.refuseWrite(args);
          if (refusal) return finish('refused', `Refused by the agent's policy: ${refusal}. Do not retry.`, 0, refusal);
          const approved = input.approveWrite
            ? await input.approveWrite({ server: offered.server, tool: offered.tool.name, arguments: args, destructive: offered.decision.destructive })
            : false;
          if (!approved) {
            const why = input.approveWrite ? 'the user did not approve this change' : 'no one can approve changes in this session';
            return finish('denied', `Not run: ${why}. Do not retry it; tell the user what you would change instead.`, 0, why);
          }
        }
        const started = performance.now();
        try {
          const out = await connection.callTool(offered.tool.name, args, abortSignal);
          return finish(out.isError ? 'tool-error' : 'ok', out.text, Math.round(performance.now() - started));
        } catch (error) {
          const message = (error as Error).message;
          return finish('failed', `The call failed: ${message}`, Math.round(performance.now() - started), message);
        }
      },
    });
  }
  return tools;
}

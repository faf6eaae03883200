import { AGENT_AUDIT_LOG_NAME } from './agent-web-contract.js';

/** How a tool call ended. */
export type ToolCallOutcome = 'ok' | 'tool-error' | 'failed' | 'denied' | 'refused';

/** One tool call, as the audit log records it (one JSON line). */
export interface ToolCallRecord {
  /** ISO 8601 time the call started. */
  readonly time: string;
  /** Who asked: the local user of the CLI, or the authenticated user of the web chat. */
  readonly who: string;
  /** The conversation the call belongs to. */
  readonly conversation: string;
  /** MCP server name. */
  readonly server: string;
  /** Tool name on that server. */
  readonly tool: string;
  /** Arguments as the model gave them. */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Milliseconds from the call to its result (0 for refused or denied calls). */
  readonly durationMs: number;
  /** UTF-8 bytes of the result the server returned (before the size cap). */
  readonly resultBytes: number;
  /** Whether the result was cut to the size cap before the model saw it. */
  readonly truncated: boolean;
  readonly outcome: ToolCallOutcome;
  /** Whether the call could change something (a write tool) and, if so, who approved it. */
  readonly access: 'read' | 'write';
  /** For `failed`, `denied` and `refused`: why. */
  readonly detail?: string;
}

/** Where audit lines go: a function given each complete line (no trailing newline). */
export type AuditSink = (line: string) => void;

/**
 * The audit log of tool calls: one JSON object per line, written as each call ends. The CLI writes it to stderr or
 * a file; in the cluster it goes to the container's stdout, where Fluent Bit ships it to OpenSearch.
 */
export class AuditLog {
  public readonly records: ToolCallRecord[] = [];

  constructor(private readonly sink: AuditSink) {}

  /** Writes one record. */
  record(entry: ToolCallRecord): void {
    this.records.push(entry);
    this.sink(JSON.stringify({ log: AGENT_AUDIT_LOG_NAME, ...entry }));
  }
}

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** An MCP server the agent connects to, by URL. */
export interface McpServerUrl {
  /** Short name used in tool names, logs and transcripts, e.g. `prometheus` (letters, digits, `-`). */
  readonly name: string;
  /** The server's MCP endpoint, e.g. `http://localhost:8081/mcp` (streamable HTTP) or `.../sse`. */
  readonly url: string;
}

/** What the agent knows of one tool a server offers (from `tools/list`). */
export interface McpToolInfo {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the tool's arguments. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
  /** The server's `readOnlyHint` annotation (undefined when the server says nothing). */
  readonly readOnlyHint?: boolean;
  /** The server's `destructiveHint` annotation. */
  readonly destructiveHint?: boolean;
}

/** One content item of a tool result, reduced to text. */
export interface McpToolOutput {
  /** The result's text content, joined; non-text items are described in brackets. */
  readonly text: string;
  /** The server flagged the result as an error. */
  readonly isError: boolean;
}

/** MCP transports the agent speaks, in the order it tries them. */
export type McpTransportKind = 'streamable-http' | 'sse';

const SERVER_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
const CLIENT_INFO = { name: 'aiml-observability-agent', version: '0.1.0' };

/** Options of {@link McpServerConnection.connect}. */
export interface McpConnectOptions {
  /** Milliseconds to wait for a tool call. @default 30000 */
  readonly callTimeoutMs?: number;
  /** HTTP headers sent with every request (e.g. an Authorization header of a gateway). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A connection to one MCP server over HTTP: streamable HTTP first and, when the server does not speak it, SSE
 * (the older HTTP+SSE transport). Lists the server's tools once at connect time.
 */
export class McpServerConnection {
  private constructor(
    public readonly server: McpServerUrl,
    public readonly transport: McpTransportKind,
    public readonly tools: readonly McpToolInfo[],
    private readonly client: Client,
    private readonly callTimeoutMs: number,
  ) {}

  /** Connects, trying streamable HTTP and then SSE; fails naming both errors when neither works. */
  static async connect(server: McpServerUrl, options: McpConnectOptions = {}): Promise<McpServerConnection> {
    if (!SERVER_NAME.test(server.name)) throw new Error(`MCP server name '${server.name}' must be lower-case letters, digits and '-' (at most 31)`);
    const url = new URL(server.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`MCP server ${server.name}: ${server.url} is not an http(s) URL`);
    const requestInit = options.headers ? { headers: { ...options.headers } } : undefined;
    const errors: string[] = [];
    for (const kind of ['streamable-http', 'sse'] as const) {
      const client = new Client(CLIENT_INFO);
      const transport = kind === 'streamable-http' ? new StreamableHTTPClientTransport(url, { requestInit }) : new SSEClientTransport(url, { requestInit });
      try {
        await client.connect(transport);
        const tools = await listAllTools(client);
        return new McpServerConnection(server, kind, tools, client, options.callTimeoutMs ?? 30_000);
      } catch (error) {
        errors.push(`${kind}: ${(error as Error).message}`);
        await client.close().catch(() => undefined);
      }
    }
    throw new Error(`cannot reach MCP server ${server.name} at ${server.url} (${errors.join('; ')})`);
  }

  /** Calls a tool; a protocol failure throws, a tool-level error comes back with `isError`. */
  async callTool(name: string, args: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<McpToolOutput> {
    const result = await this.client.callTool({ name, arguments: { ...args } }, undefined, { timeout: this.callTimeoutMs, signal });
    const content = Array.isArray(result.content) ? result.content : [];
    const parts = content.map((item: { type: string; text?: string; mimeType?: string }) =>
      item.type === 'text' && typeof item.text === 'string' ? item.text : `[${item.type}${item.mimeType ? ` ${item.mimeType}` : ''} content omitted]`,
    );
    if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
    return { text: parts.join('\n'), isError: result.isError === true };
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.client.close();
  }
}

async function listAllTools(client: Client): Promise<McpToolInfo[]> {
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    for (const t of page.tools) {
      tools.push({
        name: t.name,
        description: t.description ?? '',
        inputSchema: t.inputSchema as Record<string, unknown>,
        readOnlyHint: t.annotations?.readOnlyHint,
        destructiveHint: t.annotations?.destructiveHint,
      });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** Connects to every server; closes the ones already open and rethrows when one fails. */
export async function connectAll(servers: readonly McpServerUrl[], options: McpConnectOptions = {}): Promise<McpServerConnection[]> {
  const names = servers.map((s) => s.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) throw new Error(`MCP server names must be unique: ${[...new Set(twice)].join(', ')}`);
  const settled = await Promise.allSettled(servers.map((s) => McpServerConnection.connect(s, options)));
  const failed = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    await Promise.allSettled(settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
    throw new Error(failed.map((f) => (f.reason as Error).message).join('\n'));
  }
  return settled.map((r) => (r as PromiseFulfilledResult<McpServerConnection>).value);
}

/**
 * `aiml-observability agent serve`: the diagnosis agent as a small web chat, the same loop, policy and audit log as
 * the terminal session. What the ObservabilityAgent construct runs in the cluster (reached by port-forward).
 *
 * - Per-user conversations without server state: the browser keeps its conversations (localStorage) and sends the
 *   earlier questions and answers with each question; the server keeps no conversation, shared or not.
 * - Streaming: each answer is a response of newline-delimited JSON events (tool calls, their results, the text as
 *   it is written, approval requests, the end), read by the page as it arrives.
 * - Writes: a write call the policy allows is put to the browser that asked, and runs only on its explicit Allow.
 * - Audit: every tool call is one JSON line on stdout (the container's log, which Fluent Bit ships to OpenSearch);
 *   the server's own messages go to stderr.
 * - `/healthz` (the process answers) and `/readyz` (the model is configured and the MCP servers were reached at
 *   start) for the probes.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { LanguageModel } from 'ai';
import { buildAgentTools, type AgentEvent, type ApproveWrite } from '../src/agent/agent-tools.js';
import { AuditLog } from '../src/agent/audit-log.js';
import { DiagnosisAgent, type ConversationTurn } from '../src/agent/diagnosis-agent.js';
import { connectAll, type McpServerConnection } from '../src/agent/mcp-connection.js';
import { createLanguageModel } from '../src/agent/providers.js';
import { diagnosisSystemPrompt } from '../src/agent/system-prompt.js';
import { ToolPolicy } from '../src/agent/tool-policy.js';
import { AGENT_WEB_PORT, AGENT_HEALTH_PATHS } from '../src/agent/agent-web-contract.js';
import { allowedTools, COMMON_OPTIONS, commonAgentArgs, UsageError, type CliIo, type CommonAgentArgs } from './agent-cli.js';
import { CHAT_CSS, CHAT_HTML, CHAT_JS } from './agent-web-page.js';

export const SERVE_USAGE = `usage: aiml-observability agent serve --provider <...> --model <id> --mcp <name>=<url> ... [options]

The model, MCP server and policy options of \`aiml-observability agent\` (see agent --help), and:
  --port <n>                    port to listen on (default ${AGENT_WEB_PORT})
  --listen <address>            address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --allowed-host <name>         a Host header the chat answers besides localhost, 127.0.0.1 and [::1] (repeat)
  --approval-timeout <seconds>  how long a write waits for the browser's answer before it is denied (default 300)

Every tool call is written to stdout as one JSON line (the audit log); other messages go to stderr.
There is no authentication: reach it through kubectl port-forward (who may port-forward is who may use it).
`;

/** Options of {@link startAgentWebServer}. */
export interface AgentWebServerOptions extends CommonAgentArgs {
  readonly model: LanguageModel;
  readonly port: number;
  readonly listen: string;
  /** Host names (without port) the server answers besides the loopback names. */
  readonly allowedHosts: readonly string[];
  readonly approvalTimeoutMs: number;
  /** Where the audit lines go. */
  readonly audit: (line: string) => void;
  /** Where the server's own messages go. */
  readonly log: (line: string) => void;
  /** Answers in flight at once; more are refused with 429. @default 4 */
  readonly maxConcurrentAnswers?: number;
}

/** A running web chat. */
export interface AgentWebServer {
  readonly url: string;
  readonly port: number;
  /** Whether the server answers /readyz with 200. */
  readonly ready: boolean;
  close(): Promise<void>;
}

/** Largest request body accepted (a question and the conversation's earlier turns). */
const MAX_BODY_BYTES = 512 * 1024;
/** Earlier turns a question may bring. */
const MAX_TURNS = 40;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The audit log's `who` of a web user: the browser's random id (see docs/agent.md, "Who the audit log names"). */
export function webWho(browser: string): string {
  return `web-browser:${browser}`;
}

/** The host (and port) of an Origin header; undefined for `null` or anything that is not a URL. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** A question as the page sends it. */
interface AskRequest {
  readonly question: string;
  readonly conversation: string;
  readonly browser: string;
  readonly earlierTurns: ConversationTurn[];
}

function parseAsk(body: unknown): AskRequest {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object') throw new HttpError(400, 'the body must be a JSON object');
  const { question, conversation, browser, earlierTurns } = b;
  if (typeof question !== 'string' || question.trim() === '') throw new HttpError(400, 'question: a non-empty string is required');
  if (typeof conversation !== 'string' || !UUID.test(conversation)) throw new HttpError(400, 'conversation: a lower-case UUID is required');
  if (typeof browser !== 'string' || !UUID.test(browser)) throw new HttpError(400, 'browser: a lower-case UUID is required');
  const turns = earlierTurns ?? [];
  if (!Array.isArray(turns) || turns.length > MAX_TURNS) throw new HttpError(400, `earlierTurns: a list of at most ${MAX_TURNS} {question, answer} is required`);
  for (const t of turns) {
    if (!t || typeof t.question !== 'string' || typeof t.answer !== 'string') throw new HttpError(400, 'earlierTurns: each item needs a string question and answer');
  }
  return { question: question.trim(), conversation, browser, earlierTurns: turns.map((t) => ({ question: t.question, answer: t.answer })) };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new HttpError(415, 'send application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
}

/** An event as the page receives it: tool results without what the model was given (the page shows the summary). */
function forPage(event: AgentEvent): Record<string, unknown> {
  if (event.type === 'tool-result') {
    const { forModel: _m, ...rest } = event;
    return rest;
  }
  return event;
}

/**
 * Starts the web chat. The MCP servers are connected for each answer (and closed after it), so a restarted server
 * or a changed tool list is picked up; /readyz reports whether they could all be reached at start.
 */
export async function startAgentWebServer(options: AgentWebServerOptions): Promise<AgentWebServer> {
  const policy = new ToolPolicy({ allowTools: allowedTools(options.allowTools), writeNamespaces: options.writeNamespaces });
  const audit = new AuditLog(options.audit);
  const system = diagnosisSystemPrompt();
  const hosts = new Set([...LOOPBACK_HOSTS, ...options.allowedHosts.map((h) => h.toLowerCase())]);
  const pendingApprovals = new Map<string, { browser: string; resolve: (approved: boolean) => void }>();
  const maxAnswers = options.maxConcurrentAnswers ?? 4;
  let answering = 0;
  let ready = false;
  const modelName = typeof options.model === 'string' ? options.model : `${options.model.provider}/${options.model.modelId}`;

  const hostAllowed = (req: IncomingMessage) => {
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    return hosts.has(host);
  };

  async function ask(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A page of another site cannot post here: JSON needs a CORS preflight nobody answers, and the Origin, when
    // sent, must be this server's.
    const origin = req.headers.origin;
    if (origin !== undefined && originHost(origin) !== (req.headers.host ?? '').toLowerCase()) throw new HttpError(403, 'cross-origin request');
    const request = parseAsk(await readJson(req));
    if (answering >= maxAnswers) throw new HttpError(429, `already answering ${maxAnswers} questions; try again shortly`);
    answering++;
    const abort = new AbortController();
    const mine = new Set<string>();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('the browser went away'));
      for (const id of mine) pendingApprovals.get(id)?.resolve(false);
    });
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/x-ndjson; charset=utf-8', 'x-accel-buffering': 'no' });
    const send = (event: Record<string, unknown>) => {
      if (!res.writableEnded) res.write(`${JSON.stringify(event)}\n`);
    };
    const who = webWho(request.browser);
    let connections: McpServerConnection[] = [];
    try {
      send({ type: 'start', conversation: request.conversation, who, model: modelName });
      connections = await connectAll(options.servers);
      const approveWrite: ApproveWrite = (approval) =>
        new Promise<boolean>((resolve) => {
          const id = randomUUID();
          mine.add(id);
          const timer = setTimeout(() => finish(false), options.approvalTimeoutMs);
          const finish = (approved: boolean) => {
            clearTimeout(timer);
            if (!pendingApprovals.delete(id)) return;
            mine.delete(id);
            send({ type: 'approval-decided', approval: id, approved });
            resolve(approved);
          };
          pendingApprovals.set(id, { browser: request.browser, resolve: finish });
          send({ type: 'approval', approval: id, ...approval });
        });
      let agent: DiagnosisAgent;
      const tools = buildAgentTools({ connections, policy, audit, approveWrite, limits: { maxResultBytes: options.maxResultBytes } }, () => agent.toolContext());
      agent = new DiagnosisAgent({
        model: options.model,
        system,
        tools,
        maxSteps: options.maxSteps,
        who,
        conversation: request.conversation,
        earlierTurns: request.earlierTurns,
      });
      await agent.ask(request.question, { signal: abort.signal, onEvent: (event) => send(forPage(event)) });
    } catch (error) {
      const message = (error as Error).message;
      options.log(`answer failed (${who}, conversation ${request.conversation}): ${message}`);
      send({ type: 'error', message });
    } finally {
      answering--;
      await Promise.allSettled(connections.map((c) => c.close()));
      res.end();
    }
  }

  async function approve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readJson(req)) as Record<string, unknown> | null;
    const id = body?.approval;
    const pending = typeof id === 'string' ? pendingApprovals.get(id) : undefined;
    // Only the browser that asked may answer, and only with an explicit boolean.
    if (!pending || body?.browser !== pending.browser) throw new HttpError(404, 'no such approval is waiting for this browser');
    if (typeof body?.approved !== 'boolean') throw new HttpError(400, 'approved: true or false is required');
    pending.resolve(body.approved);
    res.writeHead(204, SECURITY_HEADERS).end();
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reply = (status: number, type: string, body: string) => res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type }).end(body);
    const handle = async () => {
      if (req.method === 'GET' && url.pathname === AGENT_HEALTH_PATHS.liveness) return reply(200, 'text/plain', 'ok\n');
      if (req.method === 'GET' && url.pathname === AGENT_HEALTH_PATHS.readiness) return reply(ready ? 200 : 503, 'text/plain', ready ? 'ready\n' : 'not ready\n');
      // Not for a DNS-rebinding page: only the names this server is reached by.
      if (!hostAllowed(req)) throw new HttpError(421, `this server does not answer for host ${req.headers.host ?? '(none)'}; see --allowed-host`);
      if (req.method === 'GET' && url.pathname === '/') return reply(200, 'text/html; charset=utf-8', CHAT_HTML);
      if (req.method === 'GET' && url.pathname === '/chat.js') return reply(200, 'text/javascript; charset=utf-8', CHAT_JS);
      if (req.method === 'GET' && url.pathname === '/chat.css') return reply(200, 'text/css; charset=utf-8', CHAT_CSS);
      if (req.method === 'GET' && url.pathname === '/favicon.ico') return void res.writeHead(204, SECURITY_HEADERS).end();
      if (req.method === 'GET' && url.pathname === '/api/session') {
        return reply(
          200,
          'application/json',
          JSON.stringify({ model: modelName, servers: options.servers.map((s) => s.name), writeNamespaces: policy.writeNamespaces, maxSteps: options.maxSteps }),
        );
      }
      if (req.method === 'POST' && url.pathname === '/api/ask') return ask(req, res);
      if (req.method === 'POST' && url.pathname === '/api/approve') return approve(req, res);
      throw new HttpError(404, 'not found');
    };
    handle().catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) options.log(`request failed: ${(error as Error).message}`);
      if (!res.headersSent) reply(status, 'application/json', JSON.stringify({ error: (error as Error).message }));
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.listen, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Ready once every MCP server answered (tried again every 10 s until then).
  const probe = async () => {
    try {
      const connections = await connectAll(options.servers, { callTimeoutMs: 5000 });
      await Promise.allSettled(connections.map((c) => c.close()));
      ready = true;
      options.log(`ready: ${options.servers.map((s) => s.name).join(', ')} reached`);
    } catch (error) {
      options.log(`not ready yet: ${(error as Error).message}`);
      retry = setTimeout(() => void probe(), 10_000);
    }
  };
  let retry: NodeJS.Timeout | undefined;
  await probe();
  const host = options.listen.includes(':') ? `[${options.listen}]` : options.listen;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    get ready() {
      return ready;
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(retry);
        for (const pending of pendingApprovals.values()) pending.resolve(false);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `aiml-observability agent serve` until SIGTERM or SIGINT; resolves with the exit code. */
export async function runAgentServe(argv: readonly string[], io: CliIo, overrides: { model?: LanguageModel; signal?: AbortSignal } = {}): Promise<number> {
  let args: CommonAgentArgs & { port: number; listen: string; allowedHosts: string[]; approvalTimeoutMs: number };
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...COMMON_OPTIONS,
        port: { type: 'string' },
        listen: { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        'approval-timeout': { type: 'string' },
      },
    });
    if (values.help) throw new UsageError('');
    const common = commonAgentArgs(values, io.env, overrides.model === undefined);
    const port = Number(values.port ?? AGENT_WEB_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: '${values.port}' is not a port number`);
    const timeout = Number(values['approval-timeout'] ?? 300);
    if (!Number.isInteger(timeout) || timeout < 1) throw new UsageError(`--approval-timeout: '${values['approval-timeout']}' is not a positive number of seconds`);
    args = { ...common, port, listen: values.listen ?? '127.0.0.1', allowedHosts: values['allowed-host'] ?? [], approvalTimeoutMs: timeout * 1000 };
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    io.stderr.write(`${error.message ? `error: ${error.message}\n\n` : ''}${SERVE_USAGE}`);
    return error.message ? 2 : 0;
  }
  let server: AgentWebServer;
  try {
    const model = overrides.model ?? createLanguageModel(args.provider!, io.env);
    server = await startAgentWebServer({
      ...args,
      model,
      audit: (line) => io.stdout.write(`${line}\n`),
      log: (line) => io.stderr.write(`${new Date().toISOString()} ${line}\n`),
    });
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
  io.stderr.write(`aiml-observability agent serve: listening on ${args.listen}:${server.port} (kubectl port-forward, then http://localhost:<port>/)\n`);
  await new Promise<void>((resolve) => {
    if (overrides.signal) overrides.signal.addEventListener('abort', () => resolve(), { once: true });
    else for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve());
  });
  await server.close();
  return 0;
}

/**
 * `aiml-observability agent`: the diagnosis agent in a terminal. Interactive by default, one question with `--ask`.
 * Prints each tool call and a summary of its result as it happens, then the answer; `--transcript FILE` writes
 * the exchange as JSON lines, and every tool call goes to the audit log (stderr, or `--audit-log FILE`).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface, type Interface } from 'node:readline/promises';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { LanguageModel } from 'ai';
import { buildAgentTools, offeredTools, type AgentEvent, type ApproveWrite } from '../src/agent/agent-tools.js';
import { AuditLog } from '../src/agent/audit-log.js';
import { DEFAULT_MAX_STEPS, DiagnosisAgent } from '../src/agent/diagnosis-agent.js';
import { connectAll, type McpServerConnection, type McpServerUrl } from '../src/agent/mcp-connection.js';
import { createLanguageModel, PROVIDERS, type ProviderConfig } from '../src/agent/providers.js';
import { diagnosisSystemPrompt } from '../src/agent/system-prompt.js';
import { ToolPolicy, DEFAULT_READ_ONLY_ALLOWLIST } from '../src/agent/tool-policy.js';

/** Where the CLI reads and writes. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  /** Whether stdin is a terminal a person answers at (approvals are only asked there). */
  readonly interactive: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/** Test seams: a model instead of the provider flags. */
export interface CliOverrides {
  readonly model?: LanguageModel;
}

export const AGENT_USAGE = `usage: aiml-observability agent --provider <bedrock|openai-compatible> --model <id> --mcp <name>=<url> ... [options]

Model (required; there is no default model):
  --provider bedrock            AWS Bedrock; credentials from the AWS provider chain (env, SSO/profile, IRSA, Pod Identity, instance role)
    --region <region>           default AWS_REGION
    --profile <name>            a profile of ~/.aws/config
    --endpoint <url>            Bedrock runtime endpoint override (VPC endpoint)
  --provider openai-compatible  any OpenAI-compatible endpoint, e.g. vLLM in the cluster
    --base-url <url>            e.g. http://vllm.ml-inference.svc:8000/v1
    --api-key-env <VAR>         environment variable holding the API key, if any (default: none)
  --model <id>                  model id (Bedrock model / inference profile id; vLLM served model name)

MCP servers (repeat; streamable HTTP, SSE as fallback):
  --mcp prometheus=http://localhost:8081/mcp --mcp kubernetes=http://localhost:8080/mcp --mcp opensearch=http://localhost:9900/mcp

Session:
  --ask "<question>"            answer one question and exit (default: interactive)
  --transcript <file>           write the exchange as JSON lines
  --audit-log <file>            append the tool-call audit lines there (default: stderr)
  --who <name>                  who the audit log names (default: your user name)
  --max-steps <n>               model calls per answer (default ${DEFAULT_MAX_STEPS})
  --max-result-bytes <n>        bytes of one tool result the model sees (default 16000)

Policy (read-only by default):
  --allow-tool <server/tool>    also offer a tool its server does not mark read-only (repeat); only tools that change nothing
  --write-namespaces <a,b>      the Kubernetes server's write namespaces: offer its write tools there, each call asks you first

The same agent as a web chat: aiml-observability agent serve (agent serve --help).
`;

interface ParsedArgs extends CommonAgentArgs {
  readonly ask?: string;
  readonly transcript?: string;
  readonly auditLog?: string;
  readonly who: string;
}

/** A mistake in the command line: printed with the usage. */
export class UsageError extends Error {}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: '${value}' is not a positive integer`);
  return n;
}

/** The options every `agent` mode takes: the model, the MCP servers and the tool policy. */
export const COMMON_OPTIONS = {
  provider: { type: 'string' },
  model: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  endpoint: { type: 'string' },
  'base-url': { type: 'string' },
  'api-key-env': { type: 'string' },
  mcp: { type: 'string', multiple: true },
  'max-steps': { type: 'string' },
  'max-result-bytes': { type: 'string' },
  'allow-tool': { type: 'string', multiple: true },
  'write-namespaces': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What every `agent` mode reads from its arguments. */
export interface CommonAgentArgs {
  readonly provider?: ProviderConfig;
  readonly servers: McpServerUrl[];
  readonly maxSteps: number;
  readonly maxResultBytes: number;
  readonly allowTools: string[];
  readonly writeNamespaces: string[];
}

/** Reads the common options (parsed by node:util parseArgs with {@link COMMON_OPTIONS}); throws a UsageError. */
export function commonAgentArgs(values: Record<string, string | boolean | string[] | undefined>, env: NodeJS.ProcessEnv, needModel: boolean): CommonAgentArgs {
  const str = (name: string) => values[name] as string | undefined;
  let provider: ProviderConfig | undefined;
  if (needModel) {
    if (!str('provider')) throw new UsageError(`--provider is required (${PROVIDERS.join(' or ')})`);
    if (!str('model')) throw new UsageError('--model is required: there is no default model, choose the one that is billed');
    if (str('provider') === 'bedrock') {
      provider = { provider: 'bedrock', modelId: str('model')!, region: str('region'), profile: str('profile'), endpoint: str('endpoint') };
    } else if (str('provider') === 'openai-compatible') {
      if (!str('base-url')) throw new UsageError('--base-url is required with --provider openai-compatible');
      const keyVar = str('api-key-env');
      if (keyVar && !env[keyVar]) throw new UsageError(`--api-key-env ${keyVar}: the variable is not set`);
      provider = { provider: 'openai-compatible', modelId: str('model')!, baseURL: str('base-url')!, apiKey: keyVar ? env[keyVar] : undefined };
    } else {
      throw new UsageError(`--provider '${str('provider')}' is not known; use ${PROVIDERS.join(' or ')}`);
    }
  }
  const servers = ((values.mcp as string[] | undefined) ?? []).map((spec) => {
    const at = spec.indexOf('=');
    if (at <= 0) throw new UsageError(`--mcp '${spec}': write <name>=<url>, e.g. prometheus=http://localhost:8081/mcp`);
    return { name: spec.slice(0, at), url: spec.slice(at + 1) };
  });
  if (servers.length === 0) throw new UsageError('give at least one MCP server with --mcp <name>=<url>');
  return {
    provider,
    servers,
    maxSteps: positiveInt('--max-steps', str('max-steps'), DEFAULT_MAX_STEPS),
    maxResultBytes: positiveInt('--max-result-bytes', str('max-result-bytes'), 16_000),
    allowTools: (values['allow-tool'] as string[] | undefined) ?? [],
    writeNamespaces: (str('write-namespaces') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
  };
}

/** Parses the `agent` arguments (the terminal session). */
export function parseAgentArgs(argv: readonly string[], env: NodeJS.ProcessEnv, needModel = true): ParsedArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      ...COMMON_OPTIONS,
      ask: { type: 'string' },
      transcript: { type: 'string' },
      'audit-log': { type: 'string' },
      who: { type: 'string' },
    },
  });
  if (values.help) throw new UsageError('');
  const common = commonAgentArgs(values, env, needModel);
  if (values.ask !== undefined && values.ask.trim() === '') throw new UsageError('--ask needs a question');
  return {
    ...common,
    ask: values.ask,
    transcript: values.transcript,
    auditLog: values['audit-log'],
    who: values.who ?? safeUser(),
  };
}

/** The read-only allowlist plus the tools given with --allow-tool, as `server/tool`. */
export function allowedTools(extra: readonly string[]): string[] {
  return [...Object.entries(DEFAULT_READ_ONLY_ALLOWLIST).flatMap(([s, ts]) => ts.map((t) => `${s}/${t}`)), ...extra];
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

const kb = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`);

/** How the CLI prints one event (tool calls and results as they happen; the answer's text as it streams). */
export function renderEvent(event: AgentEvent): string {
  switch (event.type) {
    case 'tool-call':
      return `  -> ${event.server}.${event.tool}${event.access === 'write' ? ' [WRITE]' : ''} ${JSON.stringify(event.arguments)}\n`;
    case 'tool-result':
      return `  <- ${event.outcome}, ${kb(event.resultBytes)}${event.truncated ? ' (cut for the model)' : ''}, ${event.durationMs} ms: ${event.summary}\n`;
    case 'text':
      return event.delta;
    case 'step-limit':
      return `\n  (step limit of ${event.maxSteps} reached: answered without further tool calls)\n`;
    case 'answer':
      return '\n';
  }
}

/** Runs `aiml-observability agent`; resolves with the exit code. */
export async function runAgentCli(argv: readonly string[], io: CliIo, overrides: CliOverrides = {}): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseAgentArgs(argv, io.env, overrides.model === undefined);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${error.message ? `error: ${error.message}\n\n` : ''}${AGENT_USAGE}`);
    return error.message ? 2 : 0;
  }
  const out = (text: string) => io.stdout.write(text);
  const transcript = (record: Record<string, unknown>) => {
    if (args.transcript) appendFileSync(args.transcript, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  };
  if (args.transcript) writeFileSync(args.transcript, '');
  const audit = new AuditLog((line) => (args.auditLog ? appendFileSync(args.auditLog, `${line}\n`) : io.stderr.write(`${line}\n`)));

  let connections: McpServerConnection[] = [];
  let rl: Interface | undefined;
  try {
    const model = overrides.model ?? createLanguageModel(args.provider!, io.env);
    connections = await connectAll(args.servers);
    const policy = new ToolPolicy({ allowTools: allowedTools(args.allowTools), writeNamespaces: args.writeNamespaces });
    const { offered, withheld } = offeredTools(connections, policy);
    const modelName = typeof model === 'string' ? model : `${model.provider}/${model.modelId}`;
    out(`aiml-observability agent, model ${modelName}\n`);
    for (const c of connections) {
      const mine = offered.filter((o) => o.server === c.server.name);
      out(`  ${c.server.name}: ${c.transport}, ${mine.length} of ${c.tools.length} tools offered (${mine.filter((o) => o.decision.access === 'write').length} write)\n`);
    }
    transcript({
      type: 'session',
      model: modelName,
      who: args.who,
      servers: connections.map((c) => ({ name: c.server.name, url: c.server.url, transport: c.transport })),
      offered: offered.map((o) => ({ name: o.name, access: o.decision.access, reason: o.decision.reason })),
      withheld,
    });

    if (args.ask === undefined || io.interactive) rl = createInterface({ input: io.stdin, output: io.stdout, terminal: io.interactive });
    // a pending question does not settle when stdin ends: every question races the interface closing
    const closed = new Promise<undefined>((resolve) => rl?.once('close', () => resolve(undefined)));
    const prompt = (text: string) => Promise.race([rl!.question(text).then((l) => l.trim(), () => undefined), closed]);
    const approveWrite: ApproveWrite | undefined =
      rl && io.interactive
        ? async (request) => {
            const answer = await prompt(
              `\n  The agent wants to CHANGE something: ${request.server}.${request.tool}${request.destructive ? ' (may be destructive)' : ''}\n  ${JSON.stringify(request.arguments)}\n  Allow? type yes to allow: `,
            );
            const approved = answer?.toLowerCase() === 'yes';
            transcript({ type: 'approval', server: request.server, tool: request.tool, arguments: request.arguments, approved });
            return approved;
          }
        : undefined;

    const conversation = randomUUID();
    let agent: DiagnosisAgent;
    const tools = buildAgentTools({ connections, policy, audit, approveWrite, limits: { maxResultBytes: args.maxResultBytes } }, () => agent.toolContext());
    agent = new DiagnosisAgent({ model, system: diagnosisSystemPrompt(), tools, maxSteps: args.maxSteps, who: args.who, conversation });

    const ask = async (question: string) => {
      out(`\n> ${question}\n`);
      transcript({ type: 'question', text: question });
      const answer = await agent.ask(question, {
        onEvent: (event) => {
          out(renderEvent(event));
          if (event.type === 'tool-call') transcript({ type: 'tool-call', id: event.id, server: event.server, tool: event.tool, access: event.access, arguments: event.arguments });
          if (event.type === 'tool-result') {
            const { forModel, ...rest } = event;
            transcript({ ...rest, type: 'tool-result', result: forModel });
          }
        },
      });
      transcript({ type: 'answer', text: answer.text, steps: answer.steps, hitStepLimit: answer.hitStepLimit });
    };

    if (args.ask !== undefined) {
      await ask(args.ask);
      return 0;
    }
    out('\nAsk a question (empty line or /exit to quit).\n');
    for (;;) {
      const line = await prompt('\n? ');
      if (line === undefined || line === '' || line === '/exit') break;
      try {
        await ask(line);
      } catch (error) {
        io.stderr.write(`error: ${(error as Error).message}\n`);
      }
    }
    return 0;
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  } finally {
    rl?.close();
    await Promise.allSettled(connections.map((c) => c.close()));
  }
}

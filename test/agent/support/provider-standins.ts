/**
 * Local STAND-INS of the two model APIs the agent speaks (test code), on 127.0.0.1, to check the requests the
 * providers send and that the agent handles their answers; no model runs behind them, each answers from a queue
 * of scripted responses:
 *
 * - an OpenAI-compatible chat-completions endpoint (`POST /v1/chat/completions`, what vLLM serves): streamed
 *   answers as server-sent events of `chat.completion.chunk` objects, text deltas and `tool_calls` deltas whose
 *   `arguments` arrive in pieces, `finish_reason`, a final usage chunk and `data: [DONE]`; errors as JSON bodies
 *   with an HTTP status.
 * - the Bedrock runtime's Converse API (`POST /model/<modelId>/converse-stream`, reached through the endpoint
 *   override): answers in the AWS event-stream binary framing (prelude with lengths and CRC32, string headers
 *   `:message-type` / `:event-type` / `:content-type`, JSON payload, message CRC32), written here from the format,
 *   not with the client's codec; errors as JSON bodies with `x-amzn-errortype`. SigV4 headers are recorded, the
 *   signature itself is not verified.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

/** A request the stand-in received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: any;
}

/** What the stand-in answers next: text (streamed in the given pieces), a tool call, or an error. */
export type StandInResponse =
  | { readonly text: readonly string[] }
  | { readonly toolCall: { readonly id: string; readonly name: string; readonly argumentPieces: readonly string[] } }
  | { readonly error: { readonly status: number; readonly type: string; readonly message: string } };

export interface ModelStandIn {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Responses still to give, in order; the last one repeats. */
  readonly responses: StandInResponse[];
  stop(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

async function start(handler: (req: RecordedRequest, res: ServerResponse, next: StandInResponse) => void, responses: StandInResponse[]): Promise<ModelStandIn> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: await readJson(req) };
    requests.push(recorded);
    const next = responses.length > 1 ? responses.shift()! : responses[0]!;
    handler(recorded, res, next);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    responses,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The OpenAI-compatible stand-in; its base URL for the provider is `${url}/v1`. */
export function startOpenAiStandIn(responses: StandInResponse[]): Promise<ModelStandIn> {
  return start((req, res, next) => {
    if (req.method !== 'POST' || req.path !== '/v1/chat/completions') return void res.writeHead(404).end();
    if ('error' in next) {
      res.writeHead(next.error.status, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: next.error.message, type: next.error.type, code: next.error.status } }));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-standin', object: 'chat.completion.chunk', created: 1, model: req.body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const out: string[] = [chunk({ role: 'assistant', content: '' })];
    if ('text' in next) {
      for (const piece of next.text) out.push(chunk({ content: piece }));
      out.push(chunk({}, 'stop'));
    } else {
      const { id, name, argumentPieces } = next.toolCall;
      out.push(chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] }));
      for (const piece of argumentPieces) out.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
      out.push(chunk({}, 'tool_calls'));
    }
    out.push(`data: ${JSON.stringify({ id: 'chatcmpl-standin', object: 'chat.completion.chunk', created: 1, model: req.body.model, choices: [], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } })}\n\n`);
    out.push('data: [DONE]\n\n');
    res.end(out.join(''));
  }, responses);
}

/** One AWS event-stream frame with string headers and a JSON payload. */
export function eventStreamFrame(headers: Readonly<Record<string, string>>, payload: unknown): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const n = Buffer.from(name, 'utf8');
      const v = Buffer.from(value, 'utf8');
      const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
      h.writeUInt8(n.length, 0);
      n.copy(h, 1);
      h.writeUInt8(7, 1 + n.length); // string
      h.writeUInt16BE(v.length, 2 + n.length);
      v.copy(h, 4 + n.length);
      return h;
    }),
  );
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const total = 12 + headerBytes.length + body.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude), 0);
  const withoutCrc = Buffer.concat([prelude, preludeCrc, headerBytes, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc32(withoutCrc), 0);
  return Buffer.concat([withoutCrc, messageCrc]);
}

/** The Bedrock runtime stand-in; pass its `url` as the provider's endpoint. */
export function startBedrockStandIn(responses: StandInResponse[]): Promise<ModelStandIn> {
  return start((req, res, next) => {
    if (req.method !== 'POST' || !/^\/model\/[^/]+\/converse-stream$/.test(req.path)) return void res.writeHead(404).end();
    if ('error' in next) {
      res.writeHead(next.error.status, { 'content-type': 'application/json', 'x-amzn-errortype': `${next.error.type}:http://internal.amazon.com/coral/com.amazon.bedrock/` });
      return void res.end(JSON.stringify({ message: next.error.message }));
    }
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    const event = (type: string, payload: unknown) => eventStreamFrame({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, payload);
    const frames: Buffer[] = [event('messageStart', { role: 'assistant' })];
    if ('text' in next) {
      for (const piece of next.text) frames.push(event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: piece } }));
      frames.push(event('contentBlockStop', { contentBlockIndex: 0 }), event('messageStop', { stopReason: 'end_turn' }));
    } else {
      const { id, name, argumentPieces } = next.toolCall;
      frames.push(event('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: id, name } } }));
      for (const piece of argumentPieces) frames.push(event('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: piece } } }));
      frames.push(event('contentBlockStop', { contentBlockIndex: 0 }), event('messageStop', { stopReason: 'tool_use' }));
    }
    frames.push(event('metadata', { usage: { inputTokens: 11, outputTokens: 7, totalTokens: 18 }, metrics: { latencyMs: 5 } }));
    // sent in two writes cutting a frame in half, as a network may deliver it
    const all = Buffer.concat(frames);
    res.write(all.subarray(0, 37));
    res.end(all.subarray(37));
  }, responses);
}

// A local server speaking the wire formats verdict's providers talk — OpenAI chat completions (also
// Mistral, Azure OpenAI and every OpenAI-compatible server), Anthropic messages, Gemini
// generateContent (also Vertex) and Bedrock Converse — streaming and not, with switches for the
// faults real APIs produce. It answers with a function of the messages, never with a model.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

export type Wire = 'openai' | 'anthropic' | 'gemini' | 'bedrock';

export type Fault =
  /** An HTTP error; 429 carries Retry-After (seconds) and the provider's rate-limit headers. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** The stream (or body) stops cleanly but before its final event. */
  | { kind: 'cut' }
  /** The connection is destroyed mid-response. */
  | { kind: 'drop' }
  /** A chunk (or body) that is not JSON. */
  | { kind: 'malformed' }
  /** Nothing is ever sent; only the client's timeout ends it. */
  | { kind: 'hang' }
  /** The first token comes after `ms`. */
  | { kind: 'slow-first-token'; ms: number };

export interface WireRequest {
  wire: Wire;
  model: string;
  stream: boolean;
  messages: Array<{ role: string; content: string }>;
  /** The last user message: what the tests key cases by. */
  prompt: string;
  /** How many times this prompt has been asked, this request included (1-based). */
  attempt: number;
  headers: IncomingMessage['headers'];
  /** The client's port: which of its connections the request came on. */
  clientPort: number | undefined;
  body: Record<string, unknown>;
}

export interface CallRecord {
  wire: Wire;
  model: string;
  prompt: string;
  status: number;
  /** The whole response was handed to the socket. */
  finished: boolean;
  /** When the request arrived (ms since the epoch). */
  at: number;
  /** The request limit's reset the response stated, in ms, when it sent rate-limit headers. */
  resetStatedMs?: number;
}

/** A request limit over a window. */
export interface WireRateLimit {
  requests: number;
  windowMs: number;
  /**
   * `sliding` (default): each request counts for `windowMs` after it. `fixed`: a window opens with
   * its first request and its whole allowance comes back `windowMs` later.
   */
  window?: 'sliding' | 'fixed';
  /** Send rate-limit headers (default true). */
  headers?: boolean;
  /**
   * `x-ratelimit-limit-requests` as the window's own count (`100` for 100 per 5 s, with the reset
   * saying when) instead of scaled to a minute.
   */
  limitPerWindow?: boolean;
}

export interface WireServerOptions {
  answer?: (request: WireRequest) => string;
  fault?: (request: WireRequest) => Fault | undefined;
  /** Milliseconds before any response (after the request body is read). */
  delayMs?: number | ((request: WireRequest) => number);
  /** A request limit: over it, 429 with Retry-After (and rate-limit headers unless `headers: false`). */
  rateLimit?: WireRateLimit;
  /** A limit of each model's own (a real API limits per model); over `rateLimit` for that model. */
  rateLimitPerModel?: Record<string, WireRateLimit>;
  /** The message of an error response (default: a description of the fault). */
  errorMessage?: (request: WireRequest) => string;
  /** The request id header's value (default `req_N`); a test makes it echo a secret. */
  requestId?: (request: WireRequest, sequence: number) => string;
  /** Cached input tokens reported in usage (default 0). */
  cachedInputTokens?: number;
  /** Reasoning tokens reported where the wire format has them (OpenAI, Gemini; default 0). */
  reasoningTokens?: number;
  chunkSize?: number;
  /**
   * Called when a response has been handed to the socket, with the client's port: the crash bench
   * maps an answer to the client's connection and times it against a kill.
   */
  onFinished?: (call: CallRecord, clientPort: number | undefined) => void;
  /**
   * Called when a client's connection closes; `reset` when the client's kernel reset it, which it
   * does when the connection is closed with bytes the client never read (a killed client).
   */
  onClientClosed?: (clientPort: number | undefined, reset: boolean) => void;
}

export interface WireServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Base URLs as each AI SDK provider expects them. */
  urls: { openai: string; anthropic: string; gemini: string; bedrock: string };
  calls: CallRecord[];
  /** Calls per prompt. */
  byPrompt: Map<string, number>;
  /** Requests answered 429 by the rate limit. */
  rateLimited: number;
  close(): Promise<void>;
}

/** Words and punctuation: a stand-in for a tokenizer, exact enough for tests to predict. */
export function roughTokens(text: string): number {
  return (text.match(/\w+|[^\s\w]/g) ?? []).length;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part as { text?: string }).text ?? '').join('');
  return '';
}

function parseRequest(
  url: string,
  body: Record<string, unknown>,
): Omit<WireRequest, 'attempt' | 'headers' | 'prompt' | 'body' | 'clientPort'> | undefined {
  const path = url.split('?')[0]!;
  if (path.endsWith('/chat/completions')) {
    const messages = ((body.messages as Array<{ role: string; content: unknown }>) ?? []).map((m) => ({
      role: m.role,
      content: textOf(m.content),
    }));
    return { wire: 'openai', model: String(body.model ?? ''), stream: body.stream === true, messages };
  }
  if (path.endsWith('/messages')) {
    const system = textOf(body.system);
    const messages = ((body.messages as Array<{ role: string; content: unknown }>) ?? []).map((m) => ({
      role: m.role,
      content: textOf(m.content),
    }));
    return {
      wire: 'anthropic',
      model: String(body.model ?? ''),
      stream: body.stream === true,
      messages: system ? [{ role: 'system', content: system }, ...messages] : messages,
    };
  }
  const gemini = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  if (gemini) {
    const system = textOf((body.systemInstruction as { parts?: unknown })?.parts);
    const messages = ((body.contents as Array<{ role: string; parts: unknown }>) ?? []).map((m) => ({
      role: m.role === 'model' ? 'assistant' : m.role,
      content: textOf(m.parts),
    }));
    return {
      wire: 'gemini',
      model: decodeURIComponent(gemini[1]!),
      stream: gemini[2] === 'streamGenerateContent',
      messages: system ? [{ role: 'system', content: system }, ...messages] : messages,
    };
  }
  const bedrock = /\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
  if (bedrock) {
    const system = textOf(body.system);
    const messages = ((body.messages as Array<{ role: string; content: unknown }>) ?? []).map((m) => ({
      role: m.role,
      content: textOf(m.content),
    }));
    return {
      wire: 'bedrock',
      model: decodeURIComponent(bedrock[1]!),
      stream: bedrock[2] === 'converse-stream',
      messages: system ? [{ role: 'system', content: system }, ...messages] : messages,
    };
  }
  return undefined;
}

function errorBody(
  wire: Wire,
  status: number,
  custom?: string,
): { headers: Record<string, string>; body: string } {
  const kind =
    status === 429 ? 'rate_limit' : status === 529 ? 'overloaded' : status >= 500 ? 'server' : 'request';
  const message = custom ?? `${kind} error (HTTP ${status}) from the test server`;
  switch (wire) {
    case 'openai':
      return { headers: {}, body: JSON.stringify({ error: { message, type: `${kind}_error`, code: null } }) };
    case 'anthropic':
      return {
        headers: {},
        body: JSON.stringify({
          type: 'error',
          error: {
            type: kind === 'overloaded' ? 'overloaded_error' : `${kind === 'server' ? 'api' : kind}_error`,
            message,
          },
        }),
      };
    case 'gemini':
      return {
        headers: {},
        body: JSON.stringify({
          error: {
            code: status,
            message,
            status:
              status === 429 ? 'RESOURCE_EXHAUSTED' : status >= 500 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT',
          },
        }),
      };
    case 'bedrock':
      return {
        headers: {
          'x-amzn-errortype':
            status === 429
              ? 'ThrottlingException'
              : status >= 500
                ? 'ServiceUnavailableException'
                : 'ValidationException',
        },
        body: JSON.stringify({ message }),
      };
  }
}

/** One frame of AWS's binary event stream (application/vnd.amazon.eventstream). */
export function eventStreamFrame(eventType: string, payload: unknown): Buffer {
  const headerParts: Buffer[] = [];
  for (const [name, value] of [
    [':event-type', eventType],
    [':content-type', 'application/json'],
    [':message-type', 'event'],
  ] as const) {
    const nameBytes = Buffer.from(name);
    const valueBytes = Buffer.from(value);
    const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    header.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(header, 1);
    header.writeUInt8(7, 1 + nameBytes.length);
    header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    valueBytes.copy(header, 4 + nameBytes.length);
    headerParts.push(header);
  }
  const headers = Buffer.concat(headerParts);
  const body = Buffer.from(JSON.stringify({ ...(payload as object), p: 'abcd' }));
  const total = 12 + headers.length + body.length + 4;
  const frame = Buffer.alloc(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headers.length, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  headers.copy(frame, 12);
  body.copy(frame, 12 + headers.length);
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4);
  return frame;
}

interface Answer {
  id: string;
  model: string;
  chunks: string[];
  text: string;
  input: number;
  cached: number;
  output: number;
  reasoning: number;
  /** OpenAI: usage in a chunk of its own (asked for with stream_options.include_usage). */
  separateUsage: boolean;
}

/** The stream of one answer, as the wire format's frames; the last frame is the one a cut drops. */
function streamFrames(wire: Wire, a: Answer): Array<string | Buffer> {
  switch (wire) {
    case 'openai': {
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ id: a.id, object: 'chat.completion.chunk', created: 1, model: a.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      const usage = {
        prompt_tokens: a.input,
        completion_tokens: a.output,
        total_tokens: a.input + a.output,
        prompt_tokens_details: { cached_tokens: a.cached },
        completion_tokens_details: { reasoning_tokens: a.reasoning },
      };
      if (!a.separateUsage) {
        // Mistral's way: usage rides on the chunk that finishes the choice.
        return [
          chunk({ role: 'assistant', content: '' }, null),
          ...a.chunks.map((text) => chunk({ content: text }, null)),
          `data: ${JSON.stringify({ id: a.id, object: 'chat.completion.chunk', created: 1, model: a.model, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }], usage })}\n\ndata: [DONE]\n\n`,
        ];
      }
      return [
        chunk({ role: 'assistant', content: '' }, null),
        ...a.chunks.map((text) => chunk({ content: text }, null)),
        chunk({}, 'stop'),
        `data: ${JSON.stringify({ id: a.id, object: 'chat.completion.chunk', created: 1, model: a.model, choices: [], usage: { prompt_tokens: a.input, completion_tokens: a.output, total_tokens: a.input + a.output, prompt_tokens_details: { cached_tokens: a.cached }, completion_tokens_details: { reasoning_tokens: a.reasoning } } })}\n\ndata: [DONE]\n\n`,
      ];
    }
    case 'anthropic': {
      const event = (type: string, data: object) =>
        `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
      return [
        event('message_start', {
          message: {
            id: a.id,
            type: 'message',
            role: 'assistant',
            model: a.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: {
              input_tokens: a.input - a.cached,
              cache_read_input_tokens: a.cached,
              cache_creation_input_tokens: 0,
              output_tokens: 1,
            },
          },
        }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        ...a.chunks.map((text) =>
          event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
        ),
        event('content_block_stop', { index: 0 }),
        event('message_delta', {
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: a.output },
        }) + event('message_stop', {}),
      ];
    }
    case 'gemini': {
      const usage = {
        promptTokenCount: a.input,
        candidatesTokenCount: a.output - a.reasoning,
        totalTokenCount: a.input + a.output,
        cachedContentTokenCount: a.cached,
        thoughtsTokenCount: a.reasoning,
      };
      const chunk = (text: string, last: boolean) =>
        `data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }], ...(last ? { usageMetadata: usage } : {}), modelVersion: a.model, responseId: a.id })}\r\n\r\n`;
      return [...a.chunks.slice(0, -1).map((text) => chunk(text, false)), chunk(a.chunks.at(-1) ?? '', true)];
    }
    case 'bedrock':
      return [
        eventStreamFrame('messageStart', { role: 'assistant' }),
        eventStreamFrame('contentBlockStart', { contentBlockIndex: 0, start: {} }),
        ...a.chunks.map((text) =>
          eventStreamFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }),
        ),
        eventStreamFrame('contentBlockStop', { contentBlockIndex: 0 }),
        Buffer.concat([
          eventStreamFrame('messageStop', { stopReason: 'end_turn' }),
          eventStreamFrame('metadata', {
            usage: {
              inputTokens: a.input - a.cached,
              cacheReadInputTokens: a.cached,
              outputTokens: a.output,
              totalTokens: a.input + a.output,
            },
            metrics: { latencyMs: 1 },
          }),
        ]),
      ];
  }
}

function wholeBody(wire: Wire, a: Answer): unknown {
  switch (wire) {
    case 'openai':
      return {
        id: a.id,
        object: 'chat.completion',
        created: 1,
        model: a.model,
        choices: [{ index: 0, message: { role: 'assistant', content: a.text }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: a.input,
          completion_tokens: a.output,
          total_tokens: a.input + a.output,
          prompt_tokens_details: { cached_tokens: a.cached },
          completion_tokens_details: { reasoning_tokens: a.reasoning },
        },
      };
    case 'anthropic':
      return {
        id: a.id,
        type: 'message',
        role: 'assistant',
        model: a.model,
        content: [{ type: 'text', text: a.text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: a.input - a.cached,
          cache_read_input_tokens: a.cached,
          cache_creation_input_tokens: 0,
          output_tokens: a.output,
        },
      };
    case 'gemini':
      return {
        candidates: [
          { content: { parts: [{ text: a.text }], role: 'model' }, finishReason: 'STOP', index: 0 },
        ],
        usageMetadata: {
          promptTokenCount: a.input,
          candidatesTokenCount: a.output - a.reasoning,
          totalTokenCount: a.input + a.output,
          cachedContentTokenCount: a.cached,
          thoughtsTokenCount: a.reasoning,
        },
        modelVersion: a.model,
        responseId: a.id,
      };
    case 'bedrock':
      return {
        output: { message: { role: 'assistant', content: [{ text: a.text }] } },
        stopReason: 'end_turn',
        usage: {
          inputTokens: a.input - a.cached,
          cacheReadInputTokens: a.cached,
          outputTokens: a.output,
          totalTokens: a.input + a.output,
        },
        metrics: { latencyMs: 1 },
      };
  }
}

const STREAM_TYPES: Record<Wire, string> = {
  openai: 'text/event-stream',
  anthropic: 'text/event-stream',
  gemini: 'text/event-stream',
  bedrock: 'application/vnd.amazon.eventstream',
};

const REQUEST_ID_HEADER: Record<Wire, string> = {
  openai: 'x-request-id',
  anthropic: 'request-id',
  gemini: 'x-goog-request-id',
  bedrock: 'x-amzn-requestid',
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whole milliseconds as OpenAI writes its resets (Go's duration format): `850ms`, `5s`, `4.213s`, `1m0s`. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${seconds}s`;
}

/** Starts the server on a random 127.0.0.1 port. */
export async function startWireServer(options: WireServerOptions = {}): Promise<WireServer> {
  const calls: CallRecord[] = [];
  const byPrompt = new Map<string, number>();
  /** Start times of the requests in each limit's window, per model when limited per model. */
  const windows = new Map<string, number[]>();
  const limitOf = (model: string): { limit: WireRateLimit; window: number[] } | undefined => {
    const own = options.rateLimitPerModel?.[model];
    const limit = own ?? options.rateLimit;
    if (!limit) return undefined;
    const key = own ? `model:${model}` : '';
    let window = windows.get(key);
    if (!window) {
      window = [];
      windows.set(key, window);
    }
    return { limit, window };
  };
  const chunkSize = options.chunkSize ?? 4;
  let sequence = 0;
  const state = { rateLimited: 0 };

  /** The headers a response states its limit in; the reset is also kept on the call's record. */
  function rateLimitHeaders(
    wire: Wire,
    now: number,
    limited: { limit: WireRateLimit; window: number[] } | undefined,
    record: CallRecord,
  ): Record<string, string> {
    if (!limited || limited.limit.headers === false) return {};
    const { limit, window } = limited;
    const stated = String(
      limit.limitPerWindow ? limit.requests : Math.round((limit.requests * 60_000) / limit.windowMs),
    );
    const remaining = Math.max(0, limit.requests - window.length);
    const resetMs = window.length > 0 ? Math.max(0, window[0]! + limit.windowMs - now) : 0;
    record.resetStatedMs = resetMs;
    if (wire === 'anthropic') {
      return {
        'anthropic-ratelimit-requests-limit': stated,
        'anthropic-ratelimit-requests-remaining': String(remaining),
        'anthropic-ratelimit-requests-reset': new Date(now + resetMs).toISOString(),
      };
    }
    return {
      'x-ratelimit-limit-requests': stated,
      'x-ratelimit-remaining-requests': String(remaining),
      'x-ratelimit-reset-requests': goDuration(resetMs),
    };
  }

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"not JSON"}}');
      return;
    }
    const parsed = parseRequest(request.url ?? '', body);
    if (!parsed) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(`{"error":{"message":"no route ${request.url}"}}`);
      return;
    }
    const prompt = parsed.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    const attempt = (byPrompt.get(prompt) ?? 0) + 1;
    byPrompt.set(prompt, attempt);
    const wireRequest: WireRequest = {
      ...parsed,
      prompt,
      attempt,
      headers: request.headers,
      body,
      clientPort: request.socket.remotePort,
    };
    const record: CallRecord = {
      wire: parsed.wire,
      model: parsed.model,
      prompt,
      status: 200,
      finished: false,
      at: Date.now(),
    };
    calls.push(record);
    response.on('finish', () => {
      record.finished = true;
      options.onFinished?.(record, wireRequest.clientPort);
    });
    const { wire } = parsed;
    const delay =
      typeof options.delayMs === 'function' ? options.delayMs(wireRequest) : (options.delayMs ?? 0);
    if (delay > 0) await sleep(delay);

    const now = Date.now();
    const limited = limitOf(wireRequest.model);
    if (limited) {
      const { limit, window } = limited;
      if (limit.window === 'fixed') {
        if (window.length > 0 && window[0]! <= now - limit.windowMs) window.length = 0;
      } else while (window.length > 0 && window[0]! <= now - limit.windowMs) window.shift();
    }
    let fault = options.fault?.(wireRequest);
    if (limited && limited.window.length >= limited.limit.requests) {
      state.rateLimited++;
      const waitMs = limited.window[0]! + limited.limit.windowMs - now;
      fault = { kind: 'status', status: 429, retryAfterSeconds: waitMs / 1000 };
    } else if (limited) limited.window.push(now);
    const requestId = options.requestId?.(wireRequest, ++sequence) ?? `req_${++sequence}`;
    const common = { [REQUEST_ID_HEADER[wire]]: requestId, ...rateLimitHeaders(wire, now, limited, record) };

    if (fault?.kind === 'status') {
      record.status = fault.status;
      const { headers, body: errorText } = errorBody(wire, fault.status, options.errorMessage?.(wireRequest));
      const retry =
        fault.retryAfterSeconds === undefined
          ? {}
          : {
              'retry-after': String(Math.max(1, Math.ceil(fault.retryAfterSeconds))),
              'retry-after-ms': String(Math.round(fault.retryAfterSeconds * 1000)),
            };
      response.writeHead(fault.status, {
        'content-type': 'application/json',
        ...common,
        ...headers,
        ...retry,
      });
      response.end(errorText);
      return;
    }
    if (fault?.kind === 'hang') return;

    const text = options.answer?.(wireRequest) ?? `echo: ${prompt}`;
    const input = roughTokens(parsed.messages.map((m) => m.content).join('\n'));
    const reasoning = wire === 'openai' || wire === 'gemini' ? (options.reasoningTokens ?? 0) : 0;
    const answer: Answer = {
      id: `${wire}-${sequence}`,
      model: parsed.model,
      text,
      chunks: text.length === 0 ? [''] : (text.match(new RegExp(`[\\s\\S]{1,${chunkSize}}`, 'g')) ?? []),
      input,
      cached: Math.min(input, options.cachedInputTokens ?? 0),
      output: roughTokens(text) + reasoning,
      reasoning,
      separateUsage: Boolean((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage),
    };

    if (!parsed.stream) {
      if (fault?.kind === 'slow-first-token') await sleep(fault.ms);
      if (fault?.kind === 'drop') {
        response.socket?.destroy();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', ...common });
      const whole = JSON.stringify(wholeBody(wire, answer));
      if (fault?.kind === 'cut') response.end(whole.slice(0, Math.floor(whole.length / 2)));
      else if (fault?.kind === 'malformed') response.end(`{"oops": ${whole.slice(0, 10)}`);
      else response.end(whole);
      return;
    }

    response.writeHead(200, { 'content-type': STREAM_TYPES[wire], 'cache-control': 'no-cache', ...common });
    response.flushHeaders();
    if (fault?.kind === 'slow-first-token') await sleep(fault.ms);
    const frames = streamFrames(wire, answer);
    if (fault?.kind === 'malformed') {
      response.write(frames[0]!);
      response.end(
        wire === 'bedrock'
          ? eventStreamFrame('contentBlockDelta', {}).subarray(0, 20)
          : 'data: {"choices": [ {"delta": \n\n',
      );
      return;
    }
    if (fault?.kind === 'drop') {
      response.write(frames[0]!);
      await sleep(5);
      response.socket?.destroy();
      return;
    }
    const sent = fault?.kind === 'cut' ? frames.slice(0, -1) : frames;
    response.end(
      Buffer.concat(sent.map((frame) => (typeof frame === 'string' ? Buffer.from(frame) : frame))),
    );
  });
  server.keepAliveTimeout = 30_000;
  if (options.onClientClosed) {
    const onClosed = options.onClientClosed;
    server.on('connection', (socket) => {
      const port = socket.remotePort;
      let reset = false;
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNRESET') reset = true;
      });
      socket.on('close', () => onClosed(port, reset));
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    urls: { openai: `${origin}/v1`, anthropic: `${origin}/v1`, gemini: `${origin}/v1beta`, bedrock: origin },
    calls,
    byPrompt,
    get rateLimited() {
      return state.rateLimited;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// A real HTTP server speaking OpenAI streaming chat completions with programmed timing, for
// load-test tests and benchmarks. It sends the first token `ttftMs` after a request starts
// being served and one token every `tokenDelayMs` after that; beyond `concurrencyLimit`
// requests wait in a FIFO queue (as a serving engine's batch does); it can inject errors and it
// records its own timestamps so a client's measurements can be checked against them.
//
// As a script (for benchmarks in a separate process):
//   node test/servers/timed-sse-server.ts --ttft 100 --token-delay 20 --tokens 16 --limit 8
// prints `{"port":N}` on stdout; GET /__timings returns the records, POST /__reset clears them.
// A record's times are taken in the request handler, which Node's HTTP server calls from the same
// callback that read the request's bytes off the socket (the parser consumes the socket natively),
// so there is no earlier point in this process to stamp an arrival.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

export type InjectedError = 'http_500' | 'http_429' | 'mid_stream' | 'stream_error' | 'bad_chunk';

export interface RequestTiming {
  ttftMs: number;
  tokenDelayMs: number;
  outputTokens: number;
}

export interface TimedSseServerOptions {
  ttftMs?: number;
  tokenDelayMs?: number;
  /** Tokens to send when the request has no max_tokens; with max_tokens, exactly that many. */
  outputTokens?: number;
  /** Requests served at once; the rest queue in arrival order. Default: no limit. */
  concurrencyLimit?: number;
  /** Put usage in a final chunk when the request asks with stream_options.include_usage. Default true. */
  usage?: boolean;
  /** Tokens carried by each streamed chunk (usage still counts tokens). Default 1. */
  tokensPerChunk?: number;
  /** Inject errors into a fraction of requests, chosen by a seeded generator. */
  errors?: { rate: number; kinds: InjectedError[]; seed?: number };
  /** Answer 401, echoing the key sent (as some servers do), unless `Authorization: Bearer <this>`. */
  apiKey?: string;
  /** Per-request override of the timing, by arrival index (0-based). */
  timing?: (index: number) => Partial<RequestTiming>;
  port?: number;
}

/**
 * The server's own view of one request; times are this process's performance.now() in ms (add
 * `monotonicOffsetMs()` for the clock other processes share).
 */
export interface ServerRecord {
  index: number;
  /** The client's `x-request-id` header, when it sent one. */
  requestId: string | null;
  receivedAt: number;
  startedAt: number | null;
  firstTokenAt: number | null;
  lastTokenAt: number | null;
  tokens: number;
  injected: InjectedError | null;
  closedEarly: boolean;
  /** What the request body asked for. */
  asked: {
    model: string | null;
    maxTokens: number | null;
    ignoreEos: boolean;
    includeUsage: boolean;
    stream: boolean;
  };
}

export interface TimedSseServer {
  url: string;
  baseUrl: string;
  port: number;
  records(): ServerRecord[];
  /** Forgets the records and restarts arrival indexes (and the `timing` pattern) at 0. */
  reset(): void;
  /** Most requests being served at once so far. */
  peakActive(): number;
  close(): Promise<void>;
}

// A turn of 16 writes takes about 0.2 ms on this project's 2-core machines.
const WRITES_PER_TURN = 16;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startTimedSseServer(options: TimedSseServerOptions = {}): Promise<TimedSseServer> {
  const base: RequestTiming = {
    ttftMs: options.ttftMs ?? 100,
    tokenDelayMs: options.tokenDelayMs ?? 20,
    outputTokens: options.outputTokens ?? 16,
  };
  const limit = options.concurrencyLimit ?? Number.POSITIVE_INFINITY;
  const tokensPerChunk = options.tokensPerChunk ?? 1;
  const errorRandom = mulberry32(options.errors?.seed ?? 1);
  let records: ServerRecord[] = [];
  let arrivals = 0;
  let active = 0;
  let peak = 0;
  const queue: Array<() => void> = [];

  // Tokens that fall due together (a closed loop's streams move in step) are written a few per
  // event-loop turn, with a look at the sockets between: written in one go, 256 of them would
  // keep new requests unread in their sockets for milliseconds, a wait that neither this
  // server's timestamps nor its TTFT would show.
  const due: Array<() => void> = [];
  let writing = false;
  const writeSome = () => {
    const batch = due.splice(0, WRITES_PER_TURN);
    for (const write of batch) write();
    if (due.length > 0) setImmediate(writeSome);
    else writing = false;
  };
  const writeSoon = (write: () => void) => {
    due.push(write);
    if (!writing) {
      writing = true;
      setImmediate(writeSome);
    }
  };

  const release = () => {
    active -= 1;
    const next = queue.shift();
    if (next) next();
  };
  const acquire = (start: () => void, isGone: () => boolean) => {
    const run = () => {
      if (isGone()) {
        const next = queue.shift();
        if (next) next();
        return;
      }
      active += 1;
      peak = Math.max(peak, active);
      start();
    };
    if (active < limit) run();
    else queue.push(run);
  };

  const server: Server = createServer((req, res) => {
    const receivedAt = performance.now();
    if (req.method === 'GET' && req.url === '/__timings') {
      return sendJson(res, 200, { monotonicOffsetMs: monotonicOffsetMs(), records });
    }
    if (req.method === 'POST' && req.url === '/__reset') {
      records = [];
      arrivals = 0;
      peak = active;
      return sendJson(res, 200, { ok: true });
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'timed-sse', object: 'model' }] });
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
    }
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      const sent = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      return sendJson(res, 401, { error: { message: `Incorrect API key provided: ${sent}` } });
    }
    const index = arrivals++;
    const requestIdHeader = req.headers['x-request-id'];
    const record: ServerRecord = {
      index,
      requestId: typeof requestIdHeader === 'string' ? requestIdHeader : null,
      receivedAt,
      startedAt: null,
      firstTokenAt: null,
      lastTokenAt: null,
      tokens: 0,
      injected: null,
      closedEarly: false,
      asked: { model: null, maxTokens: null, ignoreEos: false, includeUsage: false, stream: false },
    };
    records.push(record);
    readBody(req).then((text) => {
      let body: {
        model?: string;
        max_tokens?: number;
        ignore_eos?: boolean;
        stream?: boolean;
        stream_options?: { include_usage?: boolean };
        messages?: unknown;
      };
      try {
        body = JSON.parse(text);
      } catch {
        return sendJson(res, 400, { error: { message: 'body is not JSON' } });
      }
      record.asked = {
        model: body.model ?? null,
        maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : null,
        ignoreEos: body.ignore_eos === true,
        includeUsage: body.stream_options?.include_usage === true,
        stream: body.stream === true,
      };
      const errors = options.errors;
      if (errors && errors.kinds.length > 0 && errorRandom() < errors.rate) {
        record.injected = errors.kinds[Math.floor(errorRandom() * errors.kinds.length)]!;
      }
      if (record.injected === 'http_500')
        return sendJson(res, 500, { error: { message: 'injected failure' } });
      if (record.injected === 'http_429') {
        res.setHeader('retry-after', '1');
        return sendJson(res, 429, { error: { message: 'injected rate limit' } });
      }
      const timing = { ...base, ...options.timing?.(index) };
      const tokens = typeof body.max_tokens === 'number' ? body.max_tokens : timing.outputTokens;
      const includeUsage = (options.usage ?? true) && body.stream_options?.include_usage === true;
      let gone = false;
      res.on('close', () => {
        if (!res.writableFinished) {
          gone = true;
          record.closedEarly = true;
        }
      });
      acquire(
        () =>
          stream(res, record, { ...timing, outputTokens: tokens }, body, includeUsage, () => gone, release),
        () => gone,
      );
    });
  });

  function stream(
    res: ServerResponse,
    record: ServerRecord,
    timing: RequestTiming,
    body: { model?: string; messages?: unknown },
    includeUsage: boolean,
    isGone: () => boolean,
    done: () => void,
  ) {
    const startedAt = performance.now();
    record.startedAt = startedAt;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const id = `chatcmpl-${record.index}`;
    const model = body.model ?? 'timed-sse';
    const head = `data: {"id":"${id}","object":"chat.completion.chunk","created":0,"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":`;
    const chunkCount = Math.ceil(timing.outputTokens / tokensPerChunk);
    const piece = 'tok '.repeat(tokensPerChunk);
    let sent = 0;
    const step = () => {
      if (isGone()) return done();
      const now = performance.now();
      if (sent === 0) record.firstTokenAt = now;
      record.lastTokenAt = now;
      const role = sent === 0 ? '"role":"assistant",' : '';
      res.write(`${head}{${role}"content":"${piece}"},"finish_reason":null}]}\n\n`);
      sent += 1;
      record.tokens = Math.min(timing.outputTokens, sent * tokensPerChunk);
      if (record.injected === 'mid_stream' && sent >= Math.ceil(chunkCount / 2)) {
        res.destroy();
        return done();
      }
      if (record.injected === 'stream_error' && sent >= Math.ceil(chunkCount / 2)) {
        res.end('data: {"error":{"message":"injected error event","type":"internal_error"}}\n\n');
        return done();
      }
      if (record.injected === 'bad_chunk' && sent >= Math.ceil(chunkCount / 2)) {
        res.end('data: {not json\n\n');
        return done();
      }
      if (sent < chunkCount) {
        // Each token is placed from the start time, not from the previous timer, so lateness
        // of one timer does not add up along the stream.
        const due = startedAt + timing.ttftMs + sent * timing.tokenDelayMs * tokensPerChunk;
        setTimeout(writeSoon, Math.max(0, Math.ceil(due - performance.now())), step);
        return;
      }
      let tail = `${head}{},"finish_reason":"length"}]}\n\n`;
      if (includeUsage) {
        const promptTokens = countWords(body.messages);
        tail += `data: {"id":"${id}","object":"chat.completion.chunk","created":0,"model":${JSON.stringify(model)},"choices":[],"usage":{"prompt_tokens":${promptTokens},"completion_tokens":${timing.outputTokens},"total_tokens":${promptTokens + timing.outputTokens}}}\n\n`;
      }
      res.end(`${tail}data: [DONE]\n\n`);
      done();
    };
    // Node truncates a fractional delay and may fire up to 1 ms early: round up so tokens are never early.
    setTimeout(writeSoon, Math.max(0, Math.ceil(startedAt + timing.ttftMs - performance.now())), step);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  server.keepAliveTimeout = 60_000;
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    records: () => records,
    reset: () => {
      records = [];
      arrivals = 0;
      peak = active;
    },
    peakActive: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What to add to this process's performance.now() to get CLOCK_MONOTONIC in ms, which every
 * process on a Linux host reads alike (performance.timeOrigin comes from the wall clock, and two
 * processes' readings of it differ by tens of µs). Of a few readings, the tightest pair counts.
 */
export function monotonicOffsetMs(): number {
  let offset = 0;
  let width = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const before = performance.now();
    const monotonic = Number(process.hrtime.bigint()) / 1e6;
    const after = performance.now();
    if (after - before < width) {
      width = after - before;
      offset = monotonic - (before + after) / 2;
    }
  }
  return offset;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function countWords(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let words = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown }).content;
    if (typeof content === 'string') words += content.split(/\s+/).filter(Boolean).length;
  }
  return words;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      ttft: { type: 'string', default: '100' },
      'token-delay': { type: 'string', default: '20' },
      tokens: { type: 'string', default: '16' },
      limit: { type: 'string' },
    },
  });
  const server = await startTimedSseServer({
    port: Number(values.port),
    ttftMs: Number(values.ttft),
    tokenDelayMs: Number(values['token-delay']),
    outputTokens: Number(values.tokens),
    ...(values.limit ? { concurrencyLimit: Number(values.limit) } : {}),
  });
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

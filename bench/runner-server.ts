// The local OpenAI wire server the runner benchmarks call, in a process of its own so its CPU and
// memory are not the client's. Prints `{"url": …}` once listening; on a line "stats" on stdin prints
// how many calls it answered and when it answered 429 (and, with --keep-times, when it answered),
// and the same per model with the longest request-limit reset its headers stated.
//
//   node bench/runner-server.ts [--requests N --window-ms MS] [--model-limit NAME=N/MS ...]
//                               [--limit-per-window] [--fixed-window] [--no-headers] [--delay-ms MS]
//                               [--keep-times]
//
// --model-limit gives a model a limit of its own (a real API limits per model); --limit-per-window
// states `x-ratelimit-limit-requests` as the window's own count (100 for 100 per 5 s, the reset
// saying when) instead of scaled to a minute; --fixed-window gives a window's whole allowance back
// at once when it ends, instead of each request's slot a window after that request.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startWireServer, type WireRateLimit } from '../test/servers/wire-server.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string' },
    'window-ms': { type: 'string', default: '60000' },
    'model-limit': { type: 'string', multiple: true, default: [] },
    'limit-per-window': { type: 'boolean', default: false },
    'fixed-window': { type: 'boolean', default: false },
    'delay-ms': { type: 'string', default: '0' },
    'keep-times': { type: 'boolean', default: false },
    'no-headers': { type: 'boolean', default: false },
  },
});
const started = Date.now();
const headers = !values['no-headers'];
const limitPerWindow = values['limit-per-window'];
const window = values['fixed-window'] ? 'fixed' : 'sliding';

/** `fast=100/5000` → the model's name and its limit of 100 requests per 5,000 ms. */
function modelLimit(text: string): [string, WireRateLimit] {
  const match = /^([^=]+)=(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new Error(`--model-limit ${text}: expected NAME=REQUESTS/WINDOW_MS`);
  return [
    match[1]!,
    { requests: Number(match[2]), windowMs: Number(match[3]), window, headers, limitPerWindow },
  ];
}

interface ModelStats {
  answered: number;
  limitedAtMs: number[];
  answeredAtMs: number[];
  /** The longest reset a response stated for the request limit, in ms. */
  longestResetMs: number;
}
const byModel = new Map<string, ModelStats>();
const all: ModelStats = { answered: 0, limitedAtMs: [], answeredAtMs: [], longestResetMs: 0 };
const delay = Number(values['delay-ms']);
const server = await startWireServer({
  answer: (request) => `ok ${request.prompt}`,
  ...(delay > 0 ? { delayMs: delay } : {}),
  ...(values.requests
    ? {
        rateLimit: {
          requests: Number(values.requests),
          windowMs: Number(values['window-ms']),
          window,
          headers,
          limitPerWindow,
        },
      }
    : {}),
  ...(values['model-limit'].length > 0
    ? { rateLimitPerModel: Object.fromEntries(values['model-limit'].map(modelLimit)) }
    : {}),
});

/** Moves the server's call log into counts, so a long run keeps the log small. */
function sweep(): void {
  for (const call of server.calls) {
    let model = byModel.get(call.model);
    if (!model) {
      model = { answered: 0, limitedAtMs: [], answeredAtMs: [], longestResetMs: 0 };
      byModel.set(call.model, model);
    }
    for (const stats of [all, model]) {
      stats.longestResetMs = Math.max(stats.longestResetMs, call.resetStatedMs ?? 0);
      if (call.status === 429) stats.limitedAtMs.push(call.at - started);
      else {
        stats.answered++;
        if (values['keep-times']) stats.answeredAtMs.push(call.at - started);
      }
    }
  }
  server.calls.length = 0;
  server.byPrompt.clear();
}
setInterval(sweep, 200).unref();

process.stdout.write(`${JSON.stringify({ url: server.urls.openai })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'stats') {
    sweep();
    process.stdout.write(`${JSON.stringify({ ...all, byModel: Object.fromEntries(byModel) })}\n`);
  }
}
await server.close();

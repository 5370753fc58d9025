// Rate limits: the headers providers send are read, the gate paces under what they report, a 429
// halves concurrency and holds every call until the reset, and sustained success raises it again.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { parseDuration, parseRateLimitHeaders } from '../src/providers/rate-limit-headers.ts';
import { backoffMs } from '../src/run/call-with-retries.ts';
import { RateGate } from '../src/run/rate-gate.ts';
import { type RunProgress, runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer } from './servers/wire-server.ts';

test('OpenAI and Anthropic rate-limit headers and Retry-After are read', () => {
  assert.equal(parseDuration('6m0s'), 360_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('20ms'), 20);
  assert.equal(parseDuration('2'), 2000);
  assert.equal(parseDuration('soon'), undefined);
  const now = Date.parse('2026-11-24T10:00:00Z');
  assert.deepEqual(
    parseRateLimitHeaders(
      {
        'X-RateLimit-Limit-Requests': '500',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-limit-tokens': '30000',
        'x-ratelimit-remaining-tokens': '29000',
        'x-ratelimit-reset-tokens': '120ms',
        'retry-after': '3',
      },
      now,
    ),
    {
      limitRequests: 500,
      remainingRequests: 0,
      resetRequestsMs: 1000,
      limitTokens: 30000,
      remainingTokens: 29000,
      resetTokensMs: 120,
      retryAfterMs: 3000,
    },
  );
  assert.deepEqual(
    parseRateLimitHeaders(
      {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': '2026-11-24T10:00:02Z',
        'retry-after': 'Tue, 24 Nov 2026 10:00:05 GMT',
        'retry-after-ms': '4500',
      },
      now,
    ),
    { limitRequests: 50, remainingRequests: 49, resetRequestsMs: 2000, retryAfterMs: 4500 },
  );
  assert.deepEqual(parseRateLimitHeaders({ 'retry-after': 'Tue, 24 Nov 2026 10:00:05 GMT' }, now), {
    retryAfterMs: 5000,
  });
  assert.equal(parseRateLimitHeaders({ 'content-type': 'application/json' }), undefined);
});

test('backoff is full jitter under a doubling ceiling', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffMs(0, policy, () => 0.999999) < 100, true);
  assert.equal(Math.round(backoffMs(2, policy, () => 0.5)), 200);
  assert.equal(Math.round(backoffMs(10, policy, () => 0.5)), 500);
  assert.equal(
    backoffMs(3, policy, () => 0),
    0,
  );
});

test('a 429 halves concurrency once per burst; sustained success raises it back to the maximum', () => {
  const gate = new RateGate({ concurrency: 8 });
  gate.onRateLimited({ retryAfterMs: 0 }, 0);
  gate.onRateLimited({ retryAfterMs: 0 }, 0);
  assert.equal(gate.stats().concurrency, 4, 'a burst of 429s lowers once');
  assert.equal(gate.stats().rateLimited, 2);
  for (let i = 0; i < 200; i++) gate.onSuccess(undefined, 0, 0);
  assert.equal(gate.stats().concurrency, 8);
  gate.onSuccess({ limitRequests: 600 }, 0, 0);
  assert.equal(gate.stats().requestsPerMinute, 600 * 0.985, 'a reported limit is learned, with a margin');
  const configured = new RateGate({ concurrency: 2, requestsPerMinute: 120 });
  configured.onSuccess({ limitRequests: 600 }, 0, 0);
  assert.equal(configured.stats().requestsPerMinute, 120, 'a configured limit wins');
});

async function limitedRun(
  serverLimit: { requests: number; windowMs: number; headers?: boolean },
  count: number,
) {
  const server = await startWireServer({
    rateLimit: serverLimit,
    answer: (request) => `ok ${request.prompt}`,
  });
  after(() => server.close());
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const cases = Array.from(
    { length: count },
    (_, i) => `  - { vars: { q: "case ${i}" }, expected: "ok case ${i}" }`,
  );
  const workload = await parseWorkload(
    `version: 1
name: limited
prompt: "{{q}}"
cases:
${cases.join('\n')}
graders: [equals]
candidates:
  - { id: c, model: "openai-compatible:m", base_url: "${server.urls.openai}" }
`,
    path.join(dir, 'limited.yaml'),
  );
  let last: RunProgress | undefined;
  const summary = await runWorkload(workload, {
    store,
    concurrency: 8,
    retry: { baseDelayMs: 20 },
    onProgress: (progress) => {
      last = progress;
    },
  });
  return { server, summary, last: last! };
}

test('under a server rate limit with headers, every case completes and 429s stay rare', async () => {
  const { server, summary, last } = await limitedRun({ requests: 10, windowMs: 500 }, 36);
  assert.equal(summary.results, 36);
  assert.equal(summary.errors, 0);
  assert.equal(last.rateLimited, server.rateLimited);
  // The first window's burst may meet a 429 before the limit is learned; afterwards the pace holds.
  assert.ok(server.rateLimited <= 10, `${server.rateLimited} requests answered 429`);
  assert.equal(summary.calls, 36 + server.rateLimited);
});

test('without rate-limit headers, the limit is estimated from what got through before a 429', async () => {
  const { server, summary } = await limitedRun({ requests: 10, windowMs: 500, headers: false }, 40);
  assert.equal(summary.results, 40);
  assert.equal(summary.errors, 0);
  // The first burst meets 429s; once the limit is estimated, the pace keeps further ones rare.
  assert.ok(server.rateLimited <= 16, `${server.rateLimited} requests answered 429`);
});

test('a 429 with Retry-After and no header estimates the allowed rate from the period before it', () => {
  const gate = new RateGate({ concurrency: 8 });
  for (let i = 0; i < 100; i++) gate.onSuccess(undefined, 0, 0);
  gate.onRateLimited({ retryAfterMs: 10_000 }, 0);
  // 100 calls got through in (almost no time + a 10 s pause): about 600 a minute, paced at 98%.
  const rpm = gate.stats().requestsPerMinute!;
  assert.ok(rpm > 560 && rpm <= 590, `estimated ${rpm}/min`);
  gate.onRateLimited({ retryAfterMs: 10_000 }, 0);
  assert.equal(gate.stats().requestsPerMinute, rpm, 'a 429 of the same burst does not estimate again');
});

test('a tokens-per-minute budget holds calls until tokens refill; unused estimates are refunded', async () => {
  const gate = new RateGate({ concurrency: 4, tokensPerMinute: 600 });
  await gate.permit(600); // a full minute's budget is there at the start
  // The next call needs 300 more tokens: 30 s of refill, so it is still waiting when this gives up.
  await assert.rejects(gate.permit(300, AbortSignal.timeout(50)));
  // The first call used 100 of its estimated 600 tokens: the rest goes back into the budget.
  gate.onSuccess(undefined, 100, 600);
  await gate.permit(300);
});

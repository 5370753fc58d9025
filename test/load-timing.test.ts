import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoadTest } from '../src/load/run-load-test.ts';
import type { LoadTestOptions } from '../src/load/types.ts';
import { startTimedSseServer, type TimedSseServerOptions } from './servers/timed-sse-server.ts';

// Generous timings: the machine is shared, so only medians are compared, at the issue's ±5 ms.
const TTFT_MS = 100;
const TOKEN_MS = 20;
const TOKENS = 10;

async function withServer<T>(
  options: TimedSseServerOptions,
  body: (baseUrl: string) => Promise<T>,
): Promise<T> {
  const server = await startTimedSseServer(options);
  try {
    return await body(server.baseUrl);
  } finally {
    await server.close();
  }
}

function options(baseUrl: string, extra: Partial<LoadTestOptions> = {}): LoadTestOptions {
  return {
    target: { baseUrl, model: 'timed' },
    arrival: { kind: 'closed', concurrency: 4 },
    prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 32 } },
    outputTokens: { kind: 'fixed', value: TOKENS },
    durationMs: 3000,
    maxRequests: 200,
    ...extra,
  };
}

test('p50 TTFT and TPOT are within ±5 ms of the programmed timing', async () => {
  const result = await withServer({ ttftMs: TTFT_MS, tokenDelayMs: TOKEN_MS }, (baseUrl) =>
    runLoadTest(options(baseUrl, { warmupMs: 300 })),
  );
  const { ttft, tpot, itl, e2e } = result.latency;
  assert.ok(result.counts.completed >= 20, `${result.counts.completed} completed`);
  assert.ok(Math.abs(ttft.p50! - TTFT_MS) <= 5, `TTFT p50 ${ttft.p50} ms`);
  assert.ok(Math.abs(tpot.p50! - TOKEN_MS) <= 5, `TPOT p50 ${tpot.p50} ms`);
  assert.ok(Math.abs(itl.p50! - TOKEN_MS) <= 5, `ITL p50 ${itl.p50} ms`);
  assert.ok(Math.abs(e2e.p50! - (TTFT_MS + (TOKENS - 1) * TOKEN_MS)) <= 10, `E2E p50 ${e2e.p50} ms`);
  assert.equal(itl.count, result.counts.completed * (TOKENS - 1));
  assert.equal(result.tokens.output, result.counts.completed * TOKENS);
  assert.equal(result.tokens.outputSource, 'server');
  assert.equal(result.tokens.inputSource, 'server');
  assert.equal(result.tokens.chunksPerServerToken, 1);
  // Throughput: four streams, each a request per E2E.
  const expected = (4 * 1000) / (TTFT_MS + (TOKENS - 1) * TOKEN_MS);
  assert.ok(
    Math.abs(result.throughput.requestsPerSec - expected) < expected * 0.15,
    `${result.throughput.requestsPerSec}`,
  );
  assert.ok(
    Math.abs(result.throughput.outputTokensPerSec - result.throughput.requestsPerSec * TOKENS) <
      1e-6 * TOKENS + 0.01,
  );
  assert.deepEqual(JSON.parse(JSON.stringify(result)), result, 'the result is plain JSON');
});

test('without server usage, output tokens are an estimate labelled as such', async () => {
  const result = await withServer({ ttftMs: 20, tokenDelayMs: 5, usage: false }, (baseUrl) =>
    runLoadTest(options(baseUrl, { durationMs: 800 })),
  );
  assert.ok(result.counts.completed > 0);
  assert.equal(result.tokens.outputSource, 'estimate');
  assert.equal(result.tokens.inputSource, 'estimate');
  assert.equal(result.tokens.chunksPerServerToken, null);
  assert.equal(result.tokens.output, result.counts.completed * TOKENS);
});

test('several tokens per chunk: TPOT uses server tokens, and the ratio is reported', async () => {
  const result = await withServer({ ttftMs: 50, tokenDelayMs: 10, tokensPerChunk: 2 }, (baseUrl) =>
    runLoadTest(options(baseUrl, { durationMs: 1500 })),
  );
  assert.equal(result.tokens.chunksPerServerToken, 0.5);
  // 10 tokens in 5 chunks 20 ms apart: (E2E − TTFT) = 80 ms over 9 token gaps.
  assert.ok(Math.abs(result.latency.tpot.p50! - 80 / 9) <= 5, `TPOT p50 ${result.latency.tpot.p50}`);
  assert.ok(Math.abs(result.latency.itl.p50! - 20) <= 5, `ITL p50 ${result.latency.itl.p50}`);
});

test('warm-up requests are made but excluded; duration and cap bound the test', async () => {
  const server = await startTimedSseServer({ ttftMs: 20, tokenDelayMs: 5 });
  try {
    const capped = await runLoadTest(
      options(server.baseUrl, { warmupMs: 500, durationMs: 10_000, maxRequests: 6, keepRequests: true }),
    );
    assert.equal(capped.counts.sent, 6);
    assert.ok(capped.counts.warmup > 0);
    assert.equal(server.records().length, capped.counts.warmup + 6);
    assert.ok((capped.requests ?? []).every((r) => !r.warmup && r.sentAt >= 500));
    assert.equal(capped.requests?.length, 6);

    const started = performance.now();
    const timed = await runLoadTest(
      options(server.baseUrl, {
        arrival: { kind: 'constant', rate: 20 },
        durationMs: 1000,
        maxRequests: 1000,
      }),
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000 + 1500, `took ${elapsed} ms`);
    assert.ok(Math.abs(timed.counts.sent - 20) <= 1, `${timed.counts.sent} sent at 20/s for 1 s`);
    // The per-second series adds up to the totals.
    const sum = (key: 'sent' | 'completed' | 'outputTokens') =>
      timed.timeSeries.reduce((a, p) => a + p[key], 0);
    assert.equal(sum('sent'), timed.counts.sent);
    assert.equal(sum('completed'), timed.counts.completed);
    assert.equal(sum('outputTokens'), timed.tokens.output);
    assert.equal(timed.timeSeries.at(-1)!.inFlight, 0);
  } finally {
    await server.close();
  }
});

test('open-loop sends keep to their schedule, and the lag is reported', async () => {
  const result = await withServer({ ttftMs: 20, tokenDelayMs: 5 }, (baseUrl) =>
    runLoadTest(
      options(baseUrl, { arrival: { kind: 'constant', rate: 25 }, durationMs: 2000, keepRequests: true }),
    ),
  );
  const records = [...(result.requests ?? [])].sort((a, b) => a.index - b.index);
  records.forEach((r, i) => {
    assert.equal(r.scheduledAt, i * 40);
    assert.ok(r.scheduleLagMs >= 0);
  });
  assert.equal(result.client.scheduleLagMs.count, records.length);
  assert.ok(result.client.scheduleLagMs.p50! < 5, `lag p50 ${result.client.scheduleLagMs.p50}`);
  assert.ok(result.client.cpuFraction > 0);
});

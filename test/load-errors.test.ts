import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { runLoadTest } from '../src/load/run-load-test.ts';
import { parseSlo } from '../src/load/slo.ts';
import type { LoadTestOptions } from '../src/load/types.ts';
import { type InjectedError, startTimedSseServer } from './servers/timed-sse-server.ts';

function options(baseUrl: string, extra: Partial<LoadTestOptions> = {}): LoadTestOptions {
  return {
    target: { baseUrl, model: 'timed' },
    arrival: { kind: 'closed', concurrency: 4 },
    prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 16 } },
    outputTokens: { kind: 'fixed', value: 10 },
    durationMs: 2500,
    maxRequests: 80,
    ...extra,
  };
}

const CLIENT_KIND: Record<InjectedError, string> = {
  http_500: 'http_500',
  http_429: 'http_429',
  mid_stream: 'stream_incomplete',
  stream_error: 'stream_error',
  bad_chunk: 'bad_chunk',
};

test('injected errors are counted by kind, apart, and kept out of every latency', async () => {
  const kinds: InjectedError[] = ['http_500', 'http_429', 'mid_stream', 'stream_error', 'bad_chunk'];
  const server = await startTimedSseServer({
    ttftMs: 40,
    tokenDelayMs: 10,
    errors: { rate: 0.4, kinds, seed: 5 },
  });
  try {
    const result = await runLoadTest(
      options(server.baseUrl, { slo: parseSlo('ttft_p99=1s'), keepRequests: true }),
    );
    const injected: Record<string, number> = {};
    for (const record of server.records()) {
      if (record.injected)
        injected[CLIENT_KIND[record.injected]] = (injected[CLIENT_KIND[record.injected]] ?? 0) + 1;
    }
    const counted = Object.fromEntries(
      Object.entries(result.errors.byKind).map(([kind, e]) => [kind, e.count]),
    );
    assert.deepEqual(counted, injected);
    assert.ok(Object.keys(counted).length >= 4, `kinds seen: ${Object.keys(counted).join(', ')}`);
    assert.equal(result.errors.total, result.counts.failed);
    assert.equal(result.counts.completed + result.counts.failed, result.counts.sent);
    assert.equal(result.counts.sent, server.records().length);

    // Latencies come from completed requests only: a stream cut at half length would show an
    // E2E near 40 + 4 × 10 ms, a completed one 40 + 9 × 10 ms.
    for (const summary of [result.latency.ttft, result.latency.e2e, result.latency.tpot]) {
      assert.equal(summary.count, result.counts.completed);
    }
    assert.equal(result.latency.itl.count, result.counts.completed * 9);
    assert.ok(result.latency.e2e.min! >= 120, `E2E min ${result.latency.e2e.min}`);
    assert.equal(result.tokens.output, result.counts.completed * 10);
    // Failed requests never count toward goodput.
    assert.equal(result.slo!.goodRequests, result.counts.completed);
    assert.ok(result.errors.byKind.http_500!.example.includes('injected failure'));
    const failedRecords = (result.requests ?? []).filter((r) => r.error);
    assert.ok(failedRecords.every((r) => r.ttftMs === null && r.e2eMs === null && r.outputTokens === null));
  } finally {
    await server.close();
  }
});

test('a refused connection is a connection error, not a latency', async () => {
  // A port that was free a moment ago and has nothing listening now.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const result = await runLoadTest(
    options(`http://127.0.0.1:${port}/v1`, { arrival: { kind: 'constant', rate: 20 }, durationMs: 300 }),
  );
  assert.ok(result.counts.failed > 0);
  assert.deepEqual(Object.keys(result.errors.byKind), ['connection']);
  assert.equal(result.latency.ttft.count, 0);
  assert.equal(result.latency.ttft.p50, null);
  assert.equal(result.throughput.requestsPerSec, 0);
});

test('a request past its timeout is a timeout error; one still running at the end is cut', async () => {
  const server = await startTimedSseServer({ ttftMs: 2000, tokenDelayMs: 10 });
  try {
    const timedOut = await runLoadTest(
      options(server.baseUrl, {
        arrival: { kind: 'closed', concurrency: 2 },
        durationMs: 200,
        requestTimeoutMs: 300,
      }),
    );
    assert.equal(timedOut.counts.completed, 0);
    assert.deepEqual(Object.keys(timedOut.errors.byKind), ['timeout']);
    assert.equal(timedOut.errors.byKind.timeout!.count, timedOut.counts.failed);

    const started = performance.now();
    const cut = await runLoadTest(
      options(server.baseUrl, {
        arrival: { kind: 'constant', rate: 10 },
        durationMs: 300,
        drainTimeoutMs: 200,
      }),
    );
    assert.ok(performance.now() - started < 1500, 'the drain timeout bounds the test');
    assert.equal(cut.counts.cut, cut.counts.sent);
    assert.equal(cut.counts.failed, 0);
    assert.equal(cut.errors.total, 0);
  } finally {
    await server.close();
  }
});

test('aborting the signal stops the test and returns what was measured', async () => {
  const server = await startTimedSseServer({ ttftMs: 20, tokenDelayMs: 5 });
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 600);
    const started = performance.now();
    const result = await runLoadTest(
      options(server.baseUrl, { durationMs: 30_000, signal: controller.signal }),
    );
    assert.ok(performance.now() - started < 2000);
    assert.ok(result.counts.completed > 0);
  } finally {
    await server.close();
  }
});

test('a key echoed in an error is redacted, and credentials never reach the result', async () => {
  const server = await startTimedSseServer({ ttftMs: 10, tokenDelayMs: 5, apiKey: 'sk-the-right-key-0000' });
  try {
    const key = 'sk-wrong-key-1234567890abcdef';
    const withUser = server.baseUrl.replace('http://', 'http://user:hunter2@');
    const result = await runLoadTest(
      options(withUser, { target: { baseUrl: withUser, model: 'timed', apiKey: key }, durationMs: 200 }),
    );
    assert.ok(result.errors.byKind.http_401);
    const text = JSON.stringify(result);
    assert.ok(!text.includes(key), 'the key is not in the result');
    assert.ok(!text.includes('hunter2'), 'the password is not in the result');
    assert.match(result.errors.byKind.http_401!.example, /Incorrect API key provided: sk-…cdef/);
    assert.equal(result.target.baseUrl, server.baseUrl);
  } finally {
    await server.close();
  }
});

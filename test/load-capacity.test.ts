import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMaxRate } from '../src/load/find-max-rate.ts';
import { runLoadTest } from '../src/load/run-load-test.ts';
import { parseSlo } from '../src/load/slo.ts';
import { runSweep, type StepBase } from '../src/load/sweep.ts';
import { startTimedSseServer } from './servers/timed-sse-server.ts';

// A server that serves 4 requests at once, each for 50 + 9 × 10 = 140 ms: 4 / 0.14 s = 28.6 req/s.
const LIMIT = 4;
const E2E_MS = 50 + 9 * 10;
const CAPACITY = (LIMIT * 1000) / E2E_MS;

/**
 * Runs `measure` up to three times until `check` finds nothing wrong. On a shared machine other
 * processes delay timers and wake-ups and can make one step look saturated; a wrong search or
 * judgement fails every attempt, noise seldom three in a row. Fails with every attempt's findings.
 */
async function firstWithin<T>(measure: () => Promise<T>, check: (value: T) => string[]): Promise<T> {
  const findings: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const value = await measure();
    const problems = check(value);
    if (problems.length === 0) return value;
    findings.push(`attempt ${attempt}: ${problems.join('; ')}`);
  }
  assert.fail(findings.join('\n'));
}

function base(baseUrl: string, durationMs: number): StepBase {
  return {
    target: { baseUrl, model: 'timed' },
    prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 16 } },
    outputTokens: { kind: 'fixed', value: 10 },
    durationMs,
    maxRequests: 1000,
  };
}

test('a concurrency sweep finds saturation at the server limit', async () => {
  const server = await startTimedSseServer({ ttftMs: 50, tokenDelayMs: 10, concurrencyLimit: LIMIT });
  try {
    const sweep = await firstWithin(
      () => runSweep({ base: base(server.baseUrl, 2000), axis: 'concurrency', values: [1, 2, 4, 8, 16] }),
      (sweep) =>
        sweep.saturation?.knee === LIMIT && sweep.saturation.value === 2 * LIMIT
          ? []
          : [`saturation ${JSON.stringify(sweep.saturation)}`],
    );
    assert.equal(sweep.stoppedBecause, 'saturation');
    assert.equal(sweep.steps.length, 4, 'stops at the first saturated step');
    assert.ok(server.peakActive() <= LIMIT);
    // The server cannot serve more than its limit allows; noise only takes away.
    const atLimit = sweep.steps[2]!.result.throughput.requestsPerSec;
    assert.ok(atLimit <= CAPACITY * 1.05 && atLimit > CAPACITY * 0.5, `${atLimit} req/s at the limit`);
    assert.equal(sweep.bestWithinSlo?.value, LIMIT);
    // Past the limit requests queue: TTFT grows by about one service time.
    const beyond = sweep.steps[3]!.result.latency.ttft.p50!;
    assert.ok(beyond > 50 + E2E_MS * 0.7, `TTFT p50 ${beyond} ms past the limit`);
  } finally {
    await server.close();
  }
});

test('a rate sweep stops where the offered rate outruns the server', async () => {
  const server = await startTimedSseServer({ ttftMs: 50, tokenDelayMs: 10, concurrencyLimit: LIMIT });
  try {
    const sweep = await firstWithin(
      () =>
        runSweep({
          base: base(server.baseUrl, 2500),
          axis: 'rate',
          process: 'constant',
          values: [10, 20, 40, 80],
        }),
      (sweep) =>
        sweep.saturation?.value === 40 && sweep.saturation.knee === 20
          ? []
          : [`saturation ${JSON.stringify(sweep.saturation)}`],
    );
    assert.equal(sweep.stoppedBecause, 'saturation');
    const saturated = sweep.steps.at(-1)!;
    assert.ok(saturated.result.stability.latencyRising, JSON.stringify(saturated.result.stability));
    assert.ok(saturated.result.stability.completionRatio! < 0.9);
    assert.ok(sweep.steps[1]!.result.stability.completionRatio! > 0.9);
  } finally {
    await server.close();
  }
});

test('find-max-rate brackets the server capacity by bisection under an SLO', async () => {
  const server = await startTimedSseServer({ ttftMs: 50, tokenDelayMs: 10, concurrencyLimit: LIMIT });
  try {
    const search = await firstWithin(
      () =>
        findMaxRate({
          base: base(server.baseUrl, 2000),
          slo: parseSlo('ttft_p99=400ms,tpot_p99=50ms'),
          process: 'constant',
          startRate: 8,
          precision: 0.1,
          maxSteps: 10,
        }),
      (search) => {
        const found = search.maxRatePerSec;
        return search.stoppedBecause === 'converged' &&
          found !== null &&
          found >= CAPACITY * 0.75 &&
          found <= CAPACITY * 1.05
          ? []
          : [`${search.stoppedBecause} at ${found} req/s (capacity ${CAPACITY.toFixed(2)})`];
      },
    );
    const found = search.maxRatePerSec!;
    assert.ok(search.failedAtPerSec! > found);
    assert.ok((search.failedAtPerSec! - found) / search.failedAtPerSec! <= 0.1);
    assert.equal(search.atMaxRate?.offeredPerSec, found);
    // Doubling first, then halving the bracket.
    assert.deepEqual(
      search.steps.slice(0, 3).map((s) => s.rate),
      [8, 16, 32],
    );
    assert.equal(search.steps[2]!.held, false);
  } finally {
    await server.close();
  }
});

test('goodput counts the requests that met every bound on their own values', async () => {
  // Every fourth request is slow to start: 600 ms to the first token instead of 50, far on
  // either side of the 300 ms bound so that a busy machine does not move a request across it.
  const server = await startTimedSseServer({
    ttftMs: 50,
    tokenDelayMs: 10,
    outputTokens: 5,
    timing: (index) => (index % 4 === 3 ? { ttftMs: 600 } : {}),
  });
  try {
    const run = (slo: string) => {
      server.reset();
      return runLoadTest({
        ...base(server.baseUrl, 30_000),
        outputTokens: { kind: 'fixed', value: 5 },
        arrival: { kind: 'closed', concurrency: 1 },
        maxRequests: 12,
        slo: parseSlo(slo),
      });
    };
    const strict = await run('ttft_p99=300ms,tpot_p99=50ms');
    assert.equal(strict.counts.completed, 12);
    assert.equal(strict.slo!.goodRequests, 9);
    assert.equal(strict.slo!.goodputPerSec, Math.round((9 * 1e6) / strict.measuredWallMs) / 1000);
    assert.equal(strict.slo!.met, false, 'p99 TTFT is a slow request');
    assert.equal(strict.slo!.bounds[0]!.met, false);
    assert.equal(strict.slo!.bounds[1]!.met, true);

    // A median bound holds for the test while the slow requests still miss it one by one.
    const median = await run('ttft_p50=300ms');
    assert.equal(median.slo!.met, true);
    assert.equal(median.slo!.goodRequests, 9);

    const loose = await run('ttft_p99=2s,e2e_max=3s');
    assert.equal(loose.slo!.goodRequests, 12);
    assert.equal(loose.slo!.goodputPerSec, loose.throughput.requestsPerSec);
  } finally {
    await server.close();
  }
});

test('find-max-rate runs a failed step again when the generator was the bottleneck', async () => {
  const server = await startTimedSseServer({ ttftMs: 5, tokenDelayMs: 1, outputTokens: 2 });
  try {
    const search = await findMaxRate({
      base: {
        ...base(server.baseUrl, 1000),
        outputTokens: { kind: 'fixed', value: 2 },
        // A consumer of records that hogs the event loop makes the generator the bottleneck.
        onRequest: () => {
          const until = performance.now() + 40;
          while (performance.now() < until) {}
        },
      },
      slo: parseSlo('ttft_p99=1us'),
      process: 'constant',
      startRate: 30,
      maxSteps: 4,
    });
    assert.ok(search.steps.every((s) => !s.held && s.result.client.generatorBound));
    assert.deepEqual(
      search.steps.map((s) => s.rate),
      [30, 30, 15, 15],
    );
    assert.equal(search.maxRatePerSec, null);
    assert.match(search.note!, /The load generator was a bottleneck in 4 of 4 steps/);
  } finally {
    await server.close();
  }
});

import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { findMaxRate, type MaxRateResult } from '../src/load/find-max-rate.ts';
import { parseSlo } from '../src/load/slo.ts';
import type { StepBase } from '../src/load/sweep.ts';
import { startTimedSseServer } from './servers/timed-sse-server.ts';

// A fixed-slot queue: 8 requests served at once, each for 50 + 9 × 10 = 140 ms, the rest wait in
// arrival order. With constant arrivals no request waits below 8 / 0.14 s = 57.14 req/s, and above
// it the queue grows without end: that rate is the capacity, in closed form, for any TTFT bound
// above the 50 ms a request takes alone.
const SLOTS = 8;
const SERVICE_MS = 50 + 9 * 10;
const CAPACITY = (SLOTS * 1000) / SERVICE_MS;
const SEEDS = 20;
const AT_ONCE = 4;

function base(baseUrl: string, seed: number): StepBase {
  return {
    target: { baseUrl, model: 'timed' },
    prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 16 } },
    outputTokens: { kind: 'fixed', value: 10 },
    durationMs: 1000,
    maxRequests: 1000,
    requestTimeoutMs: 5000,
    seed,
  };
}

// Timing on an oversubscribed machine is the machine's, not the generator's or the server's: the
// generator flags its own stalls, and the figures below would judge the neighbours' load. So
// scripts/test.sh (what CI runs) defers this test out of the parallel suite and runs it alone after
// it (VERDICT_TIMING_ALONE=1); run by hand, it skips when the machine is busy.
const deferred = process.env.VERDICT_DEFER_TIMING === '1';
const alone = process.env.VERDICT_TIMING_ALONE === '1';
const busy = os.loadavg()[0]! > os.cpus().length;
const skip = deferred
  ? 'run alone after the suite (scripts/test.sh)'
  : !alone && busy
    ? `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`
    : false;

test(`find-max-rate over ${SEEDS} seeds: the interval holds the closed-form capacity`, {
  skip,
}, async (t) => {
  const servers = await Promise.all(
    Array.from({ length: AT_ONCE }, () =>
      startTimedSseServer({ ttftMs: 50, tokenDelayMs: 10, concurrencyLimit: SLOTS }),
    ),
  );
  const results: Array<{ seed: number; result: MaxRateResult }> = [];
  try {
    let next = 1;
    // Four searches at a time, each against its own server, so the test stays near a minute.
    await Promise.all(
      servers.map(async (server) => {
        while (next <= SEEDS) {
          const seed = next++;
          const result = await findMaxRate({
            base: base(server.baseUrl, seed),
            slo: parseSlo('ttft_p99=150ms'),
            process: 'constant',
            startRate: 30,
            precision: 0.1,
            maxSteps: 12,
          });
          results.push({ seed, result });
        }
      }),
    );
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
  results.sort((a, b) => a.seed - b.seed);
  let covered = 0;
  for (const { seed, result } of results) {
    const i = result.interval;
    const hit = i !== null && i !== undefined && i.lowPerSec <= CAPACITY && CAPACITY <= i.highPerSec;
    if (hit) covered += 1;
    t.diagnostic(
      `seed ${seed}: ${result.estimatePerSec} req/s, 95% interval ${i?.lowPerSec}–${i?.highPerSec}, ` +
        `capacity ${result.capacityPerSec}, ${result.steps.length} steps, ${result.stoppedBecause}` +
        `${result.generatorBoundSteps.length > 0 ? `, generator bound in ${result.generatorBoundSteps.length}` : ''}${hit ? '' : ' MISSED'}`,
    );
  }
  t.diagnostic(`${covered} of ${SEEDS} intervals hold ${CAPACITY.toFixed(2)} req/s`);
  assert.ok(covered >= 18, `${covered} of ${SEEDS} intervals hold the capacity`);
  // Every value a search gives is within 20%: its estimate, and the capacity it stores. A search whose
  // steps the generator starved may end with no interval (it says so, and counts as a miss above);
  // then no estimate is given, and the capacity stored is the highest rate that held.
  for (const { seed, result } of results) {
    for (const [what, value] of [
      ['estimate', result.estimatePerSec],
      ['capacity', result.capacityPerSec],
    ] as const) {
      if (value === null || value === undefined) continue;
      assert.ok(
        Math.abs(value / CAPACITY - 1) <= 0.2,
        `seed ${seed}: ${what} ${value} req/s is off by more than 20%`,
      );
    }
    assert.ok(
      result.estimatePerSec !== null || result.stoppedBecause !== 'converged',
      `seed ${seed}: converged without an estimate`,
    );
    // The capacity stored is the interval's lower end, never above a rate a step offered.
    assert.ok(result.capacityPerSec! <= Math.max(...result.steps.map((s) => s.rate)));
    if (result.interval) assert.ok(result.capacityPerSec! <= result.interval.lowPerSec + 0.001);
  }
});

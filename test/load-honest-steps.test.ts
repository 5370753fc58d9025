// Each step is judged on what it sent (issue 15): a short Poisson window sends more or fewer than
// rate × duration, and a server that finished them all kept up; a test too small to judge gives
// no capacity, and a capacity is never above the rate a test offered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxRateWithinSlo } from '../src/load/load-record.ts';
import { runLoadTest } from '../src/load/run-load-test.ts';
import { parseSlo } from '../src/load/slo.ts';
import { judgeStep } from '../src/load/step-verdict.ts';
import { runSweep, stepDurationMs, stepSeed } from '../src/load/sweep.ts';
import type { Arrival, LoadTestOptions } from '../src/load/types.ts';
import { startTimedSseServer } from './servers/timed-sse-server.ts';

function options(baseUrl: string, arrival: Arrival, durationMs: number, seed = 1): LoadTestOptions {
  return {
    target: { baseUrl, model: 'timed' },
    arrival,
    prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 8 } },
    outputTokens: { kind: 'fixed', value: 2 },
    durationMs,
    maxRequests: 1000,
    seed,
    slo: parseSlo('ttft_p99=2s'),
  };
}

test('a one-request test stores no capacity, and none above the rate it offered', async () => {
  const server = await startTimedSseServer({ ttftMs: 5, tokenDelayMs: 1, outputTokens: 2 });
  try {
    // constant:0.1 for 1 s sends one request; completed ÷ its own latency reads far above the 0.1
    // req/s offered (~100 req/s on a quiet machine, ~10 on a loaded one) — and is not a capacity.
    const one = await runLoadTest(options(server.baseUrl, { kind: 'constant', rate: 0.1 }, 1000));
    assert.equal(one.counts.sent, 1);
    assert.ok(one.slo!.met);
    assert.ok(one.throughput.requestsPerSec > 1, `${one.throughput.requestsPerSec} req/s over one request`);
    assert.equal(judgeStep(one).inconclusive, true);
    assert.equal(maxRateWithinSlo(one), null);

    // 30 requests at 25 req/s: the tail makes the wall time a little short of 30 gaps, never the rate.
    const enough = await runLoadTest(options(server.baseUrl, { kind: 'constant', rate: 25 }, 1200));
    assert.ok(judgeStep(enough).held, judgeStep(enough).reasons.join('; '));
    assert.ok(maxRateWithinSlo(enough)! <= 25, `${maxRateWithinSlo(enough)} req/s stored at 25 offered`);
  } finally {
    await server.close();
  }
});

test('a server that keeps up keeps up at every seed, and the arrivals achieved are recorded', async () => {
  const server = await startTimedSseServer({ ttftMs: 5, tokenDelayMs: 1, outputTokens: 2 });
  try {
    const ratios: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const r = await runLoadTest(options(server.baseUrl, { kind: 'poisson', rate: 40 }, 1000, seed));
      ratios.push(r.stability.completionRatio!);
      if (r.client.generatorBound) continue;
      assert.ok(judgeStep(r).held, `seed ${seed}: ${judgeStep(r).reasons.join('; ')}`);
      assert.ok(
        r.sends!.interArrivalCv! > 0.5 && r.sends!.interArrivalCv! < 1.6,
        `Poisson CV ${r.sends!.interArrivalCv}`,
      );
      assert.equal(r.sends!.count, r.counts.sent);
    }
    assert.ok(
      ratios.every((x) => x > 0.9 && x < 1.1),
      `completion ratios ${ratios.join(', ')}`,
    );
    const constant = await runLoadTest(options(server.baseUrl, { kind: 'constant', rate: 40 }, 1000));
    // A starved generator cannot keep a constant schedule; it says so itself (as for the seeds above).
    if (!constant.client.generatorBound)
      assert.ok(constant.sends!.interArrivalCv! < 0.3, `constant CV ${constant.sends!.interArrivalCv}`);
    assert.ok(
      Math.abs(constant.sends!.achievedPerSec! / 40 - 1) < 0.1,
      `${constant.sends!.achievedPerSec} req/s achieved`,
    );
    assert.equal(constant.sends!.offeredPerSec, 40);
  } finally {
    await server.close();
  }
});

test('each step of a sweep has its own seed, and the same base seed replays them', async () => {
  const server = await startTimedSseServer({ ttftMs: 5, tokenDelayMs: 1, outputTokens: 2 });
  try {
    const { arrival: _a, ...base } = options(server.baseUrl, { kind: 'poisson', rate: 1 }, 1000, 7);
    const sweep = await runSweep({ base, axis: 'rate', values: [30, 40] });
    const seeds = sweep.steps.map((s) => s.result.settings.seed);
    assert.deepEqual(seeds, [stepSeed(7, 0), stepSeed(7, 1)]);
    assert.notEqual(seeds[0], seeds[1]);
    // A slow rate's step is lengthened to send the requests a step needs: 20 × 1.5 ÷ 5 req/s = 6 s.
    assert.equal(stepDurationMs(1000, 5, 20, 8000), 6000);
  } finally {
    await server.close();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeStep } from '../src/load/step-verdict.ts';
import type { LoadTestResult } from '../src/load/types.ts';

function step(
  completed: number,
  failed: number,
  extra: Partial<LoadTestResult['stability']> = {},
): LoadTestResult {
  return {
    counts: { warmup: 0, sent: completed + failed, completed, failed, cut: 0 },
    stability: {
      ttftP50FirstQuarterMs: 100,
      ttftP50LastQuarterMs: 100,
      latencyRising: false,
      completionRatio: 1,
      ...extra,
    },
    slo: null,
  } as LoadTestResult;
}

test('errors breach a step only when their rate is surely above the bound (Wilson 95%)', () => {
  // 1 of 18: Wilson interval 0.0099–0.26 reaches below 5%.
  assert.equal(judgeStep(step(17, 1), { maxErrorRate: 0.05, minRequests: 1 }).held, true);
  // 3 of 3: the interval starts at 0.44.
  const all = judgeStep(step(0, 3), { maxErrorRate: 0.05, minRequests: 1 });
  assert.equal(all.held, false);
  assert.match(all.reasons[0]!, /^3 of 3 requests failed \(100%, above the 5\.0% allowed\)$/);
  // 30 of 1000 at a 1% bound: the interval 2.1%–4.3% lies above.
  assert.equal(judgeStep(step(970, 30)).held, false);
  assert.equal(judgeStep(step(0, 0), { minRequests: 0 }).reasons[0], 'no request finished');
});

test('a rising TTFT or a short completion ratio marks the step saturated', () => {
  const rising = judgeStep(step(100, 0, { ttftP50LastQuarterMs: 400, latencyRising: true }));
  assert.deepEqual([rising.held, rising.saturated], [false, true]);
  assert.match(rising.reasons[0]!, /TTFT rose from 100\.0 to 400\.0 ms across the step/);
  const short = judgeStep(step(100, 0, { completionRatio: 0.8 }));
  assert.deepEqual([short.held, short.saturated], [false, true]);
  assert.match(short.reasons[0]!, /completed only 80% of the rate sent/);
});

test('a step with too few requests or too short a window counts neither way', () => {
  // One request at constant:0.1 finished in 68 ms: "14.65 req/s" over its own latency (issue 15).
  const one = judgeStep(step(1, 0));
  assert.deepEqual([one.held, one.inconclusive, one.saturated], [false, true, false]);
  assert.equal(one.reasons[0], 'only 1 requests were sent; a step needs 20 to count');
  assert.equal(judgeStep(step(20, 0)).held, true);
  const short = judgeStep({ ...step(50, 0), settings: { durationMs: 400 } } as LoadTestResult);
  assert.deepEqual([short.held, short.inconclusive], [false, true]);
  assert.match(short.reasons[0]!, /lasted 400 ms; it needs 1000 ms/);
  assert.equal(judgeStep(step(5, 0), { minRequests: 5 }).held, true);
});

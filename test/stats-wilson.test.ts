import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wilsonInterval } from '../src/stats/wilson.ts';

// Reference: R `prop.test(x, n, correct = FALSE)$conf.int` (score interval without continuity correction).
test('wilson interval matches R prop.test(correct = FALSE)', () => {
  const cases: Array<[number, number, number, number]> = [
    [7, 20, 0.1811918, 0.5671457], // prop.test(7, 20, correct=FALSE)
    [0, 10, 0.0, 0.2775328], // prop.test(0, 10, correct=FALSE)
    [10, 10, 0.7224672, 1.0], // prop.test(10, 10, correct=FALSE)
  ];
  for (const [x, n, low, high] of cases) {
    const interval = wilsonInterval(x, n);
    assert.ok(Math.abs(interval.low - low) < 1e-6, `low for ${x}/${n}: ${interval.low} vs ${low}`);
    assert.ok(Math.abs(interval.high - high) < 1e-6, `high for ${x}/${n}: ${interval.high} vs ${high}`);
  }
});

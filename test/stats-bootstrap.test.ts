import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootstrapMeanInterval } from '../src/stats/bootstrap.ts';

const SCORES = [0, 0.25, 0.5, 1, 1, 0.75, 0, 1, 0.9, 0.3, 1, 1, 0.6, 0.2, 1, 0, 0.8, 1, 0.4, 0.95];

// Reference: SciPy 1.17 `scipy.stats.bootstrap((x,), np.mean, method="percentile", n_resamples=200000,
// rng=np.random.default_rng(0)).confidence_interval`. Different generators draw different resamples, so the
// bounds agree to Monte Carlo error (about 0.002 here), not to the last digit.
test('bootstrap percentile interval of the mean agrees with scipy.stats.bootstrap', () => {
  const reference: Array<[number[], number, number, number]> = [
    [SCORES, 0.6325, 0.4625, 0.795], // x = SCORES
    [[1, 1, 1, ...new Array<number>(27).fill(0)], 0.1, 0, 0.23333333333333334], // x = [1]*3 + [0]*27
  ];
  for (const [scores, mean, low, high] of reference) {
    const interval = bootstrapMeanInterval(scores, { resamples: 20000, seed: 3 });
    assert.ok(Math.abs(interval.estimate - mean) < 1e-12);
    assert.ok(Math.abs(interval.low - low) < 0.01, `low ${interval.low} vs ${low}`);
    assert.ok(Math.abs(interval.high - high) < 0.01, `high ${interval.high} vs ${high}`);
  }
});

test('bootstrap: same seed gives the same interval, another seed another', () => {
  const first = bootstrapMeanInterval(SCORES, { seed: 11 });
  assert.deepEqual(bootstrapMeanInterval(SCORES, { seed: 11 }), first);
  assert.deepEqual(bootstrapMeanInterval(SCORES), bootstrapMeanInterval(SCORES));
  assert.notDeepEqual(bootstrapMeanInterval(SCORES, { seed: 12 }), first);
});

test('bootstrap edge cases: no scores, one score, constant scores, bad options', () => {
  const empty = bootstrapMeanInterval([]);
  assert.ok(Number.isNaN(empty.estimate));
  assert.equal(empty.low, 0);
  assert.equal(empty.high, 1);
  assert.deepEqual(bootstrapMeanInterval([0.4]), { estimate: 0.4, low: 0.4, high: 0.4 });
  assert.deepEqual(bootstrapMeanInterval([1, 1, 1]), { estimate: 1, low: 1, high: 1 });
  assert.throws(() => bootstrapMeanInterval([0.5, Number.NaN]), RangeError);
  assert.throws(() => bootstrapMeanInterval([0.5], { resamples: 0 }), RangeError);
  assert.throws(() => bootstrapMeanInterval([0.5], { level: 1 }), RangeError);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile, quantileOfSorted } from '../src/stats/percentile.ts';

// Reference: NumPy 2.4 `np.quantile(x, q)` (default method "linear", Hyndman & Fan type 7).
test('quantileOfSorted matches numpy.quantile', () => {
  // np.quantile([1, 2, 4, 8, 16], [0, 0.1, 0.25, 0.5, 0.975, 1]) = [1.0, 1.4, 2.0, 4.0, 15.2, 16.0]
  const expected = [1.0, 1.4, 2.0, 4.0, 15.2, 16.0];
  [0, 0.1, 0.25, 0.5, 0.975, 1].forEach((q, i) => {
    assert.ok(Math.abs(quantileOfSorted([1, 2, 4, 8, 16], q) - expected[i]!) < 1e-12);
  });
  assert.ok(Number.isNaN(quantileOfSorted([], 0.5)));
});

test('percentile sorts a copy first and is null when empty', () => {
  const values = [3, 1, 2];
  // np.quantile([3, 1, 2], [0.5, 0.9]) = [2.0, 2.8]; np.quantile([7], [0.3]) = [7.0]
  assert.equal(percentile(values, 0.5), 2);
  assert.ok(Math.abs(percentile(values, 0.9)! - 2.8) < 1e-12);
  assert.deepEqual(values, [3, 1, 2]);
  assert.equal(percentile([7], 0.3), 7);
  assert.equal(percentile([], 0.5), null);
});

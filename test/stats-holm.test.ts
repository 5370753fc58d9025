import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holmAdjust } from '../src/stats/holm.ts';

// Reference: R 4.2.2 `p.adjust(p, method = "holm")`; the same values from the step-down formula in NumPy
// (`np.minimum(1, np.maximum.accumulate((m - np.arange(m)) * p[order]))`).
test('holmAdjust matches R p.adjust(method = "holm")', () => {
  const reference: Array<[number[], number[]]> = [
    [
      [0.01, 0.04, 0.03, 0.005],
      [0.03, 0.06, 0.06, 0.02],
    ], // p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")
    [
      [0.2, 0.2, 0.01, 0.5, 0.04],
      [0.6, 0.6, 0.05, 0.6, 0.16],
    ], // p.adjust(c(0.2, 0.2, 0.01, 0.5, 0.04), "holm")
    [
      [0.012939453125, 0.0703125, 0.052478790283203125],
      [0.038818359375, 0.10495758056640625, 0.10495758056640625],
    ], // p.adjust(c(0.012939453125, 0.0703125, 0.052478790283203125), "holm")
  ];
  for (const [p, expected] of reference) {
    const adjusted = holmAdjust(p);
    expected.forEach((value, i) => {
      assert.ok(Math.abs(adjusted[i]! - value) < 1e-15, `${p}: ${adjusted} vs ${expected}`);
    });
  }
});

test('holmAdjust edge cases: empty, one p, NaN kept out of the count like R NA', () => {
  assert.deepEqual(holmAdjust([]), []);
  assert.deepEqual(holmAdjust([0.3]), [0.3]);
  // p.adjust(c(0.3, NA, 0.02), "holm") = 0.30 NA 0.04
  const adjusted = holmAdjust([0.3, Number.NaN, 0.02]);
  assert.equal(adjusted[0], 0.3);
  assert.ok(Number.isNaN(adjusted[1]));
  assert.equal(adjusted[2], 0.04);
  assert.throws(() => holmAdjust([1.2]), RangeError);
});

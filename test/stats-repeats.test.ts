import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passAtK } from '../src/stats/pass-at-k.ts';
import { caseConsistency, summarizeRepeats } from '../src/stats/repeats.ts';

// Reference: exact rationals in Python with SciPy 1.17,
// `1 - Fraction(comb(n - c, k, exact=True), comb(n, k, exact=True))` (scipy.special.comb), printed as float.
test('passAtK matches the exact 1 − C(n−c, k)/C(n, k)', () => {
  const reference: Array<[number, number, number, number]> = [
    [10, 3, 1, 0.3],
    [10, 3, 5, 0.9166666666666666],
    [10, 0, 3, 0.0],
    [10, 10, 1, 1.0],
    [5, 2, 4, 1.0],
    [200, 13, 10, 0.49755111473060615],
    [200, 13, 100, 0.9999194971988055],
    [1000, 1, 1, 0.001],
  ];
  for (const [n, c, k, expected] of reference) {
    assert.ok(
      Math.abs(passAtK(n, c, k) - expected) < 1e-13,
      `n=${n} c=${c} k=${k}: ${passAtK(n, c, k)} vs ${expected}`,
    );
  }
});

test('passAtK edge cases: k outside [1, n] is not estimable; bad counts throw', () => {
  assert.ok(Number.isNaN(passAtK(3, 1, 4)));
  assert.ok(Number.isNaN(passAtK(3, 0, 4)));
  assert.ok(Number.isNaN(passAtK(0, 0, 1)));
  assert.ok(Number.isNaN(passAtK(3, 1, 0)));
  assert.equal(passAtK(3, 1, 3), 1);
  assert.throws(() => passAtK(3, 4, 1), RangeError);
  assert.throws(() => passAtK(3, 1.5, 1), RangeError);
});

test('caseConsistency: share agreeing with the majority, flaky when repeats disagree', () => {
  assert.deepEqual(caseConsistency([true, true, true]), {
    repeats: 3,
    passes: 3,
    consistency: 1,
    flaky: false,
  });
  assert.deepEqual(caseConsistency([false, false]), { repeats: 2, passes: 0, consistency: 1, flaky: false });
  assert.deepEqual(caseConsistency([true, false, true, true]), {
    repeats: 4,
    passes: 3,
    consistency: 0.75,
    flaky: true,
  });
  assert.deepEqual(caseConsistency([true, false]), { repeats: 2, passes: 1, consistency: 0.5, flaky: true });
  const none = caseConsistency([]);
  assert.ok(Number.isNaN(none.consistency));
  assert.equal(none.flaky, false);
});

test('summarizeRepeats over cases (hand computation)', () => {
  const byCase = new Map<string, boolean[]>([
    ['c1', [true, true, true, true]], // consistency 1, pass@2 = 1
    ['c2', [true, false, false, false]], // consistency 0.75, pass@2 = 1 − C(3,2)/C(4,2) = 0.5
    ['c3', [false, false, false, false]], // consistency 1, pass@2 = 0
    ['c4', [true, true, false, false]], // consistency 0.5, pass@2 = 1 − C(2,2)/C(4,2) = 5/6
  ]);
  const summary = summarizeRepeats(byCase, 2);
  assert.equal(summary.cases, 4);
  assert.equal(summary.meanConsistency, (1 + 0.75 + 1 + 0.5) / 4);
  assert.ok(Math.abs(summary.passAtK - (1 + 0.5 + 0 + 5 / 6) / 4) < 1e-15);
  assert.deepEqual(summary.flakyCases, ['c2', 'c4']);
  assert.equal(summarizeRepeats(Object.entries({ x: [true], y: [false] })).passAtK, 0.5);
  assert.ok(Number.isNaN(summarizeRepeats(byCase, 5).passAtK), 'k above the repeats is not estimable');
  const empty = summarizeRepeats([]);
  assert.equal(empty.cases, 0);
  assert.ok(Number.isNaN(empty.meanConsistency));
  assert.deepEqual(empty.flakyCases, []);
});

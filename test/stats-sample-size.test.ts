import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedCountsOf } from '../src/stats/paired-counts.ts';
import { casesNeeded, mcnemarSampleSize, nonInferiorityCasesNeeded } from '../src/stats/sample-size.ts';

// Reference: Connor (1987) in Python with SciPy 1.17:
//   def connor(p10, p01, d=None, alpha=0.05, power=0.8):
//       d = abs(p10 - p01 if d is None else d); psi = max(p10 + p01, d)
//       n = (norm.ppf(1 - alpha/2) * math.sqrt(psi) + norm.ppf(power) * math.sqrt(psi - d*d))**2 / d**2
//       return n, math.ceil(n)
test('mcnemarSampleSize matches Connor 1987 computed with scipy.stats.norm.ppf', () => {
  assert.equal(mcnemarSampleSize({ onlyA: 0.2, onlyB: 0.1 }), 234); // connor(0.2, 0.1) = 233.09 → 234
  assert.equal(mcnemarSampleSize({ onlyA: 0.05, onlyB: 0.15 }), 155); // connor(0.05, 0.15) = 154.60 → 155
  assert.equal(mcnemarSampleSize({ onlyA: 0.1, onlyB: 0.1, difference: 0.05 }), 626); // connor(0.1, 0.1, 0.05) = 625.55
  assert.equal(mcnemarSampleSize({ onlyA: 0.02, onlyB: 0 }), 391); // connor(0.02, 0.0) = 390.08
  // connor(0.3, 0.2, None, 0.01, 0.9) = 739.01 → 740
  assert.equal(mcnemarSampleSize({ onlyA: 0.3, onlyB: 0.2, alpha: 0.01, power: 0.9 }), 740);
  // connor(0.0, 0.0, 0.03) = 259.26 → 260: no discordance seen, so ψ is floored at |δ|
  assert.equal(mcnemarSampleSize({ onlyA: 0, onlyB: 0, difference: 0.03 }), 260);
  assert.equal(mcnemarSampleSize({ onlyA: 0.25, onlyB: 0.05 }), 57); // connor(0.25, 0.05) = 56.45 → 57
});

// Connor's formula is a normal approximation; the exact conditional McNemar test reaches a little less power at
// that n. Reference: exact power by enumeration in Python with SciPy 1.17 (D ~ Binom(n, ψ), b | D ~ Binom(D, p10/ψ),
// reject when min(1, 2·binom.cdf(min(b, D−b), D, 0.5)) < 0.05): exact_power(234, 0.2, 0.1) = 0.7756,
// exact_power(155, 0.05, 0.15) = 0.7617, exact_power(57, 0.25, 0.05) = 0.7717. Hence the "≈" in the advice.

test('mcnemarSampleSize edge cases', () => {
  assert.equal(mcnemarSampleSize({ onlyA: 0.1, onlyB: 0.1 }), Number.POSITIVE_INFINITY); // no difference to detect
  assert.equal(mcnemarSampleSize({ onlyA: 0, onlyB: 0 }), Number.POSITIVE_INFINITY); // all concordant
  // All discordant one way: ψ = δ = 1, n = z²·1 / 1 → ⌈3.84⌉ = 4.
  assert.equal(mcnemarSampleSize({ onlyA: 1, onlyB: 0 }), 4);
  assert.throws(() => mcnemarSampleSize({ onlyA: 0.7, onlyB: 0.6 }), RangeError);
  assert.throws(() => mcnemarSampleSize({ onlyA: 0.1, onlyB: 0, difference: 1.5 }), RangeError);
  assert.throws(() => mcnemarSampleSize({ onlyA: 0.1, onlyB: 0, power: 1 }), RangeError);
});

test('casesNeeded reads the discordance off a paired table', () => {
  // 20 only-A and 10 only-B of 100 cases: p10 = 0.2, p01 = 0.1 → connor(0.2, 0.1) → 234
  assert.equal(casesNeeded(pairedCountsOf(50, 20, 10, 20), 0.1), 234);
  assert.ok(Number.isNaN(casesNeeded(pairedCountsOf(0, 0, 0, 0), 0.1)));
});

test('non-inferiority cases are planned from the observed table and the margin, not from detection', () => {
  // 1,000 cases: A alone passes 50, B alone 80 → pA − pB = −3 points, ψ = 0.13. At a 5-point margin,
  // δ = −0.03 + 0.05 = 0.02: n = (1.959964·√0.13 + 0.841621·√(0.13 − 0.0004))² ÷ 0.0004
  // = (0.706675 + 0.302984)² ÷ 0.0004 = 1.019411 ÷ 0.0004 = 2,548.5 → 2,549.
  const counts = { n: 1000, bothPass: 800, onlyA: 50, onlyB: 80, bothFail: 70 };
  assert.equal(nonInferiorityCasesNeeded(counts, 0.05), 2549);
  // Detecting the 3-point difference itself is a different question with a different answer.
  assert.notEqual(casesNeeded(counts, 0.03), 2549);
  // At or below −margin, non-inferiority cannot be shown by more cases.
  assert.equal(nonInferiorityCasesNeeded({ ...counts, onlyB: 100 }, 0.05), Number.POSITIVE_INFINITY);
});

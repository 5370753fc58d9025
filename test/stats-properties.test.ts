import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  bootstrapMeanInterval,
  comparePaired,
  exactMcNemar,
  holmAdjust,
  mcnemarSampleSize,
  pairedCountsOf,
  pairedDifferenceInterval,
  passAtK,
  wilsonInterval,
} from '../src/stats/index.ts';

const EPSILON = 1e-12;
const counts = fc.tuple(fc.nat(60), fc.nat(60), fc.nat(60), fc.nat(60));

test('wilson interval contains the estimate and lies in [0, 1]', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (n, share) => {
        const x = Math.round(share * n);
        const { estimate, low, high } = wilsonInterval(x, n);
        assert.ok(0 <= low && low <= estimate + EPSILON && estimate <= high + EPSILON && high <= 1);
      },
    ),
  );
});

test('bootstrap interval lies within the scores and contains their mean', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
      fc.nat(),
      (scores, seed) => {
        const { estimate, low, high } = bootstrapMeanInterval(scores, { seed, resamples: 300 });
        assert.ok(Math.min(...scores) - EPSILON <= low && high <= Math.max(...scores) + EPSILON);
        assert.ok(low <= estimate + EPSILON && estimate <= high + EPSILON, `${low} ${estimate} ${high}`);
      },
    ),
  );
});

test('paired difference interval contains the estimate and lies in [−1, 1]', () => {
  fc.assert(
    fc.property(counts, ([a, b, c, d]) => {
      fc.pre(a + b + c + d > 0);
      const { estimate, low, high } = pairedDifferenceInterval(pairedCountsOf(a, b, c, d));
      assert.ok(-1 <= low && low <= estimate + EPSILON && estimate <= high + EPSILON && high <= 1);
    }),
  );
});

test('exact McNemar p lies in [0, 1] and is symmetric in the discordant counts', () => {
  fc.assert(
    fc.property(fc.nat(3000), fc.nat(3000), (onlyA, onlyB) => {
      const p = exactMcNemar({ onlyA, onlyB });
      assert.ok(p >= 0 && p <= 1);
      assert.equal(p, exactMcNemar({ onlyA: onlyB, onlyB: onlyA }));
    }),
  );
});

test('Holm-adjusted p lie in [0, 1], never below the raw p, and keep their order', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), (p) => {
      const adjusted = holmAdjust(p);
      p.forEach((raw, i) => {
        assert.ok(adjusted[i]! >= raw && adjusted[i]! <= 1);
        p.forEach((other, j) => {
          if (raw < other) assert.ok(adjusted[i]! <= adjusted[j]!);
        });
      });
    }),
  );
});

test('pass@k lies in [0, 1] and grows with k and with passes', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(200), fc.nat(200), (n, cRaw, kRaw) => {
      const c = cRaw % (n + 1);
      const k = (kRaw % n) + 1;
      const value = passAtK(n, c, k);
      assert.ok(value >= 0 && value <= 1);
      if (k < n) assert.ok(passAtK(n, c, k + 1) >= value - EPSILON);
      if (c < n) assert.ok(passAtK(n, c + 1, k) >= value - EPSILON);
    }),
  );
});

test('sample-size advice is a positive whole number of cases, larger for smaller differences', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 0.5, noNaN: true }),
      fc.double({ min: 0, max: 0.5, noNaN: true }),
      fc.double({ min: 0.01, max: 0.5, noNaN: true }),
      (onlyA, onlyB, difference) => {
        const n = mcnemarSampleSize({ onlyA, onlyB, difference });
        assert.ok(Number.isInteger(n) && n >= 1);
        assert.ok(mcnemarSampleSize({ onlyA, onlyB, difference: difference / 2 }) >= n);
      },
    ),
  );
});

test('comparePaired never throws on aligned results and its conclusion agrees with its figures', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.boolean()), { maxLength: 80 }),
      fc.double({ min: 0, max: 0.2, noNaN: true }),
      (pairs, margin) => {
        const comparison = comparePaired(
          pairs.map(([a]) => a),
          pairs.map(([, b]) => b),
          { margin },
        );
        assert.ok(comparison.pValue >= 0 && comparison.pValue <= 1);
        assert.ok(comparison.sentence.length > 0);
        const { conclusion, nonInferiority, difference } = comparison;
        if (conclusion === 'non-inferior') assert.ok(difference.low > -margin);
        if (conclusion === 'inferior') assert.ok(difference.high < -margin);
        if (conclusion === 'better' || conclusion === 'worse') assert.ok(comparison.pValue < 0.05);
        if (conclusion === 'undecided') assert.equal(nonInferiority.verdict, 'not shown');
      },
    ),
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binomialHalfLowerTail, exactMcNemar } from '../src/stats/mcnemar.ts';
import { pairedCounts, pairedCountsOf } from '../src/stats/paired-counts.ts';

function close(actual: number, expected: number, relative: number, label: string): void {
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${label}: ${actual} vs ${expected}`,
  );
}

test('pairedCounts counts agreement and discordance case by case', () => {
  const a = [true, true, false, false, true, false];
  const b = [true, false, true, false, false, false];
  assert.deepEqual(pairedCounts(a, b), { bothPass: 1, onlyA: 2, onlyB: 1, bothFail: 2, n: 6 });
  assert.deepEqual(pairedCounts([], []), { bothPass: 0, onlyA: 0, onlyB: 0, bothFail: 0, n: 0 });
  assert.throws(() => pairedCounts([true], []), RangeError);
  assert.deepEqual(pairedCountsOf(1, 1, 7, 12), { bothPass: 1, onlyA: 1, onlyB: 7, bothFail: 12, n: 21 });
  assert.throws(() => pairedCountsOf(1, -1, 0, 0), RangeError);
  assert.throws(() => pairedCountsOf(1.5, 0, 0, 0), RangeError);
});

// Reference: SciPy 1.17 `scipy.stats.binomtest(b, b + c, 0.5).pvalue`; R 4.2.2 `binom.test(b, b + c)$p.value`
// gives the same values to 1e-15.
test('exactMcNemar matches scipy.stats.binomtest on the discordant pairs', () => {
  const reference: Array<[number, number, number]> = [
    [12, 2, 0.012939453125], // binomtest(12, 14, 0.5)
    [1, 7, 0.0703125], // binomtest(1, 8, 0.5)
    [6, 16, 0.052478790283203125], // binomtest(6, 22, 0.5)
    [0, 5, 0.0625], // binomtest(0, 5, 0.5)
    [5, 5, 1.0], // binomtest(5, 10, 0.5)
    [0, 1, 1.0], // binomtest(0, 1, 0.5)
    [10, 0, 0.001953125], // binomtest(10, 10, 0.5)
    [480, 520, 0.2174482932041415], // binomtest(480, 1000, 0.5)
    [3000, 3150, 0.05742710853236413], // binomtest(3000, 6150, 0.5)
  ];
  for (const [onlyA, onlyB, p] of reference) {
    close(exactMcNemar({ onlyA, onlyB }), p, 1e-9, `b=${onlyA}, c=${onlyB}`);
    close(exactMcNemar({ onlyA: onlyB, onlyB: onlyA }), p, 1e-9, `b=${onlyB}, c=${onlyA} (symmetric)`);
  }
});

test('exactMcNemar: all concordant gives p = 1; all discordant one way is significant', () => {
  assert.equal(exactMcNemar(pairedCounts([true, false, true], [true, false, true])), 1);
  assert.equal(exactMcNemar({ onlyA: 0, onlyB: 0 }), 1);
  // binomtest(0, 20, 0.5).pvalue = 1.9073486328125e-06
  close(exactMcNemar(pairedCountsOf(0, 0, 20, 0)), 1.9073486328125e-6, 1e-12, 'all discordant');
});

// Reference: SciPy 1.17 `scipy.stats.binom.cdf(k, n, 0.5)`; R `pbinom(k, n, 0.5)` agrees to 1e-14.
test('binomialHalfLowerTail matches scipy.stats.binom.cdf', () => {
  const reference: Array<[number, number, number]> = [
    [3, 10, 0.171875],
    [7, 10, 0.9453125],
    [0, 1, 0.5],
    [50, 100, 0.5397946186935889],
    [70, 100, 0.9999839199923521],
    [900, 2000, 4.228544767751905e-6],
    [1500, 2000, 1.0],
    [4950, 10000, 0.16108709989765543],
  ];
  for (const [k, n, p] of reference) close(binomialHalfLowerTail(k, n), p, 1e-10, `k=${k}, n=${n}`);
  assert.equal(binomialHalfLowerTail(-1, 5), 0);
  assert.equal(binomialHalfLowerTail(5, 5), 1);
  assert.equal(binomialHalfLowerTail(0, 0), 1);
});

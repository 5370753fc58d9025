import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareCandidates } from '../src/stats/compare-candidates.ts';
import { comparePaired } from '../src/stats/paired-comparison.ts';

// A 300-case labelled set with known per-model correctness, a deterministic function of model and case.
const CASES = Array.from({ length: 300 }, (_, i) => `case-${i}`);
const outcomes = (passes: (i: number) => boolean): Map<string, boolean> =>
  new Map(CASES.map((id, i) => [id, passes(i)]));
const FRONTIER = outcomes((i) => i % 12 !== 0); // 275 / 300
const OPEN_70B = outcomes((i) => i % 10 !== 0); // 270 / 300
const OPEN_8B = outcomes((i) => i % 3 !== 0); // 200 / 300
const MID = outcomes((i) => i % 8 !== 0); // 262 / 300

// Reference for the table below.
// Counts against FRONTIER (both, only other, only frontier, neither), by hand from the definitions:
//   OPEN_70B (250, 20, 25, 5); OPEN_8B (200, 0, 75, 25); MID (250, 12, 25, 13).
// McNemar, R 4.2.2: p <- c(binom.test(20, 45)$p.value, binom.test(0, 75)$p.value, binom.test(12, 37)$p.value)
//   = 0.55148432980252071, 5.2939559203394065e-23, 0.047031027439516107
//   p.adjust(p, method = "holm") = 0.55148432980252071, 1.5881867761018221e-22, 0.094062054879032214
// Newcombe method 10, R `newcombe10` from stats-paired-difference.test.ts:
//   newcombe10(c(250,20,25,5)) = -0.0620303090081053 0.0283392745008655
//   newcombe10(c(200,0,75,25)) = -0.300333096181572 -0.201030123513696
//   newcombe10(c(250,12,25,13)) = -0.0849805448285233 -0.00308920844755334
// Connor, Python `connor` from stats-sample-size.test.ts:
//   connor(20/300, 25/300, 0.03) = 1305.79 → 1306; connor(12/300, 25/300) = 513.15 → 514
// Hand conclusions at a 3-point margin: OPEN_70B's lower bound −0.062 < −0.03 and p = 0.55 → undecided;
// OPEN_8B's upper bound −0.201 < −0.03 → inferior; MID's p = 0.047 < 0.05 alone but 0.094 after Holm, and its
// interval −0.085 to −0.003 straddles −0.03 → undecided once corrected.
test('compareCandidates: best by pass rate, pairwise table with Holm, intervals, verdicts and advice', () => {
  const result = compareCandidates(
    [
      { id: 'open-70b', passes: OPEN_70B },
      { id: 'frontier-large', passes: FRONTIER },
      { id: 'open-8b', passes: OPEN_8B },
      { id: 'mid', passes: MID },
    ],
    { margin: 0.03 },
  );
  assert.equal(result.best, 'frontier-large');
  assert.deepEqual(
    result.passRates.map(({ id, passed, total }) => [id, passed, total]),
    [
      ['open-70b', 270, 300],
      ['frontier-large', 275, 300],
      ['open-8b', 200, 300],
      ['mid', 262, 300],
    ],
  );
  const expected = [
    [
      'open-70b',
      [250, 20, 25, 5],
      0.55148432980252071,
      0.55148432980252071,
      -0.0620303090081053,
      0.0283392745008655,
    ],
    [
      'open-8b',
      [200, 0, 75, 25],
      5.2939559203394065e-23,
      1.5881867761018221e-22,
      -0.300333096181572,
      -0.201030123513696,
    ],
    [
      'mid',
      [250, 12, 25, 13],
      0.047031027439516107,
      0.094062054879032214,
      -0.0849805448285233,
      -0.00308920844755334,
    ],
  ] as const;
  assert.equal(result.comparisons.length, 3);
  result.comparisons.forEach((comparison, i) => {
    const [id, cells, p, holm, low, high] = expected[i]!;
    assert.equal(comparison.a, id);
    assert.equal(comparison.b, 'frontier-large');
    const { bothPass, onlyA, onlyB, bothFail } = comparison.counts;
    assert.deepEqual([bothPass, onlyA, onlyB, bothFail], cells);
    assert.ok(Math.abs(comparison.pValue - p) <= 1e-9 * p, `${id} p ${comparison.pValue}`);
    assert.ok(
      Math.abs(comparison.adjustedPValue - holm) <= 1e-9 * holm,
      `${id} Holm ${comparison.adjustedPValue}`,
    );
    assert.ok(Math.abs(comparison.difference.low - low) < 1e-12, `${id} low`);
    assert.ok(Math.abs(comparison.difference.high - high) < 1e-12, `${id} high`);
  });
  const [open70b, open8b, mid] = result.comparisons;
  assert.equal(open70b!.conclusion, 'undecided');
  assert.equal(open70b!.nonInferiority.verdict, 'not shown');
  assert.equal(open70b!.plannedDifference, 0.03);
  assert.equal(open70b!.casesNeeded, 1306);
  assert.match(open70b!.sentence, /^Too few cases to tell open-70b from frontier-large, need ≈1306 /);
  assert.equal(open8b!.conclusion, 'inferior');
  assert.equal(open8b!.nonInferiority.verdict, 'inferior');
  assert.match(open8b!.sentence, /^open-8b is worse than frontier-large by more than the 3-point margin/);
  assert.match(open8b!.sentence, /exact McNemar p < 0\.001/);
  assert.equal(mid!.conclusion, 'undecided');
  assert.equal(mid!.casesNeeded, 514);
  assert.match(mid!.sentence, /exact McNemar p = 0\.047, Holm-adjusted = 0\.094/);
});

test('comparePaired alone: no Holm; a raw p below alpha with the margin unmet is "worse"', () => {
  const a = CASES.map((id) => MID.get(id)!);
  const b = CASES.map((id) => FRONTIER.get(id)!);
  const comparison = comparePaired(a, b, { margin: 0.03, names: ['mid', 'frontier-large'] });
  assert.equal(comparison.adjustedPValue, comparison.pValue);
  assert.equal(comparison.conclusion, 'worse');
  assert.equal(
    comparison.sentence,
    'mid is worse than frontier-large, and non-inferiority at a 3-point margin is not shown: 262/300 (87.3%) vs ' +
      '275/300 (91.7%) on 300 shared cases, difference -4.3 points (95% CI -8.5 to -0.3), exact McNemar p = 0.047.',
  );
});

test('comparePaired: non-inferior, better, and the edge cases', () => {
  const same = CASES.map((_, i) => i % 10 !== 0);
  const nonInferior = comparePaired(same, same, { margin: 0.03, names: ['open', 'frontier'] });
  // All concordant: p = 1, difference 0 with newcombe-style interval inside ±0.03 for 300 cases.
  assert.equal(nonInferior.pValue, 1);
  assert.equal(nonInferior.conclusion, 'non-inferior');
  assert.match(nonInferior.sentence, /^open is non-inferior to frontier at a 3-point margin: /);

  const allDiscordant = comparePaired(
    [true, true, true, true, true, true, true, true, true, true],
    new Array(10).fill(false),
    {
      margin: 0.05,
    },
  );
  // SciPy: binomtest(10, 10, 0.5).pvalue = 0.001953125
  assert.equal(allDiscordant.pValue, 0.001953125);
  assert.equal(allDiscordant.conclusion, 'better');
  assert.match(allDiscordant.sentence, /^A is better than B: 10\/10 \(100\.0%\) vs 0\/10 \(0\.0%\)/);

  const empty = comparePaired([], [], { margin: 0.03 });
  assert.equal(empty.conclusion, 'undecided');
  assert.ok(Number.isNaN(empty.casesNeeded));
  assert.equal(empty.sentence, 'No shared cases: A and B cannot be compared.');
  assert.throws(() => comparePaired([true], [true, false], { margin: 0.03 }), RangeError);
});

test('compareCandidates aligns by case id, ignores unshared cases, and breaks ties by input order', () => {
  const result = compareCandidates(
    [
      { id: 'x', passes: { a: true, b: false, c: true } },
      {
        id: 'y',
        passes: new Map([
          ['c', true],
          ['b', true],
          ['z', false],
          ['a', false],
        ]),
      },
    ],
    { margin: 0.1 },
  );
  assert.equal(result.best, 'x'); // 2/3 vs 2/4
  const [comparison] = result.comparisons;
  assert.equal(comparison!.counts.n, 3); // a, b, c are shared; z is not
  assert.deepEqual(
    [
      comparison!.counts.bothPass,
      comparison!.counts.onlyA,
      comparison!.counts.onlyB,
      comparison!.counts.bothFail,
    ],
    [1, 1, 1, 0],
  );
  const tie = compareCandidates(
    [
      { id: 'first', passes: { a: true, b: false } },
      { id: 'second', passes: { a: false, b: true } },
    ],
    { margin: 0.05 },
  );
  assert.equal(tie.best, 'first');
  assert.deepEqual(compareCandidates([], { margin: 0.05 }), { best: null, passRates: [], comparisons: [] });
  const lone = compareCandidates([{ id: 'only', passes: {} }], { margin: 0.05 });
  assert.equal(lone.best, 'only');
  assert.deepEqual(lone.comparisons, []);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cohenKappa } from '../src/stats/cohen-kappa.ts';

const pairs = (counts: { yy: number; yn: number; ny: number; nn: number }) => [
  ...Array.from({ length: counts.yy }, () => [true, true] as const),
  ...Array.from({ length: counts.yn }, () => [true, false] as const),
  ...Array.from({ length: counts.ny }, () => [false, true] as const),
  ...Array.from({ length: counts.nn }, () => [false, false] as const),
];

test("Cohen's kappa matches the worked example: 50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no", () => {
  // Wikipedia, "Cohen's kappa", simple example: pₒ = 0.7, pₑ = 0.5, κ = 0.4. The interval by Cohen's
  // SE (McHugh 2012): √(0.7 × 0.3 / (50 × 0.5²)) = 0.129615; 0.4 ± 1.959964 × 0.129615 = [0.145960, 0.654040].
  const k = cohenKappa(pairs({ yy: 20, yn: 5, ny: 10, nn: 15 }));
  assert.equal(k.n, 50);
  assert.ok(Math.abs(k.observed - 0.7) < 1e-12);
  assert.ok(Math.abs(k.expected - 0.5) < 1e-12);
  assert.ok(Math.abs(k.kappa! - 0.4) < 1e-12);
  assert.ok(Math.abs(k.interval!.low - 0.14596) < 1e-6);
  assert.ok(Math.abs(k.interval!.high - 0.65404) < 1e-6);
});

test('kappa is 1 for perfect agreement, undefined when both raters give one verdict to every item', () => {
  const perfect = cohenKappa(pairs({ yy: 3, yn: 0, ny: 0, nn: 2 }));
  assert.equal(perfect.kappa, 1);
  assert.deepEqual(perfect.interval, { low: 1, high: 1 });
  assert.equal(cohenKappa(pairs({ yy: 4, yn: 0, ny: 0, nn: 0 })).kappa, null);
  assert.equal(cohenKappa([]).kappa, null);
});

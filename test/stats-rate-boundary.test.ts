import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logNormalCdf, rateBoundary } from '../src/stats/rate-boundary.ts';

test('ln Φ matches SciPy far into the lower tail', () => {
  // scipy.stats.norm.logcdf(z) for z = -1.96, 0, 1, -10, -40 (SciPy 1.x, run for this test).
  const reference: Array<[number, number]> = [
    [-1.96, -3.6889636517296385],
    [0, -Math.LN2],
    [1, -0.1727537790234499],
    [-10, -53.23128515051248],
    [-40, -804.6084420137539],
  ];
  for (const [z, expected] of reference) {
    const got = logNormalCdf(z);
    assert.ok(
      Math.abs(got - expected) <= 1e-6 * Math.max(1, Math.abs(expected)),
      `ln Φ(${z}) = ${got}, not ${expected}`,
    );
  }
});

test('a clean boundary: the interval is the bracket once each end is repeated, wider before', () => {
  const once = [
    { level: 10, held: true },
    { level: 20, held: true },
    { level: 40, held: false },
    { level: 30, held: true },
    { level: 35, held: false },
    { level: 32.5, held: false },
  ];
  const first = rateBoundary(once)!;
  // Any μ between 30 (held) and 32.5 (failed) fits perfectly; one trial at each end pins neither.
  assert.ok(Math.abs(first.estimate - Math.sqrt(30 * 32.5)) < 0.05, `${first.estimate}`);
  assert.ok(first.low < 30 && first.high > 32.5, JSON.stringify(first));
  const repeated = rateBoundary([
    ...once,
    { level: 30, held: true },
    { level: 30, held: true },
    { level: 32.5, held: false },
    { level: 32.5, held: false },
  ])!;
  // Three of three at each end: 2 × 3 × ln 2 = 4.16 > 3.84, so the interval stops at the bracket.
  assert.ok(repeated.low >= 29.9 && repeated.low <= 30.05, `${repeated.low}`);
  assert.ok(repeated.high >= 32.45 && repeated.high <= 32.6, `${repeated.high}`);
  assert.ok(repeated.high - repeated.low < first.high - first.low);
});

test('no boundary without a hold and a failure; contradictions widen the interval', () => {
  assert.equal(rateBoundary([{ level: 5, held: true }]), null);
  assert.equal(
    rateBoundary([
      { level: 5, held: false },
      { level: 2, held: false },
    ]),
    null,
  );
  const noisy = rateBoundary([
    { level: 10, held: true },
    { level: 30, held: false },
    { level: 30, held: true },
    { level: 32.5, held: true },
    { level: 32.5, held: false },
    { level: 35, held: false },
  ])!;
  assert.ok(noisy.low < 30 && noisy.high > 35, JSON.stringify(noisy));
});

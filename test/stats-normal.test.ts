import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalQuantile } from '../src/stats/normal.ts';

// Reference: SciPy 1.17 `scipy.stats.norm.ppf(p)`, agreeing with R 4.2.2 `qnorm(p)` to the digits shown.
test('normalQuantile matches scipy.stats.norm.ppf', () => {
  const reference: Array<[number, number]> = [
    [1e-300, -37.0470962993612],
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.025, -1.9599639845400545],
    [0.2, -0.8416212335729142],
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.975, 1.959963984540054],
    [0.999, 3.090232306167813],
    [1 - 1e-10, 6.361340889697422],
  ];
  for (const [p, z] of reference) {
    assert.ok(
      Math.abs(normalQuantile(p) - z) <= 1e-14 * Math.max(1, Math.abs(z)),
      `p=${p}: ${normalQuantile(p)} vs ${z}`,
    );
  }
});

test('normalQuantile at and beyond the ends', () => {
  assert.equal(normalQuantile(0), Number.NEGATIVE_INFINITY);
  assert.equal(normalQuantile(1), Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(normalQuantile(-0.1)));
  assert.ok(Number.isNaN(normalQuantile(1.1)));
  assert.ok(Number.isNaN(normalQuantile(Number.NaN)));
});

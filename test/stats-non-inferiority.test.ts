import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nonInferiority } from '../src/stats/non-inferiority.ts';
import { pairedCountsOf } from '../src/stats/paired-counts.ts';
import { pairedDifferenceInterval } from '../src/stats/paired-difference.ts';

test('nonInferiority reads the verdict off the interval bounds', () => {
  assert.deepEqual(nonInferiority({ estimate: -0.01, low: -0.025, high: 0.005 }, 0.03), {
    verdict: 'non-inferior',
    lowerBound: -0.025,
    upperBound: 0.005,
    margin: 0.03,
  });
  assert.equal(nonInferiority({ estimate: -0.01, low: -0.04, high: 0.02 }, 0.03).verdict, 'not shown');
  assert.equal(nonInferiority({ estimate: -0.1, low: -0.15, high: -0.05 }, 0.03).verdict, 'inferior');
  // On the margin exactly, neither conclusion holds: the bound must clear −margin strictly.
  assert.equal(nonInferiority({ estimate: 0, low: -0.03, high: 0.03 }, 0.03).verdict, 'not shown');
  assert.equal(nonInferiority({ estimate: -0.1, low: -0.2, high: -0.03 }, 0.03).verdict, 'not shown');
  assert.throws(() => nonInferiority({ estimate: 0, low: -0.1, high: 0.1 }, -0.01), RangeError);
});

// Hand computation on Newcombe intervals that match R (see stats-paired-difference.test.ts):
// newcombe10(c(150,20,10,120)) = −0.00276, 0.06918 → non-inferior at 3 points (−0.00276 > −0.03);
// newcombe10(c(59,6,16,80)) = −0.11862, −0.00463 → not shown at 3 points, inferior at none, and at 0.1 still not shown.
test('nonInferiority on paired tables', () => {
  const better = pairedDifferenceInterval(pairedCountsOf(150, 20, 10, 120));
  assert.equal(nonInferiority(better, 0.03).verdict, 'non-inferior');
  const behind = pairedDifferenceInterval(pairedCountsOf(59, 6, 16, 80));
  assert.equal(nonInferiority(behind, 0.03).verdict, 'not shown');
  assert.equal(nonInferiority(behind, 0.12).verdict, 'non-inferior');
  assert.equal(nonInferiority(behind, 0).verdict, 'inferior');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakEven, costCurve, volumeText } from '../src/cost/break-even.ts';
import { costModel, monthlyAt } from '../src/cost/cost-model.ts';
import { handApi, handSelfHosted } from './helpers/hand-cost-pair.ts';

const close = (a: number, b: number, tol = 1e-3) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

// The hand-sized pair of test/helpers/hand-cost-pair.ts.
const api = handApi;
const self = handSelfHosted;

test('the hand pair costs what the comments say', () => {
  const a = costModel(api, 1);
  const s = costModel(self, 1);
  close(monthlyAt(a, 3_500_000), 3500);
  close(monthlyAt(s, 3_500_000), 1000 + 730 * 4);
  close(monthlyAt(s, 100), 1730);
});

test('break-even of a step function against a line: every crossing, the first and the lasting one', () => {
  // Interval (k−1, k] million: self-hosted = 1,000 + 730k, so it undercuts the API from (1,000 + 730k) ÷ 0.001 when that is ≤ k million.
  // k = 4: from 3.92M; the step to 5 replicas at 4M costs 4,650 > 4,000 → the API again.
  // k = 5: from 4.65M, lost at 5M (5,380 > 5,000); k = 6: from 5.38M, lost at 6M (6,110 > 6,000);
  // k = 7: from 6.11M, and at 7M the step costs 6,840 < 7,000: from here each step adds $730 per 1M
  // requests against the API's $1,000, so self-hosting stays cheaper.
  const be = breakEven(costModel(api, 1), costModel(self, 1));
  const expected: Array<[number, string]> = [
    [3.92e6, 'self'],
    [4e6, 'api'],
    [4.65e6, 'self'],
    [5e6, 'api'],
    [5.38e6, 'self'],
    [6e6, 'api'],
    [6.11e6, 'self'],
  ];
  assert.equal(be.crossings.length, expected.length);
  be.crossings.forEach((c, i) => {
    close(c.volume, expected[i]![0]);
    assert.equal(c.cheaperAbove, expected[i]![1]);
  });
  close(be.volume!, 6.11e6);
  close(be.firstVolume!, 3.92e6);
  assert.equal(be.horizon, 1e10);
  assert.equal(
    be.sentence,
    'self costs less than api from 6.11M requests a month (with windows from 3.92M) (api costs $0.001 per request; self costs $1,000.00 a month before traffic plus $730.00 per replica).',
  );
});

test('no break-even when a replica costs more per request than the API', () => {
  // $730 per 1M requests = $0.00073 a request > the API's $0.0005.
  const cheapApi = { ...api, price: { ...api.price, inputPerMTok: 0.5 } };
  const be = breakEven(costModel(cheapApi, 1), costModel(self, 1));
  assert.equal(be.volume, null);
  assert.equal(be.firstVolume, null);
  assert.match(be.sentence, /never costs less than api up to 10B requests a month/);
});

test('a dear API is undercut after a few hundred requests', () => {
  // $5 a request against 1,730 a month for the first replica: 1,730 ÷ 5 = 346 requests, and each later
  // replica adds $730 per 1M requests against the API's $5M.
  const dearApi = { ...api, price: { ...api.price, inputPerMTok: 5000 } };
  const be = breakEven(costModel(dearApi, 1), costModel(self, 1));
  close(be.volume!, 346, 1e-6);
  assert.equal(be.crossings.length, 1);
});

test('the curve has a log grid and both sides of every replica step', () => {
  const curve = costCurve([costModel(api, 1), costModel(self, 1)], { from: 1e6, to: 1e7 });
  assert.equal(curve.series.length, 2);
  const at = (v: number) => curve.volumes.findIndex((x) => Math.abs(x - v) / v < 1e-6);
  const i = at(4e6);
  assert.ok(i >= 0);
  close(curve.series[1]!.usd[i]!, 1000 + 730 * 4); // at the step: 4 replicas
  close(curve.series[1]!.usd[i + 1]!, 1000 + 730 * 5); // just above: 5
  close(curve.series[0]!.usd[i]!, 4000);
  assert.ok(curve.volumes.length > 20);
});

test('volumes read as people say them', () => {
  assert.deepEqual(
    [volumeText(999), volumeText(1500), volumeText(6.11e6), volumeText(2.5e9)],
    ['999', '1.5k', '6.11M', '2.5B'],
  );
});

test('an hourly profile gives a break-even volume, not NaN, when two hours step within a rounding error', () => {
  // The docs' profile: weights 1–4, mean 2.5. Hours weighted 1 and 4 step at k × per-replica ÷ (w ÷ 2.5):
  // for k = 4 (w = 1) and k = 16 (w = 4) the two volumes are equal in exact arithmetic and a float
  // ulp apart in practice — an interval of no width that once made the slope 0 ÷ 0.
  const profile = [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1];
  const hourly = { ...self, hourlyProfile: profile };
  const be = breakEven(costModel(api, 1), costModel(hourly, 1));
  assert.ok(be.volume !== null && Number.isFinite(be.volume), `break-even ${be.volume}`);
  for (const c of be.crossings) assert.ok(Number.isFinite(c.volume));
  assert.doesNotMatch(be.sentence, /NaN/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { levers } from '../src/cost/levers.ts';
import type { Scenario, SelfHostedOptionSpec } from '../src/cost/options.ts';
import { tornado, whatWouldFlip } from '../src/cost/sensitivity.ts';
import { handApi, handSelfHosted } from './helpers/hand-cost-pair.ts';

const close = (a: number, b: number, tol = 1e-3) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

// The hand pair of cost-break-even.test.ts: API $0.001 a request; self-hosted 1,000 + 730 × ⌈V ÷ 1M⌉,
// break-even 6.11M. At 9.5M requests a month the API costs $9,500 and self-hosting 1,000 + 730 × 10 = $8,300.
const api = handApi;
const self = handSelfHosted;
const scenario: Scenario = { requestsPerMonth: 9_500_000, peakFactor: 1, options: [api, self] };

test('levers cover volume, shape, tokens and every option input', () => {
  const ids = levers(scenario).map((l) => l.id);
  assert.deepEqual(ids, [
    'volume',
    'peak-factor',
    'tokens',
    'api:token-price',
    'self:gpu-price',
    'self:capacity',
    'self:target-utilisation',
    'self:operations-hours',
    'self:engineer-rate',
    'self:hidden-infra',
  ]);
  // Levers return new scenarios and leave the base alone.
  const moved = levers(scenario)[4]!.apply(scenario, 2).options[1] as SelfHostedOptionSpec;
  assert.equal(moved.hardware.kind === 'cloud' && moved.hardware.usdPerGpuHour, 2);
  assert.equal(self.hardware.kind === 'cloud' && self.hardware.usdPerGpuHour, 1);
  assert.equal(levers(scenario)[3]!.baseValue, 0.001); // the API's cost per request
});

test('tornado: break-even and winner at ±50% of each input, by hand', () => {
  const t = tornado(scenario);
  assert.deepEqual(t.pair, { api: 'api', selfHosted: 'self' });
  assert.equal(t.base.winner, 'self');
  close(t.base.winnerUsd, 8300);
  close(t.base.breakEven!, 6.11e6);
  const bar = (id: string) => t.bars.find((b) => b.lever === id)!;
  // API at $0.0005: a replica's $0.00073 a request never catches it; at 9.5M the API costs $4,750 → it wins.
  assert.equal(bar('api:token-price').low.breakEven, null);
  assert.equal(bar('api:token-price').low.winner, 'api');
  // API at $0.0015: k = 3 → from 3,190 ÷ 0.0015 = 2.12667M, and the step at 3M (3,920 < 4,500) keeps it.
  close(bar('api:token-price').high.breakEven!, 3190 / 0.0015);
  // GPU at $0.50/h ($365 a replica): k = 3 → from 1,000 + 1,095 = 2,095 → 2.095M.
  close(bar('self:gpu-price').low.breakEven!, 2.095e6);
  // GPU at $1.50/h ($1,095 a replica per 1M requests > $1,000): never, and the API wins at 9.5M ($9,500 < $11,950).
  assert.equal(bar('self:gpu-price').high.breakEven, null);
  assert.equal(bar('self:gpu-price').high.winner, 'api');
  // Operations $500: from 4.15M; $1,500: from 8.07M.
  close(bar('self:operations-hours').low.breakEven!, 4.15e6);
  close(bar('self:operations-hours').high.breakEven!, 8.07e6);
  close(bar('self:engineer-rate').high.breakEven!, 8.07e6);
  // Capacity ×1.5 (1.5M a replica): from 3.19M; ×0.5 (0.5M a replica, $0.00146 a request): never.
  close(bar('self:capacity').high.breakEven!, 3.19e6);
  assert.equal(bar('self:capacity').low.breakEven, null);
  // Utilisation is already 1 and cannot rise; the peak factor is already 1 and cannot fall.
  assert.equal(bar('self:target-utilisation').high.factor, 1);
  assert.equal(bar('peak-factor').low.factor, 1);
  // Volume moves the winner's cost, not the break-even.
  close(bar('volume').low.breakEven!, 6.11e6);
  close(bar('volume').high.breakEven!, 6.11e6);
  assert.equal(bar('volume').flipsWinner, false);
  // Tokens ×1.5: API $0.0015 and 2/3M a replica: the same steps in a new unit → from 6,110 ÷ 0.0015 = 4.0733M.
  close(bar('tokens').high.breakEven!, 6110 / 0.0015);
  // Bars that lose the break-even altogether come first.
  assert.equal(t.bars[0]!.low.breakEven === null || t.bars[0]!.high.breakEven === null, true);
});

test('what would flip it: the smallest single change, by hand', () => {
  const { winner, flips } = whatWouldFlip(scenario);
  assert.equal(winner, 'self');
  const flip = (id: string) => flips.find((f) => f.lever === id)!;
  // API price × 8,300 ÷ 9,500 = 0.873684: the smallest change.
  assert.equal(flips[0]!.lever, 'api:token-price');
  close(flips[0]!.factor, 8300 / 9500, 1e-6);
  assert.equal(flips[0]!.newWinner, 'api');
  assert.equal(
    flips[0]!.sentence,
    'The pick changes from self to api with api token prices (every token type moves together; shown per request) at $0.0008737/request instead of $0.001/request (−12.6%).',
  );
  // Capacity: 1,000 + 730 × ⌈9.5 ÷ f⌉ > 9,500 once ⌈9.5 ÷ f⌉ ≥ 12, i.e. f < 9.5 ÷ 11 = 0.863636.
  close(flip('self:capacity').factor, 9.5 / 11, 1e-6);
  // Peak factor: ⌈9.5 × f⌉ ≥ 12 once f > 11 ÷ 9.5 = 1.157895.
  close(flip('peak-factor').factor, 11 / 9.5, 1e-6);
  // GPU price: 1,000 + 7,300 f > 9,500 → f > 8,500 ÷ 7,300 = 1.164384.
  close(flip('self:gpu-price').factor, 8500 / 7300, 1e-6);
  // Operations: 1,000 f + 7,300 > 9,500 → f > 2.2.
  close(flip('self:operations-hours').factor, 2.2, 1e-6);
  // Volume, searched exactly: the nearest API window below 9.5M is (6M, 6.11M] → 6.11 ÷ 9.5.
  close(flip('volume').factor, 6.11 / 9.5, 1e-9);
  assert.match(
    flip('volume').sentence,
    /with monthly volume at 6\.11M requests a month instead of 9\.5M requests a month \(−35\.7%\)/,
  );
  // Hidden infrastructure is all zero here: no factor moves it.
  assert.equal(
    flips.some((f) => f.lever === 'self:hidden-infra'),
    false,
  );
});

test('tornado of a named pair: a cheaper API that never breaks even does not hide the one that does', () => {
  // A managed API at $0.0001 a request: self-hosting ($0.00073 a request at best) never catches it.
  const cheap = { ...api, id: 'cheap', price: { ...api.price, inputPerMTok: 0.1 } };
  const three: Scenario = { ...scenario, options: [api, cheap, self] };
  assert.equal(tornado(three).base.breakEven, null);
  const named = tornado(three, { pair: { api: 'api', selfHosted: 'self' } });
  assert.deepEqual(named.pair, { api: 'api', selfHosted: 'self' });
  close(named.base.breakEven!, 6.11e6);
  close(named.bars.find((b) => b.lever === 'self:operations-hours')!.low.breakEven!, 4.15e6);
});

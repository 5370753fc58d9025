import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakEven } from '../src/cost/break-even.ts';
import { measuredCapacity } from '../src/cost/capacity.ts';
import { gpuOffer } from '../src/cost/catalogue/gpu-prices.ts';
import { findGpu } from '../src/cost/catalogue/gpus.ts';
import { findOpenWeightModel } from '../src/cost/catalogue/open-weight-models.ts';
import { costModel } from '../src/cost/cost-model.ts';
import {
  type ApiOptionSpec,
  managedApiOptions,
  priceScenario,
  type Scenario,
  type SelfHostedOptionSpec,
  selfHostedOption,
} from '../src/cost/options.ts';
import { lookupTokenPrice } from '../src/cost/token-prices.ts';

// A table of scenarios: an 8B and a 70B model self-hosted, against two APIs, at 100k, 1M, 10M and 100M
// requests a month; each request 1,000 input and 250 output tokens; peak factor 2; every default on.
const close = (a: number, b: number, tol = 0.01) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const usages = [{ input: 1000, output: 250 }];
const declared = { kind: 'user' } as const;
const apiOption = (id: string, modelId: string): ApiOptionSpec => {
  const found = lookupTokenPrice({ providerId: 'openai', modelId });
  assert.ok(found.ok);
  return { kind: 'api', id, family: 'closed-api', price: found.price, usages, usageProvenance: declared };
};
// gpt-4o-mini $0.15 / $0.60 per MTok → 1,000 × 0.15e-6 + 250 × 0.6e-6 = $0.0003 a request.
const small = apiOption('gpt-4o-mini', 'gpt-4o-mini');
// gpt-4o $2.50 / $10 per MTok → 1,000 × 2.5e-6 + 250 × 10e-6 = $0.005 a request.
const large = apiOption('gpt-4o', 'gpt-4o');

const selfHosted = (
  id: string,
  modelId: string,
  gpuId: string,
  cloud: string,
  rps: number,
  gpus: number,
  quant: 'bf16' | 'fp8',
) => {
  const built = selfHostedOption({
    id,
    model: findOpenWeightModel(modelId)!,
    gpu: findGpu(gpuId)!,
    offer: gpuOffer(gpuId, cloud)!,
    weightQuantisation: quant,
    inputTokens: 1000,
    outputTokens: 250,
    measured: measuredCapacity(rps, gpus, 'load test'),
    rest: { targetUtilisation: 0.8 },
  });
  assert.ok(built.ok);
  return built.spec;
};
// Llama 3.1 8B (bf16, 16.06 GB) on one L40S, AWS g6e.xlarge at $1.861/h, measured 5 req/s.
// A replica serves 5 × 0.8 × 2,628,000 s ÷ 2 = 5,256,000 requests a month and costs
// 1.861 × 730 (GPU) + (16.06 + 50) × 0.08 (storage) + 15 (monitoring) = $1,378.8148.
const self8: SelfHostedOptionSpec = selfHosted(
  'llama-3.1-8b@l40s',
  'llama-3.1-8b',
  'l40s',
  'aws',
  5,
  1,
  'bf16',
);
const Q8 = 5_256_000;
const R8 = 1.861 * 730 + (16.06 + 50) * 0.08 + 15;
// Llama 3.3 70B (fp8, 70.6 GB) on two H100s, Lambda 8x H100 at $2.99/GPU-h, measured 2 req/s.
// A replica serves 2 × 0.8 × 2,628,000 ÷ 2 = 2,102,400 requests a month and costs
// 2 × 2.99 × 730 + (70.6 + 50) × 0.08 + 15 = $4,390.048.
const self70: SelfHostedOptionSpec = selfHosted(
  'llama-3.3-70b@h100',
  'llama-3.3-70b',
  'h100-sxm',
  'lambda',
  2,
  2,
  'fp8',
);
const Q70 = 2_102_400;
const R70 = 2 * 2.99 * 730 + (70.6 + 50) * 0.08 + 15;
// Both: fixed $22.27 load balancer + $100 monitoring + 52 h × $90 operations = $4,802.27;
// egress 250 tokens × 200 B × $0.09/GB = $0.0000045 a request; at least 2 replicas.
const FIXED = 22.27 + 100 + 52 * 90;
const EGRESS = (250 * 200 * 0.09) / 1e9;
const hand = (v: number, q: number, perReplica: number) =>
  FIXED + EGRESS * v + perReplica * Math.max(2, Math.ceil(v / q));

const table: Array<{ volume: number; self8: number; self70: number; winner8: string; winner70: string }> = [
  // 100k: both at 2 replicas. 8B: 4,802.27 + 0.45 + 2 × 1,378.81 = 7,560.35; 70B: 4,802.27 + 0.45 + 2 × 4,390.05 = 13,582.82.
  { volume: 1e5, self8: 7560.35, self70: 13582.82, winner8: 'gpt-4o-mini', winner70: 'gpt-4o-mini' },
  // 1M: still 2 replicas; APIs $300 and $5,000.
  { volume: 1e6, self8: 7564.4, self70: 13586.87, winner8: 'gpt-4o-mini', winner70: 'gpt-4o-mini' },
  // 10M: 8B ⌈1.90⌉ = 2 replicas → 7,604.90; 70B ⌈4.76⌉ = 5 → 4,802.27 + 45 + 21,950.24 = 26,797.51; APIs $3,000 and $50,000.
  { volume: 1e7, self8: 7604.9, self70: 26797.51, winner8: 'gpt-4o-mini', winner70: 'gpt-4o-mini' },
  // 100M: 8B ⌈19.03⌉ = 20 → 4,802.27 + 450 + 27,576.30 = 32,828.57 (> $30,000 for gpt-4o-mini);
  // 70B ⌈47.56⌉ = 48 → 4,802.27 + 450 + 210,722.30 = 215,974.57; gpt-4o $500,000.
  { volume: 1e8, self8: 32828.57, self70: 215974.57, winner8: 'gpt-4o-mini', winner70: 'gpt-4o-mini' },
  // Beyond the table, 300M: 8B ⌈57.08⌉ = 58 → 4,802.27 + 1,350 + 79,971.26 = 86,123.53 < $90,000: self-hosting wins.
  { volume: 3e8, self8: 86123.53, self70: 0, winner8: 'llama-3.1-8b@l40s', winner70: 'gpt-4o-mini' },
];

test('the prices the table rests on', () => {
  assert.deepEqual(
    [
      small.price.inputPerMTok,
      small.price.outputPerMTok,
      large.price.inputPerMTok,
      large.price.outputPerMTok,
    ],
    [0.15, 0.6, 2.5, 10],
  );
  assert.equal(gpuOffer('l40s', 'aws')!.onDemandPerGpuHour, 1.861);
  assert.equal(gpuOffer('h100-sxm', 'lambda')!.onDemandPerGpuHour, 2.99);
});

test('scenario table: monthly costs and winners match the hand computation', () => {
  for (const row of table) {
    const eight = priceScenario({
      requestsPerMonth: row.volume,
      peakFactor: 2,
      options: [small, large, self8],
    } satisfies Scenario);
    const seventy = priceScenario({
      requestsPerMonth: row.volume,
      peakFactor: 2,
      options: [small, large, self70],
    });
    const cost = (priced: typeof eight, id: string) => priced.find((o) => o.optionId === id)!.monthlyUsd;
    close(cost(eight, self8.id), hand(row.volume, Q8, R8));
    close(cost(eight, self8.id), row.self8, 0.05);
    if (row.self70) close(cost(seventy, self70.id), row.self70, 0.05);
    close(cost(eight, 'gpt-4o-mini'), row.volume * 0.0003, 1e-6);
    close(cost(eight, 'gpt-4o'), row.volume * 0.005, 1e-6);
    assert.equal(eight[0]!.optionId, row.winner8, `8B at ${row.volume}`);
    assert.equal(seventy[0]!.optionId, row.winner70, `70B at ${row.volume}`);
  }
});

test('scenario table: break-evens match the hand computation', () => {
  // 8B vs gpt-4o-mini. Just after the step at kQ: API 0.0003 × k × 5,256,000 = 1,576.8k against
  // 4,802.27 + 23.652k + 1,378.81(k + 1); self-hosting stays cheaper once 174.34k > 6,181.08, i.e. k ≥ 36.
  // On (35Q, 36Q] with 36 replicas: V = (4,802.27 + 36 × 1,378.81) ÷ (0.0003 − 0.0000045) ≈ 184.2M.
  // Windows open earlier: before the step at kQ, self-hosting undercuts once 174.34k > 4,802.27 (k ≥ 28):
  // V = (4,802.27 + 28 × 1,378.81) ÷ 0.0002955 ≈ 146.9M.
  const b8small = breakEven(costModel(small, 2), costModel(self8, 2));
  close(b8small.volume!, (FIXED + 36 * R8) / (0.0003 - EGRESS), 1);
  close(b8small.firstVolume!, (FIXED + 28 * R8) / (0.0003 - EGRESS), 1);
  // 8B vs gpt-4o: on the first two replicas, V = (4,802.27 + 2 × 1,378.81) ÷ (0.005 − 0.0000045) ≈ 1.513M, and it holds.
  const b8large = breakEven(costModel(large, 2), costModel(self8, 2));
  close(b8large.volume!, (FIXED + 2 * R8) / (0.005 - EGRESS), 1);
  assert.equal(b8large.firstVolume, b8large.volume);
  // 70B vs gpt-4o-mini: a replica costs 4,390.05 ÷ 2,102,400 + 0.0000045 = $0.00209 a request > $0.0003: never.
  assert.equal(breakEven(costModel(small, 2), costModel(self70, 2)).volume, null);
  // 70B vs gpt-4o: V = (4,802.27 + 2 × 4,390.05) ÷ 0.0049955 ≈ 2.719M, inside the first two replicas (4.2M).
  const b70large = breakEven(costModel(large, 2), costModel(self70, 2));
  close(b70large.volume!, (FIXED + 2 * R70) / (0.005 - EGRESS), 1);
  assert.ok(b70large.volume! < 2 * Q70);
});

test('the same open weights on a managed API are priced as their own option', () => {
  // Llama 3.3 70B's cheapest managed price in the catalogue: DeepInfra $0.13 / $0.39 per MTok
  // → 1,000 × 0.13e-6 + 250 × 0.39e-6 = $0.0002275 a request; at 100M, $22,750 against $215,974.57 self-hosted.
  const { options, unpriced } = managedApiOptions(findOpenWeightModel('llama-3.3-70b')!, usages, declared);
  assert.deepEqual(unpriced, []);
  assert.equal(options[0]!.id, 'llama-3.3-70b@deepinfra');
  assert.equal(options[0]!.family, 'open-managed-api');
  const priced = priceScenario({
    requestsPerMonth: 1e8,
    peakFactor: 2,
    options: [large, self70, options[0]!],
  });
  assert.equal(priced[0]!.optionId, 'llama-3.3-70b@deepinfra');
  close(priced[0]!.monthlyUsd, 22_750, 1e-6);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calcPrice } from '@pydantic/genai-prices';
import { apiCostPerRequest, apiMonthlyCost, meanUsage } from '../src/cost/api-cost.ts';
import type { TokenPrice } from '../src/cost/types.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const price = (p: Partial<TokenPrice>): TokenPrice => ({
  providerId: 'test',
  modelId: 'm',
  inputPerMTok: 1,
  outputPerMTok: 2,
  priceDate: '2026-09-23',
  provenance: { kind: 'user' },
  ...p,
});
const mini = price({
  providerId: 'openai',
  modelId: 'gpt-4o-mini',
  inputPerMTok: 0.15,
  cachedInputPerMTok: 0.075,
  outputPerMTok: 0.6,
  batchDiscount: { fraction: 0.5, provenance: { kind: 'user' } },
});

test('cost per request: uncached input, cached input and output at their prices', () => {
  // 1,200 input of which 200 cached, 300 output at gpt-4o-mini's $0.15 / $0.075 / $0.60 per MTok:
  // 1,000 × 0.15/1e6 = 0.00015; 200 × 0.075/1e6 = 0.000015; 300 × 0.6/1e6 = 0.00018; total 0.000345.
  const c = apiCostPerRequest({ input: 1200, cachedInput: 200, output: 300 }, mini);
  close(c.uncachedInput, 0.00015);
  close(c.cachedInput, 0.000015);
  close(c.output, 0.00018);
  close(c.total, 0.000345);
  const reference = calcPrice(
    { input_tokens: 1200, cache_read_tokens: 200, output_tokens: 300 },
    'gpt-4o-mini',
    { providerId: 'openai' },
  );
  close(c.total, reference!.total_price);
});

test('reasoning tokens not counted in output are billed at the output price unless priced apart', () => {
  // 500 reasoning × $0.60/MTok = $0.0003.
  close(apiCostPerRequest({ input: 0, output: 0, reasoning: 500 }, mini).reasoning, 0.0003);
  close(
    apiCostPerRequest({ input: 0, output: 0, reasoning: 500 }, { ...mini, reasoningPerMTok: 1 }).reasoning,
    0.0005,
  );
});

test('cached input is charged at the input price where no cached price exists', () => {
  // 1,000 input, all cached, $1/MTok input and no cached price → $0.001.
  close(apiCostPerRequest({ input: 1000, cachedInput: 1000, output: 0 }, price({})).total, 0.001);
});

test('the batch discount applies only when the workload allows batching', () => {
  close(
    apiCostPerRequest({ input: 1200, cachedInput: 200, output: 300 }, mini, { batch: true }).total,
    0.0001725,
  );
  close(apiCostPerRequest({ input: 1000, output: 0 }, price({}), { batch: true }).total, 0.001); // no discount on record
});

test('monthly cost = mean cost per request × requests, one line per token type', () => {
  // 1,000,000 requests × $0.000345 = $345: input $150, cached $15, output $180.
  const m = apiMonthlyCost({
    price: mini,
    usages: [{ input: 1200, cachedInput: 200, output: 300 }],
    usageProvenance: { kind: 'user' },
    requestsPerMonth: 1_000_000,
  });
  close(m.monthlyUsd, 345);
  close(m.costPerRequestUsd, 0.000345);
  assert.deepEqual(
    m.lines.map((l) => l.id),
    ['api.uncachedInput', 'api.cachedInput', 'api.output'],
  );
  close(
    m.lines.reduce((s, l) => s + l.usd, 0),
    345,
  );
  assert.equal(m.lines[0]!.formula, '1,000,000 requests × 1,000 tokens × $0.15/MTok');
  assert.equal(m.lines[0]!.provenance.kind, 'computed');
});

test('measured cases: the mean of per-case costs', () => {
  // $1 in / $2 out per MTok. Case A 1,000/100 → 0.001 + 0.0002 = 0.0012; case B 3,000/300 → 0.003 + 0.0006 = 0.0036.
  // Mean 0.0024 × 1,000,000 requests = $2,400.
  const usages = [
    { input: 1000, output: 100 },
    { input: 3000, output: 300 },
  ];
  const m = apiMonthlyCost({
    price: price({}),
    usages,
    usageProvenance: { kind: 'measured', source: 'run r1' },
    requestsPerMonth: 1_000_000,
  });
  close(m.monthlyUsd, 2400);
  assert.deepEqual(meanUsage(usages), {
    input: 2000,
    cachedInput: 0,
    cacheWrite: 0,
    output: 200,
    reasoning: 0,
  });
  assert.match(
    m.lines[0]!.provenance.kind === 'computed' ? m.lines[0]!.provenance.from : '',
    /measured: run r1/,
  );
});

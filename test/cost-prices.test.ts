import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { calcPrice } from '@pydantic/genai-prices';
import { apiCostPerRequest, apiMonthlyCost } from '../src/cost/api-cost.ts';
import {
  candidateTokenPrice,
  GENAI_PRICES_SNAPSHOT,
  genaiProviderId,
  lookupTokenPrice,
} from '../src/cost/token-prices.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('the recorded snapshot is the installed genai-prices version', () => {
  const pkg = JSON.parse(
    readFileSync(new URL('../node_modules/@pydantic/genai-prices/package.json', import.meta.url), 'utf8'),
  );
  assert.equal(pkg.version, GENAI_PRICES_SNAPSHOT.version);
});

test('a catalogue price carries its source, snapshot date, cached price and batch discount', () => {
  const found = lookupTokenPrice({ providerId: 'openai', modelId: 'gpt-4o-mini' });
  assert.ok(found.ok);
  const p = found.price;
  assert.equal(p.inputPerMTok, 0.15);
  assert.equal(p.cachedInputPerMTok, 0.075);
  assert.equal(p.outputPerMTok, 0.6);
  assert.equal(p.priceDate, '2026-09-23');
  assert.equal(p.provenance.kind, 'catalogue');
  assert.ok(
    p.provenance.kind === 'catalogue' && p.provenance.source.includes('@pydantic/genai-prices 0.1.8'),
  );
  assert.equal(p.provenance.kind === 'catalogue' && p.provenance.asOf, '2026-09-23');
  assert.equal(p.batchDiscount?.fraction, 0.5);
});

test("a workload's partial override replaces only the prices it sets, and says which came from where", () => {
  const found = lookupTokenPrice({
    providerId: 'openai',
    modelId: 'gpt-4o-mini',
    override: { outputPerMTok: 0.5, note: 'negotiated' },
    overrideField: 'candidates[1].price',
  });
  assert.ok(found.ok);
  assert.equal(found.price.inputPerMTok, 0.15);
  assert.equal(found.price.outputPerMTok, 0.5);
  assert.equal(found.price.provenance.kind, 'user');
  assert.match(
    found.price.provenance.kind === 'user' ? (found.price.provenance.note ?? '') : '',
    /^candidates\[1\]\.price: negotiated; it sets outputPerMTok, the rest \(inputPerMTok, cachedInputPerMTok\) from @pydantic\/genai-prices 0\.1\.8/,
  );
});

test("a candidate's price overriding a catalogue row is credited to the workload with its note, everywhere it is shown", () => {
  const candidate = {
    provider: 'openai',
    modelName: 'gpt-4o-mini',
    deployment: {
      price: { inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: 0.5, note: 'negotiated 2026' },
    },
  };
  const found = candidateTokenPrice(candidate, 2);
  assert.ok(found.ok);
  assert.deepEqual(found.price.provenance, { kind: 'user', note: 'candidates[2].price: negotiated 2026' });
  const monthly = apiMonthlyCost({
    price: found.price,
    usages: [{ input: 1000, output: 100 }],
    usageProvenance: { kind: 'user' },
    requestsPerMonth: 1000,
  });
  // 1,000 requests × (1,000 × $1 + 100 × $2) ÷ 10⁶ = $1.20.
  assert.ok(Math.abs(monthly.monthlyUsd - 1.2) < 1e-12);
  for (const line of monthly.lines)
    assert.match(
      line.provenance.kind === 'computed' ? line.provenance.from : '',
      /prices \(openai:gpt-4o-mini, 2026-09-23, set in the workload: candidates\[2\]\.price: negotiated 2026\)/,
    );
  // Its route, when the workload names one, is where the catalogue is read (Azure's row here).
  const routed = candidateTokenPrice(
    { provider: 'openai', modelName: 'gpt-4o-mini', deployment: { route: 'azure' } },
    0,
  );
  assert.ok(routed.ok);
  assert.equal(routed.price.providerId, 'azure');
});

test('an override looked up without its field keeps the note alone, never a placeholder for the field', () => {
  const found = lookupTokenPrice({
    providerId: 'openai',
    modelId: 'gpt-4o-mini',
    override: { inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: 0.5, note: 'negotiated' },
  });
  assert.ok(found.ok);
  assert.deepEqual(found.price.provenance, { kind: 'user', note: 'negotiated' });
});

test('a model no catalogue prices needs both input and output overrides', () => {
  const missing = lookupTokenPrice({ providerId: 'openai-compatible', modelId: 'my-finetune' });
  assert.equal(missing.ok, false);
  const half = lookupTokenPrice({
    providerId: 'openai-compatible',
    modelId: 'my-finetune',
    override: { inputPerMTok: 1 },
  });
  assert.equal(half.ok, false);
  assert.match(half.ok ? '' : half.reason, /not both input and output/);
  const full = lookupTokenPrice({
    providerId: 'openai-compatible',
    modelId: 'my-finetune',
    override: { inputPerMTok: 1, outputPerMTok: 2 },
  });
  assert.ok(full.ok);
  assert.deepEqual(
    [full.price.inputPerMTok, full.price.outputPerMTok, full.price.provenance.kind],
    [1, 2, 'user'],
  );
});

test("verdict's dated override table fills what genai-prices lacks (DeepInfra)", () => {
  const found = lookupTokenPrice({
    providerId: 'deepinfra',
    modelId: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
  });
  assert.ok(found.ok);
  assert.equal(found.price.inputPerMTok, 0.03);
  assert.ok(found.price.provenance.kind === 'catalogue' && found.price.provenance.estimate === true);
});

test('verdict provider names map to genai-prices ids', () => {
  assert.equal(genaiProviderId('bedrock'), 'aws');
  assert.equal(genaiProviderId('vertex'), 'google');
  assert.equal(genaiProviderId('openai'), 'openai');
  const bedrock = lookupTokenPrice({ providerId: 'bedrock', modelId: 'meta.llama3-1-8b-instruct-v1:0' });
  assert.ok(bedrock.ok);
  assert.equal(bedrock.price.inputPerMTok, 0.22);
});

test('long-context tiers price the whole request above the threshold, as genai-prices does', () => {
  // claude-sonnet-4-5: $3/$15 per MTok, $6/$22.5 above 200k input tokens.
  const found = lookupTokenPrice({ providerId: 'anthropic', modelId: 'claude-sonnet-4-5' });
  assert.ok(found.ok);
  assert.deepEqual(found.price.tiers?.[0]?.aboveInputTokens, 200_000);
  // 250,000 × $6/MTok = $1.50; 1,000 × $22.5/MTok = $0.0225; total $1.5225.
  const long = apiCostPerRequest({ input: 250_000, output: 1_000 }, found.price);
  close(long.total, 1.5225);
  // 100,000 × $3/MTok = $0.30; 1,000 × $15/MTok = $0.015; total $0.315.
  close(apiCostPerRequest({ input: 100_000, output: 1_000 }, found.price).total, 0.315);
  const reference = calcPrice({ input_tokens: 250_000, output_tokens: 1_000 }, 'claude-sonnet-4-5', {
    providerId: 'anthropic',
  });
  close(long.total, reference!.total_price, 1e-9);
});

test('time-of-day prices resolve at the given instant (DeepSeek off-peak)', () => {
  const peak = lookupTokenPrice({
    providerId: 'deepseek',
    modelId: 'deepseek-chat',
    at: new Date('2026-09-23T12:00:00Z'),
  });
  const offPeak = lookupTokenPrice({
    providerId: 'deepseek',
    modelId: 'deepseek-chat',
    at: new Date('2026-09-23T20:00:00Z'),
  });
  assert.ok(peak.ok && offPeak.ok);
  assert.deepEqual([peak.price.inputPerMTok, peak.price.outputPerMTok], [0.27, 1.1]);
  assert.deepEqual([offPeak.price.inputPerMTok, offPeak.price.outputPerMTok], [0.135, 0.55]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuOffer } from '../src/cost/catalogue/gpu-prices.ts';
import { findGpu } from '../src/cost/catalogue/gpus.ts';
import { findOpenWeightModel } from '../src/cost/catalogue/open-weight-models.ts';
import { scenarioCaveats } from '../src/cost/caveats.ts';
import { type ApiOptionSpec, selfHostedOption } from '../src/cost/options.ts';
import { lookupTokenPrice } from '../src/cost/token-prices.ts';

test('estimates and stale prices become caveats', () => {
  const found = lookupTokenPrice({ providerId: 'openai', modelId: 'gpt-4o-mini' });
  assert.ok(found.ok);
  const api: ApiOptionSpec = {
    kind: 'api',
    id: 'mini',
    family: 'closed-api',
    price: found.price,
    usages: [{ input: 1000, output: 200 }],
    usageProvenance: { kind: 'user' },
  };
  const built = selfHostedOption({
    id: 'llama',
    model: findOpenWeightModel('llama-3.1-8b')!,
    gpu: findGpu('h100-sxm')!,
    offer: gpuOffer('h100-sxm', 'aws')!,
    inputTokens: 1000,
    outputTokens: 200,
  });
  assert.ok(built.ok);
  const caveats = scenarioCaveats(
    { requestsPerMonth: 1e6, peakFactor: 2, options: [api, built.spec] },
    new Date('2026-11-24T00:00:00Z'),
  );
  // genai-prices 2026-09-23 is 62 days old: no caveat. The roofline capacity is an estimate;
  // the AWS H100 row is marked estimate and dates from 2025-06 (541 days).
  assert.equal(caveats.length, 3, caveats.join('\n'));
  assert.match(
    caveats[0]!,
    /^The capacity per replica of llama is an estimate \(estimate: roofline: Llama 3\.1 8B Instruct \(bf16\) on 1 × NVIDIA H100 SXM 80GB/,
  );
  assert.match(caveats[1]!, /^The GPU price of llama is an estimate/);
  assert.match(caveats[2]!, /^The GPU price of llama dates from 2025-06, 541 days before this report/);
});

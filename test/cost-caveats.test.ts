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
  // Every date is set here relative to `now`, so a catalogue update moves none of them.
  const now = new Date('2031-03-15T00:00:00Z');
  const daysBefore = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const fresh: ApiOptionSpec = {
    ...api,
    price: { ...api.price, provenance: { kind: 'catalogue', source: 'genai-prices', asOf: daysBefore(180) } },
  };
  const spec = built.spec;
  assert.equal(spec.kind, 'self-hosted');
  assert.equal(spec.hardware.kind, 'cloud');
  const selfHosted = {
    ...spec,
    capacity: {
      ...spec.capacity,
      provenance: { kind: 'estimate' as const, basis: 'roofline: 1 × H100', asOf: daysBefore(10) },
    },
    hardware: {
      ...spec.hardware,
      provenance: { kind: 'catalogue' as const, source: 'gpu rows', asOf: daysBefore(541), estimate: true },
    },
  };
  const caveats = scenarioCaveats(
    { requestsPerMonth: 1e6, peakFactor: 2, options: [fresh, selfHosted] },
    now,
  );
  // 180 days is within the limit: no caveat for the token prices. The roofline capacity is an
  // estimate though recent; the GPU row is marked estimate and is 541 days old.
  assert.deepEqual(caveats, [
    `The capacity per replica of llama is an estimate (estimate: roofline: 1 × H100 (${daysBefore(10)})).`,
    `The GPU price of llama is an estimate (estimate from gpu rows as of ${daysBefore(541)}).`,
    `The GPU price of llama dates from ${daysBefore(541)}, 541 days before this report; prices move, so check it against the source or override it in the workload.`,
  ]);
  const stale = {
    ...fresh,
    price: { ...fresh.price, provenance: { ...fresh.price.provenance, asOf: daysBefore(181) } },
  };
  assert.deepEqual(scenarioCaveats({ requestsPerMonth: 1e6, peakFactor: 2, options: [stale] }, now), [
    `The token prices of mini dates from ${daysBefore(181)}, 181 days before this report; prices move, so check it against the source or override it in the workload.`,
  ]);
});

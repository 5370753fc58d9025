import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPLIANCE, findCompliance } from '../src/cost/catalogue/compliance.ts';
import * as defaults from '../src/cost/catalogue/defaults.ts';
import { GPU_OFFERS, gpuOffer, gpuOffers } from '../src/cost/catalogue/gpu-prices.ts';
import { findGpu, GPUS } from '../src/cost/catalogue/gpus.ts';
import { findOpenWeightModel, OPEN_WEIGHT_MODELS } from '../src/cost/catalogue/open-weight-models.ts';
import { stalenessCaveat } from '../src/cost/provenance.ts';
import { lookupTokenPrice } from '../src/cost/token-prices.ts';
import type { Provenance } from '../src/cost/types.ts';

const dated = (p: Provenance) =>
  p.kind === 'catalogue'
    ? /^\d{4}-\d{2}(-\d{2})?$/.test(p.asOf) && p.source.length > 0
    : p.kind === 'estimate'
      ? p.basis.length > 0
      : false;

test('every open-weight model has architecture, licence terms and a dated source', () => {
  assert.ok(OPEN_WEIGHT_MODELS.length >= 25);
  const families = new Set(OPEN_WEIGHT_MODELS.map((m) => m.family));
  for (const f of ['llama', 'qwen', 'mistral', 'gemma', 'deepseek', 'phi', 'gpt-oss'])
    assert.ok(families.has(f), f);
  for (const m of OPEN_WEIGHT_MODELS) {
    assert.ok(dated(m.provenance), m.id);
    assert.ok(m.paramsActiveB <= m.paramsTotalB && m.layers > 0 && m.contextTokens > 0, m.id);
    assert.equal(
      m.experts !== undefined,
      m.paramsActiveB < m.paramsTotalB,
      `${m.id}: MoE models say how many experts`,
    );
    assert.ok(m.licence.url.startsWith('https://') && m.licence.name, m.id);
  }
  assert.equal(findOpenWeightModel('llama-3.1-8b')?.licence.monthlyActiveUserCap, 700_000_000);
  assert.equal(findOpenWeightModel('llama-4-scout')?.licence.euDomicileExcluded, true);
  assert.equal(findOpenWeightModel('qwen2.5-72b')?.licence.monthlyActiveUserCap, 100_000_000);
});

test('every managed offering of open weights resolves to a price offline', () => {
  for (const m of OPEN_WEIGHT_MODELS) {
    for (const x of m.managed) {
      const found = lookupTokenPrice({ providerId: x.providerId, modelId: x.modelId });
      assert.ok(found.ok, `${m.id} on ${x.providerId}:${x.modelId}: ${found.ok ? '' : found.reason}`);
      assert.ok(found.price.inputPerMTok > 0 && found.price.outputPerMTok > 0, `${m.id} on ${x.providerId}`);
    }
  }
});

test('every GPU has datasheet figures and a labelled purchase estimate', () => {
  for (const id of ['h100-sxm', 'h200', 'a100-40gb', 'a100-80gb', 'l40s', 'l4', 'a10g', 't4'])
    assert.ok(findGpu(id), id);
  for (const g of GPUS) {
    assert.ok(dated(g.provenance) && g.capexProvenance.kind === 'estimate', g.id);
    assert.ok(
      g.memoryGb > 0 && g.bandwidthGbps > 0 && g.denseTflops > 0 && g.systemWattsPerGpu >= g.tdpWatts,
      g.id,
    );
  }
});

test('every GPU offer is a dated list price for a known GPU; reserved is below on-demand', () => {
  const clouds = new Set(GPU_OFFERS.map((o) => o.cloud));
  assert.ok(clouds.size >= 5, [...clouds].join());
  for (const o of GPU_OFFERS) {
    assert.ok(findGpu(o.gpuId), o.gpuId);
    assert.ok(dated(o.provenance), `${o.cloud} ${o.instance}`);
    if (o.reservedPerGpuHour !== undefined) {
      assert.ok(o.reservedPerGpuHour < o.onDemandPerGpuHour && o.reservedTerm, `${o.cloud} ${o.instance}`);
    }
  }
  assert.equal(gpuOffer('h100-sxm', 'lambda')?.onDemandPerGpuHour, 2.99); // cheapest of Lambda's two H100 rows
  const h100 = gpuOffers('h100-sxm').map((o) => o.onDemandPerGpuHour);
  assert.deepEqual(
    h100,
    [...h100].sort((a, b) => a - b),
  );
});

test('a snapshot row older than six months carries a caveat', () => {
  const row = gpuOffer('h100-sxm', 'aws')!;
  const caveat = stalenessCaveat('The AWS H100 price', row.provenance, new Date('2026-11-24T00:00:00Z'));
  assert.match(caveat ?? '', /dates from 2025-06, \d+ days before this report/);
  assert.equal(stalenessCaveat('x', row.provenance, new Date('2025-07-01T00:00:00Z')), null);
});

test('compliance rows cover the frontier routes, each with a dated source', () => {
  for (const host of ['openai', 'azure', 'anthropic', 'bedrock', 'vertex', 'google'])
    assert.ok(findCompliance(host), host);
  for (const e of COMPLIANCE) assert.ok(dated(e.provenance) && e.conditions.length > 0, e.host);
  assert.equal(findCompliance('google')?.baa, false);
  assert.equal(findCompliance('vertex')?.baa, true);
});

test('every default carries a provenance', () => {
  for (const [name, d] of Object.entries(defaults)) {
    if (name === 'OPERATIONS_HOURS') {
      for (const h of Object.values(d as typeof defaults.OPERATIONS_HOURS))
        assert.ok(dated(h.provenance), name);
    } else {
      assert.ok(dated((d as defaults.Default).provenance), name);
    }
  }
});

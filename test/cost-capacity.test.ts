import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateCapacity, measuredCapacity, weightBytesRead } from '../src/cost/capacity.ts';
import { findGpu } from '../src/cost/catalogue/gpus.ts';
import { findOpenWeightModel } from '../src/cost/catalogue/open-weight-models.ts';
import { gpusPerReplicaFor, kvBytesPerToken, memoryFit, weightBytes } from '../src/cost/memory-fit.ts';
import { selfHostedOption } from '../src/cost/options.ts';
import type { GpuSpec, OpenWeightModel } from '../src/cost/types.ts';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const llama8 = findOpenWeightModel('llama-3.1-8b')!;
const llama70 = findOpenWeightModel('llama-3.3-70b')!;
const h100 = findGpu('h100-sxm')!;

// A toy model and GPU whose arithmetic is easy to follow by hand.
const toy: OpenWeightModel = {
  ...llama8,
  id: 'toy-1b',
  name: 'Toy 1B',
  paramsTotalB: 1,
  paramsActiveB: 1,
  layers: 10,
  kvCache: { kind: 'gqa', kvHeads: 1, headDim: 100 },
};
const toyGpu: GpuSpec = {
  ...h100,
  id: 'toy-gpu',
  name: 'Toy GPU',
  memoryGb: 100,
  bandwidthGbps: 1000,
  denseTflops: 100,
};

test('KV bytes per token = layers × 2 × KV heads × head dim × bytes (or the MLA latent)', () => {
  assert.equal(kvBytesPerToken(llama8), 131_072); // 32 × 2 × 8 × 128 × 2
  assert.equal(kvBytesPerToken(llama70), 327_680); // 80 × 2 × 8 × 128 × 2
  assert.equal(kvBytesPerToken(llama70, 'fp8'), 163_840); // 80 × 2 × 8 × 128 × 1
  assert.equal(kvBytesPerToken(findOpenWeightModel('deepseek-v3')!), 70_272); // 61 × 576 × 2
});

test('weight bytes = parameters × bytes per parameter', () => {
  close(weightBytes(llama8, 'bf16'), 16.06e9, 1); // 8.03e9 × 2
  close(weightBytes(llama8, 'fp8'), 8.03e9, 1); // 8.03e9 × 1
  close(weightBytes(llama8, 'int4'), 4.2659375e9, 1); // 8.03e9 × 0.53125 (4.25 bits)
});

test('memory fit: a 70B model in bf16 needs four H100s', () => {
  const base = {
    model: llama70,
    gpu: h100,
    weightQuantisation: 'bf16' as const,
    concurrency: 1,
    contextTokens: 1300,
  };
  // One GPU: 80 × 0.9 = 72 GB usable < 141.2 GB of weights.
  assert.equal(memoryFit({ ...base, gpus: 1 }).fits, false);
  // Two: 144 GB − 4 GB overhead = 140 GB < 141.2 GB.
  assert.equal(memoryFit({ ...base, gpus: 2 }).fits, false);
  // Four: 288 − 8 − 141.2 = 138.8 GB for KV; one sequence of 1,300 tokens is 327,680 × 1,300 B = 0.426 GB.
  const fit = gpusPerReplicaFor(base)!;
  assert.equal(fit.gpus, 4);
  close(fit.weightsGb, 141.2);
  close(fit.kvGb, 0.425984);
  close(fit.headroomGb, 288 - 8 - 141.2 - 0.425984);
  assert.equal(fit.maxConcurrency, Math.floor(138.8 / 0.425984)); // 325 sequences
  assert.match(fit.formula, /141\.2 GB weights \(70\.6B × 2 B, bf16\)/);
});

test('memory fit: a model too large for eight GPUs is reported, not squeezed', () => {
  const l4 = findGpu('l4')!;
  assert.equal(
    gpusPerReplicaFor({
      model: findOpenWeightModel('llama-3.1-405b')!,
      gpu: l4,
      concurrency: 1,
      contextTokens: 2000,
    }),
    null,
  );
  assert.equal(
    estimateCapacity({
      model: findOpenWeightModel('llama-3.1-405b')!,
      gpu: l4,
      inputTokens: 1000,
      outputTokens: 1000,
    }),
    null,
  );
});

test('a model that does not fit names the GPUs the workload asked for, and how many would do', () => {
  const input = {
    id: 'llama70',
    model: llama70,
    gpu: h100,
    owned: true,
    inputTokens: 1000,
    outputTokens: 300,
  };
  const asked = selfHostedOption({ ...input, gpusPerReplica: 2 });
  assert.equal(asked.ok, false);
  // Two H100s: 2 × 80 GB × 0.9 = 144 GB usable < 141.2 GB weights + 0.43 GB KV (one 1,300-token
  // sequence) + 2 × 2 GB overhead = 145.6 GB; four fit (the test above).
  assert.equal(
    asked.ok ? '' : asked.reason,
    'Llama 3.3 70B Instruct does not fit on the 2 × NVIDIA H100 SXM 80GB asked for (gpu.count) at this context: ' +
      'it needs 145.6 GB (141.2 GB of bf16 weights, 0.4 GB of KV cache for one sequence, 4 GB overhead), ' +
      '2 × 80 GB × 0.9 give 144 GB; set gpu.count to 4, or choose a larger GPU or quantisation',
  );
  assert.ok(selfHostedOption({ ...input, gpusPerReplica: 4 }).ok);
  // Without a count, the search goes up to eight GPUs, and says so when even they are too few.
  const l4 = { ...input, model: findOpenWeightModel('llama-3.1-405b')!, gpu: findGpu('l4')! };
  const unasked = selfHostedOption(l4);
  assert.match(
    unasked.ok ? '' : unasked.reason,
    /does not fit on up to 8 × NVIDIA L4 24GB at this context; it needs multi-node serving/,
  );
  const tooMany = selfHostedOption({ ...l4, gpusPerReplica: 16 });
  assert.match(
    tooMany.ok ? '' : tooMany.reason,
    /on the 16 × NVIDIA L4 24GB asked for .* no node of up to 8 holds it/,
  );
});

test('roofline on a toy model, limited by the maximum batch', () => {
  // Weights 1e9 × 2 B = 2e9 B; KV 10 × 2 × 1 × 100 × 2 = 4,000 B/token; mean decode context 1,000 + 100/2 = 1,050.
  // Bandwidth 1,000 GB/s × 0.5 = 5e11 B/s → memory time per step = (2e9 + b × 1,050 × 4,000) / 5e11 = 4 ms + 0.0084 ms × b.
  // Compute 100 TFLOP/s × 0.5 = 5e13 → 2e9 FLOPs × b / 5e13 = 0.04 ms × b (below the memory time for b ≤ 8).
  // Batch 8: step = 4.0672 ms ≤ 20 ms. Prefill: 2e9 × 1,000 / 5e13 = 40 ms.
  // Seconds per request = 100 × 4.0672 ms / 8 + 40 ms = 90.84 ms → 11.00837 req/s.
  const e = estimateCapacity({
    model: toy,
    gpu: toyGpu,
    inputTokens: 1000,
    outputTokens: 100,
    bandwidthEfficiency: 0.5,
    computeEfficiency: 0.5,
    tpotSloMs: 20,
    maxBatch: 8,
  })!;
  assert.equal(e.batch, 8);
  assert.equal(e.limitedBy, 'maximum batch');
  close(e.stepMs, 4.0672);
  close(e.prefillMs, 40);
  close(e.capacity.requestsPerSecond, 1 / 0.09084);
  assert.equal(e.capacity.gpusPerReplica, 1);
  assert.equal(e.capacity.provenance.kind, 'estimate');
  assert.equal(e.capacity.inputs?.batch, 8);
});

test('roofline on a toy model, limited by the latency objective', () => {
  // TPOT ≤ 4.05 ms: 4 + 0.0084 b ≤ 4.05 → b ≤ 5.95 → batch 5, step 4.042 ms.
  // Seconds per request = 100 × 4.042 / 5 + 40 = 120.84 ms → 8.27540 req/s.
  const e = estimateCapacity({
    model: toy,
    gpu: toyGpu,
    inputTokens: 1000,
    outputTokens: 100,
    bandwidthEfficiency: 0.5,
    computeEfficiency: 0.5,
    tpotSloMs: 4.05,
    maxBatch: 8,
  })!;
  assert.equal(e.batch, 5);
  assert.equal(e.limitedBy, 'latency objective');
  assert.ok(e.meetsSlo);
  close(e.capacity.requestsPerSecond, 1 / 0.12084);
  // An objective no batch can meet is flagged.
  assert.equal(
    estimateCapacity({
      model: toy,
      gpu: toyGpu,
      inputTokens: 1000,
      outputTokens: 100,
      bandwidthEfficiency: 0.5,
      tpotSloMs: 1,
    })!.meetsSlo,
    false,
  );
});

test('MoE decode reads the experts any sequence in the batch touches', () => {
  // Mixtral 8x7B: 46.7B total, 12.9B active, 2 of 8 experts. Experts = (46.7 − 12.9) ÷ 0.75 = 45.0667B; shared = 1.6333B.
  const mixtral = findOpenWeightModel('mixtral-8x7b')!;
  close(weightBytesRead(mixtral, 'fp8', 1), 12.9e9, 1e3); // touched share 0.25 → the active parameters
  // Batch 4: touched = 1 − 0.75⁴ = 0.68359 → 1.6333 + 45.0667 × 0.68359 = 32.4406B.
  close(weightBytesRead(mixtral, 'fp8', 4), (1.6333333 + 45.0666667 * (1 - 0.75 ** 4)) * 1e9, 1e3);
  close(weightBytesRead(llama8, 'bf16', 64), 16.06e9, 1); // dense: weights once per step
});

test('a measured capacity replaces the estimate and says where it comes from', () => {
  const c = measuredCapacity(3.2, 2, 'load test lt-7 at TTFT ≤ 500 ms, TPOT ≤ 50 ms');
  assert.deepEqual(c, {
    requestsPerSecond: 3.2,
    gpusPerReplica: 2,
    provenance: { kind: 'measured', source: 'load test lt-7 at TTFT ≤ 500 ms, TPOT ≤ 50 ms' },
  });
});

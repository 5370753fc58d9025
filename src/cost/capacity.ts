import {
  BANDWIDTH_EFFICIENCY,
  COMPUTE_EFFICIENCY,
  GPU_MEMORY_UTILISATION,
  MAX_BATCH,
  RUNTIME_OVERHEAD_GB_PER_GPU,
  TPOT_SLO_MS,
} from './catalogue/defaults.ts';
import {
  BYTES_PER_PARAM,
  gpusPerReplicaFor,
  kvBytesPerToken,
  type MemoryFit,
  memoryFit,
  TENSOR_PARALLEL_SIZES,
} from './memory-fit.ts';
import type { Capacity, GpuSpec, OpenWeightModel, Provenance, Quantisation } from './types.ts';

// Capacity per replica: a measured load test when one exists, else a roofline estimate (DESIGN §4).
// Decode is memory-bound: one step reads the weights once for the whole batch plus each sequence's
// KV cache, so step time = bytes read ÷ (bandwidth × efficiency), floored by compute at large batches.
// Prefill is compute-bound: 2 × active params × input tokens FLOPs, and stalls decode while it runs.

export interface RooflineInput {
  model: OpenWeightModel;
  gpu: GpuSpec;
  /** Tensor-parallel size; defaults to the smallest that fits one full-context sequence of this workload. */
  gpusPerReplica?: number;
  weightQuantisation?: Quantisation;
  kvQuantisation?: Quantisation;
  /** Mean tokens per request. */
  inputTokens: number;
  outputTokens: number;
  tpotSloMs?: number;
  bandwidthEfficiency?: number;
  computeEfficiency?: number;
  maxBatch?: number;
  memoryUtilisation?: number;
  overheadGbPerGpu?: number;
}

export interface RooflineEstimate {
  capacity: Capacity;
  batch: number;
  stepMs: number;
  prefillMs: number;
  meetsSlo: boolean;
  limitedBy: 'latency objective' | 'KV-cache memory' | 'maximum batch';
  memory: MemoryFit;
}

/** Weight bytes one decode step reads at a batch: MoE experts touched by any sequence, dense weights once. */
export function weightBytesRead(model: OpenWeightModel, quantisation: Quantisation, batch: number): number {
  const bytes = BYTES_PER_PARAM[quantisation] * 1e9;
  if (!model.experts) return model.paramsTotalB * bytes;
  const share = model.experts.perToken / model.experts.routed;
  // active = shared + experts × share and total = shared + experts, so experts = (total − active) ÷ (1 − share).
  const expertParams = (model.paramsTotalB - model.paramsActiveB) / (1 - share);
  const sharedParams = model.paramsTotalB - expertParams;
  const touched = 1 - (1 - share) ** batch;
  return (sharedParams + expertParams * touched) * bytes;
}

/** The memory question of a roofline input: one sequence of the workload's full context. */
function memoryInputs(input: RooflineInput) {
  return {
    model: input.model,
    gpu: input.gpu,
    weightQuantisation: input.weightQuantisation ?? input.model.nativeQuantisation,
    kvQuantisation: input.kvQuantisation ?? ('bf16' as const),
    contextTokens: input.inputTokens + input.outputTokens,
    memoryUtilisation: input.memoryUtilisation ?? GPU_MEMORY_UTILISATION.value,
    overheadGbPerGpu: input.overheadGbPerGpu ?? RUNTIME_OVERHEAD_GB_PER_GPU.value,
  };
}

/** Why a model does not fit a replica: on the GPUs the workload asked for (and how many would do), else on up to 8. */
export function noFitReason(input: RooflineInput): string {
  const memOpts = memoryInputs(input);
  const { model, gpu } = input;
  const fewest = gpusPerReplicaFor({ ...memOpts, concurrency: 1 });
  const remedy = 'a larger GPU or quantisation';
  if (input.gpusPerReplica === undefined)
    return `${model.name} does not fit on up to ${TENSOR_PARALLEL_SIZES.at(-1)} × ${gpu.name} at this context; it needs multi-node serving, ${remedy}`;
  const asked = memoryFit({ ...memOpts, gpus: input.gpusPerReplica, concurrency: 1 });
  const needed = asked.weightsGb + asked.kvGb + asked.overheadGb;
  return (
    `${model.name} does not fit on the ${input.gpusPerReplica} × ${gpu.name} asked for (gpu.count) at this context: ` +
    `it needs ${gb(needed)} GB (${gb(asked.weightsGb)} GB of ${memOpts.weightQuantisation} weights, ${gb(asked.kvGb)} GB of KV cache for one sequence, ${gb(asked.overheadGb)} GB overhead), ` +
    `${input.gpusPerReplica} × ${gpu.memoryGb} GB × ${memOpts.memoryUtilisation} give ${gb(asked.usableGb)} GB; ` +
    (fewest
      ? `set gpu.count to ${fewest.gpus}, or choose ${remedy}`
      : `no node of up to ${TENSOR_PARALLEL_SIZES.at(-1)} holds it: it needs multi-node serving, ${remedy}`)
  );
}

const gb = (x: number) => (Math.round(x * 10) / 10).toLocaleString('en-US');

/** Roofline estimate of requests per second one replica sustains within the TPOT objective (labelled estimate). */
export function estimateCapacity(input: RooflineInput): RooflineEstimate | null {
  const memOpts = memoryInputs(input);
  const wq = memOpts.weightQuantisation;
  const kvq = memOpts.kvQuantisation;
  const single =
    input.gpusPerReplica === undefined
      ? gpusPerReplicaFor({ ...memOpts, concurrency: 1 })
      : memoryFit({ ...memOpts, gpus: input.gpusPerReplica, concurrency: 1 });
  if (!single?.fits) return null;
  const n = single.gpus;
  const slo = input.tpotSloMs ?? TPOT_SLO_MS.value;
  const effBw = input.bandwidthEfficiency ?? BANDWIDTH_EFFICIENCY.value;
  const effC = input.computeEfficiency ?? COMPUTE_EFFICIENCY.value;
  const maxBatch = input.maxBatch ?? MAX_BATCH.value;
  const bandwidth = input.gpu.bandwidthGbps * 1e9 * n * effBw; // bytes/s
  const flops = input.gpu.denseTflops * 1e12 * n * effC; // FLOP/s
  const activeFlopsPerToken = 2 * input.model.paramsActiveB * 1e9;
  const kvPerToken = kvBytesPerToken(input.model, kvq);
  // Mean context during decode: the prompt plus half the answer.
  const meanContext = input.inputTokens + input.outputTokens / 2;
  const stepSeconds = (b: number) =>
    Math.max(
      (weightBytesRead(input.model, wq, b) + b * meanContext * kvPerToken) / bandwidth,
      (activeFlopsPerToken * b) / flops,
    );
  const prefillSeconds = (activeFlopsPerToken * input.inputTokens) / flops;
  const memLimit = single.maxConcurrency;
  const limit = Math.max(1, Math.min(maxBatch, memLimit));
  let batch = 1;
  while (batch < limit && stepSeconds(batch + 1) * 1000 <= slo) batch++;
  const step = stepSeconds(batch);
  const meetsSlo = step * 1000 <= slo;
  const limitedBy =
    !meetsSlo || batch < limit
      ? 'latency objective'
      : memLimit < maxBatch
        ? 'KV-cache memory'
        : 'maximum batch';
  // Per request, a replica spends its share of the batched decode steps plus the whole prefill.
  const secondsPerRequest = (input.outputTokens * step) / batch + prefillSeconds;
  const rps = 1 / secondsPerRequest;
  const provenance: Provenance = {
    kind: 'estimate',
    basis: `roofline: ${input.model.name} (${wq}) on ${n} × ${input.gpu.name}, batch ${batch} limited by ${limitedBy}; bandwidth efficiency ${effBw}, compute efficiency ${effC}; a load test replaces it`,
  };
  const inputs = {
    model: input.model.id,
    gpu: input.gpu.id,
    gpusPerReplica: n,
    weightQuantisation: wq,
    kvQuantisation: kvq,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    tpotSloMs: slo,
    bandwidthGbps: input.gpu.bandwidthGbps,
    denseTflops: input.gpu.denseTflops,
    bandwidthEfficiency: effBw,
    computeEfficiency: effC,
    batch,
    stepMs: step * 1000,
    prefillMs: prefillSeconds * 1000,
  };
  return {
    capacity: { requestsPerSecond: rps, gpusPerReplica: n, provenance, inputs },
    batch,
    stepMs: step * 1000,
    prefillMs: prefillSeconds * 1000,
    meetsSlo,
    limitedBy,
    memory: memoryFit({ ...memOpts, gpus: n, concurrency: batch }),
  };
}

/** A capacity measured by a load test (requests per second within the objective); it replaces any estimate. */
export function measuredCapacity(
  requestsPerSecond: number,
  gpusPerReplica: number,
  source: string,
): Capacity {
  return { requestsPerSecond, gpusPerReplica, provenance: { kind: 'measured', source } };
}

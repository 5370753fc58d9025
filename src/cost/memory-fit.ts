import { GPU_MEMORY_UTILISATION, RUNTIME_OVERHEAD_GB_PER_GPU } from './catalogue/defaults.ts';
import type { GpuSpec, OpenWeightModel, Quantisation } from './types.ts';

// DESIGN §4: weights must fit: params × bytes ≤ GPU memory × GPUs − KV cache − overhead.
// KV bytes per token = 2 × layers × KV heads × head dim × KV bytes (multi-head latent attention
// caches one latent vector per layer instead). Memory in GB of 10^9 bytes on both sides.

/** Bytes per parameter by quantisation; int4 is 4.25 bits: 4-bit values plus group scales. */
export const BYTES_PER_PARAM: Readonly<Record<Quantisation, number>> = {
  fp16: 2,
  bf16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.53125,
};

/** Tensor-parallel sizes a replica may use. */
export const TENSOR_PARALLEL_SIZES = [1, 2, 4, 8] as const;

/** Bytes of model weights at a quantisation. */
export function weightBytes(model: OpenWeightModel, quantisation: Quantisation): number {
  return model.paramsTotalB * 1e9 * BYTES_PER_PARAM[quantisation];
}

/** KV-cache bytes per token of context, all layers. */
export function kvBytesPerToken(model: OpenWeightModel, kvQuantisation: Quantisation = 'bf16'): number {
  const perLayer =
    model.kvCache.kind === 'gqa'
      ? 2 * model.kvCache.kvHeads * model.kvCache.headDim
      : model.kvCache.latentDim;
  return model.layers * perLayer * BYTES_PER_PARAM[kvQuantisation];
}

export interface MemoryFitInput {
  model: OpenWeightModel;
  gpu: GpuSpec;
  gpus: number;
  weightQuantisation?: Quantisation;
  kvQuantisation?: Quantisation;
  /** Sequences in flight at once. */
  concurrency: number;
  /** Tokens of context each sequence holds at its longest (input + output). */
  contextTokens: number;
  memoryUtilisation?: number;
  overheadGbPerGpu?: number;
}

export interface MemoryFit {
  fits: boolean;
  gpus: number;
  weightsGb: number;
  kvGb: number;
  overheadGb: number;
  usableGb: number;
  /** Usable memory left after weights, KV cache and overhead (negative when it does not fit). */
  headroomGb: number;
  /** Most sequences of this context the KV cache space holds (0 when the weights alone do not fit). */
  maxConcurrency: number;
  formula: string;
}

/** Whether weights + KV cache at a concurrency and context fit a number of GPUs. */
export function memoryFit(input: MemoryFitInput): MemoryFit {
  const wq = input.weightQuantisation ?? input.model.nativeQuantisation;
  const util = input.memoryUtilisation ?? GPU_MEMORY_UTILISATION.value;
  const overheadPerGpu = input.overheadGbPerGpu ?? RUNTIME_OVERHEAD_GB_PER_GPU.value;
  const weightsGb = weightBytes(input.model, wq) / 1e9;
  const kvPerSeqGb = (kvBytesPerToken(input.model, input.kvQuantisation) * input.contextTokens) / 1e9;
  const kvGb = kvPerSeqGb * input.concurrency;
  const usableGb = input.gpu.memoryGb * input.gpus * util;
  const overheadGb = overheadPerGpu * input.gpus;
  const headroomGb = usableGb - weightsGb - kvGb - overheadGb;
  const kvSpace = usableGb - weightsGb - overheadGb;
  const maxConcurrency = kvSpace <= 0 || kvPerSeqGb <= 0 ? 0 : Math.floor(kvSpace / kvPerSeqGb);
  const formula =
    `${r(weightsGb)} GB weights (${input.model.paramsTotalB}B × ${BYTES_PER_PARAM[wq]} B, ${wq}) + ` +
    `${r(kvGb)} GB KV (${input.concurrency} seq × ${input.contextTokens} tok × ${kvBytesPerToken(input.model, input.kvQuantisation)} B) + ` +
    `${r(overheadGb)} GB overhead ≤ ${input.gpus} × ${input.gpu.memoryGb} GB × ${util}`;
  return {
    fits: headroomGb >= 0,
    gpus: input.gpus,
    weightsGb,
    kvGb,
    overheadGb,
    usableGb,
    headroomGb,
    maxConcurrency,
    formula,
  };
}

/** The smallest tensor-parallel size whose memory fits, or null when even 8 GPUs do not (multi-node serving). */
export function gpusPerReplicaFor(input: Omit<MemoryFitInput, 'gpus'>): MemoryFit | null {
  for (const gpus of TENSOR_PARALLEL_SIZES) {
    const fit = memoryFit({ ...input, gpus });
    if (fit.fits) return fit;
  }
  return null;
}

const r = (x: number) => Math.round(x * 100) / 100;

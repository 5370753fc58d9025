// Types of the cost part: catalogue entries, prices, capacities, line items and priced options.
// Every figure a report shows carries a Provenance (CONVENTIONS: Data).

/** Where a figure comes from: a dated catalogue, a computation, a measurement, an estimate, or the user. */
export type Provenance =
  | { kind: 'catalogue'; source: string; asOf: string; estimate?: boolean; note?: string }
  | { kind: 'computed'; from: string }
  | { kind: 'measured'; source: string }
  | { kind: 'estimate'; basis: string; asOf?: string }
  | { kind: 'user'; note?: string };

/** One line of a monthly cost: what it is, how much, the formula with its inputs filled in, and why we believe it. */
export interface LineItem {
  id: string;
  label: string;
  usd: number;
  /** The arithmetic with its inputs, e.g. `2 replicas × 1 GPU × $2.99/h × 730 h`. */
  formula: string;
  provenance: Provenance;
}

/** Token usage of one request. `input` counts all input tokens, cached ones included (genai-prices convention). */
export interface TokenUsage {
  input: number;
  /** Input tokens served from the provider's prompt cache (a part of `input`). */
  cachedInput?: number;
  /** Input tokens written to the prompt cache (a part of `input`). */
  cacheWrite?: number;
  output: number;
  /** Reasoning tokens billed but not already counted in `output` (Gemini's thoughts; OpenAI and Anthropic count them in output). */
  reasoning?: number;
}

/** Unit prices in USD per million tokens for one model on one route, resolved for one request size and date. */
export interface TokenPrice {
  providerId: string;
  modelId: string;
  inputPerMTok: number;
  cachedInputPerMTok?: number;
  cacheWritePerMTok?: number;
  outputPerMTok: number;
  /** Defaults to the output price where a provider bills reasoning as output. */
  reasoningPerMTok?: number;
  /** Long-context tiers: above this many input tokens in one request, the whole request uses these prices. */
  tiers?: Array<{
    aboveInputTokens: number;
    inputPerMTok: number;
    cachedInputPerMTok?: number;
    cacheWritePerMTok?: number;
    outputPerMTok: number;
  }>;
  /** Fraction off every token price when requests go through the provider's batch interface, where it has one. */
  batchDiscount?: { fraction: number; provenance: Provenance };
  /** The date the prices apply to (YYYY-MM-DD). */
  priceDate: string;
  provenance: Provenance;
}

/** Quantisation of weights or KV cache. */
export type Quantisation = 'fp16' | 'bf16' | 'fp8' | 'int8' | 'int4';

/** Attention's KV cache shape: grouped-query (K and V per KV head) or multi-head latent (one compressed vector). */
export type KvCacheShape =
  | { kind: 'gqa'; kvHeads: number; headDim: number }
  | { kind: 'mla'; latentDim: number };

/** Licence terms that can remove a candidate or that a reader must see. */
export interface LicenceTerms {
  name: string;
  url: string;
  commercialUse: boolean;
  /** Monthly active users above which a separate licence from the vendor is needed. */
  monthlyActiveUserCap?: number;
  attribution?: string;
  acceptableUsePolicy?: string;
  /** Rights not granted to people or companies domiciled in the EU (Llama 3.2 vision, Llama 4 multimodal). */
  euDomicileExcluded?: boolean;
  notes?: string;
}

/** One open-weight model's architecture and licence, with where the figures come from. */
export interface OpenWeightModel {
  id: string;
  name: string;
  family: string;
  paramsTotalB: number;
  /** Active parameters per token (MoE); equals total for dense models. */
  paramsActiveB: number;
  /** Routed experts and experts chosen per token, for MoE models. */
  experts?: { routed: number; perToken: number };
  layers: number;
  kvCache: KvCacheShape;
  contextTokens: number;
  /** Native weight precision as released. */
  nativeQuantisation: Quantisation;
  licence: LicenceTerms;
  /** The same weights on managed APIs: genai-prices provider id and model id. */
  managed: Array<{ providerId: string; modelId: string }>;
  notes?: string;
  provenance: Provenance;
}

/** A GPU's hardware figures. */
export interface GpuSpec {
  id: string;
  name: string;
  memoryGb: number;
  bandwidthGbps: number;
  /** Dense BF16/FP16 tensor throughput, TFLOP/s (no sparsity). */
  denseTflops: number;
  /** Board power (TDP), watts. */
  tdpWatts: number;
  /** Whole-server power divided by its GPUs, watts: what a rack actually draws per GPU. */
  systemWattsPerGpu: number;
  /** Purchase price per GPU including its share of the server, USD. */
  capexUsdPerGpu: number;
  /** Hardware figures come from the datasheet; the purchase price is an estimate with its own source. */
  provenance: Provenance;
  capexProvenance: Provenance;
}

/** One cloud's list price for one GPU type, per GPU-hour. */
export interface GpuOffer {
  gpuId: string;
  cloud: string;
  instance: string;
  gpusPerInstance: number;
  onDemandPerGpuHour: number;
  reservedPerGpuHour?: number;
  reservedTerm?: string;
  region: string;
  provenance: Provenance;
}

/** Requests per second one replica sustains within the latency objective. */
export interface Capacity {
  requestsPerSecond: number;
  gpusPerReplica: number;
  provenance: Provenance;
  /** The inputs of an estimate, for the report. */
  inputs?: Record<string, number | string>;
  /** A measured maximum rate's confidence interval; requestsPerSecond is then its lower end. */
  interval?: { lowPerSec: number; highPerSec: number; level: number };
  /** `below`: a load test met its objective at no rate; the capacity lies below requestsPerSecond. */
  bound?: 'below';
  /** A stored measurement that does not apply to this candidate, and why (requestsPerSecond unused). */
  notUsed?: string;
}

/** A priced option at one monthly volume. */
export interface OptionCost {
  optionId: string;
  family: OptionFamily;
  monthlyUsd: number;
  costPerRequestUsd: number;
  lines: LineItem[];
  /** Self-hosted only. */
  replicas?: number;
  averageUtilisation?: number;
  notes: string[];
}

/** The three families DESIGN §4 prices side by side, plus owned hardware. */
export type OptionFamily = 'closed-api' | 'open-managed-api' | 'self-hosted-cloud' | 'self-hosted-owned';

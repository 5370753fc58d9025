import { apiCostPerRequest, apiMonthlyCost, meanUsage } from './api-cost.ts';
import { estimateCapacity, noFitReason, type RooflineEstimate, type RooflineInput } from './capacity.ts';
import { weightBytes } from './memory-fit.ts';
import { type SelfHostedInput, selfHostedTco } from './tco.ts';
import { lookupTokenPrice, type TokenPriceOverrideInput } from './token-prices.ts';
import type {
  Capacity,
  GpuOffer,
  GpuSpec,
  OpenWeightModel,
  OptionCost,
  Provenance,
  TokenPrice,
  TokenUsage,
} from './types.ts';

// The options a decision compares (DESIGN §4, "three families"): a closed model on its API, an open
// model on a managed API (same weights, catalogue price), the open model self-hosted (rented or owned).
// An option spec holds everything but the volume, so break-even and sensitivity can re-price it.

/** A model called through an API at per-token prices. */
export interface ApiOptionSpec {
  kind: 'api';
  id: string;
  family: 'closed-api' | 'open-managed-api';
  price: TokenPrice;
  usages: TokenUsage[];
  usageProvenance: Provenance;
  batch?: boolean;
}

/** A model served on the team's own replicas. */
export interface SelfHostedOptionSpec
  extends Omit<SelfHostedInput, 'optionId' | 'requestsPerMonth' | 'peakFactor'> {
  kind: 'self-hosted';
  id: string;
}

export type OptionSpec = ApiOptionSpec | SelfHostedOptionSpec;

/** Everything that decides cost: the volume, its shape, and the options. */
export interface Scenario {
  requestsPerMonth: number;
  peakFactor: number;
  options: OptionSpec[];
}

/** One option's monthly cost at a volume. */
export function priceOption(spec: OptionSpec, requestsPerMonth: number, peakFactor: number): OptionCost {
  if (spec.kind === 'api') {
    const cost = apiMonthlyCost({
      price: spec.price,
      usages: spec.usages,
      usageProvenance: spec.usageProvenance,
      requestsPerMonth,
      batch: spec.batch ?? false,
    });
    return {
      optionId: spec.id,
      family: spec.family,
      monthlyUsd: cost.monthlyUsd,
      costPerRequestUsd: cost.costPerRequestUsd,
      lines: cost.lines,
      notes: [],
    };
  }
  const { kind: _kind, id, ...rest } = spec;
  return selfHostedTco({ ...rest, optionId: id, requestsPerMonth, peakFactor });
}

/** Every option priced at the scenario's volume, cheapest first. */
export function priceScenario(scenario: Scenario): OptionCost[] {
  return scenario.options
    .map((o) => priceOption(o, scenario.requestsPerMonth, scenario.peakFactor))
    .sort((a, b) => a.monthlyUsd - b.monthlyUsd);
}

/** The same open weights on each managed API the catalogue prices, cheapest per request first; unpriced ones listed apart. */
export function managedApiOptions(
  model: OpenWeightModel,
  usages: TokenUsage[],
  usageProvenance: Provenance,
  at?: Date,
  /** A negotiated price by host (the catalogue's provider id), replacing the catalogue's for that route. */
  negotiated: Record<string, TokenPriceOverrideInput> = {},
): { options: ApiOptionSpec[]; unpriced: string[] } {
  const options: ApiOptionSpec[] = [];
  const unpriced: string[] = [];
  for (const m of model.managed) {
    const override = negotiated[m.providerId];
    const found = lookupTokenPrice({
      providerId: m.providerId,
      modelId: m.modelId,
      ...(at ? { at } : {}),
      ...(override ? { override } : {}),
    });
    if (!found.ok) {
      unpriced.push(`${m.providerId}:${m.modelId} (${found.reason})`);
      continue;
    }
    options.push({
      kind: 'api',
      id: `${model.id}@${m.providerId}`,
      family: 'open-managed-api',
      price: found.price,
      usages,
      usageProvenance,
    });
  }
  const mean = meanUsage(usages);
  options.sort((a, b) => apiCostPerRequest(mean, a.price).total - apiCostPerRequest(mean, b.price).total);
  return { options, unpriced };
}

export interface SelfHostedFromCatalogueInput extends Omit<RooflineInput, 'gpu' | 'model'> {
  id: string;
  model: OpenWeightModel;
  gpu: GpuSpec;
  /** Rent from this offer (on-demand unless `reserved`), or own the GPUs when omitted and `owned` is set. */
  offer?: GpuOffer;
  reserved?: boolean;
  owned?: boolean;
  /** A load test's capacity; replaces the roofline estimate. */
  measured?: Capacity;
  rest?: Partial<
    Omit<
      SelfHostedOptionSpec,
      'kind' | 'id' | 'capacity' | 'hardware' | 'weightsGb' | 'outputTokensPerRequest'
    >
  >;
}

/** A self-hosted option from the catalogues: measured capacity or a roofline estimate, rented or owned GPUs. */
export function selfHostedOption(
  input: SelfHostedFromCatalogueInput,
):
  | { ok: true; spec: SelfHostedOptionSpec; estimate: RooflineEstimate | null }
  | { ok: false; reason: string } {
  const estimate = input.measured ? null : estimateCapacity({ ...input, model: input.model, gpu: input.gpu });
  const capacity = input.measured ?? estimate?.capacity;
  if (!capacity) {
    return {
      ok: false,
      reason: noFitReason(input),
    };
  }
  let hardware: SelfHostedOptionSpec['hardware'];
  if (input.offer && !input.owned) {
    const reserved = input.reserved && input.offer.reservedPerGpuHour !== undefined;
    hardware = {
      kind: 'cloud',
      gpuLabel: `${input.gpu.name} on ${input.offer.cloud} ${input.offer.instance}${reserved ? `, ${input.offer.reservedTerm}` : ', on-demand'}`,
      usdPerGpuHour: reserved ? input.offer.reservedPerGpuHour! : input.offer.onDemandPerGpuHour,
      provenance: input.offer.provenance,
    };
  } else if (input.owned) {
    hardware = {
      kind: 'owned',
      gpuLabel: input.gpu.name,
      capexUsdPerGpu: input.gpu.capexUsdPerGpu,
      capexProvenance: input.gpu.capexProvenance,
      systemWattsPerGpu: input.gpu.systemWattsPerGpu,
    };
  } else {
    return { ok: false, reason: `no GPU offer given for ${input.gpu.name} and not marked as owned` };
  }
  const spec: SelfHostedOptionSpec = {
    ...(input.rest ?? {}),
    kind: 'self-hosted',
    id: input.id,
    capacity,
    hardware,
    weightsGb: weightBytes(input.model, input.weightQuantisation ?? input.model.nativeQuantisation) / 1e9,
    outputTokensPerRequest: input.outputTokens,
  };
  return { ok: true, spec, estimate };
}

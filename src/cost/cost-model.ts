import { apiCostPerRequest } from './api-cost.ts';
import { ENGINEER_HOURLY_USD } from './catalogue/defaults.ts';
import { resolveHiddenInfraPrices } from './hidden-infra.ts';
import { operationsHours } from './operations.ts';
import type { OptionSpec, SelfHostedOptionSpec } from './options.ts';
import { HOURS_PER_MONTH } from './provenance.ts';
import { replicaStepVolumes, replicasAt } from './replicas.ts';
import { planningParameters, resolveOwned } from './tco.ts';
import type { OptionFamily } from './types.ts';

// Every option's monthly cost is linear between replica steps: fixed + per request × volume
// + per replica × replicas(volume). Break-even and sensitivity evaluate this form many thousands of
// times, so it is computed without building line items; the line items (priceOption) stay the
// reference, and a test checks that both agree for every kind of option.

/** An option's cost as a function of monthly volume. */
export interface CostModel {
  optionId: string;
  family: OptionFamily;
  fixedUsd: number;
  usdPerRequest: number;
  usdPerReplica: number;
  /** Replicas paid for at a volume (0 for APIs): the mean over the hours when rented, the peak when owned. */
  replicasAt: (requestsPerMonth: number) => number;
  /** Volumes up to a bound where the replica count steps up. */
  stepVolumes: (maxVolume: number) => number[];
}

/** The linear-with-steps cost form of an option at a traffic shape. */
export function costModel(spec: OptionSpec, peakFactor: number): CostModel {
  if (spec.kind === 'api') {
    const n = spec.usages.length;
    const batch = spec.batch ?? false;
    const perRequest =
      n === 0
        ? 0
        : spec.usages.reduce((s, u) => s + apiCostPerRequest(u, spec.price, { batch }).total, 0) / n;
    return {
      optionId: spec.id,
      family: spec.family,
      fixedUsd: 0,
      usdPerRequest: perRequest,
      usdPerReplica: 0,
      replicasAt: () => 0,
      stepVolumes: () => [],
    };
  }
  const plan = {
    peakFactor,
    capacityRps: spec.capacity.requestsPerSecond,
    ...planningParameters(spec),
    ...(spec.hourlyProfile ? { hourlyProfile: spec.hourlyProfile } : {}),
  };
  const owned = spec.hardware.kind === 'owned';
  return {
    optionId: spec.id,
    family: owned ? 'self-hosted-owned' : 'self-hosted-cloud',
    ...selfHostedCoefficients(spec),
    replicasAt: (v) => replicasAt(plan, v, owned),
    stepVolumes: (max) => replicaStepVolumes(plan, max),
  };
}

/** Fixed, per-request and per-replica parts of a self-hosted option's monthly cost (the same formulas as its line items). */
export function selfHostedCoefficients(spec: Omit<SelfHostedOptionSpec, 'kind' | 'id'>): {
  fixedUsd: number;
  usdPerRequest: number;
  usdPerReplica: number;
} {
  const infra = resolveHiddenInfraPrices(spec.infra);
  const gpus = spec.capacity.gpusPerReplica;
  const hw = spec.hardware;
  let perReplica: number;
  let perRequest = 0;
  if (hw.kind === 'cloud') {
    perReplica =
      gpus * hw.usdPerGpuHour * HOURS_PER_MONTH +
      (spec.weightsGb + infra.extraDiskGbPerReplica) * infra.storageUsdPerGbMonth;
    perRequest = (spec.outputTokensPerRequest * infra.egressBytesPerOutputToken * infra.egressUsdPerGb) / 1e9;
  } else {
    const o = resolveOwned(hw);
    const power = (hw.systemWattsPerGpu * o.pue.value * HOURS_PER_MONTH * o.usdPerKwh.value) / 1000;
    perReplica =
      gpus * (o.capexUsdPerGpu / o.amortisationMonths.value + power + o.hostingUsdPerGpuMonth.value);
  }
  perReplica += infra.monitoringUsdPerHostMonth;
  const operations =
    operationsHours(spec.operations) * (spec.operations?.engineer_hourly_usd ?? ENGINEER_HOURLY_USD.value);
  const fineTuning = spec.fineTuning ? spec.fineTuning.oneOffUsd / spec.fineTuning.amortisationMonths : 0;
  const fixedUsd = infra.loadBalancerUsdPerMonth + infra.monitoringFixedUsdPerMonth + operations + fineTuning;
  return { fixedUsd, usdPerRequest: perRequest, usdPerReplica: perReplica };
}

/** Monthly cost of a cost model at a volume. */
export function monthlyAt(model: CostModel, requestsPerMonth: number): number {
  return (
    model.fixedUsd +
    model.usdPerRequest * requestsPerMonth +
    model.usdPerReplica * model.replicasAt(requestsPerMonth)
  );
}

import type { Operations } from '../spec/workload.ts';
import {
  AMORTISATION_MONTHS,
  HOSTING_USD_PER_GPU_MONTH,
  MIN_REPLICAS,
  PUE,
  TARGET_UTILISATION,
  USD_PER_KWH,
} from './catalogue/defaults.ts';
import { type HiddenInfraPrices, hiddenInfraLines } from './hidden-infra.ts';
import { operationsLines } from './operations.ts';
import { computed, describeProvenance, HOURS_PER_MONTH, usd } from './provenance.ts';
import { planReplicas, type ReplicaPlan } from './replicas.ts';
import type { Capacity, LineItem, OptionCost, Provenance } from './types.ts';

// DESIGN §4: self-hosted monthly cost = replicas × GPUs per replica × GPU $/hour × hours per month
// (cloud) or capex ÷ amortisation months + power + hosting (owned), + hidden infrastructure
// + operations, + a one-off fine-tuning cost amortised. Every line is kept for the report.

/** Rented GPUs: a price per GPU-hour with its source. */
export interface CloudHardware {
  kind: 'cloud';
  gpuLabel: string;
  usdPerGpuHour: number;
  provenance: Provenance;
}

/** Owned GPUs on the premises; missing figures take their defaults (with sources). */
export interface OwnedHardware {
  kind: 'owned';
  gpuLabel: string;
  capexUsdPerGpu: number;
  capexProvenance: Provenance;
  systemWattsPerGpu: number;
  amortisationMonths?: number;
  pue?: number;
  usdPerKwh?: number;
  hostingUsdPerGpuMonth?: number;
}

export interface SelfHostedInput {
  optionId: string;
  requestsPerMonth: number;
  peakFactor: number;
  capacity: Capacity;
  hardware: CloudHardware | OwnedHardware;
  /** Model weights on disk, GB (for storage). */
  weightsGb: number;
  outputTokensPerRequest: number;
  minReplicas?: number;
  maxReplicas?: number;
  targetUtilisation?: number;
  hourlyProfile?: readonly number[];
  infra?: HiddenInfraPrices;
  operations?: Operations;
  fineTuning?: { oneOffUsd: number; amortisationMonths: number; provenance: Provenance };
}

/** Minimum replicas and target utilisation: the option's own, else the workload's operations, else the defaults. */
export function planningParameters(
  input: Pick<SelfHostedInput, 'minReplicas' | 'targetUtilisation' | 'operations'>,
): { minReplicas: number; targetUtilisation: number } {
  return {
    minReplicas: input.minReplicas ?? input.operations?.min_replicas ?? MIN_REPLICAS.value,
    targetUtilisation:
      input.targetUtilisation ?? input.operations?.target_utilisation ?? TARGET_UTILISATION.value,
  };
}

/** Monthly TCO of a self-hosted option with every line item, its replicas and its average utilisation. */
export function selfHostedTco(input: SelfHostedInput): OptionCost {
  const { minReplicas, targetUtilisation } = planningParameters(input);
  const plan = planReplicas({
    requestsPerMonth: input.requestsPerMonth,
    peakFactor: input.peakFactor,
    capacityRps: input.capacity.requestsPerSecond,
    targetUtilisation,
    minReplicas,
    ...(input.maxReplicas !== undefined ? { maxReplicas: input.maxReplicas } : {}),
    ...(input.hourlyProfile ? { hourlyProfile: input.hourlyProfile } : {}),
  });
  const lines = selfHostedLines(input, plan);
  const monthlyUsd = lines.reduce((s, l) => s + l.usd, 0);
  const notes = [...plan.notes];
  if (plan.averageUtilisation < 0.2) {
    notes.push(
      `replicas are ${r(plan.averageUtilisation * 100)}% utilised on average: most GPU hours are paid for idle capacity`,
    );
  }
  return {
    optionId: input.optionId,
    family: input.hardware.kind === 'cloud' ? 'self-hosted-cloud' : 'self-hosted-owned',
    monthlyUsd,
    costPerRequestUsd:
      input.requestsPerMonth > 0 ? monthlyUsd / input.requestsPerMonth : Number.POSITIVE_INFINITY,
    lines,
    replicas: plan.peakReplicas,
    averageUtilisation: plan.averageUtilisation,
    notes,
  };
}

/** Every line of a self-hosted option for a given replica plan. */
function selfHostedLines(
  input: SelfHostedInput,
  plan: Pick<ReplicaPlan, 'peakReplicas' | 'averageReplicas' | 'formula'>,
): LineItem[] {
  const gpus = input.capacity.gpusPerReplica;
  const hw = input.hardware;
  const capacityNote = `capacity ${describeProvenance(input.capacity.provenance)}`;
  const lines: LineItem[] = [];
  if (hw.kind === 'cloud') {
    lines.push({
      id: 'gpu.rent',
      label: `GPU rental (${hw.gpuLabel})`,
      usd: plan.averageReplicas * gpus * hw.usdPerGpuHour * HOURS_PER_MONTH,
      formula: `${r(plan.averageReplicas)} replicas × ${gpus} GPU × ${usd(hw.usdPerGpuHour)}/h × ${HOURS_PER_MONTH} h; replicas: ${plan.formula}`,
      provenance: computed(`GPU price (${describeProvenance(hw.provenance)}), ${capacityNote}`),
    });
  } else {
    const owned = resolveOwned(hw);
    const units = plan.peakReplicas * gpus;
    lines.push({
      id: 'gpu.capex',
      label: `hardware amortisation (${hw.gpuLabel})`,
      usd: (units * owned.capexUsdPerGpu) / owned.amortisationMonths.value,
      formula: `${plan.peakReplicas} replicas × ${gpus} GPU × ${usd(owned.capexUsdPerGpu)} ÷ ${owned.amortisationMonths.value} months; replicas: ${plan.formula}`,
      provenance: computed(
        `purchase price (${describeProvenance(hw.capexProvenance)}), amortisation (${describeProvenance(owned.amortisationMonths.provenance)}), ${capacityNote}`,
      ),
    });
    lines.push({
      id: 'gpu.power',
      label: 'power (whole server, with cooling overhead)',
      usd: (units * hw.systemWattsPerGpu * owned.pue.value * HOURS_PER_MONTH * owned.usdPerKwh.value) / 1000,
      formula: `${units} GPU × ${hw.systemWattsPerGpu} W × PUE ${owned.pue.value} × ${HOURS_PER_MONTH} h ÷ 1000 × ${usd(owned.usdPerKwh.value)}/kWh`,
      provenance: computed(
        `PUE (${describeProvenance(owned.pue.provenance)}), electricity (${describeProvenance(owned.usdPerKwh.provenance)}); full power all month, an upper bound`,
      ),
    });
    lines.push({
      id: 'gpu.hosting',
      label: 'hosting (rack space, network, remote hands)',
      usd: units * owned.hostingUsdPerGpuMonth.value,
      formula: `${units} GPU × ${usd(owned.hostingUsdPerGpuMonth.value)}/GPU-month`,
      provenance: owned.hostingUsdPerGpuMonth.provenance,
    });
  }
  lines.push(
    ...hiddenInfraLines({
      prices: input.infra ?? {},
      replicas: hw.kind === 'owned' ? plan.peakReplicas : plan.averageReplicas,
      weightsGb: input.weightsGb,
      requestsPerMonth: input.requestsPerMonth,
      outputTokensPerRequest: input.outputTokensPerRequest,
      owned: hw.kind === 'owned',
    }),
  );
  lines.push(...operationsLines(input.operations));
  if (input.fineTuning) {
    const ft = input.fineTuning;
    lines.push({
      id: 'fine-tuning',
      label: 'fine-tuning (one-off, amortised)',
      usd: ft.oneOffUsd / ft.amortisationMonths,
      formula: `${usd(ft.oneOffUsd)} ÷ ${ft.amortisationMonths} months`,
      provenance: ft.provenance,
    });
  }
  return lines;
}

/** Owned-hardware figures with defaults filled in, each with its provenance. */
export function resolveOwned(hw: OwnedHardware) {
  const pick = (v: number | undefined, d: { value: number; provenance: Provenance }) =>
    v === undefined ? d : { value: v, provenance: { kind: 'user' } as Provenance };
  return {
    capexUsdPerGpu: hw.capexUsdPerGpu,
    amortisationMonths: pick(hw.amortisationMonths, AMORTISATION_MONTHS),
    pue: pick(hw.pue, PUE),
    usdPerKwh: pick(hw.usdPerKwh, USD_PER_KWH),
    hostingUsdPerGpuMonth: pick(hw.hostingUsdPerGpuMonth, HOSTING_USD_PER_GPU_MONTH),
  };
}

const r = (x: number) => Number(x.toPrecision(4));

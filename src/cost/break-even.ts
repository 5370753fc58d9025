import { type CostModel, monthlyAt } from './cost-model.ts';
import { computed, usd } from './provenance.ts';
import type { Provenance } from './types.ts';

// DESIGN §4: the monthly volume V where API cost(V) = self-hosted cost(V). The API is linear in V;
// self-hosting is a step function (replicas) plus fixed operations, so the curves can cross more than
// once: just after a replica step the API can be cheaper again. Between steps both are linear, so
// each crossing is solved exactly on its interval.

/** A volume where the cheaper of two options changes. */
export interface Crossing {
  volume: number;
  /** The option that is cheaper just above this volume. */
  cheaperAbove: string;
}

export interface BreakEven {
  apiOptionId: string;
  selfHostedOptionId: string;
  /** Lowest volume from which self-hosting stays cheaper up to the horizon; null when it never does. */
  volume: number | null;
  /** First volume at which self-hosting is cheaper, even if a later replica step hands it back. */
  firstVolume: number | null;
  crossings: Crossing[];
  /** The largest volume examined. */
  horizon: number;
  sentence: string;
  provenance: Provenance;
}

/** Default horizon: 10 billion requests a month (about 3,800 requests per second on average). */
export const DEFAULT_HORIZON = 1e10;

/** Break-even volume of a self-hosted option against an API (any two cost models work; ties go to the first). */
export function breakEven(
  api: CostModel,
  selfHosted: CostModel,
  options: { horizon?: number } = {},
): BreakEven {
  let horizon = options.horizon ?? DEFAULT_HORIZON;
  const limit = 100_000;
  const steps = [...new Set([...api.stepVolumes(horizon), ...selfHosted.stepVolumes(horizon)])].sort(
    (a, b) => a - b,
  );
  // Too many steps to walk: examine only up to the last one listed, and say so through the horizon.
  if (steps.length >= limit) horizon = steps[limit - 1]!;
  const ends = [...steps.filter((v) => v > 0 && v < horizon), horizon];
  const diff = (v: number) => monthlyAt(api, v) - monthlyAt(selfHosted, v);
  const side = (d: number) => (d > 0 ? selfHosted.optionId : api.optionId);
  const crossings: Crossing[] = [];
  let previous: string | null = null;
  let left = 0;
  for (const right of ends) {
    const mid = (left + right) / 2;
    // Steps of different hours of a profile can land within a rounding error of each other: such an
    // interval has no width to solve on (its slope would be 0 ÷ 0), and nothing can cross inside it.
    if (!(right > mid)) {
      left = right;
      continue;
    }
    const dRight = diff(right);
    const slope = (dRight - diff(mid)) / (right - mid);
    const dLeft = dRight - slope * (right - left);
    if (previous !== null && side(dLeft) !== previous)
      crossings.push({ volume: left, cheaperAbove: side(dLeft) });
    if (side(dLeft) !== side(dRight) && slope !== 0)
      crossings.push({ volume: right - dRight / slope, cheaperAbove: side(dRight) });
    previous = side(dRight);
    left = right;
  }
  const intoSelf = crossings.filter((c) => c.cheaperAbove === selfHosted.optionId);
  const startsSelf = side(diff(Math.min(1, horizon))) === selfHosted.optionId;
  const firstVolume = startsSelf ? 0 : (intoSelf[0]?.volume ?? null);
  const endsSelf = previous === selfHosted.optionId;
  const volume = !endsSelf ? null : (intoSelf.at(-1)?.volume ?? 0);
  return {
    apiOptionId: api.optionId,
    selfHostedOptionId: selfHosted.optionId,
    volume,
    firstVolume,
    crossings,
    horizon,
    sentence: breakEvenSentence(api, selfHosted, volume, firstVolume, horizon),
    provenance: computed(
      `the cost forms of ${api.optionId} and ${selfHosted.optionId}: fixed + per request × volume + per replica × replicas`,
    ),
  };
}

function breakEvenSentence(
  api: CostModel,
  self: CostModel,
  volume: number | null,
  first: number | null,
  horizon: number,
): string {
  const shape = `${api.optionId} costs ${usd(api.usdPerRequest)} per request; ${self.optionId} costs ${usd(self.fixedUsd)} a month before traffic plus ${usd(self.usdPerReplica)} per replica`;
  if (volume === null) {
    return first === null
      ? `${self.optionId} never costs less than ${api.optionId} up to ${volumeText(horizon)} requests a month (${shape}).`
      : `${self.optionId} costs less than ${api.optionId} only in windows just below replica steps, first from ${volumeText(first)} requests a month, and not beyond ${volumeText(horizon)} (${shape}).`;
  }
  if (volume === 0)
    return `${self.optionId} costs less than ${api.optionId} at every volume up to ${volumeText(horizon)} requests a month (${shape}).`;
  const windows = first !== null && first < volume ? ` (with windows from ${volumeText(first)})` : '';
  return `${self.optionId} costs less than ${api.optionId} from ${volumeText(volume)} requests a month${windows} (${shape}).`;
}

/** A volume as people say it: 1.2M, 350k, 3.4B. */
export function volumeText(v: number): string {
  const units: Array<[number, string]> = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) if (v >= size) return `${Number((v / size).toPrecision(3))}${suffix}`;
  return `${Math.round(v)}`;
}

/** One option's monthly cost at each volume, for charts. */
export interface CostCurve {
  volumes: number[];
  series: Array<{ optionId: string; usd: number[] }>;
}

/** Cost curves on a log grid (10 points a decade) plus both sides of each replica step in range, for charts. */
export function costCurve(
  models: CostModel[],
  range: { from?: number; to?: number; volumes?: number[] } = {},
): CostCurve {
  const from = range.from ?? 1e4;
  const to = range.to ?? 1e9;
  let volumes = range.volumes;
  if (!volumes) {
    const grid: number[] = [];
    for (let e = Math.log10(from); e <= Math.log10(to) + 1e-9; e += 0.1)
      grid.push(Number((10 ** e).toPrecision(6)));
    for (const m of models) {
      const steps = m.stepVolumes(to).filter((v) => v >= from);
      if (steps.length <= 500) for (const s of steps) grid.push(s, s * (1 + 1e-9));
    }
    volumes = [...new Set(grid)].sort((a, b) => a - b);
  }
  const vs = volumes;
  return {
    volumes: vs,
    series: models.map((m) => ({ optionId: m.optionId, usd: vs.map((v) => monthlyAt(m, v)) })),
  };
}

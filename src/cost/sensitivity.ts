import { breakEven, volumeText } from './break-even.ts';
import { type CostModel, costModel, monthlyAt } from './cost-model.ts';
import { type Lever, levers } from './levers.ts';
import type { Scenario } from './options.ts';
import { computed, usd } from './provenance.ts';
import type { Provenance } from './types.ts';

// DESIGN §4–5: how the break-even and the cheapest option move when each input moves ±50% (a
// tornado), and what would flip the decision: the smallest single-input change that makes another
// option the cheapest. Nobody can predict prices a year out, so the decision says how fragile it is.

/** The cheapest option and the break-even under one setting of the inputs. */
export interface Outcome {
  factor: number;
  /** The lever's value at this factor (absent for the base outcome). */
  value?: number;
  winner: string;
  winnerUsd: number;
  /** Break-even volume of the reference self-hosted option against the reference API; null when none. */
  breakEven: number | null;
}

export interface TornadoBar {
  lever: string;
  label: string;
  unit: string;
  baseValue: number;
  low: Outcome;
  high: Outcome;
  /** Whether either end changes the cheapest option. */
  flipsWinner: boolean;
}

export interface Tornado {
  base: Outcome;
  /** The pair whose break-even the bars track: the cheapest API and the cheapest self-hosted option at the base. */
  pair: { api: string; selfHosted: string } | null;
  bars: TornadoBar[];
  provenance: Provenance;
}

function models(s: Scenario): CostModel[] {
  return s.options.map((o) => costModel(o, s.peakFactor));
}

function cheapest(ms: CostModel[], volume: number): { id: string; usd: number } {
  let best = { id: '', usd: Number.POSITIVE_INFINITY };
  for (const m of ms) {
    const c = monthlyAt(m, volume);
    if (c < best.usd) best = { id: m.optionId, usd: c };
  }
  return best;
}

/** The reference pair for break-even: cheapest API-priced and cheapest self-hosted option at the scenario's volume. */
export function referencePair(s: Scenario): { api: string; selfHosted: string } | null {
  const ms = models(s);
  const api = cheapest(
    ms.filter((m) => m.family === 'closed-api' || m.family === 'open-managed-api'),
    s.requestsPerMonth,
  );
  const self = cheapest(
    ms.filter((m) => m.family === 'self-hosted-cloud' || m.family === 'self-hosted-owned'),
    s.requestsPerMonth,
  );
  return api.id && self.id ? { api: api.id, selfHosted: self.id } : null;
}

function outcome(
  s: Scenario,
  pair: { api: string; selfHosted: string } | null,
  factor: number,
  value: number | undefined,
  horizon?: number,
): Outcome {
  const ms = models(s);
  const best = cheapest(ms, s.requestsPerMonth);
  let be: number | null = null;
  if (pair) {
    const a = ms.find((m) => m.optionId === pair.api)!;
    const b = ms.find((m) => m.optionId === pair.selfHosted)!;
    be = breakEven(a, b, horizon !== undefined ? { horizon } : {}).volume;
  }
  return {
    factor,
    ...(value !== undefined ? { value } : {}),
    winner: best.id,
    winnerUsd: best.usd,
    breakEven: be,
  };
}

/** The tornado: each lever at (1 − spread) and (1 + spread) of its base, within its bounds; widest break-even swing first. */
export function tornado(
  scenario: Scenario,
  options: {
    spread?: number;
    horizon?: number;
    /** The API and self-hosted options whose break-even moves (default: the cheapest of each). */
    pair?: { api: string; selfHosted: string };
  } = {},
): Tornado {
  const spread = options.spread ?? 0.5;
  const pair = options.pair ?? referencePair(scenario);
  const base = outcome(scenario, pair, 1, undefined, options.horizon);
  const bars = levers(scenario).map((lever): TornadoBar => {
    const lo = Math.max(lever.minFactor, 1 - spread);
    const hi = Math.min(lever.maxFactor, 1 + spread);
    const low = outcome(lever.apply(scenario, lo), pair, lo, lever.baseValue * lo, options.horizon);
    const high = outcome(lever.apply(scenario, hi), pair, hi, lever.baseValue * hi, options.horizon);
    return {
      lever: lever.id,
      label: lever.label,
      unit: lever.unit,
      baseValue: lever.baseValue,
      low,
      high,
      flipsWinner: low.winner !== base.winner || high.winner !== base.winner,
    };
  });
  const swing = (b: TornadoBar) => {
    const ends = [b.low.breakEven, b.high.breakEven];
    if (base.breakEven === null) return ends.some((e) => e !== null) ? Number.POSITIVE_INFINITY : 0;
    return Math.max(
      ...ends.map((e) => (e === null ? Number.POSITIVE_INFINITY : Math.abs(Math.log(e / base.breakEven!)))),
    );
  };
  const costSwing = (b: TornadoBar) => Math.abs(b.high.winnerUsd - b.low.winnerUsd);
  bars.sort((a, b) => swing(b) - swing(a) || costSwing(b) - costSwing(a));
  return {
    base,
    pair,
    bars,
    provenance: computed(`each input of the scenario moved ±${spread * 100}% one at a time`),
  };
}

/** The smallest change of one input that makes another option the cheapest. */
export interface Flip {
  lever: string;
  label: string;
  unit: string;
  from: number;
  to: number;
  factor: number;
  winner: string;
  newWinner: string;
  sentence: string;
}

/** One option's monthly cost at a setting of the inputs, as a pick rule sees it. */
export interface OptionAt {
  id: string;
  family: CostModel['family'];
  usd: number;
}

/** How the decision picks among priced options (default: the cheapest). */
export type PickRule = (options: OptionAt[]) => string;

const cheapestRule: PickRule = (xs) =>
  xs.reduce((a, b) => (b.usd < a.usd ? b : a), { id: '', family: 'closed-api', usd: Infinity }).id;

/**
 * For each lever, the smallest move (up to ×/÷ maxFactor) that changes the pick; smallest first. The
 * pick is the cheapest option unless `pick` says otherwise (a near tie to the simpler operation), with
 * `nearTie` the share whose boundaries are also crossings of the volume search.
 */
export function whatWouldFlip(
  scenario: Scenario,
  options: { maxFactor?: number; pick?: PickRule; nearTie?: number } = {},
): { winner: string; flips: Flip[] } {
  const maxFactor = options.maxFactor ?? 100;
  const rule = options.pick ?? cheapestRule;
  const pickAmong = (ms: CostModel[], v: number) =>
    rule(ms.map((m) => ({ id: m.optionId, family: m.family, usd: monthlyAt(m, v) })));
  const winnerAt = (s: Scenario) => pickAmong(models(s), s.requestsPerMonth);
  const winner = winnerAt(scenario);
  const flips: Flip[] = [];
  for (const lever of levers(scenario)) {
    let best: Flip | null = null;
    for (const direction of [1, -1]) {
      const flip =
        lever.id === 'volume'
          ? volumeFlip(scenario, lever, winner, direction, maxFactor, pickAmong, options.nearTie ?? 0)
          : searchDirection(scenario, lever, winner, winnerAt, direction, maxFactor);
      if (flip && (!best || Math.abs(Math.log(flip.factor)) < Math.abs(Math.log(best.factor)))) best = flip;
    }
    if (best) flips.push(best);
  }
  flips.sort((a, b) => Math.abs(Math.log(a.factor)) - Math.abs(Math.log(b.factor)));
  return { winner, flips };
}

/** Exact for volume: between replica steps and pairwise crossings every cost is linear, so the winner is constant there. */
function volumeFlip(
  s: Scenario,
  lever: Lever,
  winner: string,
  direction: number,
  maxFactor: number,
  pickAmong: (ms: CostModel[], v: number) => string,
  nearTie: number,
): Flip | null {
  const ms = models(s);
  // A near tie compares each cost with (1 + share) × another: those crossings are where the pick can change too.
  const scaled = nearTie > 0 ? ms.map((m) => scaleModel(m, 1 + nearTie)) : [];
  const v0 = s.requestsPerMonth;
  const lo = v0 / maxFactor;
  const hi = v0 * maxFactor;
  const points = new Set<number>([lo, v0, hi]);
  for (const m of ms) for (const v of m.stepVolumes(hi)) if (v >= lo) points.add(v);
  for (let i = 0; i < ms.length; i++) {
    for (let j = i + 1; j < ms.length; j++) {
      for (const c of breakEven(ms[i]!, ms[j]!, { horizon: hi }).crossings)
        if (c.volume >= lo) points.add(c.volume);
    }
    for (let j = 0; j < scaled.length; j++) {
      if (j === i) continue;
      for (const c of breakEven(ms[i]!, scaled[j]!, { horizon: hi }).crossings)
        if (c.volume >= lo) points.add(c.volume);
    }
  }
  const sorted = [...points].sort((a, b) => a - b);
  const start = sorted.indexOf(v0);
  for (let i = start; direction > 0 ? i < sorted.length - 1 : i > 0; i += direction) {
    const next = sorted[i + direction]!;
    const mid = (sorted[i]! + next) / 2;
    const other = pickAmong(ms, mid);
    if (other !== winner) return flipAt(lever, winner, other, sorted[i]! / v0);
  }
  return null;
}

/** A cost model whose every part is multiplied by `k` (the near-tie bound of another option). */
function scaleModel(m: CostModel, k: number): CostModel {
  return {
    ...m,
    optionId: `${m.optionId}×${k}`,
    fixedUsd: m.fixedUsd * k,
    usdPerRequest: m.usdPerRequest * k,
    usdPerReplica: m.usdPerReplica * k,
  };
}

function flipAt(lever: Lever, winner: string, newWinner: string, factor: number): Flip {
  const to = lever.baseValue * factor;
  const change = `${factor >= 1 ? '+' : '−'}${pct(Math.abs(factor - 1))}`;
  const sentence = `The pick changes from ${winner} to ${newWinner} with ${lever.label} at ${show(to, lever.unit)} instead of ${show(lever.baseValue, lever.unit)} (${change}).`;
  return {
    lever: lever.id,
    label: lever.label,
    unit: lever.unit,
    from: lever.baseValue,
    to,
    factor,
    winner,
    newWinner,
    sentence,
  };
}

function searchDirection(
  s: Scenario,
  lever: Lever,
  winner: string,
  winnerAt: (s: Scenario) => string,
  direction: number,
  maxFactor: number,
): Flip | null {
  const bound =
    direction > 0 ? Math.min(lever.maxFactor, maxFactor) : Math.max(lever.minFactor, 1 / maxFactor);
  if (direction > 0 ? bound <= 1 : bound >= 1) return null;
  // About 5% per step up to ×100: a flip inside a narrower window can be missed (volume is searched exactly).
  const steps = 96;
  const logBound = Math.log(bound);
  let inside = 0; // log factor known to keep the winner
  let outside: number | null = null;
  for (let i = 1; i <= steps; i++) {
    const x = (logBound * i) / steps;
    if (winnerAt(lever.apply(s, Math.exp(x))) !== winner) {
      outside = x;
      break;
    }
    inside = x;
  }
  if (outside === null) return null;
  let out: number = outside;
  for (let i = 0; i < 30; i++) {
    const mid = (inside + out) / 2;
    if (winnerAt(lever.apply(s, Math.exp(mid))) !== winner) out = mid;
    else inside = mid;
  }
  const factor = Math.exp(out);
  return flipAt(lever, winner, winnerAt(lever.apply(s, factor)), factor);
}

const pct = (x: number) => `${Number((x * 100).toPrecision(3))}%`;
const show = (v: number, unit: string) => {
  if (unit === 'requests/month') return `${volumeText(v)} requests a month`;
  if (unit.startsWith('USD')) return `${usd(v)}${unit.slice(3)}`;
  return `${Number(v.toPrecision(4)).toLocaleString('en-US')} ${unit}`;
};

import {
  breakEven,
  costCurve,
  costModel,
  type Flip,
  type OptionCost,
  type OptionFamily,
  type PickRule,
  priceOption,
  referencePair,
  type Scenario,
  scenarioCaveats,
  tornado,
  usd,
  volumeText,
  whatWouldFlip,
} from '../cost/index.ts';
import type { ReportCost } from '../spec/decision.ts';
import type { CandidateOption } from './candidate-options.ts';

// Step 3 of the decision (DESIGN §5): every option still in the running priced at the workload's
// volume, cheapest first, near-ties to the simpler operation; plus what the report draws beside it
// (curves, break-evens, the tornado) and what would flip the pick.

/** Simpler operation first: an API has no replicas and no on-call; owned hardware has the most. */
export const SIMPLICITY: Record<OptionFamily, number> = {
  'closed-api': 0,
  'open-managed-api': 0,
  'self-hosted-cloud': 1,
  'self-hosted-owned': 2,
};

const OPERATION: Record<OptionFamily, string> = {
  'closed-api': 'an API: no replicas, no on-call',
  'open-managed-api': 'a managed API: no replicas, no on-call',
  'self-hosted-cloud': 'rented GPUs the team operates',
  'self-hosted-owned': 'owned hardware the team operates',
};

export interface PricedOption {
  option: CandidateOption;
  cost: OptionCost;
}

export interface CostPick {
  ranked: PricedOption[];
  winner: PricedOption;
  runnerUp: PricedOption | null;
  /** Set when a near-tie handed the win to a simpler operation than the cheapest. */
  tieBreak: string | null;
}

/** Prices options at a volume, cheapest first. */
export function priceOptions(options: CandidateOption[], volume: number, peakFactor: number): PricedOption[] {
  return options
    .map((option) => ({ option, cost: priceOption(option.spec, volume, peakFactor) }))
    .sort((a, b) => a.cost.monthlyUsd - b.cost.monthlyUsd);
}

/** The near-tie rule on bare costs: the cheapest, unless a simpler operation costs within `nearTie` of it. */
export function nearTiePick(nearTie: number): PickRule {
  return (options) => {
    const ranked = [...options].sort((a, b) => a.usd - b.usd);
    const cheapest = ranked[0];
    if (!cheapest) return '';
    const bound = cheapest.usd * (1 + nearTie);
    return ranked
      .filter((o) => o.usd <= bound)
      .sort((a, b) => SIMPLICITY[a.family] - SIMPLICITY[b.family] || a.usd - b.usd)[0]!.id;
  };
}

/** The cheapest option, unless a simpler one costs within `nearTie` of it; the runner-up is the best other candidate. */
export function pickCheapest(ranked: PricedOption[], nearTie: number): CostPick | null {
  const cheapest = ranked[0];
  if (!cheapest) return null;
  const simplestId = nearTiePick(nearTie)(
    ranked.map((p) => ({ id: p.cost.optionId, family: p.cost.family, usd: p.cost.monthlyUsd })),
  );
  const simplest = ranked.find((p) => p.cost.optionId === simplestId)!;
  let tieBreak: string | null = null;
  if (simplest !== cheapest && SIMPLICITY[simplest.cost.family] < SIMPLICITY[cheapest.cost.family]) {
    const gap = simplest.cost.monthlyUsd / cheapest.cost.monthlyUsd - 1;
    tieBreak = `${simplest.cost.optionId} costs ${usd(simplest.cost.monthlyUsd)} a month, ${pct(gap)} more than ${cheapest.cost.optionId} at ${usd(cheapest.cost.monthlyUsd)}: within the ${pct(nearTie)} near-tie margin, so the simpler operation wins (${OPERATION[simplest.cost.family]}, against ${OPERATION[cheapest.cost.family]}).`;
  }
  const winner = tieBreak ? simplest : cheapest;
  const others = ranked.filter((p) => p !== winner);
  const runnerUp =
    others.find((p) => p.option.candidateId !== winner.option.candidateId) ?? others[0] ?? null;
  return { ranked, winner, runnerUp, tieBreak };
}

/** The cost sentence of the winner and the runner-up, with figures. */
export function costSentences(pick: CostPick, volume: number): string[] {
  const w = pick.winner.cost;
  const out = [
    `At ${volumeText(volume)} requests a month, ${w.optionId} costs ${usd(w.monthlyUsd)} a month (${usd(w.costPerRequestUsd)} a request)${pick.tieBreak ? '' : `, the cheapest of ${pick.ranked.length} priced option${pick.ranked.length === 1 ? '' : 's'} still in the running`}${utilisation(w)}.`,
  ];
  if (pick.tieBreak) out.push(pick.tieBreak);
  const r = pick.runnerUp?.cost;
  if (r) {
    const more = r.monthlyUsd - w.monthlyUsd;
    out.push(
      `Runner-up ${r.optionId} costs ${usd(r.monthlyUsd)} a month (${more >= 0 ? `${usd(more)} more` : `${usd(-more)} less`}, ${more >= 0 ? '+' : '−'}${pct(Math.abs(more) / w.monthlyUsd)})${utilisation(r)}.`,
    );
  }
  return out;
}

function utilisation(c: OptionCost): string {
  if (c.replicas === undefined) return '';
  return `; ${c.replicas} replica${c.replicas === 1 ? '' : 's'} at ${Math.round((c.averageUtilisation ?? 0) * 100)}% average utilisation`;
}

export interface CostAnalysis {
  report: ReportCost;
  /** Break-even sentences of the winner's family against the other. */
  breakEvenSentences: string[];
  flips: Flip[];
  caveats: string[];
}

/** Curves, break-evens, tornado and flips for a set of options (the report's cost section). */
export function analyseCost(
  priced: PricedOption[],
  scenario: Scenario,
  now: Date,
  candidateOf: (optionId: string) => string,
  /** The near-tie share of the pick rule, so the flips are flips of the pick itself. */
  nearTie = 0,
): CostAnalysis {
  const models = scenario.options.map((o) => costModel(o, scenario.peakFactor));
  const v = scenario.requestsPerMonth;
  const isApi = (f: OptionFamily) => f === 'closed-api' || f === 'open-managed-api';
  // Each self-hosted option against the cheapest closed API and the cheapest managed open-weight API.
  const apis = [
    priced.find((p) => p.cost.family === 'closed-api'),
    priced.find((p) => p.cost.family === 'open-managed-api'),
  ].filter((p): p is PricedOption => p !== undefined);
  const breakEvens: NonNullable<ReportCost['breakEvens']> = [];
  for (const apiCheapest of apis) {
    const apiModel = models.find((m) => m.optionId === apiCheapest.cost.optionId)!;
    for (const p of priced) {
      if (isApi(p.cost.family)) continue;
      const be = breakEven(apiModel, models.find((m) => m.optionId === p.cost.optionId)!);
      breakEvens.push({
        apiOptionId: be.apiOptionId,
        selfHostedOptionId: be.selfHostedOptionId,
        volume: be.volume,
        sentence: be.sentence,
      });
    }
  }
  let sensitivity: ReportCost['sensitivity'];
  if (breakEvens.length > 0 && scenario.options.length <= 12) {
    // The cheapest API against the cheapest self-hosted option, unless they never break even and
    // another pair does: a break-even in the report always has its tornado.
    const reference = referencePair(scenario);
    const first = breakEvens.find((b) => b.volume !== null);
    const referenceMeets = breakEvens.some(
      (b) =>
        b.volume !== null &&
        b.apiOptionId === reference?.api &&
        b.selfHostedOptionId === reference?.selfHosted,
    );
    const t = tornado(
      scenario,
      first && !referenceMeets
        ? { pair: { api: first.apiOptionId, selfHosted: first.selfHostedOptionId } }
        : {},
    );
    const inputs = t.bars.map((b) => ({ input: b.label, low: b.low.breakEven, high: b.high.breakEven }));
    // A break-even that exists under no setting of the inputs has nothing to draw.
    if (t.base.breakEven !== null || inputs.some((i) => i.low !== null || i.high !== null))
      sensitivity = { baseVolume: t.base.breakEven, inputs };
  }
  // The smallest flip towards each other option first, so the list names different alternatives.
  // A flip to another candidate says more than one between two routes of the same weights.
  const winnerId = priced[0]?.cost.optionId ?? '';
  const other = (f: Flip) => Number(candidateOf(f.newWinner) === candidateOf(winnerId));
  const all = (
    scenario.options.length > 1 ? whatWouldFlip(scenario, { pick: nearTiePick(nearTie), nearTie }).flips : []
  ).sort((a, b) => other(a) - other(b) || Math.abs(Math.log(a.factor)) - Math.abs(Math.log(b.factor)));
  const firstPerWinner = all.filter((f, i) => all.findIndex((g) => g.newWinner === f.newWinner) === i);
  const flips = [...firstPerWinner, ...all.filter((f) => !firstPerWinner.includes(f))];
  const priceDates = [
    ...new Set(scenario.options.flatMap((o) => (o.kind === 'api' ? [o.price.priceDate] : []))),
  ];
  return {
    report: {
      requestsPerMonth: v,
      ...(priceDates.length > 0 ? { priceDate: priceDates.join(', ') } : {}),
      options: priced.map((p) => ({
        optionId: p.cost.optionId,
        candidateId: candidateOf(p.cost.optionId),
        family: p.cost.family,
        monthlyUsd: p.cost.monthlyUsd,
        costPerRequestUsd: p.cost.costPerRequestUsd,
        ...(p.cost.replicas !== undefined ? { replicas: p.cost.replicas } : {}),
        ...(p.cost.averageUtilisation !== undefined ? { averageUtilisation: p.cost.averageUtilisation } : {}),
      })),
      curve: costCurve(models, { from: Math.max(1, v / 100), to: v * 100 }),
      ...(breakEvens.length > 0 ? { breakEvens } : {}),
      ...(sensitivity ? { sensitivity } : {}),
    },
    breakEvenSentences: breakEvens.map((b) => b.sentence),
    flips,
    caveats: [...new Set(scenarioCaveats(scenario, now))],
  };
}

const pct = (x: number) => `${Number((x * 100).toPrecision(3))}%`;

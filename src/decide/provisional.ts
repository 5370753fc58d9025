import { usd } from '../cost/index.ts';
import type { Decision } from '../spec/decision.ts';
import type { CandidateOption } from './candidate-options.ts';
import { type PricedOption, pickCheapest, priceOptions } from './cost-step.ts';

// DESIGN §5 step 2, undecided: when the data cannot tell the best from some others, no winner is
// named on noise, but the team still gets something to act on — the pick among the candidates not
// told apart (marked provisional), and what settling the question asked would take: the cases a
// paired non-inferiority test at the margin needs, and what running them would cost.

export interface ProvisionalInput {
  /** The best and the candidates not told apart from it, still in the running after latency. */
  candidates: string[];
  options: CandidateOption[];
  volume: number | undefined;
  peak: number;
  nearTie: number;
  /** From the quality step: null when non-inferiority cannot be shown at the observed difference. */
  casesNeeded: number | null;
  /** Cases already run per candidate. */
  casesRun: number;
}

/** The provisional pick among candidates not told apart, or undefined when none can be priced or ranked. */
export function provisionalPick(input: ProvisionalInput): Decision['provisional'] | undefined {
  const pool = input.options.filter((o) => o.decides && input.candidates.includes(o.candidateId));
  if (input.volume === undefined || pool.length === 0) return undefined;
  const priced = priceOptions(pool, input.volume, input.peak);
  const pick = pickCheapest(priced, input.nearTie);
  if (!pick) return undefined;
  const more = input.casesNeeded === null ? null : Math.max(0, input.casesNeeded - input.casesRun);
  const runCostUsd = more === null ? undefined : runCost(priced, input.candidates, more);
  const w = pick.winner;
  const needs =
    input.casesNeeded === null
      ? 'at the observed difference, more cases would not show non-inferiority at the margin; only a better candidate or a wider margin would'
      : `settling it needs ≈${input.casesNeeded.toLocaleString('en-US')} cases per candidate for a paired non-inferiority test at the margin (${more!.toLocaleString('en-US')} more than this run)${runCostUsd !== undefined ? `, about ${usd(runCostUsd)} in API calls` : ''}`;
  return {
    winner: w.option.candidateId,
    winnerOption: w.cost.optionId,
    runnerUp: pick.runnerUp?.option.candidateId ?? null,
    casesNeeded: input.casesNeeded,
    ...(runCostUsd !== undefined ? { runCostUsd } : {}),
    sentence: `Provisional pick: ${w.cost.optionId}, the cheapest of ${input.candidates.join(', ')} at ${usd(w.cost.monthlyUsd)} a month — they are not yet told apart on quality; ${needs}.`,
  };
}

/** Cost of `cases` more calls to each API-priced candidate among them (self-hosted ones run on the team's servers). */
function runCost(priced: PricedOption[], candidates: string[], cases: number): number | undefined {
  let total = 0;
  let any = false;
  for (const id of candidates) {
    const api = priced.find(
      (p) => p.option.candidateId === id && p.option.route === 'own' && p.option.spec.kind === 'api',
    );
    if (!api) continue;
    any = true;
    total += api.cost.costPerRequestUsd * cases;
  }
  return any ? total : undefined;
}

import { type OptionSpec, priceOption, usd } from '../cost/index.ts';
import type { CandidateOption } from './candidate-options.ts';
import { type CostPick, type PricedOption, priceOptions } from './cost-step.ts';

// DESIGN §5 step 4: a cheap candidate answers every request first and the cases it would fail are
// escalated to a strong one. An escalated request pays twice (the cheap attempt and the strong
// call). Which cases escalate is decided by a router signal measured without the expected answer
// (a failed call, a reference-free grader); escalating exactly the failures (the oracle) is an upper
// bound on what any router achieves, shown as such and never picked.

/** One case's first attempt by a candidate: did it pass, and did a reference-free signal flag it. */
export interface CaseOutcome {
  pass: boolean;
  /** A router could see this attempt needs escalation (failed call, a reference-free grader failed). */
  flagged: boolean;
}

/** Per candidate, per case id. */
export type CaseOutcomes = Map<string, Map<string, CaseOutcome>>;

export interface SplitEstimate {
  /** Share of requests escalated to the strong candidate. */
  escalated: number;
  passRate: number;
  monthlyUsd: number;
}

export interface HybridOption {
  id: string;
  cheap: string;
  strong: string;
  cases: number;
  /** Escalate exactly the cheap candidate's failures: an upper bound. */
  oracle: SplitEstimate;
  /** Escalate what the router signal flags. */
  router: SplitEstimate;
  /** The router split meets the quality bar and costs less than the winner. */
  wins: boolean;
  sentences: string[];
}

export interface HybridInput {
  cheap: { candidateId: string; spec: OptionSpec };
  strong: { candidateId: string; spec: OptionSpec };
  outcomes: CaseOutcomes;
  requestsPerMonth: number;
  peakFactor: number;
  /** Pass rate the split must reach (the best candidate's, less the non-inferiority margin). */
  bar: number;
  /** The winner's monthly cost without a split. */
  winnerUsd: number;
  winnerId: string;
}

/** Prices a cheap-first, escalate-on-failure split from per-case results; null without shared cases. */
export function priceHybrid(input: HybridInput): HybridOption | null {
  const cheap = input.outcomes.get(input.cheap.candidateId);
  const strong = input.outcomes.get(input.strong.candidateId);
  if (!cheap || !strong) return null;
  const shared = [...cheap.keys()].filter((id) => strong.has(id));
  const n = shared.length;
  if (n === 0) return null;
  let oracleEsc = 0;
  let oraclePass = 0;
  let routerEsc = 0;
  let routerPass = 0;
  for (const id of shared) {
    const c = cheap.get(id)!;
    const s = strong.get(id)!;
    if (!c.pass) oracleEsc++;
    if (c.pass || s.pass) oraclePass++;
    if (c.flagged) {
      routerEsc++;
      if (s.pass) routerPass++;
    } else if (c.pass) routerPass++;
  }
  const price = (share: number) =>
    priceOption(input.cheap.spec, input.requestsPerMonth, input.peakFactor).monthlyUsd +
    (share > 0
      ? priceOption(input.strong.spec, input.requestsPerMonth * share, input.peakFactor).monthlyUsd
      : 0);
  const oracle = { escalated: oracleEsc / n, passRate: oraclePass / n, monthlyUsd: price(oracleEsc / n) };
  const router = { escalated: routerEsc / n, passRate: routerPass / n, monthlyUsd: price(routerEsc / n) };
  const id = `${input.cheap.spec.id}→${input.strong.spec.id}`;
  const wins = router.passRate >= input.bar && router.monthlyUsd < input.winnerUsd;
  const sentences = [
    `Hybrid ${id}: ${input.cheap.spec.id} answers every request and escalates to ${input.strong.spec.id} what it would fail; an escalated request pays for both calls.`,
    `With an oracle router (escalate exactly its ${oracleEsc} failures of ${n} cases, ${pct(oracle.escalated)}), the split passes ${pct(oracle.passRate)} for ${usd(oracle.monthlyUsd)} a month — an upper bound no real router reaches.`,
    routerEsc === 0
      ? `No router signal was measured (no failed calls or reference-free grader failures on ${input.cheap.candidateId}), so a real split cannot be priced from this run; add a grader that runs without the expected answer.`
      : `With the measured router signal (failed calls and reference-free graders flag ${routerEsc} of ${n} cases, ${pct(router.escalated)}), it passes ${pct(router.passRate)} for ${usd(router.monthlyUsd)} a month${wins ? `, below ${input.winnerId}'s ${usd(input.winnerUsd)} while meeting the quality bar of ${pct(input.bar)}: the split wins` : router.passRate < input.bar ? `, below the quality bar of ${pct(input.bar)}` : `, not below ${input.winnerId}'s ${usd(input.winnerUsd)}`}.`,
  ];
  return {
    id,
    cheap: input.cheap.candidateId,
    strong: input.strong.candidateId,
    cases: n,
    oracle,
    router,
    wins,
    sentences,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The cheapest hybrid with the best candidate as the strong side and a cheaper candidate in front. */
export function bestHybrid(
  outcomes: CaseOutcomes,
  options: CandidateOption[],
  running: string[],
  best: string,
  bar: number,
  pick: CostPick,
  volume: number,
  peak: number,
): HybridOption | null {
  const cheapestOf = (id: string): PricedOption | undefined =>
    priceOptions(
      options.filter((o) => o.candidateId === id),
      volume,
      peak,
    )[0];
  const strong = cheapestOf(best);
  if (!strong) return null;
  const found: HybridOption[] = [];
  for (const id of running) {
    if (id === best) continue;
    const cheap = cheapestOf(id);
    if (!cheap || cheap.cost.monthlyUsd >= strong.cost.monthlyUsd) continue;
    const h = priceHybrid({
      cheap: { candidateId: id, spec: cheap.option.spec },
      strong: { candidateId: best, spec: strong.option.spec },
      outcomes,
      requestsPerMonth: volume,
      peakFactor: peak,
      bar,
      winnerUsd: pick.winner.cost.monthlyUsd,
      winnerId: pick.winner.cost.optionId,
    });
    // Worth showing only when the cheap side fails some cases the strong side passes.
    if (h && h.oracle.passRate > 0 && h.oracle.escalated > 0 && h.oracle.escalated < 1) found.push(h);
  }
  found.sort(
    (a, b) =>
      Number(b.wins) - Number(a.wins) ||
      Number(b.oracle.passRate >= bar) - Number(a.oracle.passRate >= bar) ||
      a.router.monthlyUsd - b.router.monthlyUsd,
  );
  return found[0] ?? null;
}

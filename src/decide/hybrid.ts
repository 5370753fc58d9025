import { type OptionSpec, priceOption, usd } from '../cost/index.ts';
import { comparePaired } from '../stats/paired-comparison.ts';
import type { CandidateOption } from './candidate-options.ts';
import { type PricedOption, priceOptions } from './cost-step.ts';

// DESIGN §5 step 5: a cheap candidate answers every request first and what a router flags is
// escalated to the best candidate; an escalated request pays twice. The router's signal is measured
// without the expected answer (a failed call, a reference-free grader). A split is an option only
// when it passes the gates every option passes: it escalates something (else it is the cheap
// candidate alone, which the gates already judged), its routed per-case outcomes meet the floor and
// the paired non-inferiority test against the best at the margin. Escalating exactly the failures
// (the oracle) is an upper bound no router reaches, shown and never picked.

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
  /** The split passed the gates: it escalates something, meets the floor, is non-inferior to the best. */
  option: boolean;
  /** Why it is or is not an option (one sentence). */
  verdict: string;
  /** Description and oracle bound, for the reasons. */
  sentences: string[];
  /** The two priced sides, to price the split at other volumes or shares. */
  cheapSpec: OptionSpec;
  strongSpec: OptionSpec;
}

/** The quality bar every option passes (DESIGN §5 step 2). */
export interface SplitGates {
  /** The best candidate, the reference of the paired test (the split's strong side). */
  best: string;
  margin: number;
  floor: number | null;
}

export interface HybridInput {
  cheap: { candidateId: string; spec: OptionSpec };
  strong: { candidateId: string; spec: OptionSpec };
  outcomes: CaseOutcomes;
  requestsPerMonth: number;
  peakFactor: number;
  gates: SplitGates;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const points = (x: number) => `${Number((x * 100).toFixed(1))}-point`;

/** Monthly cost of a split: the cheap side on every request, the strong side on the escalated share. */
export function splitMonthlyUsd(
  cheap: OptionSpec,
  strong: OptionSpec,
  share: number,
  requestsPerMonth: number,
  peakFactor: number,
): number {
  return (
    priceOption(cheap, requestsPerMonth, peakFactor).monthlyUsd +
    (share > 0 ? priceOption(strong, requestsPerMonth * share, peakFactor).monthlyUsd : 0)
  );
}

/** Prices a cheap-first split from per-case results and judges it by the gates; null without shared cases. */
export function priceHybrid(input: HybridInput): HybridOption | null {
  const cheap = input.outcomes.get(input.cheap.candidateId);
  const strong = input.outcomes.get(input.strong.candidateId);
  if (!cheap || !strong) return null;
  const shared = [...cheap.keys()].filter((id) => strong.has(id)).sort();
  const n = shared.length;
  if (n === 0) return null;
  const routed: boolean[] = [];
  const reference: boolean[] = [];
  let oracleEsc = 0;
  let oraclePass = 0;
  let routerEsc = 0;
  for (const id of shared) {
    const c = cheap.get(id)!;
    const s = strong.get(id)!;
    if (!c.pass) oracleEsc++;
    if (c.pass || s.pass) oraclePass++;
    if (c.flagged) routerEsc++;
    routed.push(c.flagged ? s.pass : c.pass);
    reference.push(s.pass);
  }
  const routerPass = routed.filter(Boolean).length;
  const price = (share: number) =>
    splitMonthlyUsd(input.cheap.spec, input.strong.spec, share, input.requestsPerMonth, input.peakFactor);
  const oracle = { escalated: oracleEsc / n, passRate: oraclePass / n, monthlyUsd: price(oracleEsc / n) };
  const router = { escalated: routerEsc / n, passRate: routerPass / n, monthlyUsd: price(routerEsc / n) };
  const id = `${input.cheap.spec.id}→${input.strong.spec.id}`;
  const { best, margin, floor } = input.gates;
  let option = false;
  let verdict: string;
  if (routerEsc === 0) {
    verdict = `${id} is no option: the router signal (failed calls, graders that need no expected answer) flags none of ${input.cheap.candidateId}'s ${n} answers, so the split would escalate nothing and be ${input.cheap.candidateId} alone; add a grader that runs without the expected answer to measure one.`;
  } else if (floor !== null && router.passRate < floor) {
    verdict = `${id} is no option: routed by the measured signal (${routerEsc} of ${n} escalated, ${pct(router.escalated)}), it passes ${pct(router.passRate)}, below the quality floor of ${pct(floor)}.`;
  } else {
    const test = comparePaired(routed, reference, { margin, names: [id, best] });
    const lower = pct(test.difference.low);
    if (test.conclusion === 'non-inferior' || test.conclusion === 'better') {
      option = true;
      verdict = `${id} passes the gates: routed by the measured signal (${routerEsc} of ${n} escalated, ${pct(router.escalated)}), it passes ${pct(router.passRate)}, non-inferior to ${best} at the ${points(margin)} margin (paired difference ${pct(test.difference.estimate)}, 95% CI from ${lower}), for ${usd(router.monthlyUsd)} a month.`;
    } else {
      verdict = `${id} is no option: routed by the measured signal (${routerEsc} of ${n} escalated, ${pct(router.escalated)}), it passes ${pct(router.passRate)}, not shown non-inferior to ${best} at the ${points(margin)} margin (paired difference ${pct(test.difference.estimate)}, 95% CI from ${lower}).`;
    }
  }
  const sentences = [
    `Split ${id}: ${input.cheap.spec.id} answers every request and escalates to ${input.strong.spec.id} what the router flags; an escalated request pays for both calls.`,
    `An oracle router (escalating exactly its ${oracleEsc} failures of ${n} cases, ${pct(oracle.escalated)}) would pass ${pct(oracle.passRate)} for ${usd(oracle.monthlyUsd)} a month — an upper bound no real router reaches, never an option.`,
  ];
  return {
    id,
    cheap: input.cheap.candidateId,
    strong: input.strong.candidateId,
    cases: n,
    oracle,
    router,
    option,
    verdict,
    sentences,
    cheapSpec: input.cheap.spec,
    strongSpec: input.strong.spec,
  };
}

/**
 * The split worth showing, the best candidate as the strong side behind each cheaper candidate still
 * in the running: the cheapest that passes the gates, else the one whose oracle bound is highest.
 */
export function bestHybrid(
  outcomes: CaseOutcomes,
  options: CandidateOption[],
  frontCandidates: string[],
  gates: SplitGates,
  volume: number,
  peak: number,
): HybridOption | null {
  const cheapestOf = (id: string): PricedOption | undefined =>
    priceOptions(
      options.filter((o) => o.candidateId === id && o.decides),
      volume,
      peak,
    )[0];
  const strong = cheapestOf(gates.best);
  if (!strong) return null;
  const found: HybridOption[] = [];
  for (const id of frontCandidates) {
    if (id === gates.best) continue;
    const cheap = cheapestOf(id);
    if (!cheap || cheap.cost.monthlyUsd >= strong.cost.monthlyUsd) continue;
    const h = priceHybrid({
      cheap: { candidateId: id, spec: cheap.option.spec },
      strong: { candidateId: gates.best, spec: strong.option.spec },
      outcomes,
      requestsPerMonth: volume,
      peakFactor: peak,
      gates,
    });
    // Worth showing only when the cheap side fails some cases the strong side passes.
    if (h && h.oracle.passRate > 0 && h.oracle.escalated > 0 && h.oracle.escalated < 1) found.push(h);
  }
  found.sort(
    (a, b) =>
      Number(b.option) - Number(a.option) ||
      (a.option ? a.router.monthlyUsd - b.router.monthlyUsd : b.oracle.passRate - a.oracle.passRate),
  );
  return found[0] ?? null;
}

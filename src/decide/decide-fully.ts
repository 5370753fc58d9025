import { describeProvenance, type LineItem, type Scenario, usd, volumeText } from '../cost/index.ts';
import type { Capacity } from '../cost/types.ts';
import type { CandidateSummary, Decision, ReportCost } from '../spec/decision.ts';
import type { QualityReport } from '../spec/quality.ts';
import type { Workload } from '../spec/workload.ts';
import {
  type CandidateOption,
  type CandidateUsage,
  candidateOptions,
  type GgufModelInfo,
} from './candidate-options.ts';
import { constraintStep } from './constraint-step.ts';
import { analyseCost, type CostPick, costSentences, pickCheapest, priceOptions } from './cost-step.ts';
import { bestHybrid, type CaseOutcomes, type HybridOption, splitMonthlyUsd } from './hybrid.ts';
import { latencyStep } from './latency-step.ts';
import { provisionalPick } from './provisional.ts';
import { qualityStep } from './quality-step.ts';
import { reevaluation } from './reevaluation.ts';

// The whole decision of DESIGN §5, a pure function of measured inputs: constraints remove candidates
// (and routes) → the quality floor and non-inferiority → the latency objective → monthly TCO at the
// workload's volume, near-ties to the simpler operation → a hybrid split when per-case results allow
// → reasons with figures, what would flip the pick, and when to look again.

export interface DecisionCostInput {
  workload: Pick<Workload, 'candidates' | 'constraints' | 'traffic' | 'operations' | 'decision' | 'quality'>;
  /** Token usage per request by candidate: measured per case by a run, or declared in the workload. */
  usage: Map<string, CandidateUsage>;
  usageSource: NonNullable<ReportCost['usageSource']>;
  /** Capacity per replica from stored load tests, by candidate id. */
  capacities?: Map<string, Capacity>;
  ggufs?: Map<string, GgufModelInfo>;
  /** Per-case first attempts, for the hybrid split. */
  outcomes?: CaseOutcomes;
  /** Today, for caveats about old prices and the re-evaluation date. */
  now: Date;
}

export interface FullDecision {
  decision: Decision;
  cost?: ReportCost;
}

/** Default near-tie margin: options within 10% of the cheapest go to the simpler operation. */
export const DEFAULT_NEAR_TIE = 0.1;

const unique = (xs: string[]) => [...new Set(xs)];

/** Every step of the decision, with the report's cost section. */
export function decideFully(
  summaries: CandidateSummary[],
  notes: { caveats?: string[]; quality?: QualityReport; cost: DecisionCostInput },
): FullDecision {
  const input = notes.cost;
  const w = input.workload;
  const caveats = [...(notes.caveats ?? [])];
  const volume = w.traffic?.requests_per_month;
  const peak = w.traffic?.peak_factor ?? 1;

  // 1. Constraints, over each candidate's own route and each managed route of its weights.
  const built = candidateOptions({
    workload: w,
    usage: input.usage,
    ...(input.capacities ? { capacities: input.capacities } : {}),
    ...(input.ggufs ? { ggufs: input.ggufs } : {}),
  });
  const { removed, removedReasons, conditions, keptOptions, running } = constraintStep(built, w);
  caveats.push(...conditions);

  // 2. Quality, among the candidates the constraints kept: floor, then paired non-inferiority.
  const q = qualityStep(summaries, notes.quality, running, w.quality);
  caveats.push(...q.caveats);
  const settings = w.decision ?? {};
  const nearTie = settings.near_tie ?? DEFAULT_NEAR_TIE;

  // 3. Latency objective, on the run's measured p90s; without a run there is nothing to judge yet.
  const measuredRun = summaries.length > 0;
  // Judged for every candidate still running: one too slow alone is too slow as a split's first hop.
  const latency = measuredRun
    ? latencyStep(running, summaries, settings)
    : { kept: [...running], dropped: [] };
  if (!measuredRun && (settings.max_ttft_p90_ms !== undefined || settings.max_e2e_p90_ms !== undefined))
    caveats.push('The latency objective is not applied: no run has measured latency yet.');
  const passedQuality = new Set([...q.eligible, ...q.undecided]);
  const latencyDropped = latency.dropped
    .filter((d) => passedQuality.has(d.candidateId))
    .map((d) => d.sentence);
  const fast = new Set(latency.kept);
  const eligible = q.eligible.filter((id) => fast.has(id));

  // 4. Cost at the workload's volume, over the options that may be picked; managed routes nobody
  // opted in are priced beside them as a comparison family.
  const unpriced =
    volume === undefined
      ? []
      : built.filter((c) => running.includes(c.candidateId)).flatMap((c) => c.unpriced);
  const facts = built.flatMap((c) => c.facts);
  const candidateOf = (optionId: string) =>
    keptOptions.find((o) => o.spec.id === optionId)?.candidateId ?? optionId;
  let cost: ReportCost | undefined;
  let pick: CostPick | null = null;
  let hybrid: HybridOption | null = null;
  let analysis: ReturnType<typeof analyseCost> | null = null;
  // A managed route's latency was never measured (the run called the team's own endpoint), so under
  // a latency objective it cannot pass that gate: it fails closed like any unmeasured option.
  const latencyObjective =
    measuredRun && (settings.max_ttft_p90_ms !== undefined || settings.max_e2e_p90_ms !== undefined);
  const unmeasuredRoute = (o: CandidateOption) => latencyObjective && o.route === 'managed';
  const pool = keptOptions.filter(
    (o) => o.decides && eligible.includes(o.candidateId) && !unmeasuredRoute(o),
  );
  if (volume !== undefined) {
    const priced = priceOptions(pool, volume, peak);
    pick = pickCheapest(priced, nearTie);
    if (priced.length > 0) {
      const scenario: Scenario = {
        requestsPerMonth: volume,
        peakFactor: peak,
        options: priced.map((p) => p.option.spec),
      };
      analysis = analyseCost(priced, scenario, input.now, candidateOf, nearTie);
      caveats.push(...analysis.caveats, ...unique(priced.flatMap((p) => p.option.notes)));
    }
    // A candidate's own route that the hard constraints removed is priced beside the rest, so the
    // report shows what the constraint costs or saves (under on_prem such a candidate is not called).
    const removedOwn = built.flatMap((c) =>
      c.options.filter((o) => o.profile.id === c.profile.id && !keptOptions.includes(o)),
    );
    const others = priceOptions(
      [...keptOptions.filter((o) => !pool.includes(o)), ...removedOwn],
      volume,
      peak,
    );
    cost = {
      ...(analysis?.report ?? { requestsPerMonth: volume, options: [] }),
      usageSource: input.usageSource,
      ...(unpriced.length > 0 ? { unpriced } : {}),
      ...(facts.length > 0 ? { facts } : {}),
    };
    cost.options = [...priced, ...others].map((p) => ({
      ...(cost!.options.find((o) => o.optionId === p.cost.optionId) ?? {
        optionId: p.cost.optionId,
        candidateId: p.option.candidateId,
        family: p.cost.family,
        monthlyUsd: p.cost.monthlyUsd,
        costPerRequestUsd: p.cost.costPerRequestUsd,
        // A self-hosted option out of the running still shows the replicas its line items count.
        ...(p.cost.replicas !== undefined ? { replicas: p.cost.replicas } : {}),
        ...(p.cost.averageUtilisation !== undefined ? { averageUtilisation: p.cost.averageUtilisation } : {}),
      }),
      lines: p.cost.lines.map(line),
      notes: [...p.option.notes, ...p.cost.notes],
      ...(pool.includes(p.option)
        ? {}
        : {
            status: removedOwn.includes(p.option)
              ? 'removed by the hard constraints (see the reasons)'
              : statusOf(p.option, q, latencyDropped, eligible),
          }),
    }));
    if (input.usageSource === 'estimated')
      caveats.push(
        'Token counts per request are estimated from the cases (prompt length, and max_tokens or a default for the answer), not measured: API costs and capacities are estimates until a run measures them.',
      );
    if (input.usageSource === 'declared')
      caveats.push(
        "Token counts per request are the workload's declared traffic.input_tokens_per_request and output_tokens_per_request, not measured: API costs and capacities are estimates until a run measures them.",
      );
    // 5. A split: the best behind a cheaper candidate that passed the constraints and the latency
    // objective, judged on its routed per-case outcomes by the same floor and paired test.
    if (input.outcomes && q.best && fast.has(q.best) && q.mode === 'statistics')
      hybrid = bestHybrid(
        input.outcomes,
        keptOptions,
        running.filter((id) => fast.has(id)),
        { best: q.best, margin: q.margin, floor: q.floor },
        volume,
        peak,
      );
  }

  // 6. One pick, one runner-up, reasons that never contradict the pick, what would flip it.
  const reasons: string[] = [];
  let winner: string | null = null;
  let runnerUp: string | null = null;
  let winnerOption: string | undefined;
  let runnerUpOption: string | undefined;
  let provisional: Decision['provisional'];
  let splitWins = false;
  let flips: string[] = [];
  if (q.undecided.length > 0) {
    const told = [q.best, ...q.undecided].filter((id): id is string => id !== null && fast.has(id));
    const casesRun = notes.quality?.candidates.find((c) => c.candidateId === q.best)?.cases ?? 0;
    provisional = provisionalPick({
      candidates: told,
      options: keptOptions,
      volume,
      peak,
      nearTie,
      casesNeeded: q.casesNeeded,
      casesRun,
    });
    reasons.push(
      `Too few cases to tell ${told.join(', ')} apart at the non-inferiority margin, so no winner is named on noise.`,
      ...(provisional
        ? [provisional.sentence]
        : [
            q.casesNeeded === null
              ? 'At the observed difference, more cases would not show non-inferiority at the margin; only a better candidate or a wider margin would.'
              : `Settling it needs ≈${q.casesNeeded.toLocaleString('en-US')} cases per candidate for a paired non-inferiority test at the margin.`,
          ]),
      ...q.kept,
      ...q.undecidedReasons,
    );
  } else if (eligible.length === 0) {
    const anyAnswer = summaries.some((s) => s.total - s.errors > 0);
    reasons.push(
      running.length === 0
        ? 'No candidate satisfies the hard constraints.'
        : summaries.length > 0 && !anyAnswer
          ? 'No candidate produced any answer; see the errors.'
          : latencyDropped.length > 0 && q.eligible.length > 0
            ? 'No candidate that meets the quality bar meets the latency objective.'
            : 'No candidate meets the quality bar.',
    );
  } else if (pick) {
    winner = pick.winner.option.candidateId;
    winnerOption = pick.winner.cost.optionId;
    runnerUp = pick.runnerUp?.option.candidateId ?? null;
    runnerUpOption = pick.runnerUp?.cost.optionId;
    // What the replicas of the pick and the runner-up mean (an autoscaling maximum too low for the
    // peak, capacity paid for and idle) leads the caveats, so the memo's first screen carries it.
    caveats.unshift(
      ...[pick.winner, ...(pick.runnerUp ? [pick.runnerUp] : [])].flatMap((p) =>
        p.cost.notes.map((note) => `${p.cost.optionId}: ${note}.`),
      ),
    );
    splitWins = hybrid?.option === true && hybrid.router.monthlyUsd < pick.winner.cost.monthlyUsd;
    if (hybrid && splitWins) {
      // The split is the pick; the cheapest single option is its runner-up.
      runnerUp = winner;
      runnerUpOption = winnerOption;
      winner = hybrid.id;
      winnerOption = hybrid.id;
      reasons.push(
        `${hybrid.id} costs ${usd(hybrid.router.monthlyUsd)} a month at ${volumeText(volume!)} requests, less than ${pick.winner.cost.optionId} at ${usd(pick.winner.cost.monthlyUsd)}, the cheapest single option.`,
        hybrid.verdict,
        ...hybrid.sentences,
      );
      cost?.options.unshift({
        optionId: hybrid.id,
        candidateId: hybrid.id,
        family: 'hybrid',
        monthlyUsd: hybrid.router.monthlyUsd,
        costPerRequestUsd: hybrid.router.monthlyUsd / volume!,
        notes: [hybrid.verdict, ...hybrid.sentences],
      });
      flips = splitFlips(hybrid, pick, volume!, peak);
    } else {
      reasons.push(...costSentences(pick, volume!));
      flips = (analysis?.flips ?? []).slice(0, 3).map((f) => f.sentence);
      if (flips.length === 0)
        flips = [
          pick.ranked.length === 1
            ? `${winnerOption} is the only priced option left: no change of price or volume alone changes the pick; a constraint, a quality result or a new candidate would.`
            : `No single input moved within ×100 or ÷100 (volume, token prices, GPU price, capacity, operations hours) changes the pick.`,
        ];
    }
    if (q.mode === 'none') reasons.push('Quality is not measured: this pick is on cost alone.');
    reasons.push(...q.kept);
    // The break-even that matters to the pick: the winner against the cheapest of the other family.
    const evens = analysis?.report.breakEvens ?? [];
    const relevant =
      evens.find((b) => b.apiOptionId === winnerOption) ??
      evens.find((b) => b.selfHostedOptionId === winnerOption) ??
      evens[0];
    if (relevant && !splitWins) reasons.push(relevant.sentence);
    const pricedIds = new Set(pool.map((o) => o.candidateId));
    for (const id of eligible.filter((x) => !pricedIds.has(x)))
      reasons.push(
        `${id} meets the quality bar but could not be priced, so cost could not compare it (see below).`,
      );
    if (hybrid && !splitWins)
      reasons.push(
        hybrid.option ? `${hybrid.verdict} It is not the pick: ${winnerOption} costs less.` : hybrid.verdict,
      );
  } else if (q.mode === 'none') {
    // Neither quality nor cost can rank them: nothing to pick on.
    reasons.push(
      volume === undefined
        ? 'Nothing to decide on: quality is not measured and the workload has no traffic section to price.'
        : 'No option could be priced and quality is not measured, so nothing can be picked yet; the reasons below say what each candidate needs.',
    );
  } else {
    // Candidates meet the bar but none could be priced: quality alone decides, and says why.
    winner = eligible[0]!;
    runnerUp = eligible[1] ?? null;
    reasons.push(
      ...q.kept,
      volume === undefined
        ? 'Cost is not weighed: the workload has no traffic section (traffic.requests_per_month).'
        : `${winner} is the best candidate still in the running on quality; cost could not decide because no candidate meeting the quality bar could be priced.`,
    );
  }
  if (winner !== null && runnerUp === null)
    reasons.push(`There is no runner-up: ${winner} is the only option left after the gates.`);
  reasons.push(...q.dropped, ...latencyDropped, ...removedReasons, ...unpriced);
  const re = reevaluation({
    now: input.now,
    ...(settings.reevaluate_after_months ? { months: settings.reevaluate_after_months } : {}),
    volume: volume ?? 0,
    flips: analysis && pick && !splitWins ? analysis.flips : [],
    ...(pick ? { winnerFamily: pick.winner.cost.family } : {}),
  });
  const decision: Decision = {
    winner,
    runnerUp,
    reasons: unique(reasons),
    caveats: unique(caveats),
    ...(winnerOption ? { winnerOption } : {}),
    ...(runnerUpOption ? { runnerUpOption } : {}),
    ...(removed.length > 0 ? { removed } : {}),
    ...(flips.length > 0 ? { flips } : {}),
    ...(volume !== undefined ? { reevaluate: re } : {}),
    ...(provisional ? { provisional } : {}),
    ...(hybrid
      ? {
          hybrid: {
            id: hybrid.id,
            cheap: hybrid.cheap,
            strong: hybrid.strong,
            oracle: hybrid.oracle,
            router: hybrid.router,
            option: hybrid.option,
            wins: splitWins,
            verdict: hybrid.verdict,
          },
        }
      : {}),
  };
  return { decision, ...(cost ? { cost } : {}) };
}

/** What would flip a winning split: the escalation share, and the volume, at which the runner-up costs less. */
function splitFlips(h: HybridOption, pick: CostPick, volume: number, peak: number): string[] {
  const rival = pick.winner.cost.monthlyUsd;
  const at = (share: number, v = volume) => splitMonthlyUsd(h.cheapSpec, h.strongSpec, share, v, peak);
  const out: string[] = [];
  if (at(1) > rival) {
    let lo = h.router.escalated;
    let hi = 1;
    for (let i = 0; i < 50; i++) {
      const mid = (lo + hi) / 2;
      if (at(mid) < rival) lo = mid;
      else hi = mid;
    }
    out.push(
      `The pick changes from ${h.id} to ${pick.winner.cost.optionId} if the router escalates more than ${(hi * 100).toFixed(1)}% of requests instead of the measured ${(h.router.escalated * 100).toFixed(1)}%.`,
    );
  } else {
    out.push(`No escalation share up to 100% makes ${pick.winner.cost.optionId} cheaper than ${h.id}.`);
  }
  return out;
}

/** Why a priced option is not among those the decision picks from (shown beside its cost). */
function statusOf(
  option: CandidateOption,
  q: ReturnType<typeof qualityStep>,
  latencyDropped: string[],
  eligible: string[],
): string {
  const id = option.candidateId;
  if (q.undecided.includes(id)) return 'not yet told apart from the best on quality';
  if (option.decides && option.route === 'managed' && eligible.includes(id))
    return 'its latency was not measured on this route, so it cannot pass the latency objective; run the workload against it to measure it';
  if (latencyDropped.some((s) => s.startsWith(`${id} `))) return 'misses the latency objective';
  if (!option.decides && eligible.includes(id))
    return `comparison only: the same weights as ${id} on a managed API; set managed_routes.decide on ${id} to let it compete`;
  if (!option.decides) return `comparison only: ${id} is out of the running`;
  return 'below the quality bar';
}

function line(l: LineItem) {
  return { label: l.label, usd: l.usd, formula: l.formula, source: describeProvenance(l.provenance) };
}

import { describeProvenance, type LineItem, type Scenario, usd } from '../cost/index.ts';
import type { Capacity } from '../cost/types.ts';
import type { CandidateSummary, Decision, ReportCost } from '../spec/decision.ts';
import type { QualityReport } from '../spec/quality.ts';
import type { Workload } from '../spec/workload.ts';
import { type CandidateUsage, candidateOptions, type GgufModelInfo } from './candidate-options.ts';
import { constraintStep } from './constraint-step.ts';
import { analyseCost, type CostPick, costSentences, pickCheapest, priceOptions } from './cost-step.ts';
import { bestHybrid, type CaseOutcomes, type HybridOption } from './hybrid.ts';
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
  usageSource: 'measured' | 'declared';
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

  // 2. Quality, among the candidates the constraints kept.
  const q = qualityStep(summaries, notes.quality, running, w.quality);
  caveats.push(...q.caveats);

  // 3. Latency objective, on the run's measured p90s.
  const latencyDropped: string[] = [];
  const settings = w.decision ?? {};
  const eligible = q.eligible.filter((id) => {
    const s = summaries.find((x) => x.candidateId === id);
    if (!s) return true;
    const bounds: Array<[string, number | undefined, number | null]> = [
      ['time to first token', settings.max_ttft_p90_ms, s.ttftMs.p90],
      ['end-to-end latency', settings.max_e2e_p90_ms, s.durationMs.p90],
    ];
    for (const [what, bound, p90] of bounds) {
      if (bound !== undefined && p90 !== null && p90 > bound) {
        latencyDropped.push(
          `${id} drops out: its measured p90 ${what} of ${Math.round(p90)} ms exceeds the objective of ${bound} ms (decision.max_${what === 'time to first token' ? 'ttft' : 'e2e'}_p90_ms).`,
        );
        return false;
      }
    }
    return true;
  });

  // 4. Cost at the workload's volume.
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
  const pool = keptOptions.filter((o) => eligible.includes(o.candidateId));
  if (volume !== undefined) {
    const shown = pool.length > 0 ? pool : keptOptions;
    const priced = priceOptions(shown, volume, peak);
    pick = pool.length > 0 ? pickCheapest(priced, settings.near_tie ?? DEFAULT_NEAR_TIE) : null;
    if (priced.length > 0) {
      const scenario: Scenario = {
        requestsPerMonth: volume,
        peakFactor: peak,
        options: priced.map((p) => p.option.spec),
      };
      analysis = analyseCost(priced, scenario, input.now, candidateOf);
      caveats.push(...analysis.caveats, ...unique(priced.flatMap((p) => p.option.notes)));
    }
    const others = priceOptions(
      keptOptions.filter((o) => !shown.includes(o)),
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
      }),
      lines: p.cost.lines.map(line),
      notes: [...p.option.notes, ...p.cost.notes],
      ...(eligible.includes(p.option.candidateId)
        ? {}
        : { status: statusOf(p.option.candidateId, q, latencyDropped) }),
    }));
    if (input.usageSource === 'declared')
      caveats.push(
        "Token counts per request are the workload's declared traffic.input_tokens_per_request and output_tokens_per_request, not measured: API costs and capacities are estimates until a run measures them.",
      );
    // 5. Hybrid: the best candidate behind a cheaper one, from per-case results.
    if (input.outcomes && pick && q.best && q.bar !== null)
      // A candidate too slow alone is too slow as the first hop of a split.
      hybrid = bestHybrid(
        input.outcomes,
        keptOptions,
        running.filter((id) => !latencyDropped.some((s) => s.startsWith(`${id} drops out`))),
        q.best,
        q.bar,
        pick,
        volume,
        peak,
      );
  }

  // 6. The pick, its reasons, what would flip it, and when to look again.
  const reasons: string[] = [];
  let winner: string | null = null;
  let runnerUp: string | null = null;
  let winnerOption: string | undefined;
  let runnerUpOption: string | undefined;
  if (q.undecided.length > 0) {
    reasons.push(
      `Too few cases to tell the candidates apart${q.casesNeeded > 0 ? `: need ≈${q.casesNeeded} cases` : ''}, so no winner is named on noise.`,
      ...q.kept,
      ...q.undecidedReasons,
    );
    if (analysis) reasons.push(...analysis.report.options.slice(0, 3).map(costLine));
  } else if (eligible.length === 0) {
    const anyAnswer = summaries.some((s) => s.total - s.errors > 0);
    reasons.push(
      running.length === 0
        ? 'No candidate satisfies the hard constraints.'
        : summaries.length > 0 && !anyAnswer
          ? 'No candidate produced any answer; see the errors.'
          : 'No candidate meets the quality bar and the latency objective.',
    );
  } else if (pick) {
    winner = pick.winner.option.candidateId;
    winnerOption = pick.winner.cost.optionId;
    runnerUp = pick.runnerUp?.option.candidateId ?? null;
    runnerUpOption = pick.runnerUp?.cost.optionId;
    reasons.push(...costSentences(pick, volume!));
    if (q.mode === 'none') reasons.push('Quality is not measured: this pick is on cost alone.');
    reasons.push(...q.kept);
    // The break-even that matters to the pick: the winner against the cheapest of the other family.
    const evens = analysis?.report.breakEvens ?? [];
    const relevant =
      evens.find((b) => b.apiOptionId === winnerOption) ??
      evens.find((b) => b.selfHostedOptionId === winnerOption) ??
      evens[0];
    if (relevant) reasons.push(relevant.sentence);
    const pricedIds = new Set(pool.map((o) => o.candidateId));
    for (const id of eligible.filter((x) => !pricedIds.has(x)))
      reasons.push(
        `${id} meets the quality bar but could not be priced, so cost could not compare it (see below).`,
      );
    if (hybrid) {
      reasons.push(...hybrid.sentences);
      if (hybrid.wins) {
        runnerUp = winner;
        runnerUpOption = winnerOption;
        winner = hybrid.id;
        winnerOption = hybrid.id;
        // The winning split is an option of its own in the cost table, priced with the router's share.
        cost?.options.unshift({
          optionId: hybrid.id,
          candidateId: hybrid.id,
          family: 'hybrid',
          monthlyUsd: hybrid.router.monthlyUsd,
          costPerRequestUsd: hybrid.router.monthlyUsd / volume!,
          notes: hybrid.sentences.slice(1),
        });
      }
    }
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
  reasons.push(...q.dropped, ...latencyDropped, ...removedReasons, ...unpriced);
  const flips = analysis && pick ? analysis.flips.slice(0, 3).map((f) => f.sentence) : [];
  const re = reevaluation({
    now: input.now,
    ...(settings.reevaluate_after_months ? { months: settings.reevaluate_after_months } : {}),
    volume: volume ?? 0,
    flips: analysis && pick ? analysis.flips : [],
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
    ...(hybrid
      ? {
          hybrid: {
            id: hybrid.id,
            cheap: hybrid.cheap,
            strong: hybrid.strong,
            oracle: hybrid.oracle,
            router: hybrid.router,
            wins: hybrid.wins,
          },
        }
      : {}),
  };
  return { decision, ...(cost ? { cost } : {}) };
}

function statusOf(candidateId: string, q: ReturnType<typeof qualityStep>, latencyDropped: string[]): string {
  if (q.undecided.includes(candidateId)) return 'not yet told apart from the best on quality';
  if (latencyDropped.some((s) => s.startsWith(`${candidateId} `))) return 'misses the latency objective';
  return 'below the quality bar';
}

function line(l: LineItem) {
  return { label: l.label, usd: l.usd, formula: l.formula, source: describeProvenance(l.provenance) };
}

function costLine(o: ReportCost['options'][number]): string {
  return `${o.optionId} would cost ${usd(o.monthlyUsd)} a month (${usd(o.costPerRequestUsd)} a request).`;
}

// The decision. With cost inputs (a workload's traffic, candidates and token counts) it runs every
// step of DESIGN §5 in decide-fully.ts; without them it weighs quality only (the statistics' gate, or
// the best pass rate with ties to the faster candidate) and says so.
import type { CandidateSummary, Decision } from '../spec/decision.ts';
import type { QualityReport } from '../spec/quality.ts';
import { type DecisionCostInput, decideFully } from './decide-fully.ts';
import { qualityGate } from './quality-gate.ts';

export { removedByConstraints } from './constraint-step.ts';
export { type DecisionCostInput, decideFully, type FullDecision } from './decide-fully.ts';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function rank(a: CandidateSummary, b: CandidateSummary): number {
  const byRate = (b.passRate.estimate || 0) - (a.passRate.estimate || 0);
  if (byRate !== 0) return byRate;
  return (a.durationMs.p50 ?? Number.POSITIVE_INFINITY) - (b.durationMs.p50 ?? Number.POSITIVE_INFINITY);
}

/** What a decision knows: the caveats, the statistics, and (for the full decision) the cost inputs. */
export interface DecisionNotes {
  caveats?: string[];
  quality?: QualityReport;
  /** With cost inputs the decision runs every step of DESIGN §5; without, it weighs quality only. */
  cost?: DecisionCostInput;
}

/** Picks a winner from per-candidate summaries and says why in sentences a reader can forward. */
export function decide(summaries: CandidateSummary[], notes: DecisionNotes = {}): Decision {
  if (notes.cost) return decideFully(summaries, { ...notes, cost: notes.cost }).decision;
  const caveats = [...(notes.caveats ?? [])];
  if (notes.quality) return decideOnQuality(summaries, notes.quality, caveats);
  const ranked = summaries.filter((summary) => summary.total - summary.errors > 0).sort(rank);
  for (const summary of summaries) {
    if (summary.errors > 0) {
      caveats.push(
        `${summary.candidateId}: ${summary.errors} of ${summary.total} calls failed; failures count as not passed.`,
      );
    }
  }
  const [winner, runnerUp] = ranked;
  if (!winner) {
    return {
      winner: null,
      runnerUp: null,
      reasons: ['No candidate produced any answer; see the errors.'],
      caveats,
    };
  }
  const reasons = [
    `${winner.candidateId} passed ${winner.passed} of ${winner.total} cases (${percent(winner.passRate.estimate)}, 95% CI ${percent(winner.passRate.low)}–${percent(winner.passRate.high)}), the highest pass rate.`,
  ];
  if (runnerUp) {
    const overlap = runnerUp.passRate.high >= winner.passRate.low;
    reasons.push(
      `Runner-up ${runnerUp.candidateId} passed ${runnerUp.passed} of ${runnerUp.total} (${percent(runnerUp.passRate.estimate)}).` +
        (overlap
          ? ' Their intervals overlap: more cases are needed before the difference can be trusted.'
          : ''),
    );
  }
  reasons.push(
    'This first decision weighs quality only; cost, constraints and latency objectives are not yet applied.',
  );
  return { winner: winner.candidateId, runnerUp: runnerUp?.candidateId ?? null, reasons, caveats };
}

/** The decision when the report carries statistics: the quality gate decides who stays (DESIGN §5 step 2). */
function decideOnQuality(summaries: CandidateSummary[], quality: QualityReport, caveats: string[]): Decision {
  for (const candidate of quality.candidates) {
    if (candidate.modelFailures > 0) {
      caveats.push(
        `${candidate.candidateId}: ${candidate.modelFailures} of ${candidate.cases} calls failed; failures count as not passed.`,
      );
    }
    if (candidate.gradingErrors > 0) {
      caveats.push(
        `${candidate.candidateId}: ${candidate.gradingErrors} of ${candidate.cases} results have a grading error (a grader or its judge failed); they count as not passed and are not model failures.`,
      );
    }
  }
  if (quality.marginSource === 'default') {
    caveats.push(
      `The non-inferiority margin is verdict's default of ${Math.round(quality.margin * 100)} points; set quality.non_inferiority_margin in the workload.`,
    );
  }
  const gate = qualityGate(quality);
  const dropped = gate.verdicts
    .filter((verdict) => verdict.status === 'dropped')
    .map((verdict) => verdict.reason);
  const closing =
    'This decision weighs quality only; cost, constraints and latency objectives are not yet applied.';
  if (gate.undecided.length > 0) {
    const best = gate.verdicts.find((verdict) => verdict.status === 'best');
    const needed = Math.max(0, ...gate.undecided.map((verdict) => verdict.casesNeeded ?? 0));
    return {
      winner: null,
      runnerUp: null,
      reasons: [
        `Too few cases to tell the candidates apart${needed > 0 ? `: need ≈${needed} cases` : ''}, so no winner is named on noise.`,
        ...(best ? [`Best so far: ${best.reason}`] : []),
        ...gate.undecided.map((verdict) => verdict.reason),
        ...dropped,
        closing,
      ],
      caveats,
    };
  }
  const [winner, runnerUp] = gate.eligible;
  if (!winner) {
    const anyAnswer = summaries.some((summary) => summary.total - summary.errors > 0);
    return {
      winner: null,
      runnerUp: null,
      reasons: [
        anyAnswer
          ? 'No candidate meets the quality bar.'
          : 'No candidate produced any answer; see the errors.',
        ...dropped,
      ],
      caveats,
    };
  }
  const kept = gate.verdicts.filter(
    (verdict) => verdict.status === 'best' || verdict.status === 'non-inferior',
  );
  return {
    winner,
    runnerUp: runnerUp ?? null,
    reasons: [
      ...kept.map((verdict) => verdict.reason),
      ...(runnerUp
        ? [
            `${gate.eligible.slice(1).join(', ')} ${gate.eligible.length > 2 ? 'are' : 'is'} as good on quality within the margin; cost and operations will decide between them.`,
          ]
        : []),
      ...dropped,
      closing,
    ],
    caveats,
  };
}

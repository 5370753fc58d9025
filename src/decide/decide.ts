// Decision v0: the best pass rate wins, ties go to the faster candidate. Later work adds
// constraints, statistics and cost (DESIGN §5); the shape of the decision stays.
import type { CandidateSummary, Decision } from '../spec/decision.ts';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function rank(a: CandidateSummary, b: CandidateSummary): number {
  const byRate = (b.passRate.estimate || 0) - (a.passRate.estimate || 0);
  if (byRate !== 0) return byRate;
  return (a.durationMs.p50 ?? Number.POSITIVE_INFINITY) - (b.durationMs.p50 ?? Number.POSITIVE_INFINITY);
}

/** Picks a winner from per-candidate summaries and says why in sentences a reader can forward. */
export function decide(summaries: CandidateSummary[], notes: { caveats?: string[] } = {}): Decision {
  const caveats = [...(notes.caveats ?? [])];
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

import type { CandidateSummary } from '../spec/decision.ts';
import type { QualityReport } from '../spec/quality.ts';
import type { Workload } from '../spec/workload.ts';
import { qualityGate } from './quality-gate.ts';

// Step 2 of the decision (DESIGN §5) among the candidates the constraints kept: the statistics'
// quality gate when the report has a quality section; otherwise overlapping 95% Wilson intervals of
// pass rates, said so; with no run at all, nothing is known about quality and that is said too.

export interface QualityStep {
  mode: 'statistics' | 'wilson' | 'none';
  /** Candidates that stay on quality, best first. */
  eligible: string[];
  /** Candidates the data cannot tell from the best (no winner is named over them). */
  undecided: string[];
  /** Cases a non-inferiority test at the margin needs (the largest over the undecided); null when it cannot be shown. */
  casesNeeded: number | null;
  /** The non-inferiority margin and the floor the gate applied (splits pass the same ones). */
  margin: number;
  floor: number | null;
  best: string | null;
  /** The pass rate a split or an alternative must reach: the best's less the margin. */
  bar: number | null;
  kept: string[];
  dropped: string[];
  undecidedReasons: string[];
  caveats: string[];
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const DEFAULT_MARGIN = 0.05;

/** The quality step over the candidates still in the running. */
export function qualityStep(
  summaries: CandidateSummary[],
  quality: QualityReport | undefined,
  running: string[],
  settings: Workload['quality'],
): QualityStep {
  const inRunning = (id: string) => running.includes(id);
  if (quality) {
    const caveats: string[] = [];
    for (const c of quality.candidates) {
      if (!inRunning(c.candidateId)) continue;
      if (c.modelFailures > 0)
        caveats.push(
          `${c.candidateId}: ${c.modelFailures} of ${c.cases} calls failed; failures count as not passed.`,
        );
      if (c.gradingErrors > 0)
        caveats.push(
          `${c.candidateId}: ${c.gradingErrors} of ${c.cases} results have a grading error (a grader or its judge failed); they count as not passed and are not model failures.`,
        );
    }
    if (quality.marginSource === 'default')
      caveats.push(
        `The non-inferiority margin is verdict's default of ${Math.round(quality.margin * 100)} points; set quality.non_inferiority_margin in the workload.`,
      );
    const gate = qualityGate(quality);
    const verdicts = gate.verdicts.filter((v) => inRunning(v.candidateId));
    const eligible = gate.eligible.filter(inRunning);
    // When the constraints removed the best, the best still in the running is the reference.
    const bestId = quality.best !== null && inRunning(quality.best) ? quality.best : (eligible[0] ?? null);
    const best = quality.candidates.find((c) => c.candidateId === bestId);
    if (quality.best !== null && bestId !== quality.best)
      caveats.push(
        `${quality.best} has the highest pass rate but the hard constraints removed it; the others were compared with it, so one dropped as inferior to it could still be good enough — compare them again without it.`,
      );
    return {
      mode: 'statistics',
      eligible,
      undecided: gate.undecided.filter((v) => inRunning(v.candidateId)).map((v) => v.candidateId),
      casesNeeded: gate.undecided
        .filter((v) => inRunning(v.candidateId))
        .reduce<number | null>(
          (m, v) => (m === null || v.casesNeeded == null ? null : Math.max(m, v.casesNeeded)),
          0,
        ),
      margin: quality.margin,
      floor: quality.floor,
      best: bestId,
      bar: best ? best.passRate.estimate - quality.margin : null,
      kept: verdicts.filter((v) => v.status === 'best' || v.status === 'non-inferior').map((v) => v.reason),
      dropped: verdicts.filter((v) => v.status === 'dropped').map((v) => v.reason),
      undecidedReasons: verdicts.filter((v) => v.status === 'undecided').map((v) => v.reason),
      caveats,
    };
  }
  const measured = summaries.filter((s) => inRunning(s.candidateId) && s.total > 0);
  if (summaries.length === 0 || measured.length === 0) {
    return {
      mode: 'none',
      eligible: [...running],
      undecided: [],
      casesNeeded: 0,
      margin: settings?.non_inferiority_margin ?? DEFAULT_MARGIN,
      floor: settings?.floor ?? null,
      best: null,
      bar: null,
      kept: [],
      dropped: [],
      undecidedReasons: [],
      caveats: [
        'Quality is not measured yet: this compares cost only. Run the workload ("verdict run") and decide on the run ("verdict decide").',
      ],
    };
  }
  const answered = measured.filter((s) => s.total - s.errors > 0);
  const best = [...answered].sort((a, b) => b.passRate.estimate - a.passRate.estimate)[0];
  const floor = settings?.floor;
  const margin = settings?.non_inferiority_margin ?? DEFAULT_MARGIN;
  const kept: string[] = [];
  const dropped: string[] = [];
  const eligible: string[] = [];
  for (const s of measured) {
    const figure = `${s.passed}/${s.total} (${pct(s.passRate.estimate)}, 95% CI ${pct(s.passRate.low)}–${pct(s.passRate.high)})`;
    if (s.total === s.errors)
      dropped.push(`${s.candidateId} drops out: none of its calls produced an answer.`);
    else if (floor !== undefined && s.passRate.estimate < floor)
      dropped.push(
        `${s.candidateId} drops out: its pass rate ${figure} is below the quality floor of ${pct(floor)}.`,
      );
    else if (best && s !== best && s.passRate.high < best.passRate.low)
      dropped.push(
        `${s.candidateId} drops out: its pass rate ${figure} is below ${best.candidateId}'s interval (${pct(best.passRate.low)}–${pct(best.passRate.high)}).`,
      );
    else {
      eligible.push(s.candidateId);
      kept.push(
        `${s.candidateId} passed ${figure}${s === best ? ', the highest pass rate' : `, within the interval of ${best?.candidateId}`}.`,
      );
    }
  }
  eligible.sort(
    (a, b) =>
      (measured.find((s) => s.candidateId === b)?.passRate.estimate ?? 0) -
      (measured.find((s) => s.candidateId === a)?.passRate.estimate ?? 0),
  );
  return {
    mode: 'wilson',
    eligible,
    undecided: [],
    casesNeeded: 0,
    margin,
    floor: floor ?? null,
    best: best?.candidateId ?? null,
    bar: best ? best.passRate.estimate - margin : null,
    kept,
    dropped,
    undecidedReasons: [],
    caveats: [
      'Quality is compared by overlapping 95% Wilson intervals of pass rates, not by a paired test on the shared cases: the statistics section was not available.',
    ],
  };
}

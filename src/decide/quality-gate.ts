// Step 2 of the decision (DESIGN §5): the quality floor and non-inferiority to the best. Pure: it
// reads the report's quality section and says, per candidate, whether it stays, drops out (and
// why), or cannot be judged yet (and how many cases it would take).
import type { QualityComparison, QualityReport } from '../spec/quality.ts';
import { nonInferiorityCasesNeeded } from '../stats/sample-size.ts';

export type QualityStatus = 'best' | 'non-inferior' | 'dropped' | 'undecided';

/** What the quality gate says of one candidate. */
export interface QualityVerdict {
  candidateId: string;
  status: QualityStatus;
  /** A sentence the reader can forward: the figure and the rule behind the status. */
  reason: string;
  /**
   * For 'undecided': cases a paired non-inferiority test at the margin would need (≈, from the observed
   * discordance); null when non-inferiority cannot be shown at the observed difference.
   */
  casesNeeded?: number | null;
  /** Low-agreement graders the comparison hinges on, when they kept it from 'non-inferior'. */
  doubtedGraders?: string[];
}

/** The kappa below which a judge's agreement is low (Landis & Koch's "moderate" or less). */
const LOW_AGREEMENT = 0.6;

export interface QualityGate {
  verdicts: QualityVerdict[];
  /** Candidates that stay: the best and those non-inferior to it, best first. */
  eligible: string[];
  /** Candidates the data cannot yet tell from the best: no winner should be named over them. */
  undecided: QualityVerdict[];
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const points = (value: number) => `${Number((value * 100).toFixed(1))}-point`;

function floorReason(id: string, rate: QualityReport['candidates'][number], floor: number): string {
  return `${id} drops out: its pass rate ${pct(rate.passRate.estimate)} (95% CI ${pct(rate.passRate.low)}–${pct(rate.passRate.high)}, ${rate.passed}/${rate.cases}) is below the quality floor of ${pct(floor)}.`;
}

/** Graders whose judge agrees poorly with a second judge or with people, and the figure that says so. */
export function doubtedGraders(quality: QualityReport): Map<string, string> {
  const doubted = new Map<string, string>();
  for (const g of quality.judge?.reliability?.graders ?? []) {
    const low = [g.agreement, g.human].find((a) => a?.low && a.kappa !== null);
    if (low)
      doubted.set(
        g.grader,
        `κ = ${low.kappa!.toFixed(2)} with ${low.second === 'human' ? 'people' : low.second}`,
      );
  }
  return doubted;
}

/** The doubted graders that decided some case of either candidate (failed it): the comparison hinges on them. */
function hingesOn(
  comparison: QualityComparison,
  quality: QualityReport,
  doubted: Map<string, string>,
): string[] {
  return quality.byGrader
    .filter((slice) => doubted.has(slice.name))
    .filter((slice) =>
      [comparison.a, comparison.b].some((id) => {
        const cell = slice.cells[id];
        return cell !== undefined && cell.passed < cell.total;
      }),
    )
    .map((slice) => `${slice.name} (${doubted.get(slice.name)})`);
}

function comparisonVerdict(
  comparison: QualityComparison,
  margin: number,
  hinges: string[] = [],
): QualityVerdict {
  const id = comparison.a;
  switch (comparison.conclusion) {
    case 'better':
    case 'non-inferior':
      // A judge that agrees poorly cannot admit a candidate: the interval assumes its verdicts are right.
      if (hinges.length > 0)
        return {
          candidateId: id,
          status: 'undecided',
          reason: `${id} is not called non-inferior to ${comparison.b}: the comparison rests on ${hinges.join(', ')}, whose judge agrees poorly (below ${LOW_AGREEMENT}). ${comparison.sentence}`,
          casesNeeded: null,
          doubtedGraders: hinges,
        };
      return { candidateId: id, status: 'non-inferior', reason: comparison.sentence };
    case 'inferior':
    case 'worse':
      return {
        candidateId: id,
        status: 'dropped',
        reason: `${id} drops out: it is not non-inferior to ${comparison.b} at the ${points(margin)} margin. ${comparison.sentence}`,
      };
    default: {
      // The question asked is non-inferiority at the margin, not detecting a difference: plan for it.
      const needed = nonInferiorityCasesNeeded(comparison.counts, margin);
      return {
        candidateId: id,
        status: 'undecided',
        reason: comparison.sentence,
        ...(Number.isFinite(needed) ? { casesNeeded: needed } : { casesNeeded: null }),
      };
    }
  }
}

/** Applies the quality floor and non-inferiority to the best at the workload's margin. */
export function qualityGate(quality: QualityReport): QualityGate {
  const verdicts: QualityVerdict[] = [];
  const rates = new Map(quality.candidates.map((candidate) => [candidate.candidateId, candidate]));
  const comparisons = new Map(quality.comparisons.map((comparison) => [comparison.a, comparison]));
  const doubted = doubtedGraders(quality);
  for (const candidate of quality.candidates) {
    const id = candidate.candidateId;
    if (candidate.cases === 0 || candidate.modelFailures === candidate.cases) {
      verdicts.push({
        candidateId: id,
        status: 'dropped',
        reason: `${id} drops out: none of its calls produced an answer.`,
      });
      continue;
    }
    if (quality.floor !== null && candidate.passRate.estimate < quality.floor) {
      verdicts.push({
        candidateId: id,
        status: 'dropped',
        reason: floorReason(id, rates.get(id)!, quality.floor),
      });
      continue;
    }
    if (id === quality.best) {
      verdicts.push({
        candidateId: id,
        status: 'best',
        reason: `${id} has the highest pass rate: ${candidate.passed}/${candidate.cases} (${pct(candidate.passRate.estimate)}, 95% CI ${pct(candidate.passRate.low)}–${pct(candidate.passRate.high)}).`,
      });
      continue;
    }
    const comparison = comparisons.get(id);
    verdicts.push(
      comparison
        ? comparisonVerdict(comparison, quality.margin, hingesOn(comparison, quality, doubted))
        : { candidateId: id, status: 'undecided', reason: `${id} shares no cases with ${quality.best}.` },
    );
  }
  const best = verdicts.find((verdict) => verdict.status === 'best');
  // When the best itself is below the floor, nothing it was compared with can stay on its strength.
  if (!best) {
    for (const verdict of verdicts) {
      if (verdict.status === 'non-inferior' || verdict.status === 'undecided') {
        const rate = rates.get(verdict.candidateId)!;
        if (quality.floor !== null && rate.passRate.estimate < quality.floor) {
          Object.assign(verdict, {
            status: 'dropped',
            reason: floorReason(verdict.candidateId, rate, quality.floor),
          });
        }
      }
    }
  }
  const order = (id: string) => rates.get(id)?.passRate.estimate ?? 0;
  const eligible = verdicts
    .filter((verdict) => verdict.status === 'best' || verdict.status === 'non-inferior')
    .map((verdict) => verdict.candidateId)
    .sort((a, b) => (a === quality.best ? -1 : b === quality.best ? 1 : order(b) - order(a)));
  return { verdicts, eligible, undecided: verdicts.filter((verdict) => verdict.status === 'undecided') };
}

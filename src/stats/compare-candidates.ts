import type { Interval } from '../spec/decision.ts';
import { holmAdjust } from './holm.ts';
import {
  comparePaired,
  type PairedComparison,
  type PairedComparisonOptions,
  withAdjustedPValue,
} from './paired-comparison.ts';
import { wilsonInterval } from './wilson.ts';

/** One candidate's pass/fail per case id. */
export interface CandidateOutcomes {
  id: string;
  passes: ReadonlyMap<string, boolean> | Readonly<Record<string, boolean>>;
}

/** A candidate's own pass rate over the cases it was graded on. */
export interface CandidatePassRate {
  id: string;
  passed: number;
  total: number;
  passRate: Interval;
}

/** The pairwise table against the best candidate. */
export interface CandidateComparison {
  /** Id of the candidate with the highest pass rate (first listed on a tie); null without candidates. */
  best: string | null;
  passRates: CandidatePassRate[];
  /** Each other candidate (as A) against the best (as B) on their shared cases, Holm-corrected together. */
  comparisons: PairedComparison[];
}

/** Picks the best candidate by pass rate and compares every other one with it, Holm-adjusting the McNemar p-values. */
export function compareCandidates(
  candidates: readonly CandidateOutcomes[],
  options: Omit<PairedComparisonOptions, 'names'>,
): CandidateComparison {
  const outcomes = candidates.map(({ id, passes }) => ({
    id,
    passes: passes instanceof Map ? passes : new Map(Object.entries(passes)),
  }));
  const passRates = outcomes.map(({ id, passes }) => {
    let passed = 0;
    for (const pass of passes.values()) if (pass) passed++;
    return { id, passed, total: passes.size, passRate: wilsonInterval(passed, passes.size) };
  });

  let bestIndex = -1;
  passRates.forEach(({ passRate }, index) => {
    const current = passRates[bestIndex]?.passRate.estimate;
    if (bestIndex < 0 || Number.isNaN(current) || passRate.estimate > current!) bestIndex = index;
  });
  const best = outcomes[bestIndex];
  if (best === undefined) return { best: null, passRates, comparisons: [] };

  const raw = outcomes
    .filter((_, index) => index !== bestIndex)
    .map((other) => {
      // Only the cases both were graded on are paired; the best's order keeps the table stable.
      const a: boolean[] = [];
      const b: boolean[] = [];
      for (const [caseId, bestPass] of best.passes) {
        const otherPass = other.passes.get(caseId);
        if (otherPass === undefined) continue;
        a.push(otherPass);
        b.push(bestPass);
      }
      return comparePaired(a, b, { ...options, names: [other.id, best.id] });
    });
  const adjusted = holmAdjust(raw.map((comparison) => comparison.pValue));
  const comparisons = raw.map((comparison, index) => withAdjustedPValue(comparison, adjusted[index]!));
  return { best: best.id, passRates, comparisons };
}

import type { Interval } from '../spec/decision.ts';
import { describeComparison } from './comparison-sentence.ts';
import { exactMcNemar } from './mcnemar.ts';
import { type NonInferiority, nonInferiority } from './non-inferiority.ts';
import { type PairedCounts, pairedCounts } from './paired-counts.ts';
import { pairedDifferenceInterval } from './paired-difference.ts';
import { casesNeeded } from './sample-size.ts';
import { wilsonInterval } from './wilson.ts';

/** What the data support about A against B: a difference either way, non-inferiority, or nothing yet. */
export type ComparisonConclusion = 'better' | 'non-inferior' | 'worse' | 'inferior' | 'undecided';

/** Settings of a paired comparison. */
export interface PairedComparisonOptions {
  /** Non-inferiority margin as a proportion (0.03 for three points), set by the workload. */
  margin: number;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /** Significance level of the McNemar test and of the sample-size advice (default 0.05). */
  alpha?: number;
  /** Power of the sample-size advice (default 0.8). */
  power?: number;
  /** Names used in the sentence (default 'A' and 'B'). */
  names?: readonly [string, string];
}

/** A candidate A against a reference B on the cases both were graded on. */
export interface PairedComparison {
  a: string;
  b: string;
  counts: PairedCounts;
  passRateA: Interval;
  passRateB: Interval;
  /** pA − pB with Newcombe's paired interval. */
  difference: Interval;
  /** Confidence level of the intervals. */
  level: number;
  /** Exact McNemar two-sided p. */
  pValue: number;
  /** p after correction for the other comparisons (Holm); equal to pValue when alone. */
  adjustedPValue: number;
  alpha: number;
  nonInferiority: NonInferiority;
  /** The difference the advice plans for: the larger of the observed |pA − pB| and the margin. */
  plannedDifference: number;
  /** Cases a McNemar test needs to detect plannedDifference at alpha with the given power. */
  casesNeeded: number;
  power: number;
  conclusion: ComparisonConclusion;
  sentence: string;
}

/** Compares two candidates' pass/fail results aligned by case: McNemar, Newcombe interval, non-inferiority, advice. */
export function comparePaired(
  a: readonly boolean[],
  b: readonly boolean[],
  options: PairedComparisonOptions,
): PairedComparison {
  const { margin, level = 0.95, alpha = 0.05, power = 0.8, names = ['A', 'B'] } = options;
  const counts = pairedCounts(a, b);
  const difference = pairedDifferenceInterval(counts, level);
  const pValue = exactMcNemar(counts);
  const observed = counts.n === 0 ? 0 : Math.abs(difference.estimate);
  const plannedDifference = Math.max(observed, margin);
  const comparison: PairedComparison = {
    a: names[0],
    b: names[1],
    counts,
    passRateA: wilsonInterval(counts.bothPass + counts.onlyA, counts.n),
    passRateB: wilsonInterval(counts.bothPass + counts.onlyB, counts.n),
    difference,
    level,
    pValue,
    adjustedPValue: pValue,
    alpha,
    nonInferiority: nonInferiority(difference, margin),
    plannedDifference,
    casesNeeded: casesNeeded(counts, plannedDifference, { alpha, power }),
    power,
    conclusion: 'undecided',
    sentence: '',
  };
  return withAdjustedPValue(comparison, pValue);
}

/** The same comparison judged on a corrected p (for several comparisons at once), conclusion and sentence redone. */
export function withAdjustedPValue(comparison: PairedComparison, adjustedPValue: number): PairedComparison {
  const adjusted = { ...comparison, adjustedPValue };
  adjusted.conclusion = concludeComparison(adjusted);
  adjusted.sentence = describeComparison(adjusted);
  return adjusted;
}

/** Non-inferiority decides from the interval; a difference either way needs the (adjusted) McNemar p below alpha. */
export function concludeComparison(
  comparison: Pick<PairedComparison, 'difference' | 'adjustedPValue' | 'alpha' | 'nonInferiority'>,
): ComparisonConclusion {
  const significant = comparison.adjustedPValue < comparison.alpha;
  const ahead = comparison.difference.estimate > 0;
  if (significant && ahead) return 'better';
  switch (comparison.nonInferiority.verdict) {
    case 'non-inferior':
      return 'non-inferior';
    case 'inferior':
      return 'inferior';
    default:
      return significant ? 'worse' : 'undecided';
  }
}

// The statistics of a run, as pure functions: intervals, paired tests, repeats and sample-size advice.
export { type BootstrapOptions, bootstrapMeanInterval } from './bootstrap.ts';
export { cohenKappa, type Kappa } from './cohen-kappa.ts';
export {
  type CandidateComparison,
  type CandidateOutcomes,
  type CandidatePassRate,
  compareCandidates,
} from './compare-candidates.ts';
export { describeComparison } from './comparison-sentence.ts';
export { holmAdjust } from './holm.ts';
export { binomialHalfLowerTail, exactMcNemar } from './mcnemar.ts';
export { type NonInferiority, type NonInferiorityVerdict, nonInferiority } from './non-inferiority.ts';
export { normalQuantile } from './normal.ts';
export {
  type ComparisonConclusion,
  comparePaired,
  concludeComparison,
  type PairedComparison,
  type PairedComparisonOptions,
  withAdjustedPValue,
} from './paired-comparison.ts';
export { type PairedCounts, pairedCounts, pairedCountsOf } from './paired-counts.ts';
export { correctedCorrelation, pairedDifferenceInterval } from './paired-difference.ts';
export { passAtK } from './pass-at-k.ts';
export { percentile, quantileOfSorted } from './percentile.ts';
export { type SeededRandom, seededRandom } from './random.ts';
export { type CaseConsistency, caseConsistency, type RepeatSummary, summarizeRepeats } from './repeats.ts';
export {
  casesNeeded,
  type McNemarPlan,
  mcnemarSampleSize,
  nonInferiorityCasesNeeded,
} from './sample-size.ts';
export { wilsonInterval } from './wilson.ts';

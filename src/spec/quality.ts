// The quality section of a report: what the graders found and what the statistics say about it.
// Field shapes mirror src/stats (PairedComparison, RepeatSummary) so its results drop in.
import type { Interval } from './decision.ts';
import type { JudgeUsage } from './grade.ts';

/** One candidate's quality on the first attempt of every case. */
export interface CandidateQuality {
  candidateId: string;
  /** Cases with a result. */
  cases: number;
  passed: number;
  /** Pass rate with a 95% Wilson interval. */
  passRate: Interval;
  /** Mean weighted grader score with a seeded 95% bootstrap interval (failed calls score 0). */
  meanScore: Interval;
  /** Calls that failed (no output): counted as not passed, shown apart. */
  modelFailures: number;
  /** Results where a grader or its judge failed to judge: shown apart from model failures. */
  gradingErrors: number;
}

/** Passes and mean score of one slice (a grader, a tag) for one candidate. */
export interface SliceCell {
  passed: number;
  total: number;
  /** Mean score; NaN when total is 0. */
  meanScore: number;
  gradingErrors: number;
}

/** A slice of the cases (by grader or by tag) across candidates. */
export interface QualitySlice {
  name: string;
  cells: Record<string, SliceCell>;
}

/** A candidate A against the best B on their shared cases (see stats/paired-comparison.ts). */
export interface QualityComparison {
  a: string;
  b: string;
  counts: { n: number; bothPass: number; onlyA: number; onlyB: number; bothFail: number };
  passRateA: Interval;
  passRateB: Interval;
  difference: Interval;
  level: number;
  pValue: number;
  adjustedPValue: number;
  alpha: number;
  nonInferiority: {
    verdict: 'non-inferior' | 'not shown' | 'inferior';
    lowerBound: number;
    upperBound: number;
    margin: number;
  };
  plannedDifference: number;
  casesNeeded: number;
  power: number;
  conclusion: 'better' | 'non-inferior' | 'worse' | 'inferior' | 'undecided';
  sentence: string;
}

/** How a candidate's repeated attempts agree. */
export interface RepeatQuality {
  candidateId: string;
  repeats: number;
  meanConsistency: number;
  passAt1: number;
  k: number;
  passAtK: number;
  flakyCases: string[];
}

/** A judge prompt file used by the run, shown so a reader can see what the judge was asked. */
export interface JudgePromptRef {
  file: string;
  id: string;
  version: number;
  sha256: string;
}

/** A judge's calls for the run with their price, counted apart from the candidates' calls. */
export interface JudgeSpend extends JudgeUsage {
  /** USD for the calls made (not cache hits) at catalogue prices; null when self-hosted or unpriced. */
  costUsd: number | null;
  /** Where the price came from, or why there is none. */
  priceNote: string;
}

export interface QualityReport {
  /** Non-inferiority margin as a proportion, and whether the workload set it. */
  margin: number;
  marginSource: 'workload' | 'default';
  /** The workload's quality floor (lowest acceptable pass rate), or null. */
  floor: number | null;
  level: number;
  candidates: CandidateQuality[];
  byGrader: QualitySlice[];
  byTag: QualitySlice[];
  /** The candidate with the highest pass rate; every other is compared with it. */
  best: string | null;
  comparisons: QualityComparison[];
  /** One plain sentence per comparison. */
  sentences: string[];
  /** Present when the run repeated cases. */
  repeats?: RepeatQuality[];
  /** Present when model-graded graders ran: judge calls and tokens, counted apart from the candidates'. */
  judge?: { usage: JudgeSpend[]; prompts: JudgePromptRef[]; reliability?: JudgeReliability };
}

/** How far the judges can be trusted: present when the workload set judges.repeat above 1 or judges.second. */
export interface JudgeReliability {
  /** Asks per judged output (judges.repeat). */
  repeat: number;
  /** The kappa below which a grader's agreement is flagged as low. */
  lowKappa: number;
  graders: GraderReliability[];
}

/** A case whose asks fall on both sides of the grader's threshold: its verdict rests on the draw. */
export interface StraddlingCase {
  candidateId: string;
  caseId: string;
  repeat: number;
  scores: number[];
  mean: number;
  /** The verdict the mean gave. */
  pass: boolean;
}

/** A result two judges gave different verdicts. */
export interface JudgeDisagreement {
  candidateId: string;
  caseId: string;
  repeat: number;
  first: boolean;
  second: boolean;
}

/** One model-graded grader's judge: its spread over repeated asks and its agreement with a second judge. */
export interface GraderReliability {
  grader: string;
  judge: string;
  /** Results the judge gave a usable score. */
  judged: number;
  /** Mean over those results of the largest minus the smallest score of the asks; null with one ask. */
  meanSpread: number | null;
  /** Results whose asks fall on both sides of the threshold (count, and the first 50). */
  straddlingCount: number;
  straddling: StraddlingCase[];
  /** Agreement with the second judge (judges.second). */
  agreement?: JudgeAgreement;
  /** Agreement with people's labels on the cases' labelled outputs (`human:` on a case). */
  human?: JudgeAgreement;
  /** Re-judgings by `verdict judge --judge`: each judge's agreement with the grading judge, and with people. */
  rejudges?: Array<JudgeAgreement & { prompt: number; human?: JudgeAgreement }>;
}

/** How often the grading judge and another rater (a judge, or `human`) give one result the same verdict. */
export interface JudgeAgreement {
  /** The other rater: a judge's model id, or `human`. */
  second: string;
  /** Results both gave a verdict. */
  n: number;
  agreed: number;
  /** Each rater's pass share over those n results. */
  passRates: { first: number; second: number };
  /** Cohen's kappa on pass/fail, null when each gave one verdict to every result. */
  kappa: number | null;
  interval: { low: number; high: number } | null;
  /** kappa below lowKappa. */
  low: boolean;
  disagreementCount: number;
  /** The first 50 (`first` is the grading judge's verdict, `second` the other's). */
  disagreements: JudgeDisagreement[];
}

import { passAtK } from './pass-at-k.ts';

/** How one case behaved over its repeats. */
export interface CaseConsistency {
  repeats: number;
  passes: number;
  /** Share of repeats agreeing with the majority outcome (0.5 to 1; NaN without repeats). */
  consistency: number;
  /** True when the repeats disagree: some pass, some fail. */
  flaky: boolean;
}

/** Consistency of one case's repeated pass/fail outcomes. */
export function caseConsistency(outcomes: readonly boolean[]): CaseConsistency {
  const repeats = outcomes.length;
  let passes = 0;
  for (const pass of outcomes) if (pass) passes++;
  const consistency = repeats === 0 ? Number.NaN : Math.max(passes, repeats - passes) / repeats;
  return { repeats, passes, consistency, flaky: passes > 0 && passes < repeats };
}

/** A candidate's repeats summarised over cases. */
export interface RepeatSummary {
  cases: number;
  /** Mean over cases of the per-case consistency. */
  meanConsistency: number;
  k: number;
  /** Mean over cases of the unbiased per-case pass@k; NaN when a case has fewer than k repeats. */
  passAtK: number;
  /** Ids of the cases whose repeats disagree, in input order. */
  flakyCases: string[];
}

/** Consistency, pass@k and flaky cases from each case's repeated outcomes (a Map or Object.entries). */
export function summarizeRepeats(
  outcomesByCase: Iterable<readonly [string, readonly boolean[]]>,
  k = 1,
): RepeatSummary {
  let cases = 0;
  let consistencySum = 0;
  let passAtKSum = 0;
  const flakyCases: string[] = [];
  for (const [caseId, outcomes] of outcomesByCase) {
    const one = caseConsistency(outcomes);
    cases++;
    consistencySum += one.consistency;
    passAtKSum += passAtK(one.repeats, one.passes, k);
    if (one.flaky) flakyCases.push(caseId);
  }
  return {
    cases,
    meanConsistency: cases === 0 ? Number.NaN : consistencySum / cases,
    k,
    passAtK: cases === 0 ? Number.NaN : passAtKSum / cases,
    flakyCases,
  };
}

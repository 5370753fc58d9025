import type { Interval } from '../spec/decision.ts';

/** 'non-inferior': the whole interval lies above −margin; 'inferior': the whole interval lies below it. */
export type NonInferiorityVerdict = 'non-inferior' | 'not shown' | 'inferior';

/** The non-inferiority conclusion for pA − pB at a margin, with the bounds it rests on. */
export interface NonInferiority {
  verdict: NonInferiorityVerdict;
  /** Lower bound of the interval for pA − pB; non-inferior when above −margin. */
  lowerBound: number;
  /** Upper bound of the interval for pA − pB; inferior when below −margin. */
  upperBound: number;
  /** The margin, as a proportion (0.03 for three points). */
  margin: number;
}

/** Non-inferiority of A against B at a margin, read from a two-sided interval for pA − pB (95% → one-sided 2.5%). */
export function nonInferiority(difference: Interval, margin: number): NonInferiority {
  if (!(margin >= 0 && margin < 1)) throw new RangeError(`margin must be in [0, 1), got ${margin}`);
  const { low: lowerBound, high: upperBound } = difference;
  const verdict: NonInferiorityVerdict =
    lowerBound > -margin ? 'non-inferior' : upperBound < -margin ? 'inferior' : 'not shown';
  return { verdict, lowerBound, upperBound, margin };
}

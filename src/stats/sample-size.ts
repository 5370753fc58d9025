import { normalQuantile } from './normal.ts';
import type { PairedCounts } from './paired-counts.ts';

/** Planning inputs for a paired comparison; proportions of all cases. */
export interface McNemarPlan {
  /** Share of cases only A passes (p10). */
  onlyA: number;
  /** Share of cases only B passes (p01). */
  onlyB: number;
  /** The difference pA − pB to detect; by default the planned p10 − p01. */
  difference?: number;
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Power to reach (default 0.8). */
  power?: number;
}

/**
 * Cases a McNemar test needs to detect a paired difference δ with the given power (Connor, Biometrics 1987;43:207):
 * n = (z₁₋α/₂ √ψ + z₁₋β √(ψ − δ²))² / δ², with ψ the discordant share, never below |δ|; Infinity when δ = 0.
 */
export function mcnemarSampleSize(plan: McNemarPlan): number {
  const { onlyA, onlyB, alpha = 0.05, power = 0.8 } = plan;
  if (!(onlyA >= 0 && onlyB >= 0 && onlyA + onlyB <= 1 + 1e-12)) {
    throw new RangeError(
      `discordant shares must be proportions summing to at most 1, got ${onlyA} and ${onlyB}`,
    );
  }
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
    throw new RangeError(`alpha and power must be in (0, 1), got ${alpha} and ${power}`);
  }
  const delta = Math.abs(plan.difference ?? onlyA - onlyB);
  if (delta > 1) throw new RangeError(`difference must be in [−1, 1], got ${plan.difference}`);
  if (delta === 0) return Number.POSITIVE_INFINITY;
  // A difference of δ needs at least |δ| of the cases to be discordant.
  const psi = Math.min(1, Math.max(onlyA + onlyB, delta));
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zBeta = normalQuantile(power);
  const root = zAlpha * Math.sqrt(psi) + zBeta * Math.sqrt(Math.max(0, psi - delta * delta));
  // The tolerance keeps a rounding error from adding a whole case to an exact integer.
  return Math.ceil((root * root) / (delta * delta) - 1e-9);
}

/** Cases needed to detect `difference` with the discordance observed in a paired table (NaN for an empty table). */
export function casesNeeded(
  counts: PairedCounts,
  difference: number,
  options: { alpha?: number; power?: number } = {},
): number {
  if (counts.n === 0) return Number.NaN;
  return mcnemarSampleSize({
    onlyA: counts.onlyA / counts.n,
    onlyB: counts.onlyB / counts.n,
    difference,
    ...options,
  });
}

/**
 * Cases a paired non-inferiority test of A against B at `margin` needs, from the observed table: the
 * McNemar plan above with δ = (pA − pB) + margin, the distance of the observed difference from the
 * margin; a two-sided α of 0.05 is the one-sided 2.5% a 95% interval's lower bound tests. Infinity
 * when the observed difference is at or below −margin (non-inferiority cannot be shown at it).
 */
export function nonInferiorityCasesNeeded(
  counts: PairedCounts,
  margin: number,
  options: { alpha?: number; power?: number } = {},
): number {
  if (counts.n === 0) return Number.NaN;
  const delta = (counts.onlyA - counts.onlyB) / counts.n + margin;
  if (delta <= 0) return Number.POSITIVE_INFINITY;
  return mcnemarSampleSize({
    onlyA: counts.onlyA / counts.n,
    onlyB: counts.onlyB / counts.n,
    difference: Math.min(1, delta),
    ...options,
  });
}

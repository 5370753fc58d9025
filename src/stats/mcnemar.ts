import type { PairedCounts } from './paired-counts.ts';

/** Exact McNemar test: two-sided p from the binomial(b + c, 1/2) law of the discordant pairs (1 when none). */
export function exactMcNemar(counts: Pick<PairedCounts, 'onlyA' | 'onlyB'>): number {
  const { onlyA, onlyB } = counts;
  const discordant = onlyA + onlyB;
  if (discordant === 0) return 1;
  // The law is symmetric, so the two-sided p doubles the smaller tail (as R binom.test and SciPy binomtest do).
  return Math.min(1, 2 * binomialHalfLowerTail(Math.min(onlyA, onlyB), discordant));
}

/** P(X ≤ k) for X ~ binomial(n, 1/2), summed downward from the largest term to stay exact for large n. */
export function binomialHalfLowerTail(k: number, n: number): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k))
    throw new RangeError(`need integers, got k=${k}, n=${n}`);
  if (k < 0) return 0;
  if (k >= n) return 1;
  // Symmetry keeps the sum below on the rising side of the law, where the terms shrink as we go down.
  if (2 * k > n) return 1 - binomialHalfLowerTail(n - k - 1, n);
  // log P(X = k) = log C(n, k) − n log 2, with log C(n, k) as a sum of logs (no lgamma in JavaScript).
  const j = Math.min(k, n - k);
  let logChoose = 0;
  for (let i = 1; i <= j; i++) logChoose += Math.log((n - j + i) / i);
  const logTop = logChoose - n * Math.LN2;
  // Terms below k relative to P(X = k): P(X = i − 1) / P(X = i) = i / (n − i + 1).
  let ratio = 1;
  let sum = 1;
  for (let i = k; i > 0; i--) {
    ratio *= i / (n - i + 1);
    sum += ratio;
    if (ratio < sum * 1e-17) break;
  }
  return Math.min(1, Math.exp(logTop) * sum);
}

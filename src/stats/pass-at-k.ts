/**
 * Unbiased pass@k of one case from n attempts with c passes (Chen et al. 2021): 1 − C(n−c, k) / C(n, k),
 * computed as a product so that large n neither overflows nor loses precision; NaN when k is outside [1, n].
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || c < 0 || c > n) {
    throw new RangeError(`need integers with 0 ≤ c ≤ n, got n=${n}, c=${c}, k=${k}`);
  }
  if (k < 1 || k > n) return Number.NaN;
  // Fewer failures than draws: every draw of k attempts contains a pass.
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

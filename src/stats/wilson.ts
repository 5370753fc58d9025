import type { Interval } from '../spec/decision.ts';

/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal. */
const Z95 = 1.959963984540054;

/** Wilson score interval for a binomial proportion (Wilson 1927); well-behaved at 0 and n. */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  if (trials === 0) return { estimate: Number.NaN, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { estimate: p, low: Math.max(0, centre - halfWidth), high: Math.min(1, centre + halfWidth) };
}

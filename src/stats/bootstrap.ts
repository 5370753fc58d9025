import type { Interval } from '../spec/decision.ts';
import { quantileOfSorted } from './percentile.ts';
import { seededRandom } from './random.ts';

/** How a bootstrap interval is drawn; the defaults make the same scores give the same interval. */
export interface BootstrapOptions {
  /** Seed of the resampling generator (default 1). */
  seed?: number;
  /** Number of resamples (default 4000). */
  resamples?: number;
  /** Two-sided confidence level (default 0.95). */
  level?: number;
}

/** Mean score with a seeded percentile-bootstrap interval; scores are graders' scores in [0, 1]. */
export function bootstrapMeanInterval(scores: readonly number[], options: BootstrapOptions = {}): Interval {
  const { seed = 1, resamples = 4000, level = 0.95 } = options;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const n = scores.length;
  let sum = 0;
  for (const score of scores) {
    if (!Number.isFinite(score)) throw new RangeError(`scores must be finite numbers, got ${score}`);
    sum += score;
  }
  // No cases, no information: the whole score range, as wilsonInterval does for no trials.
  if (n === 0) return { estimate: Number.NaN, low: 0, high: 1 };
  const estimate = sum / n;

  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let resampledSum = 0;
    for (let i = 0; i < n; i++) resampledSum += scores[random.nextIndex(n)]!;
    means[b] = resampledSum / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return { estimate, low: quantileOfSorted(means, tail), high: quantileOfSorted(means, 1 - tail) };
}

import type { Interval } from '../spec/decision.ts';
import { normalQuantile } from './normal.ts';
import type { PairedCounts } from './paired-counts.ts';
import { wilsonInterval } from './wilson.ts';

/**
 * Interval for pA − pB on paired cases: Newcombe's hybrid score method 10 (Stat Med 1998;17:2635), which
 * combines the two marginal Wilson intervals with a continuity-corrected estimate of their correlation.
 */
export function pairedDifferenceInterval(counts: PairedCounts, level = 0.95): Interval {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const { bothPass: a, onlyA: b, onlyB: c, n } = counts;
  if (n === 0) return { estimate: Number.NaN, low: -1, high: 1 };
  const z = normalQuantile(1 - (1 - level) / 2);
  const passA = a + b;
  const passB = a + c;
  const pA = passA / n;
  const pB = passB / n;
  const estimate = (b - c) / n;
  const wilsonA = wilsonInterval(passA, n, z);
  const wilsonB = wilsonInterval(passB, n, z);

  const phi = correctedCorrelation(counts);
  const belowA = pA - wilsonA.low;
  const aboveA = wilsonA.high - pA;
  const belowB = pB - wilsonB.low;
  const aboveB = wilsonB.high - pB;
  const delta = Math.sqrt(Math.max(0, belowA ** 2 - 2 * phi * belowA * aboveB + aboveB ** 2));
  const epsilon = Math.sqrt(Math.max(0, aboveA ** 2 - 2 * phi * aboveA * belowB + belowB ** 2));
  return { estimate, low: Math.max(-1, estimate - delta), high: Math.min(1, estimate + epsilon) };
}

/** Newcombe's φ: the phi coefficient of the table with ad − bc shrunk by n/2 when positive, 0 when a margin is empty. */
export function correctedCorrelation(counts: PairedCounts): number {
  const { bothPass: a, onlyA: b, onlyB: c, bothFail: d, n } = counts;
  const marginProduct = (a + b) * (c + d) * (a + c) * (b + d);
  if (marginProduct === 0) return 0;
  const cross = a * d - b * c;
  const corrected = cross > n / 2 ? cross - n / 2 : Math.min(cross, 0);
  return corrected / Math.sqrt(marginProduct);
}

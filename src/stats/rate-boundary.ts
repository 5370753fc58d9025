// Where a pass/fail response to a rising level crosses one half, with a likelihood-ratio interval:
// the rate at which a load-test step stops holding, from every step tried. A probit curve in the
// log of the rate, P(hold at r) = Φ((μ − ln r) / s); the interval is every μ whose profile
// likelihood (s maximised) lies within χ²₁(level) / 2 of the best. When the steps separate cleanly
// (all held below some rate, all failed above) the best fit is any μ between the highest held and
// the lowest failed rate, and the interval is that bracket widened by how few trials pin its ends.
// The spread s is bounded (below), so steps that contradict each other widen the interval around
// them rather than let it run off to rates never tried.

/** One trial: a level tried and whether it held. */
export interface BoundaryTrial {
  level: number;
  held: boolean;
}

export interface BoundaryInterval {
  /** The level where holding and failing are equally likely (the middle of the best-fitting range). */
  estimate: number;
  low: number;
  high: number;
  level: number;
}

// χ²₁ quantiles: 0.90 → 2.706, 0.95 → 3.841, 0.99 → 6.635.
const CHI2_1: Record<string, number> = { '0.9': 2.7055, '0.95': 3.8415, '0.99': 6.6349 };

/**
 * The crossing level and its interval from trials that include at least one hold and one fail;
 * null otherwise (all held: only a lower bound is known; all failed: only an upper bound).
 */
export function rateBoundary(trials: BoundaryTrial[], confidence = 0.95): BoundaryInterval | null {
  const points = trials.filter((t) => t.level > 0 && Number.isFinite(t.level));
  if (!points.some((t) => t.held) || !points.some((t) => !t.held)) return null;
  const cutoff = CHI2_1[String(confidence)];
  if (cutoff === undefined) throw new RangeError(`confidence ${confidence}: use 0.9, 0.95 or 0.99`);
  const xs = points.map((t) => Math.log(t.level));
  // The contested zone runs from the lowest failure to the highest hold (either way round); the
  // interval seldom reaches far past it, and a grid that it does reach the edge of is widened.
  const lowestFail = Math.min(...xs.filter((_, j) => !points[j]!.held));
  const highestHold = Math.max(...xs.filter((_, j) => points[j]!.held));
  const zoneLow = Math.min(lowestFail, highestHold);
  const zoneHigh = Math.max(lowestFail, highestHold);
  for (const margin of [0.3, 1, 3]) {
    const fit = profileFit(points, xs, zoneLow - margin, zoneHigh + margin, cutoff);
    if (!fit.atEdge || margin === 3) return { ...fit.interval, level: confidence };
  }
  return null;
}

function profileFit(
  points: BoundaryTrial[],
  xs: number[],
  from: number,
  to: number,
  cutoff: number,
): { interval: Omit<BoundaryInterval, 'level'>; atEdge: boolean } {
  // μ on a 0.1% grid; s from 0.01% to 0.5 in log units. Above that the curve would take more than
  // a factor of 2.7 in rate to go from 84% holding to 16%: contradicting steps could then place μ
  // anywhere (all chances near one half), and a boundary that vague is no capacity.
  const muStep = 0.001;
  const count = Math.ceil((to - from) / muStep) + 1;
  const scales: number[] = [];
  for (let k = 0; k <= 37; k++) scales.push(1e-4 * 10 ** (k / 10));
  const profile = new Float64Array(count);
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const mu = from + i * muStep;
    let top = Number.NEGATIVE_INFINITY;
    for (const s of scales) {
      let ll = 0;
      for (let j = 0; j < points.length; j++) {
        const z = (mu - xs[j]!) / s;
        ll += points[j]!.held ? logNormalCdf(z) : logNormalCdf(-z);
        // Each term is ≤ 0: once below the best scale so far, this scale cannot win.
        if (ll < top) break;
      }
      if (ll > top) top = ll;
    }
    profile[i] = top;
    if (top > best) best = top;
  }
  let first = -1;
  let last = -1;
  let plateauFirst = -1;
  let plateauLast = -1;
  for (let i = 0; i < count; i++) {
    if (2 * (best - profile[i]!) <= cutoff) {
      if (first < 0) first = i;
      last = i;
    }
    if (best - profile[i]! <= 1e-6) {
      if (plateauFirst < 0) plateauFirst = i;
      plateauLast = i;
    }
  }
  const at = (i: number) => Math.exp(from + i * muStep);
  return {
    interval: {
      estimate: Math.sqrt(at(plateauFirst) * at(plateauLast)),
      low: at(first),
      high: at(last),
    },
    atEdge: first === 0 || last === count - 1,
  };
}

/**
 * ln Φ(z), accurate far into the lower tail (Numerical Recipes' erfc, fractional error below
 * 1.2e-7, kept in its exponential form so that the logarithm never underflows).
 */
export function logNormalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  if (x >= 0) return Math.log(0.5) + logErfc(x);
  return Math.log1p(-0.5 * Math.exp(logErfc(-x)));
}

function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + poly;
}

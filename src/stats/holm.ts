/** Holm's step-down adjustment (Holm 1979), in input order; NaN p-values stay NaN and do not count, as in R's p.adjust. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = pValues
    .map((p, index) => ({ p, index }))
    .filter(({ p }) => !Number.isNaN(p))
    .sort((x, y) => x.p - y.p || x.index - y.index);
  const m = order.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    if (p < 0 || p > 1) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
    // Monotone: an adjusted p is never below the one of a smaller raw p.
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}

/** The q-quantile (0..1) of a sample by linear interpolation (R type 7, NumPy's default); null when empty. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  return quantileOfSorted(
    [...values].sort((a, b) => a - b),
    q,
  );
}

/** Several quantiles of one sample, sorting it once (typed arrays sort numbers without a comparator); nulls when empty. */
export function percentiles(values: readonly number[], qs: readonly number[]): Array<number | null> {
  if (values.length === 0) return qs.map(() => null);
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => quantileOfSorted(sorted, q));
}

/** The same quantile of values already sorted ascending, without copying them; NaN when empty. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

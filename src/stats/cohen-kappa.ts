// Agreement of two raters on pass/fail beyond chance: Cohen's kappa (Cohen 1960), with the
// large-sample standard error of Cohen 1960 (as given by McHugh 2012, Biochemia Medica 22(3)):
// SE = √(pₒ(1 − pₒ) / (n (1 − pₑ)²)), and a 95% interval κ ± 1.96 SE, clipped to [−1, 1].

/** Kappa of two raters' pass/fail verdicts on the same items; null when chance agreement is total. */
export interface Kappa {
  /** Items both rated. */
  n: number;
  /** Observed agreement pₒ. */
  observed: number;
  /** Agreement expected by chance pₑ from each rater's pass share. */
  expected: number;
  kappa: number | null;
  /** 95% interval; null with kappa. */
  interval: { low: number; high: number } | null;
}

const Z95 = 1.959963984540054;

/** Cohen's kappa of paired verdicts `[first, second]`. */
export function cohenKappa(pairs: ReadonlyArray<readonly [boolean, boolean]>): Kappa {
  const n = pairs.length;
  if (n === 0) return { n, observed: Number.NaN, expected: Number.NaN, kappa: null, interval: null };
  let agree = 0;
  let firstPass = 0;
  let secondPass = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    if (a) firstPass++;
    if (b) secondPass++;
  }
  const observed = agree / n;
  const p1 = firstPass / n;
  const p2 = secondPass / n;
  const expected = p1 * p2 + (1 - p1) * (1 - p2);
  // Both raters gave one verdict to every item: agreement beyond chance is not defined.
  if (expected === 1) return { n, observed, expected, kappa: null, interval: null };
  const kappa = (observed - expected) / (1 - expected);
  const se = Math.sqrt((observed * (1 - observed)) / (n * (1 - expected) ** 2));
  return {
    n,
    observed,
    expected,
    kappa,
    interval: { low: Math.max(-1, kappa - Z95 * se), high: Math.min(1, kappa + Z95 * se) },
  };
}

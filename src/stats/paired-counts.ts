/** The 2×2 table of two candidates graded on the same cases. */
export interface PairedCounts {
  /** Cases both candidates pass. */
  bothPass: number;
  /** Cases A passes and B fails (discordant). */
  onlyA: number;
  /** Cases B passes and A fails (discordant). */
  onlyB: number;
  /** Cases both candidates fail. */
  bothFail: number;
  /** Cases in the table. */
  n: number;
}

/** Counts agreement and discordance of two pass/fail arrays aligned case by case. */
export function pairedCounts(a: readonly boolean[], b: readonly boolean[]): PairedCounts {
  if (a.length !== b.length) {
    throw new RangeError(`paired results must be aligned by case: ${a.length} vs ${b.length} cases`);
  }
  let bothPass = 0;
  let onlyA = 0;
  let onlyB = 0;
  let bothFail = 0;
  for (let i = 0; i < a.length; i++) {
    const passA = a[i]!;
    const passB = b[i]!;
    if (passA && passB) bothPass++;
    else if (passA) onlyA++;
    else if (passB) onlyB++;
    else bothFail++;
  }
  return { bothPass, onlyA, onlyB, bothFail, n: a.length };
}

/** Builds the table from its four cells (for counts that come from elsewhere, such as a published table). */
export function pairedCountsOf(
  bothPass: number,
  onlyA: number,
  onlyB: number,
  bothFail: number,
): PairedCounts {
  for (const count of [bothPass, onlyA, onlyB, bothFail]) {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`counts must be non-negative integers, got ${count}`);
  }
  return { bothPass, onlyA, onlyB, bothFail, n: bothPass + onlyA + onlyB + bothFail };
}

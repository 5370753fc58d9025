/**
 * Levenshtein distance; small inputs only (keys, ids), so the O(n·m) table is fine. With `max`, it
 * stops as soon as the distance must exceed `max` and returns `max + 1`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
      if (row[j]! < smallest) smallest = row[j]!;
    }
    if (smallest > max) return max + 1;
  }
  return row[b.length]!;
}

/** The known word a typo most likely meant, or undefined when nothing is close enough to suggest. */
export function closestKey(typo: string, known: readonly string[]): string | undefined {
  // No word further than the largest tolerance can be suggested, so distances stop there: 40,000
  // unknown keys compared in full took 1.4 s.
  const reach = Math.max(1, ...known.map((word) => Math.floor(word.length / 3)));
  const lower = typo.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase(), Math.min(reach, bestDistance - 1));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(1, Math.floor((best?.length ?? 0) / 3));
  return bestDistance <= tolerance ? best : undefined;
}

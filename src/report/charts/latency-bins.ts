// Log-spaced latency histograms: latencies span orders of magnitude (a cached 40 ms answer beside a
// 9 s one), so equal-width bins would put nearly everything in the first bar.
import type { LatencyBin } from '../../spec/decision.ts';

/** Bins per decade: 1, 1.26, 1.58, 2, 2.5, 3.2, 4, 5, 6.3, 7.9 × 10^k ms. */
const BINS_PER_DECADE = 10;

/** Counts latencies (ms) into log-spaced bins; empty input gives no bins. */
export function latencyBins(values: readonly number[]): LatencyBin[] {
  const counts = new Map<number, number>();
  for (const value of values) {
    if (!Number.isFinite(value) || value < 0) continue;
    const index = Math.floor(Math.log10(Math.max(value, 0.1)) * BINS_PER_DECADE);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, count]) => ({
      lowMs: Number((10 ** (index / BINS_PER_DECADE)).toPrecision(3)),
      highMs: Number((10 ** ((index + 1) / BINS_PER_DECADE)).toPrecision(3)),
      count,
    }));
}

import { build, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from './types.ts';

/**
 * A latency distribution in milliseconds over an HDR histogram of microseconds (3 significant
 * digits: ±0.1% of a value), so memory stays flat however many requests a test makes. The mean
 * is kept exactly beside it.
 */
export class LatencyHistogram {
  readonly #histogram: Histogram = build({ numberOfSignificantValueDigits: 3 });
  #sum = 0;
  #count = 0;
  #max = 0;
  #min = Number.POSITIVE_INFINITY;

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    // HDR records integers; zero would be lost from minNonZero bookkeeping, so floor at 1 µs.
    this.#histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
    this.#sum += ms;
    this.#count += 1;
    if (ms > this.#max) this.#max = ms;
    if (ms < this.#min) this.#min = ms;
  }

  get count(): number {
    return this.#count;
  }

  /** The value at percentile p (0–100); HDR reports a bucket's upper edge, so it is capped at the true max. */
  percentile(p: number): number | null {
    if (this.#count === 0) return null;
    return Math.min(this.#max, this.#histogram.getValueAtPercentile(p) / 1000);
  }

  summary(): LatencySummary {
    if (this.#count === 0) {
      return { count: 0, mean: null, min: null, p50: null, p90: null, p95: null, p99: null, max: null };
    }
    const at = (p: number) => round3(this.percentile(p)!);
    return {
      count: this.#count,
      mean: round3(this.#sum / this.#count),
      min: round3(this.#min),
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      max: round3(this.#max),
    };
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Exact median of a small list (null when empty). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

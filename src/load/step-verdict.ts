// Whether one step of a sweep or a rate search held: the objective met, errors rare, and the
// server keeping up. Shared by sweep.ts and find-max-rate.ts so both call the same thing a breach.
import { wilsonInterval } from '../stats/wilson.ts';
import type { LoadTestResult } from './types.ts';

export interface StepVerdictOptions {
  /**
   * Largest share of requests that may fail. A step breaches it only when the 95% Wilson
   * interval of its error rate lies wholly above: one failure in 18 requests does not prove a
   * rate above 1%, three in three does. Default 0.01.
   */
  maxErrorRate?: number;
  /** Smallest completion ratio (finished ÷ sent per second) of a step that keeps up. Default 0.9. */
  minCompletionRatio?: number;
  /**
   * Fewest measured requests a step must send to count; fewer prove nothing either way. Default
   * 20 for an open loop, two per worker for a closed loop.
   */
  minRequests?: number;
  /** Shortest measured window a step must have to count, ms. Default 1,000. */
  minDurationMs?: number;
}

export interface StepVerdict {
  /** Every check held. */
  held: boolean;
  /** The objective (when there is one) held on the latencies. */
  sloMet: boolean | null;
  /** The server fell behind: latency rising through the step, completions short of the offer, or requests cut. */
  saturated: boolean;
  /** Too few requests or too short a window to judge: not held, and no evidence of a limit either. */
  inconclusive: boolean;
  /** One sentence per failed check. */
  reasons: string[];
}

export const DEFAULT_MAX_ERROR_RATE = 0.01;
export const DEFAULT_MIN_COMPLETION_RATIO = 0.9;
export const DEFAULT_MIN_REQUESTS = 20;
export const DEFAULT_MIN_DURATION_MS = 1000;

/** Judges one test result as a step of a sweep or search. */
export function judgeStep(result: LoadTestResult, options: StepVerdictOptions = {}): StepVerdict {
  const maxErrorRate = options.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE;
  const minCompletionRatio = options.minCompletionRatio ?? DEFAULT_MIN_COMPLETION_RATIO;
  // A closed loop's workers each send in turn: two rounds are enough to see its throughput.
  const arrival = result.arrival;
  const minRequests =
    options.minRequests ?? (arrival?.kind === 'closed' ? 2 * arrival.concurrency : DEFAULT_MIN_REQUESTS);
  const minDurationMs = options.minDurationMs ?? DEFAULT_MIN_DURATION_MS;
  const reasons: string[] = [];
  const { counts, stability, slo } = result;
  let inconclusive = false;
  if (counts.sent < minRequests) {
    inconclusive = true;
    reasons.push(`only ${counts.sent} requests were sent; a step needs ${minRequests} to count`);
  }
  const durationMs = result.settings?.durationMs;
  if (durationMs !== undefined && durationMs < minDurationMs) {
    inconclusive = true;
    reasons.push(`the step lasted ${durationMs} ms; it needs ${minDurationMs} ms to count`);
  }

  if (slo && !slo.met) {
    for (const bound of slo.bounds) {
      if (bound.met) continue;
      const observed = bound.observedMs === null ? 'nothing measured' : `${bound.observedMs.toFixed(1)} ms`;
      reasons.push(`${bound.metric} ${bound.statistic} ${observed} > ${bound.thresholdMs} ms`);
    }
  }
  const finished = counts.completed + counts.failed;
  if (finished === 0) reasons.push('no request finished');
  else if (wilsonInterval(counts.failed, finished).low > maxErrorRate) {
    reasons.push(
      `${counts.failed} of ${finished} requests failed (${formatPercent(counts.failed / finished)}, ` +
        `above the ${formatPercent(maxErrorRate)} allowed)`,
    );
  }

  let saturated = false;
  if (stability.latencyRising) {
    saturated = true;
    reasons.push(
      `TTFT rose from ${stability.ttftP50FirstQuarterMs?.toFixed(1)} to ${stability.ttftP50LastQuarterMs?.toFixed(1)} ms ` +
        'across the step: a queue is building',
    );
  }
  if (stability.completionRatio !== null && stability.completionRatio < minCompletionRatio) {
    saturated = true;
    reasons.push(`completed only ${formatPercent(stability.completionRatio)} of the rate sent`);
  }
  if (counts.cut > 0) {
    saturated = true;
    reasons.push(`${counts.cut} requests were still running when the step ended`);
  }
  return { held: reasons.length === 0, sloMet: slo ? slo.met : null, saturated, inconclusive, reasons };
}

function formatPercent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

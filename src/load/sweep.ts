import { VerdictError } from '../spec/errors.ts';
import type { LoadHardware } from './load-hardware.ts';
import { runLoadTest } from './run-load-test.ts';
import { DEFAULT_MIN_REQUESTS, judgeStep, type StepVerdictOptions } from './step-verdict.ts';
import type { Arrival, LoadTestOptions, LoadTestResult } from './types.ts';

/** Options shared by every step; the arrival is set per step from the sweep's axis. */
export type StepBase = Omit<LoadTestOptions, 'arrival' | 'signal'>;

/**
 * The seed of step `index`: each step its own arrivals and prompts, so one unlucky short window
 * does not recur at every rate, and the same base seed still replays the same search.
 */
export function stepSeed(baseSeed: number | undefined, index: number): number {
  return ((baseSeed ?? 1) + Math.imul(index, 0x9e3779b9)) >>> 0;
}

/**
 * A step at an open-loop rate lasts long enough to send `minRequests` (with a margin for a
 * Poisson count), up to `longestMs`; a closed loop or a fast rate keeps the base duration.
 */
export function stepDurationMs(
  baseMs: number,
  rate: number | null,
  minRequests: number,
  longestMs: number,
): number {
  if (rate === null) return baseMs;
  const needed = Math.ceil(((minRequests * 1.5) / rate) * 1000);
  return Math.max(baseMs, Math.min(needed, longestMs));
}

export interface SweepOptions extends StepVerdictOptions {
  base: StepBase;
  /** `concurrency`: closed loop at each value; `rate`: open loop at each value (req/s). */
  axis: 'concurrency' | 'rate';
  /** Values to visit, ascending. */
  values: number[];
  /** Arrival process on the rate axis. Default poisson. */
  process?: 'constant' | 'poisson' | 'gamma';
  /** Burstiness of gamma arrivals. */
  burstiness?: number;
  /**
   * On the concurrency axis, a step whose throughput gains less than this share of the
   * proportional gain over the previous step marks saturation. Default 0.2.
   */
  minScalingShare?: number;
  onStep?: (step: SweepStep) => void;
  signal?: AbortSignal;
}

export interface SweepStep {
  value: number;
  result: LoadTestResult;
  sloMet: boolean | null;
  saturated: boolean;
  reasons: string[];
}

export interface SweepResult {
  schemaVersion: 1;
  kind: 'sweep';
  axis: 'concurrency' | 'rate';
  slo: string | null;
  steps: SweepStep[];
  stoppedBecause: 'saturation' | 'slo' | 'errors' | 'completed' | 'aborted';
  /**
   * Where throughput stopped growing: `value` is the first step past the knee, `knee` the last
   * step that still scaled, with the highest throughput seen.
   */
  saturation: { value: number; knee: number | null; maxRequestsPerSec: number; reason: string } | null;
  /** The highest step that met the objective and kept up. */
  bestWithinSlo: { value: number; requestsPerSec: number; goodputPerSec: number | null } | null;
  /** What the search ran on, recorded by `verdict load` (absent before issue 15). */
  hardware?: LoadHardware;
}

/** Runs load tests at increasing concurrencies or rates until the server saturates or the SLO breaks. */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const { axis, values } = options;
  if (values.length === 0) throw new VerdictError('USAGE', 'a sweep needs at least one value');
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!)) {
      throw new VerdictError('USAGE', `sweep values must rise: ${values.join(', ')}`);
    }
  }
  const minScalingShare = options.minScalingShare ?? 0.2;
  const steps: SweepStep[] = [];
  const minRequests = options.minRequests ?? DEFAULT_MIN_REQUESTS;
  let stoppedBecause: SweepResult['stoppedBecause'] = 'completed';
  let saturation: SweepResult['saturation'] = null;
  let bestWithinSlo: SweepResult['bestWithinSlo'] = null;
  let maxRequestsPerSec = 0;

  for (const value of values) {
    if (options.signal?.aborted) {
      stoppedBecause = 'aborted';
      break;
    }
    const arrival = arrivalFor(options, value);
    const result = await runLoadTest({
      ...options.base,
      arrival,
      seed: stepSeed(options.base.seed, steps.length),
      durationMs: stepDurationMs(
        options.base.durationMs,
        axis === 'rate' ? value : null,
        minRequests,
        4 * options.base.durationMs,
      ),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const verdict = judgeStep(result, options);
    const reasons = [...verdict.reasons];
    let saturated = verdict.saturated;
    const previous = steps.at(-1);
    const rate = result.throughput.requestsPerSec;
    if (axis === 'concurrency' && previous) {
      const before = previous.result.throughput.requestsPerSec;
      const ideal = value / previous.value - 1;
      const gain = before > 0 ? rate / before - 1 : 1;
      if (gain < minScalingShare * ideal) {
        saturated = true;
        reasons.push(
          `throughput went from ${before.toFixed(2)} req/s at ${previous.value} to ${rate.toFixed(2)} at ${value} ` +
            `(${gain >= 0 ? '+' : ''}${(gain * 100).toFixed(0)}%) for ${(ideal * 100).toFixed(0)}% more concurrency`,
        );
      }
    }
    const step: SweepStep = { value, result, sloMet: verdict.sloMet, saturated, reasons };
    steps.push(step);
    options.onStep?.(step);
    maxRequestsPerSec = Math.max(maxRequestsPerSec, rate);

    if (saturated) {
      const knee = steps.length >= 2 ? steps[steps.length - 2]!.value : null;
      saturation = { value, knee, maxRequestsPerSec, reason: reasons.join('; ') };
      stoppedBecause = 'saturation';
      break;
    }
    if (!verdict.held) {
      stoppedBecause = verdict.sloMet === false ? 'slo' : 'errors';
      break;
    }
    bestWithinSlo = {
      value,
      requestsPerSec: rate,
      goodputPerSec: result.slo ? result.slo.goodputPerSec : null,
    };
  }
  return {
    schemaVersion: 1,
    kind: 'sweep',
    axis,
    slo: options.base.slo?.text ?? null,
    steps,
    stoppedBecause,
    saturation,
    bestWithinSlo,
  };
}

function arrivalFor(options: SweepOptions, value: number): Arrival {
  if (options.axis === 'concurrency') return { kind: 'closed', concurrency: value };
  const process = options.process ?? 'poisson';
  if (process === 'gamma') return { kind: 'gamma', rate: value, burstiness: options.burstiness ?? 1 };
  return { kind: process, rate: value };
}

import { VerdictError } from '../spec/errors.ts';
import { runLoadTest } from './run-load-test.ts';
import { judgeStep, type StepVerdictOptions } from './step-verdict.ts';
import type { StepBase } from './sweep.ts';
import type { Arrival, LoadTestResult, Slo } from './types.ts';

export interface FindMaxRateOptions extends StepVerdictOptions {
  /** Settings of every step; `durationMs` is the length of one step (short: seconds, not minutes). */
  base: StepBase;
  slo: Slo;
  /** Arrival process of each step. Default poisson. */
  process?: 'constant' | 'poisson' | 'gamma';
  burstiness?: number;
  /** First rate tried, req/s. Default 1. */
  startRate?: number;
  /** Highest rate tried; reaching it while the SLO still holds ends the search there. Default 1000. */
  ceilingRate?: number;
  /** Lowest rate tried before giving up. Default 0.05. */
  floorRate?: number;
  /** Stop when the bracket [held, failed] is narrower than this share of the failed rate. Default 0.05. */
  precision?: number;
  /** Most steps run, repeats included. Default 14. */
  maxSteps?: number;
  /**
   * A step that fails while the load generator itself was a bottleneck is run again this many
   * times before its failure counts: the client's hiccup must not set the server's capacity. Default 1.
   */
  repeatGeneratorBound?: number;
  onStep?: (step: RateStep) => void;
  signal?: AbortSignal;
}

export interface RateStep {
  rate: number;
  held: boolean;
  reasons: string[];
  result: LoadTestResult;
}

export interface MaxRateResult {
  schemaVersion: 1;
  kind: 'max-rate';
  slo: string;
  /** The highest rate (req/s) whose step met the SLO and kept up; null when none did. */
  maxRatePerSec: number | null;
  /** The lowest rate that failed, when one did: the true limit lies between the two. */
  failedAtPerSec: number | null;
  /**
   * The step at maxRatePerSec: what one replica serves within the SLO. `offeredPerSec` is the
   * capacity; the measured rates count over the step's wall time, tail included, so run lower.
   */
  atMaxRate: {
    offeredPerSec: number;
    requestsPerSec: number;
    outputTokensPerSec: number;
    goodputPerSec: number;
    ttftP99Ms: number | null;
    tpotP99Ms: number | null;
  } | null;
  stoppedBecause: 'converged' | 'ceiling' | 'floor' | 'max-steps' | 'aborted';
  steps: RateStep[];
  /** Steps in which the load generator itself was a bottleneck; their verdicts are doubtful. */
  generatorBoundSteps: number[];
  note: string | null;
}

/**
 * The highest request rate that still meets the SLO: doubles from `startRate` until a step
 * fails, then bisects between the highest rate that held and the lowest that failed.
 */
export async function findMaxRate(options: FindMaxRateOptions): Promise<MaxRateResult> {
  const ceiling = options.ceilingRate ?? 1000;
  const floor = options.floorRate ?? 0.05;
  const precision = options.precision ?? 0.05;
  const maxSteps = options.maxSteps ?? 14;
  let rate = Math.min(options.startRate ?? 1, ceiling);
  if (!(rate > 0) || !(floor > 0) || !(precision > 0) || !(maxSteps >= 1)) {
    throw new VerdictError(
      'USAGE',
      'find-max-rate needs a positive start rate, floor, precision and step count',
    );
  }
  if (options.slo.bounds.length === 0)
    throw new VerdictError('USAGE', 'find-max-rate needs an SLO with bounds');

  const repeats = options.repeatGeneratorBound ?? 1;
  const steps: RateStep[] = [];
  let repeated = 0;
  let held: RateStep | null = null;
  let failed: RateStep | null = null;
  let stoppedBecause: MaxRateResult['stoppedBecause'] = 'max-steps';

  while (steps.length < maxSteps) {
    if (options.signal?.aborted) {
      stoppedBecause = 'aborted';
      break;
    }
    const result = await runLoadTest({
      ...options.base,
      slo: options.slo,
      arrival: arrivalAt(options, rate),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const verdict = judgeStep(result, options);
    const step: RateStep = { rate, held: verdict.held, reasons: verdict.reasons, result };
    steps.push(step);
    options.onStep?.(step);

    if (!step.held && result.client.generatorBound && repeated < repeats) {
      repeated += 1;
      continue;
    }
    repeated = 0;
    if (step.held) {
      if (!held || rate > held.rate) held = step;
    } else if (!failed || rate < failed.rate) {
      failed = step;
    }

    if (held && failed) {
      if ((failed.rate - held.rate) / failed.rate <= precision) {
        stoppedBecause = 'converged';
        break;
      }
      rate = (held.rate + failed.rate) / 2;
    } else if (held) {
      if (held.rate >= ceiling) {
        stoppedBecause = 'ceiling';
        break;
      }
      rate = Math.min(ceiling, held.rate * 2);
    } else {
      if (rate <= floor) {
        stoppedBecause = 'floor';
        break;
      }
      rate = Math.max(floor, rate / 2);
    }
  }

  const generatorBoundSteps = steps.filter((s) => s.result.client.generatorBound).map((s) => s.rate);
  const notes: string[] = [];
  if (generatorBoundSteps.length > 0) {
    notes.push(
      `The load generator was a bottleneck in ${generatorBoundSteps.length} of ${steps.length} steps ` +
        `(at ${generatorBoundSteps.map((r) => r.toFixed(2)).join(', ')} req/s); the rate found may understate the server.`,
    );
  }
  if (stoppedBecause === 'ceiling') notes.push(`The SLO still held at the ceiling of ${ceiling} req/s.`);
  if (stoppedBecause === 'floor') notes.push(`The SLO failed even at ${floor} req/s.`);
  if (stoppedBecause === 'max-steps' && held && failed) {
    notes.push(
      `Stopped after ${maxSteps} steps with the limit between ${held.rate.toFixed(2)} and ${failed.rate.toFixed(2)} req/s.`,
    );
  }

  const at = held?.result;
  return {
    schemaVersion: 1,
    kind: 'max-rate',
    slo: options.slo.text,
    maxRatePerSec: held ? round3(held.rate) : null,
    failedAtPerSec: failed ? round3(failed.rate) : null,
    atMaxRate: at
      ? {
          offeredPerSec: round3(held!.rate),
          requestsPerSec: at.throughput.requestsPerSec,
          outputTokensPerSec: at.throughput.outputTokensPerSec,
          goodputPerSec: at.slo?.goodputPerSec ?? 0,
          ttftP99Ms: at.latency.ttft.p99,
          tpotP99Ms: at.latency.tpot.p99,
        }
      : null,
    stoppedBecause,
    steps,
    generatorBoundSteps,
    note: notes.length > 0 ? notes.join(' ') : null,
  };
}

function arrivalAt(options: FindMaxRateOptions, rate: number): Arrival {
  const process = options.process ?? 'poisson';
  if (process === 'gamma') return { kind: 'gamma', rate, burstiness: options.burstiness ?? 1 };
  return { kind: process, rate };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

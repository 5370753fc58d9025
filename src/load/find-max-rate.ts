import { VerdictError } from '../spec/errors.ts';
import { rateBoundary } from '../stats/rate-boundary.ts';
import type { LoadHardware } from './load-hardware.ts';
import { runLoadTest } from './run-load-test.ts';
import { DEFAULT_MIN_REQUESTS, judgeStep, type StepVerdictOptions } from './step-verdict.ts';
import { type StepBase, stepDurationMs, stepSeed } from './sweep.ts';
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
  /**
   * Half-width of the 95% interval asked for, as a share of the rate found; the bisection also
   * stops at a bracket this narrow before the repeated trials begin. Default 0.05.
   */
  precision?: number;
  /** Most steps run, repeats and trials included. Default 24. */
  maxSteps?: number;
  /** Longest step: a slow rate's step is lengthened to send `minRequests`, up to this. Default 4 × base duration. */
  longestStepMs?: number;
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
  /** Whether the step enters the interval: not too short to judge, and no failure the generator may have caused. */
  counted: boolean;
  /** `bracket`: doubling and bisection; `trial`: repeated near the boundary for the interval. */
  phase: 'bracket' | 'trial';
  reasons: string[];
  result: LoadTestResult;
}

export interface MaxRateResult {
  schemaVersion: 1;
  kind: 'max-rate';
  slo: string;
  /** The highest rate (req/s) whose trials mostly met the SLO and kept up, below the estimate; null when none did. */
  maxRatePerSec: number | null;
  /** The lowest rate above the estimate whose trials mostly failed: the limit lies between the two. */
  failedAtPerSec: number | null;
  /** Where a step's chance of holding crosses one half (a probit fit in log rate over every counted step). */
  estimatePerSec?: number | null;
  /** The likelihood-ratio interval of that rate; null unless some step held and some failed. */
  interval?: { lowPerSec: number; highPerSec: number; level: number; steps: number } | null;
  /**
   * What one replica is taken to serve within the SLO: the interval's lower end; with no failure
   * (the ceiling held), the highest rate that held, a lower bound. Never above a rate offered.
   */
  capacityPerSec?: number | null;
  /** No counted step met the SLO: the capacity is below the lowest rate that failed. */
  upperBoundPerSec?: number | null;
  /**
   * The step at maxRatePerSec. `offeredPerSec` is its rate; the measured rates count over the
   * step's wall time, tail included, so run lower.
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
  /** What the search ran on, recorded by `verdict load` (absent before issue 15). */
  hardware?: LoadHardware;
}

/**
 * The highest request rate that still meets the SLO: doubles from `startRate` until a step
 * fails, bisects between the highest rate that held and the lowest that failed, then repeats
 * steps at the two ends until the 95% interval of the boundary is as narrow as `precision` asks.
 */
export async function findMaxRate(options: FindMaxRateOptions): Promise<MaxRateResult> {
  const ceiling = options.ceilingRate ?? 1000;
  const floor = options.floorRate ?? 0.05;
  const precision = options.precision ?? 0.05;
  const maxSteps = options.maxSteps ?? 24;
  let rate = Math.min(options.startRate ?? 1, ceiling);
  if (!(rate > 0) || !(floor > 0) || !(precision > 0) || !(maxSteps >= 1)) {
    throw new VerdictError(
      'USAGE',
      'find-max-rate needs a positive start rate, floor, precision and step count',
    );
  }
  if (options.slo.bounds.length === 0)
    throw new VerdictError('USAGE', 'find-max-rate needs an SLO with bounds');

  const minRequests = options.minRequests ?? DEFAULT_MIN_REQUESTS;
  const longestMs = options.longestStepMs ?? 4 * options.base.durationMs;
  const repeats = options.repeatGeneratorBound ?? 1;
  const steps: RateStep[] = [];
  const run = async (at: number, phase: RateStep['phase']): Promise<RateStep> => {
    const result = await runLoadTest({
      ...options.base,
      slo: options.slo,
      arrival: arrivalAt(options, at),
      seed: stepSeed(options.base.seed, steps.length),
      durationMs: stepDurationMs(options.base.durationMs, at, minRequests, longestMs),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const verdict = judgeStep(result, options);
    const counted =
      !verdict.inconclusive && (verdict.held || !result.client.generatorBound || beyondClient(result));
    const step: RateStep = { rate: at, held: verdict.held, counted, phase, reasons: verdict.reasons, result };
    steps.push(step);
    options.onStep?.(step);
    return step;
  };

  let repeated = 0;
  let held: RateStep | null = null;
  let failed: RateStep | null = null;
  let stoppedBecause: MaxRateResult['stoppedBecause'] = 'max-steps';
  let bracketed = false;
  while (steps.length < maxSteps) {
    if (options.signal?.aborted) {
      stoppedBecause = 'aborted';
      break;
    }
    const step = await run(rate, 'bracket');
    if (!step.held && step.result.client.generatorBound && repeated < repeats) {
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
        bracketed = true;
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
      if (rate <= floor || missedAlone(step)) {
        stoppedBecause = 'floor';
        break;
      }
      rate = Math.max(floor, rate / 2);
    }
  }

  // Trials at the ends of the boundary until its interval is as narrow as asked.
  while (bracketed) {
    const fit = rateBoundary(trialsOf(steps));
    if (fit && (fit.high - fit.low) / 2 <= precision * fit.estimate) {
      stoppedBecause = 'converged';
      break;
    }
    if (steps.length >= maxSteps) break;
    if (options.signal?.aborted) {
      stoppedBecause = 'aborted';
      break;
    }
    if (!fit) {
      // An end of the bracket did not count (too short, or a failure the generator may have
      // caused): try that end again.
      const counted = trialsOf(steps);
      await run(counted.some((t) => t.held) ? failed!.rate : held!.rate, 'trial');
      continue;
    }
    const { below, above } = ratesAround(steps, fit.estimate);
    if (below === null || above === null) {
      // Contradicting steps put the boundary beyond every counted rate: try the end it lies past.
      await run(below ?? above!, 'trial');
      continue;
    }
    const next =
      (above - below) / above > precision
        ? Math.sqrt(below * above)
        : Math.log(below / fit.low) >= Math.log(fit.high / above)
          ? below
          : above;
    await run(next, 'trial');
  }

  return summarise(steps, options, stoppedBecause, { ceiling, floor, maxSteps });
}

/**
 * A failure a stalled generator cannot have caused: a stall adds at most its own length to a
 * latency, so a bound missed, or a TTFT rise, by more than the event loop's p99 stall is the server's.
 */
function beyondClient(result: LoadTestResult): boolean {
  const stall = Math.max(result.client.eventLoopDelayMs.p99 ?? 0, 1);
  const missedBy = (result.slo?.bounds ?? [])
    .filter((b) => !b.met && b.observedMs !== null)
    .map((b) => b.observedMs! - b.thresholdMs);
  const { ttftP50FirstQuarterMs: first, ttftP50LastQuarterMs: last, latencyRising } = result.stability;
  const rose = latencyRising && first !== null && last !== null ? last - first : 0;
  return Math.max(0, rose, ...missedBy) > 2 * stall;
}

/** The step missed its SLO with requests hardly overlapping: a lower rate would not help. */
function missedAlone(step: RateStep): boolean {
  const r = step.result;
  const e2eS = (r.latency.e2e.mean ?? Number.POSITIVE_INFINITY) / 1000;
  return step.counted && r.slo !== null && !r.slo.met && step.rate * e2eS < 0.5;
}

function trialsOf(steps: RateStep[]) {
  return steps.filter((s) => s.counted).map((s) => ({ level: s.rate, held: s.held }));
}

/** The counted rates nearest the estimate on each side. */
function ratesAround(steps: RateStep[], estimate: number): { below: number | null; above: number | null } {
  let below: number | null = null;
  let above: number | null = null;
  for (const s of steps) {
    if (!s.counted) continue;
    if (s.rate <= estimate && (below === null || s.rate > below)) below = s.rate;
    if (s.rate > estimate && (above === null || s.rate < above)) above = s.rate;
  }
  return { below, above };
}

/** Whether most counted trials at this rate held. */
function mostlyHeld(steps: RateStep[], rate: number): boolean {
  const at = steps.filter((s) => s.counted && s.rate === rate);
  return at.filter((s) => s.held).length * 2 > at.length;
}

function summarise(
  steps: RateStep[],
  options: FindMaxRateOptions,
  stoppedBecause: MaxRateResult['stoppedBecause'],
  limits: { ceiling: number; floor: number; maxSteps: number },
): MaxRateResult {
  const counted = steps.filter((s) => s.counted);
  const fit = rateBoundary(trialsOf(steps));
  const heldRates = counted.filter((s) => mostlyHeld(steps, s.rate)).map((s) => s.rate);
  const failedRates = counted.filter((s) => !mostlyHeld(steps, s.rate)).map((s) => s.rate);
  const maxHeld = fit
    ? (ratesAround(steps, fit.estimate).below ?? null)
    : heldRates.length > 0
      ? Math.max(...heldRates)
      : null;
  const minFailed = fit
    ? (ratesAround(steps, fit.estimate).above ?? null)
    : failedRates.length > 0
      ? Math.min(...failedRates)
      : null;
  const highestOffered = Math.max(0, ...counted.map((s) => s.rate));
  const capacity = fit
    ? Math.min(fit.low, highestOffered)
    : heldRates.length > 0 && failedRates.length === 0
      ? maxHeld
      : null;
  const upperBound = heldRates.length === 0 && failedRates.length > 0 ? Math.min(...failedRates) : null;

  const generatorBoundSteps = steps.filter((s) => s.result.client.generatorBound).map((s) => s.rate);
  const notes: string[] = [];
  if (generatorBoundSteps.length > 0) {
    notes.push(
      `The load generator was a bottleneck in ${generatorBoundSteps.length} of ${steps.length} steps ` +
        `(at ${generatorBoundSteps.map((r) => r.toFixed(2)).join(', ')} req/s); the rate found may understate the server.`,
    );
  }
  const uncounted = steps.filter((s) => !s.counted && !s.result.client.generatorBound).length;
  if (uncounted > 0)
    notes.push(
      `${uncounted} step${uncounted === 1 ? ' was' : 's were'} too short to count (fewer requests than a step needs).`,
    );
  if (stoppedBecause === 'ceiling')
    notes.push(`The SLO still held at the ceiling of ${limits.ceiling} req/s.`);
  if (stoppedBecause === 'floor') {
    const last = steps.at(-1)!;
    notes.push(
      last.rate <= limits.floor
        ? `The SLO failed even at ${limits.floor} req/s.`
        : `The SLO failed at ${last.rate.toFixed(2)} req/s with requests hardly overlapping: a lower rate would not meet it.`,
    );
  }
  if (stoppedBecause === 'max-steps' && fit) {
    notes.push(
      `Stopped after ${limits.maxSteps} steps with the 95% interval ${fit.low.toFixed(2)}–${fit.high.toFixed(2)} req/s, wider than asked.`,
    );
  }

  const heldStep = maxHeld === null ? undefined : steps.filter((s) => s.held && s.rate === maxHeld).at(-1);
  const at = heldStep?.result;
  return {
    schemaVersion: 1,
    kind: 'max-rate',
    slo: options.slo.text,
    maxRatePerSec: maxHeld === null ? null : round3(maxHeld),
    failedAtPerSec: minFailed === null ? null : round3(minFailed),
    estimatePerSec: fit ? round3(fit.estimate) : null,
    interval: fit
      ? { lowPerSec: round3(fit.low), highPerSec: round3(fit.high), level: fit.level, steps: counted.length }
      : null,
    capacityPerSec: capacity === null ? null : floor3(capacity),
    upperBoundPerSec: upperBound === null ? null : round3(upperBound),
    atMaxRate:
      at && heldStep
        ? {
            offeredPerSec: round3(heldStep.rate),
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

function floor3(value: number): number {
  return Math.floor(value * 1000) / 1000;
}

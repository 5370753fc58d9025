// What the store keeps of a load result, and what the decision reads back from it: one place that
// says which figure of a test, a sweep or a max-rate search is the capacity within the SLO.
import type { LoadTestMode, LoadTestRecord } from '../spec/load-test-record.ts';
import type { MaxRateResult } from './find-max-rate.ts';
import { judgeStep } from './step-verdict.ts';
import type { SweepResult } from './sweep.ts';
import type { LoadTestResult } from './types.ts';

/** Any result `verdict load` produces. */
export type LoadResult = LoadTestResult | SweepResult | MaxRateResult;

/**
 * Requests per second one replica sustained within the SLO, or null: the lower end of a max-rate
 * search's interval (the highest rate that held, for a search stored before intervals); the best
 * sweep step that held (its offered rate on the rate axis, its throughput on the concurrency
 * axis); a single test's throughput when it held and met its SLO (a lower bound). Never above a
 * rate the test offered: one request's throughput is one over its latency, not a capacity.
 */
export function maxRateWithinSlo(result: LoadResult): number | null {
  switch (result.kind) {
    case 'max-rate':
      return result.capacityPerSec !== undefined ? result.capacityPerSec : result.maxRatePerSec;
    case 'sweep': {
      const best = result.bestWithinSlo;
      if (result.slo === null || !best) return null;
      return result.axis === 'rate' ? best.value : best.requestsPerSec;
    }
    case 'load-test': {
      if (!result.slo?.met || !judgeStep(result).held || !(result.throughput.requestsPerSec > 0)) return null;
      const offered = result.arrival.kind === 'closed' ? Number.POSITIVE_INFINITY : result.arrival.rate;
      return Math.min(result.throughput.requestsPerSec, offered);
    }
  }
}

/**
 * When a result met its SLO at no rate it tried: the lowest open-loop rate that failed it with
 * enough requests to count — the capacity lies below. Null when something held, or nothing counts.
 */
export function capacityUpperBound(result: LoadResult): number | null {
  switch (result.kind) {
    case 'max-rate':
      return result.upperBoundPerSec ?? null;
    case 'sweep': {
      if (result.slo === null || result.bestWithinSlo !== null || result.axis !== 'rate') return null;
      const failed = result.steps.filter((s) => !judgeStep(s.result).inconclusive).map((s) => s.value);
      return failed.length > 0 ? Math.min(...failed) : null;
    }
    case 'load-test': {
      if (!result.slo || result.slo.met || result.arrival.kind === 'closed') return null;
      return judgeStep(result).inconclusive ? null : result.arrival.rate;
    }
  }
}

/** Every single test inside a result, in the order run. */
export function loadTestsOf(result: LoadResult): LoadTestResult[] {
  return result.kind === 'load-test' ? [result] : result.steps.map((step) => step.result);
}

/** The latency objective a result was judged by. */
export function sloOf(result: LoadResult): string | null {
  return result.kind === 'load-test' ? (result.slo?.text ?? null) : result.slo;
}

/** A new id for a stored load test: sortable by time, e.g. `lt-20261124-125902-a3f1`. */
export function newLoadTestId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `lt-${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

/** The store's record of a result. */
export function toLoadTestRecord(
  result: LoadResult,
  fields: {
    id: string;
    target: { baseUrl: string; model: string };
    candidateId: string | null;
    runId: string | null;
  },
): LoadTestRecord {
  const tests = loadTestsOf(result);
  const mode: LoadTestMode = result.kind;
  return {
    id: fields.id,
    runId: fields.runId,
    target: fields.target.baseUrl,
    model: fields.target.model,
    candidateId: fields.candidateId,
    mode,
    slo: sloOf(result),
    startedAt: tests[0]?.startedAt ?? new Date().toISOString(),
    finishedAt: tests.at(-1)?.finishedAt ?? new Date().toISOString(),
    maxRateWithinSlo: maxRateWithinSlo(result),
    resultJson: JSON.stringify(result),
  };
}

export type LoadOutcomeKind = 'ok' | 'endpoint-failed' | 'generator-bound' | 'slo-missed';

/**
 * What a result says overall, worst first: no request completed; the generator was the bottleneck
 * in a test the answer rests on (so a miss may be the client's); the SLO was missed (the test
 * missed it, or no sweep step or searched rate met it); else ok.
 */
export function loadOutcome(result: LoadResult): { kind: LoadOutcomeKind; message: string | null } {
  const tests = loadTestsOf(result);
  if (tests.length > 0 && tests.every((t) => t.counts.completed === 0)) {
    const kinds = Object.entries(tests.at(-1)!.errors.byKind).map(
      ([k, e]) => `${k} ${e.count} (e.g. ${e.example})`,
    );
    return {
      kind: 'endpoint-failed',
      message: `no request completed${kinds.length > 0 ? `: ${kinds.join('; ')}` : ''}`,
    };
  }
  const decisive = decisiveTests(result);
  if (decisive.some((t) => t.client.generatorBound)) {
    return {
      kind: 'generator-bound',
      message:
        decisive.find((t) => t.client.note)?.client.note ??
        'the load generator was a bottleneck: the figures may understate the server',
    };
  }
  const missed =
    result.kind === 'max-rate'
      ? result.maxRatePerSec === null
      : result.kind === 'sweep'
        ? result.slo !== null && result.bestWithinSlo === null
        : result.slo !== null && !result.slo.met;
  if (missed) {
    return {
      kind: 'slo-missed',
      message:
        result.kind === 'load-test'
          ? `the SLO ${result.slo!.text} was missed`
          : `no ${result.kind === 'sweep' ? 'step' : 'rate'} met the SLO ${result.slo}`,
    };
  }
  return { kind: 'ok', message: null };
}

/** The tests a result's answer rests on: the test itself, the best step that held and the one that stopped a sweep, the bracket of a search. */
function decisiveTests(result: LoadResult): LoadTestResult[] {
  if (result.kind === 'load-test') return [result];
  if (result.kind === 'sweep') {
    const best = result.steps.find((s) => s.value === result.bestWithinSlo?.value);
    return [best?.result, result.steps.at(-1)?.result].filter((t) => t !== undefined);
  }
  const at = (rate: number | null, s: { rate: number }) => rate !== null && Math.abs(s.rate - rate) < 0.001;
  const held = result.steps.filter((s) => s.held && at(result.maxRatePerSec, s)).at(-1);
  const failed = result.steps.filter((s) => !s.held && at(result.failedAtPerSec, s)).at(-1);
  return [held?.result, failed?.result].filter((t) => t !== undefined);
}

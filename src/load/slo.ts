import { VerdictError } from '../spec/errors.ts';
import type {
  LatencySummary,
  RequestRecord,
  Slo,
  SloBound,
  SloBoundResult,
  SloMetric,
  SloStatistic,
} from './types.ts';

const METRICS: readonly SloMetric[] = ['ttft', 'tpot', 'itl', 'e2e'];
const STATISTICS: readonly SloStatistic[] = ['p50', 'p90', 'p95', 'p99', 'max', 'mean'];
const UNITS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

/**
 * Parses a latency objective such as `ttft_p99=500ms,tpot_p99=50ms`. Metrics: ttft, tpot, itl,
 * e2e; statistics: p50, p90, p95, p99, max, mean; units: us, ms, s (required).
 */
export function parseSlo(text: string): Slo {
  const fail = (part: string, why: string): never => {
    throw new VerdictError('USAGE', `SLO "${text}": ${part ? `${part}: ` : ''}${why}`);
  };
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) fail('', 'is empty; write bounds like ttft_p99=500ms,tpot_p99=50ms');

  const bounds: SloBound[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals < 0) fail(part, 'expected NAME=VALUE, e.g. ttft_p99=500ms');
    const name = part.slice(0, equals).trim().toLowerCase();
    const value = part.slice(equals + 1).trim();

    const underscore = name.indexOf('_');
    const metricName = underscore < 0 ? name : name.slice(0, underscore);
    const statisticName = underscore < 0 ? '' : name.slice(underscore + 1);
    if (!METRICS.includes(metricName as SloMetric)) {
      fail(
        part,
        `unknown metric "${metricName}"${suggest(metricName, METRICS)}; known: ${METRICS.join(', ')}`,
      );
    }
    if (statisticName === '') {
      fail(
        part,
        `name a statistic, e.g. ${metricName}_p99=${value || '500ms'}; known: ${STATISTICS.join(', ')}`,
      );
    }
    if (!STATISTICS.includes(statisticName as SloStatistic)) {
      fail(
        part,
        `unknown statistic "${statisticName}"${suggest(statisticName, STATISTICS)}; known: ${STATISTICS.join(', ')}`,
      );
    }
    const key = `${metricName}_${statisticName}`;
    if (seen.has(key)) fail(part, `${key} is given twice`);
    seen.add(key);

    const match = /^([0-9]*\.?[0-9]+)\s*([a-zµ]*)$/i.exec(value);
    if (!match) fail(part, `"${value}" is not a duration; write e.g. 500ms or 0.5s`);
    const [, amount, unit] = match!;
    if (unit === '') fail(part, `"${value}" has no unit; write ${value}ms or ${value}s`);
    const factor = UNITS[unit!.toLowerCase()];
    if (factor === undefined) fail(part, `unknown unit "${unit}"; use us, ms or s`);
    const thresholdMs = Number(amount) * factor!;
    if (!(thresholdMs > 0)) fail(part, 'a bound must be greater than zero');
    bounds.push({ metric: metricName as SloMetric, statistic: statisticName as SloStatistic, thresholdMs });
  }
  return { bounds, text: formatSlo(bounds) };
}

/** Canonical text of bounds: `ttft_p99=500ms,tpot_p99=50ms`. */
export function formatSlo(bounds: SloBound[]): string {
  return bounds.map((b) => `${b.metric}_${b.statistic}=${+b.thresholdMs.toFixed(3)}ms`).join(',');
}

/** Checks each bound against the test's latency distributions. */
export function evaluateSloBounds(
  slo: Slo,
  latency: Record<SloMetric, LatencySummary>,
): { met: boolean; bounds: SloBoundResult[] } {
  const bounds = slo.bounds.map((bound) => {
    const observedMs = latency[bound.metric][bound.statistic];
    // No observation (e.g. no request produced two tokens) cannot show the bound held.
    return { ...bound, observedMs, met: observedMs !== null && observedMs <= bound.thresholdMs };
  });
  return { met: bounds.every((b) => b.met), bounds };
}

/**
 * Whether one request counts toward goodput: it succeeded and its own TTFT, TPOT, E2E and
 * largest inter-token gap are each within the threshold of every bound on that metric. A
 * percentile bound is applied to each request's own value, as vLLM's `--goodput` does.
 */
export function requestMeetsSlo(record: RequestRecord, slo: Slo): boolean {
  if (record.error) return false;
  for (const bound of slo.bounds) {
    const value =
      bound.metric === 'ttft'
        ? record.ttftMs
        : bound.metric === 'tpot'
          ? record.tpotMs
          : bound.metric === 'itl'
            ? record.maxItlMs
            : record.e2eMs;
    // A request with one token has no TPOT or ITL: nothing to breach.
    if (value === null) {
      if (bound.metric === 'ttft' || bound.metric === 'e2e') return false;
      continue;
    }
    if (value > bound.thresholdMs) return false;
  }
  return true;
}

function suggest(word: string, known: readonly string[]): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= 2 && word !== '' ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

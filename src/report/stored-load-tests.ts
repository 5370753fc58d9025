// Load tests kept in the store (verdict load) as the decision's measured capacity per replica and
// as the report's load-test rows: for each candidate, the latest test that measured it on its
// hardware — the one stored for that candidate, else one that targeted its endpoint and model —
// with a capacity within its SLO (a search's interval low end) or, when nothing held, an upper bound.
import path from 'node:path';
import type { Capacity } from '../cost/types.ts';
import { capacityUpperBound, type LoadResult } from '../load/load-record.ts';
import type { ReportLoadTest } from '../spec/decision.ts';
import type { LoadTestRecord } from '../spec/load-test-record.ts';
import type { Candidate, Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import { hardwareMismatch, hardwareUnrecorded } from './load-test-hardware.ts';
import { reportLoadTestsFrom } from './load-tests.ts';

type Summary = Omit<LoadTestRecord, 'resultJson'>;

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Whether a stored test measured this candidate: stored under its id and for its model (an id
 * alone could be another workload's candidate), else by its endpoint and model (or embedded file).
 */
function measures(test: Summary, candidate: Candidate): boolean {
  const embedded = candidate.provider === 'llama-cpp';
  if (test.candidateId !== null) {
    return (
      test.candidateId === candidate.id &&
      test.model === (embedded ? path.basename(candidate.modelName) : candidate.modelName)
    );
  }
  if (embedded) return test.target === candidate.model;
  return (
    candidate.baseUrl !== undefined &&
    trimSlash(test.target) === trimSlash(candidate.baseUrl) &&
    test.model === candidate.modelName
  );
}

interface Found {
  test: Summary;
  result: LoadResult;
  /** Newer tests of the candidate passed over, each with why. */
  passedOver: string[];
}

/**
 * For each candidate, the latest stored test that measured it on its hardware and found a capacity
 * or an upper bound; candidates whose only tests ran on other hardware get `passedOver` alone.
 */
async function findTests(
  store: Store,
  candidates: Candidate[],
): Promise<Map<string, Found | { passedOver: string[] }>> {
  const tests = await store.listLoadTests({ limit: 500 });
  const parsed = new Map<string, LoadResult>();
  const read = async (id: string) => {
    if (!parsed.has(id)) {
      const record = await store.getLoadTest(id);
      if (record) parsed.set(id, JSON.parse(record.resultJson) as LoadResult);
    }
    return parsed.get(id);
  };
  const out = new Map<string, Found | { passedOver: string[] }>();
  for (const candidate of candidates) {
    const passedOver: string[] = [];
    // Newest first: the first that measures the candidate on its hardware is its latest.
    for (const test of tests) {
      if (!measures(test, candidate)) continue;
      const result = test.maxRateWithinSlo !== null || test.slo !== null ? await read(test.id) : undefined;
      if (!result) continue;
      if (test.maxRateWithinSlo === null && capacityUpperBound(result) === null) continue;
      const mismatch = hardwareMismatch(test.id, result.hardware, candidate);
      if (mismatch) {
        passedOver.push(mismatch);
        continue;
      }
      out.set(candidate.id, { test, result, passedOver });
      break;
    }
    if (!out.has(candidate.id) && passedOver.length > 0) out.set(candidate.id, { passedOver });
  }
  return out;
}

/** The latest stored load test each candidate's capacity comes from (on its hardware). */
export async function latestLoadTests(store: Store, candidates: Candidate[]): Promise<Map<string, Summary>> {
  const found = await findTests(store, candidates);
  const out = new Map<string, Summary>();
  for (const [id, entry] of found) if ('test' in entry) out.set(id, entry.test);
  return out;
}

/**
 * A stored test as a capacity, labelled `measured (load test ID)`: a search's interval lower end
 * (with the interval), a rate that held, or — when nothing held — an upper bound (`bound: 'below'`).
 */
export function capacityOfStoredTest(test: Summary, candidate: Candidate, result?: LoadResult): Capacity {
  // 0: the decision takes the fewest GPUs the model fits on, unless the workload states a count.
  const gpusPerReplica = candidate.deployment?.gpu?.count ?? 0;
  const date = test.finishedAt.slice(0, 10);
  const notes = [result ? hardwareUnrecorded(test.id, result.hardware) : null].filter((n) => n !== null);
  const tail = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  if (test.maxRateWithinSlo === null && result) {
    const bound = capacityUpperBound(result)!;
    return {
      requestsPerSecond: bound,
      gpusPerReplica,
      bound: 'below',
      provenance: {
        kind: 'measured',
        source: `load test ${test.id} met ${test.slo} at no rate tried, the lowest failing at ${fmt(bound)} req/s, ${date}${tail}`,
      },
    };
  }
  const interval = result?.kind === 'max-rate' ? result.interval : null;
  const what = interval
    ? `the lower end of the ${Math.round(interval.level * 100)}% interval ${fmt(interval.lowPerSec)}–${fmt(interval.highPerSec)} req/s of the highest rate that met`
    : test.mode === 'max-rate'
      ? 'the highest rate that met'
      : test.mode === 'sweep'
        ? 'the best sweep step that met'
        : 'a rate that met (a lower bound)';
  return {
    requestsPerSecond: test.maxRateWithinSlo!,
    gpusPerReplica,
    ...(interval
      ? {
          interval: { lowPerSec: interval.lowPerSec, highPerSec: interval.highPerSec, level: interval.level },
        }
      : {}),
    provenance: {
      kind: 'measured',
      source: `load test ${test.id}, ${what} ${test.slo}, ${date}${tail}`,
    },
  };
}

/**
 * Capacities and report rows from the store for a workload's candidates. Capacities given
 * explicitly (files) win over stored ones for the same candidate. A candidate whose tests all ran
 * on other hardware gets an entry with `notUsed`, so the decision says why it has no measurement.
 */
export async function storedLoadTestInputs(
  store: Store,
  workload: Pick<Workload, 'candidates'>,
): Promise<{ capacities: Map<string, Capacity>; rows: ReportLoadTest[] }> {
  const found = await findTests(store, workload.candidates);
  const capacities = new Map<string, Capacity>();
  const rows: ReportLoadTest[] = [];
  for (const candidate of workload.candidates) {
    const entry = found.get(candidate.id);
    if (!entry) continue;
    if (!('test' in entry)) {
      capacities.set(candidate.id, {
        requestsPerSecond: 0,
        gpusPerReplica: 0,
        provenance: { kind: 'measured', source: entry.passedOver[0]! },
        notUsed: entry.passedOver.join('; '),
      });
      continue;
    }
    const capacity = capacityOfStoredTest(entry.test, candidate, entry.result);
    if (entry.passedOver.length > 0 && capacity.provenance.kind === 'measured')
      capacity.provenance.source += `; a newer test was not used: ${entry.passedOver.join('; ')}`;
    capacities.set(candidate.id, capacity);
    rows.push(...reportLoadTestsFrom(entry.result, entry.test.id));
  }
  return { capacities, rows };
}

const fmt = (x: number) => Number(x.toPrecision(3)).toString();

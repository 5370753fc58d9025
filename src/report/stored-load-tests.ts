// Load tests kept in the store (verdict load) as the decision's measured capacity per replica and
// as the report's load-test rows: for each candidate, the latest test that found a capacity within
// its SLO — the one stored for that candidate, else one that targeted its endpoint and model.
import path from 'node:path';
import type { Capacity } from '../cost/types.ts';
import type { ReportLoadTest } from '../spec/decision.ts';
import type { LoadTestRecord } from '../spec/load-test-record.ts';
import type { Candidate, Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
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

/** The latest stored load test with a capacity for each candidate that has one. */
export async function latestLoadTests(store: Store, candidates: Candidate[]): Promise<Map<string, Summary>> {
  const tests = await store.listLoadTests({ withCapacity: true, limit: 500 });
  const out = new Map<string, Summary>();
  for (const candidate of candidates) {
    // Newest first: the first that measures the candidate is its latest.
    const test = tests.find((t) => measures(t, candidate));
    if (test) out.set(candidate.id, test);
  }
  return out;
}

/** A stored test as a capacity: its rate within the SLO, labelled `measured (load test ID)`. */
export function capacityOfStoredTest(test: Summary, candidate: Candidate): Capacity {
  const what =
    test.mode === 'max-rate'
      ? 'the highest rate that met'
      : test.mode === 'sweep'
        ? 'the best sweep step that met'
        : 'a rate that met (a lower bound)';
  return {
    requestsPerSecond: test.maxRateWithinSlo!,
    // 0: the decision takes the fewest GPUs the model fits on, unless the workload states a count.
    gpusPerReplica: candidate.deployment?.gpu?.count ?? 0,
    provenance: {
      kind: 'measured',
      source: `load test ${test.id}, ${what} ${test.slo}, ${test.finishedAt.slice(0, 10)}`,
    },
  };
}

/**
 * Capacities and report rows from the store for a workload's candidates. Capacities given
 * explicitly (files) win over stored ones for the same candidate.
 */
export async function storedLoadTestInputs(
  store: Store,
  workload: Pick<Workload, 'candidates'>,
): Promise<{ capacities: Map<string, Capacity>; rows: ReportLoadTest[] }> {
  const latest = await latestLoadTests(store, workload.candidates);
  const capacities = new Map<string, Capacity>();
  const rows: ReportLoadTest[] = [];
  for (const candidate of workload.candidates) {
    const test = latest.get(candidate.id);
    if (!test) continue;
    capacities.set(candidate.id, capacityOfStoredTest(test, candidate));
    const record = await store.getLoadTest(test.id);
    if (record) rows.push(...reportLoadTestsFrom(JSON.parse(record.resultJson), test.id));
  }
  return { capacities, rows };
}

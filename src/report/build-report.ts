// Builds the report object from what the store holds for one run: the measured evidence and the
// run's stored decision. Nothing here is re-measured, and nothing is decided again: every format
// renders the same stored decision (DESIGN §5); `redecide` in decide-run.ts makes a new version.
import type { Capacity } from '../cost/types.ts';
import type { Report } from '../spec/decision.ts';
import type { Store } from '../store/store.ts';
import { redecide, storedDecision } from './decide-run.ts';
import { runEvidence } from './run-evidence.ts';
import { storedLoadTestInputs } from './stored-load-tests.ts';

/**
 * The report of a stored run, with its latest stored decision. The options decide a finished run
 * that has no stored decision yet (its first version); they change a stored one only with `redecide`.
 */
export async function buildReport(
  store: Store,
  runId: string,
  options: {
    caveats?: string[];
    now?: Date;
    /** Capacity per replica measured by load tests, by candidate id: replaces the roofline estimates. */
    capacities?: Map<string, Capacity>;
    /** Decide again first, storing a new version if it differs (the end of a run: its evidence just changed). */
    redecide?: boolean;
  } = {},
): Promise<Report> {
  const evidence = await runEvidence(store, runId);
  const { run, workload } = evidence;
  const decideOptions = {
    ...(options.now ? { now: options.now } : {}),
    ...(options.caveats ? { caveats: options.caveats } : {}),
    ...(options.capacities ? { loadTests: { files: [], capacities: options.capacities } } : {}),
  };
  const record = options.redecide
    ? (await redecide(store, runId, decideOptions, evidence)).record
    : await storedDecision(store, evidence, decideOptions);
  const stored = await storedLoadTestInputs(store, workload);
  return {
    schemaVersion: 1,
    runId,
    workload: run.workloadName,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    cases: evidence.cases,
    candidates: evidence.candidates,
    quality: evidence.quality,
    decision: record.decision,
    decisionRecord: {
      version: record.version,
      createdAt: record.createdAt,
      verdictVersion: record.verdictVersion,
    },
    ...(record.cost ? { cost: record.cost } : {}),
    ...(stored.rows.length > 0 ? { loadTests: stored.rows } : {}),
    latency: evidence.latency,
  };
}

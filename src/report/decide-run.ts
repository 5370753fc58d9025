// A run's decision as a stored, versioned record (DESIGN §5): decided once from the run's evidence and
// today's catalogues, then rendered from the store by every format. Deciding again makes a new
// version only when the decision differs, so the memo forwarded last month still renders the same.
import type { Capacity } from '../cost/types.ts';
import { catalogueSources } from '../decide/catalogue-sources.ts';
import { decideFully, removedByConstraints } from '../decide/decide.ts';
import { packageVersion } from '../package-root.ts';
import { candidatesKeptFromCases } from '../run/premises.ts';
import {
  DECISION_RECORD_SCHEMA_VERSION,
  type DecisionRecord,
  type StoredCapacity,
} from '../spec/decision-record.ts';
import type { Store } from '../store/store.ts';
import { cachedAnswerCaveats } from './cache-caveat.ts';
import { measuredCostInputs } from './cost-inputs.ts';
import { sameDecision } from './decision-changes.ts';
import { buildQualityReport } from './quality.ts';
import { type RunEvidence, runEvidence } from './run-evidence.ts';
import { latestLoadTests, storedLoadTestInputs } from './stored-load-tests.ts';

/** What, beside the evidence and the catalogues, a decision is made from. */
export interface DecideRunOptions {
  /** The date to decide as of (default: now). */
  now?: Date;
  /** Sentences to put beside the decision (the demo's stand-ins). */
  caveats?: string[];
  /** Capacities per candidate from `--load-test` files, and the files' resolved paths. */
  loadTests?: { files: string[]; capacities: Map<string, Capacity> };
}

const listed = (ids: string[]) =>
  ids.length <= 2 ? ids.join(' and ') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;

/** A decision of the run from its evidence and today's catalogues; stores nothing. */
export async function decideRun(
  store: Store,
  runId: string,
  options: DecideRunOptions = {},
  given?: RunEvidence,
): Promise<Omit<DecisionRecord, 'version'>> {
  const evidence = given ?? (await runEvidence(store, runId));
  const { workload, candidates, quality } = evidence;
  const now = options.now ?? new Date();
  const costInput = await measuredCostInputs(store, runId, workload, now);
  // The latest stored load test of each candidate is its measured capacity; files given explicitly win.
  const stored = await storedLoadTestInputs(store, workload);
  const capacities = new Map([...stored.capacities, ...(options.loadTests?.capacities ?? [])]);
  if (capacities.size > 0) costInput.capacities = capacities;
  // Constraints come before quality: removed candidates leave the comparison (never its reference,
  // never a party to its multiple-comparison correction), and the rest are compared among themselves.
  const removed = removedByConstraints(workload);
  const gateQuality =
    removed.length > 0
      ? await buildQualityReport(store, runId, {
          ...workload,
          candidates: workload.candidates.filter((candidate) => !removed.includes(candidate.id)),
        })
      : quality;
  const notCalled = candidatesKeptFromCases(workload).map((n) => n.candidateId);
  const premises = [
    ...(notCalled.length > 0
      ? [
          `${listed(notCalled)} ${notCalled.length === 1 ? 'was' : 'were'} not called: constraints.on_prem keeps the cases on the premises and ${notCalled.length === 1 ? 'its endpoint is' : 'their endpoints are'} outside them. ${notCalled.length === 1 ? 'It is' : 'They are'} priced from tokens per request ${workload.traffic?.input_tokens_per_request && workload.traffic.output_tokens_per_request ? 'as declared in traffic' : 'estimated from the cases'}, and shown removed.`,
        ]
      : []),
    ...(workload.constraints.on_prem && workload.constraints.synthetic_data
      ? [
          'The cases are synthetic (constraints.synthetic_data): candidates and judges outside the premises were called on them, which production data may not be; the hard constraints still remove every route off the premises.',
        ]
      : []),
  ];
  // A grader whose two judges disagree: its pass rates carry the judge's doubt beside their intervals.
  const doubted = (quality.judge?.reliability?.graders ?? []).flatMap((g) =>
    g.agreement?.low
      ? [
          `The judges of ${g.grader} agree only at κ = ${g.agreement.kappa!.toFixed(2)} (${g.agreement.agreed} of ${g.agreement.n} verdicts; below ${quality.judge!.reliability!.lowKappa}): pass rates that rest on it are less certain than their intervals say.`,
        ]
      : [],
  );
  const labelled = candidates
    .filter((candidate) => candidate.label)
    .map((candidate) => `${candidate.candidateId} is ${candidate.label}.`);
  const { decision, cost } = decideFully(candidates, {
    caveats: [
      ...premises,
      ...doubted,
      ...labelled,
      ...cachedAnswerCaveats(candidates),
      ...(options.caveats ?? []),
      ...(quality.best !== null && removed.includes(quality.best)
        ? [
            `${quality.best} has the highest pass rate, but the hard constraints remove it: the other candidates are compared with ${gateQuality.best ?? 'none'}, the best of the rest.`,
          ]
        : []),
    ],
    quality: gateQuality,
    cost: costInput,
  });
  const fromFiles = options.loadTests?.capacities ?? new Map<string, Capacity>();
  const usedStored = [...(await latestLoadTests(store, workload.candidates))]
    .filter(([candidateId]) => !fromFiles.has(candidateId))
    .map(([, test]) => test.id);
  return {
    schemaVersion: DECISION_RECORD_SCHEMA_VERSION,
    runId,
    createdAt: new Date().toISOString(),
    verdictVersion: packageVersion(),
    catalogues: catalogueSources(),
    inputs: {
      asOf: now.toISOString(),
      caveats: options.caveats ?? [],
      loadTestFiles: options.loadTests?.files ?? [],
      capacities: Object.fromEntries(
        [...fromFiles].map(([id, capacity]) => [id, capacity as unknown as StoredCapacity]),
      ),
      storedLoadTests: usedStored,
    },
    decision,
    ...(cost ? { cost } : {}),
  };
}

/** The outcome of deciding again: the latest record afterwards, the one before, whether it was stored. */
export interface Redecision {
  record: DecisionRecord;
  previous: DecisionRecord | undefined;
  stored: boolean;
}

/**
 * Decides the run again with today's catalogues and stores the result as the next version when it
 * differs from the latest. Caveats and load-test capacities not given are the latest version's, so
 * deciding again without flags changes only what changed in the world.
 */
export async function redecide(
  store: Store,
  runId: string,
  options: DecideRunOptions = {},
  evidence?: RunEvidence,
): Promise<Redecision> {
  const previous = await store.latestDecision(runId);
  const inputs = previous?.inputs;
  const loadTests =
    options.loadTests ??
    (inputs && inputs.loadTestFiles.length > 0
      ? {
          files: inputs.loadTestFiles,
          capacities: new Map(
            Object.entries(inputs.capacities).map(([id, c]) => [id, c as unknown as Capacity]),
          ),
        }
      : undefined);
  const fresh = await decideRun(
    store,
    runId,
    {
      ...(options.now ? { now: options.now } : {}),
      caveats: options.caveats ?? inputs?.caveats ?? [],
      ...(loadTests ? { loadTests } : {}),
    },
    evidence,
  );
  if (previous && sameDecision(previous, fresh)) return { record: previous, previous, stored: false };
  return { record: await store.saveDecision(fresh), previous, stored: true };
}

/**
 * The decision every format renders: the latest stored version. A finished run stored before
 * decisions were kept gets its first version now; a run still running gets a provisional decision
 * (version 0), not stored, since its evidence is still arriving.
 */
export async function storedDecision(
  store: Store,
  evidence: RunEvidence,
  options: DecideRunOptions = {},
): Promise<DecisionRecord> {
  const runId = evidence.run.id;
  const latest = await store.latestDecision(runId);
  if (latest) return latest;
  const fresh = await decideRun(store, runId, options, evidence);
  if (evidence.run.status === 'running') return { ...fresh, version: 0 };
  // Another reader (a second dashboard request) may have stored the first version meanwhile.
  return (await store.latestDecision(runId)) ?? store.saveDecision(fresh);
}

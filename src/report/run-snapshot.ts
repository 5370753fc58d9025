// What a run measured, reduced to what a later run is compared with: each candidate's pass on the
// first attempt of every case, its latency p90s, its cost per request, and the run's stored decision.
// `verdict diff` builds one per run from the store; `verdict gate --write-baseline` writes one to a
// file a team commits, so a CI job can compare with it without the store that measured it.
import type { DecisionRecord } from '../spec/decision-record.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Store } from '../store/store.ts';
import { type InputLimits, resolveLimits } from '../workload/input-limits.ts';
import { readJsonFile } from '../workload/read-text-file.ts';
import { storedDecision } from './decide-run.ts';
import { runEvidence } from './run-evidence.ts';

export const BASELINE_SCHEMA_VERSION = 1;

/** One candidate of a run, as a comparison needs it. */
export interface CandidateSnapshot {
  candidateId: string;
  model: string;
  /** Pass of the first attempt (repeat 0) of each case, by case id: the pairs of a paired test. */
  passes: Record<string, boolean>;
  /** First attempts whose call failed. */
  errors: number;
  ttftP90Ms: number | null;
  e2eP90Ms: number | null;
  /** Cost per request of the candidate's own option in the run's decision; null when unpriced. */
  costPerRequestUsd: number | null;
}

/** A run reduced to its comparable figures; also the shape of a baseline file. */
export interface RunSnapshot {
  schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  kind: 'verdict-baseline';
  runId: string;
  workload: string;
  startedAt: string;
  /** Case ids by tag, for per-tag changes. */
  tags: Record<string, string[]>;
  candidates: CandidateSnapshot[];
  /** The run's latest stored decision (rendered, never re-decided, by a comparison). */
  decision: DecisionRecord;
}

/** The cost per request of a candidate's own option (its id), else of the first option measuring it. */
export function costPerRequestOf(record: DecisionRecord, candidateId: string): number | null {
  const options = record.cost?.options ?? [];
  const own =
    options.find((o) => o.optionId === candidateId) ??
    options.find((o) => (o.candidateId ?? o.optionId) === candidateId);
  return own?.costPerRequestUsd ?? null;
}

/** Reads a stored run once into a snapshot (its decision is the latest stored version). */
export async function runSnapshot(store: Store, runId: string): Promise<RunSnapshot> {
  const evidence = await runEvidence(store, runId);
  const decision = await storedDecision(store, evidence);
  const passes = new Map(evidence.candidates.map((c) => [c.candidateId, {} as Record<string, boolean>]));
  const errors = new Map<string, number>();
  for await (const result of store.results(runId)) {
    if (result.repeat !== 0) continue;
    const byCase = passes.get(result.candidateId);
    if (!byCase) continue;
    byCase[result.caseId] = result.pass;
    if (result.error) errors.set(result.candidateId, (errors.get(result.candidateId) ?? 0) + 1);
  }
  const tags = new Map<string, string[]>();
  for await (const c of store.cases(runId))
    for (const tag of c.tags) {
      const ids = tags.get(tag);
      if (ids) ids.push(c.id);
      else tags.set(tag, [c.id]);
    }
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    kind: 'verdict-baseline',
    runId,
    workload: evidence.run.workloadName,
    startedAt: evidence.run.startedAt,
    tags: Object.fromEntries(tags),
    candidates: evidence.candidates.map((c) => ({
      candidateId: c.candidateId,
      model: c.model,
      passes: passes.get(c.candidateId) ?? {},
      errors: errors.get(c.candidateId) ?? 0,
      ttftP90Ms: c.ttftMs.p90,
      e2eP90Ms: c.durationMs.p90,
      costPerRequestUsd: costPerRequestOf(decision, c.candidateId),
    })),
    decision,
  };
}

/** Reads a baseline file written by `verdict gate --write-baseline`; a wrong file is a located error. */
export async function readBaselineFile(file: string, limits?: Partial<InputLimits>): Promise<RunSnapshot> {
  const value = (await readJsonFile({ file, shown: file, code: 'USAGE' }, resolveLimits(limits))) as
    | Partial<RunSnapshot>
    | undefined;
  if (value?.kind !== 'verdict-baseline')
    throw new VerdictError(
      'USAGE',
      `${file}: not a verdict baseline (write one with verdict gate --write-baseline)`,
    );
  if (value.schemaVersion !== BASELINE_SCHEMA_VERSION)
    throw new VerdictError(
      'USAGE',
      `${file}: baseline schemaVersion ${String(value.schemaVersion)} is not one this verdict reads (${BASELINE_SCHEMA_VERSION})`,
    );
  if (!Array.isArray(value.candidates) || !value.decision || typeof value.runId !== 'string')
    throw new VerdictError('USAGE', `${file}: the baseline lacks candidates, decision or runId`);
  return { ...value, tags: value.tags ?? {} } as RunSnapshot;
}

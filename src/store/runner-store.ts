// The part of the store the runner needs beyond one result at a time: batched writes, the
// content-addressed response cache, a run's cases paged by position, and which results a run
// already has (for resume).
import type { Generation } from '../spec/provider.ts';
import type { Result, RunStatus } from '../spec/result.ts';
import type { Case } from '../spec/workload.ts';

/** A generation stored under its content key (provider, model, params, messages, repeat). */
export interface CacheEntry {
  key: string;
  /** `provider:model`, for inspection and pruning. */
  model: string;
  generation: Generation;
}

/** A case with its position in the run. */
export type PositionedCase = Case & { position: number };

/** Whether a (case, repeat) of a candidate has a stored result, and whether it is an error. */
export type ResultState = 'ok' | 'error';

/** `caseId` + repeat, the key of {@link RunnerStore.resultStates}' map. */
export const resultStateKey = (caseId: string, repeat: number) => `${repeat}\u0000${caseId}`;

export interface RunnerStore {
  /** Stores results (and cache entries) in one transaction; with `replaceErrors`, a result replaces an errored one of the same key. */
  saveResults(
    results: readonly Result[],
    cacheEntries?: readonly CacheEntry[],
    options?: { replaceErrors?: boolean },
  ): Promise<void>;
  /** Cached generations for these keys (missing keys are absent from the map). */
  cachedGenerations(keys: readonly string[]): Promise<Map<string, Generation>>;
  /** Stores cases with their positions and per-case graders (idempotent: a resumed run may store them again). */
  saveRunCases(runId: string, cases: readonly Case[], firstPosition: number): Promise<void>;
  /** Up to `limit` cases after `afterPosition`, in order. */
  runCasePage(runId: string, afterPosition: number, limit: number): Promise<PositionedCase[]>;
  /** The stored results of one candidate for these cases, keyed by {@link resultStateKey}. */
  resultStates(
    runId: string,
    candidateId: string,
    caseIds: readonly string[],
  ): Promise<Map<string, ResultState>>;
  /** Sets a run's plan and status (resume sets it running again). */
  updateRun(
    runId: string,
    fields: { status?: RunStatus; plannedResults?: number; repeats?: number; clearFinishedAt?: boolean },
  ): Promise<void>;
  /** The number of repeats a run planned (1 for runs from before repeats). */
  runRepeats(runId: string): Promise<number>;
}

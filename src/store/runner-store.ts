// The part of the store the runner needs beyond one result at a time: batched writes, the
// content-addressed response cache, a run's cases paged by position, and which results a run
// already has (for resume).
import type { Generation } from '../spec/provider.ts';
import type { Result, RunSettings, RunStatus } from '../spec/result.ts';
import type { Case } from '../spec/workload.ts';
import type { CandidateTally } from './run-tally.ts';

/** A result whose call was made now, with the content key of that call (provider, model, params, messages, repeat): its answer enters the response cache. */
export interface CacheEntry {
  result: Result;
  key: string;
}

/** A case with its position in the run. */
export type PositionedCase = Case & { position: number };

/** Whether a (case, repeat) of a candidate has a stored result, and whether it is an error. */
export type ResultState = 'ok' | 'error';

/** `caseId` + repeat, the key of {@link RunnerStore.resultStates}' map. */
export const resultStateKey = (caseId: string, repeat: number) => `${repeat}\u0000${caseId}`;

/** A generation answered from the response cache, with the run whose call made it when known. */
export type CachedGeneration = Generation & { measuredInRun?: string };

/** A process's hold on a run, so that two processes never work on one run at once. */
export interface RunClaim {
  release(): Promise<void>;
}

export interface RunnerStore {
  /** Stores results in one transaction, the cache entries' results with their content keys; with `replaceErrors`, a result replaces an errored one of the same key. */
  saveResults(
    results: readonly Result[],
    cacheEntries?: readonly CacheEntry[],
    options?: { replaceErrors?: boolean },
  ): Promise<void>;
  /**
   * Where a store has it (SQLite): makes results durable at once and cheaply (a journal append),
   * ahead of their `saveResults` in a later batch. A result logged but not yet saved survives the
   * death of the process: the next opening of the store saves it.
   */
  logResults?(
    results: readonly Result[],
    cacheEntries?: readonly CacheEntry[],
    options?: { replaceErrors?: boolean },
  ): void;
  /** What a run's stored results add up to, per candidate. */
  runTally(runId: string): Promise<Map<string, CandidateTally>>;
  /** Cached generations for these keys (missing keys are absent from the map). Answers stored since the last {@link publishResponseCache} are not among them yet. */
  cachedGenerations(keys: readonly string[]): Promise<Map<string, CachedGeneration>>;
  /** Copies the answers stored with a content key since the last call (any run's, a crashed one's too) into the response cache; returns how many entered it. */
  publishResponseCache(): Promise<number>;
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
    fields: {
      status?: RunStatus;
      plannedResults?: number;
      repeats?: number;
      clearFinishedAt?: boolean;
      settings?: RunSettings;
    },
  ): Promise<void>;
  /** The number of repeats a run planned (1 for runs from before repeats). */
  runRepeats(runId: string): Promise<number>;
  /** Claims a run for this process; throws RUN_BUSY, naming the holder, while another process holds it (a dead holder's claim lapses). */
  claimRun(runId: string): Promise<RunClaim>;
}

import type { Result, RunRecord, RunStatus } from '../spec/result.ts';
import type { Case } from '../spec/workload.ts';

/** Where runs and their results live. SQLite by default; the interface leaves room for Postgres. */
export interface Store {
  /** Where the store lives, for messages (a file path, or a database URL without its password). */
  readonly location: string;
  createRun(run: RunRecord): Promise<void>;
  /** Records the cases of a run in order, so reports can show inputs beside outputs. */
  saveCases(runId: string, cases: Case[], firstPosition: number): Promise<void>;
  /** Stores one finished attempt with its grades, atomically. */
  saveResult(result: Result): Promise<void>;
  finishRun(runId: string, status: RunStatus): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(limit?: number): Promise<RunRecord[]>;
  /** Results of a run in insertion order, streamed. */
  results(runId: string): AsyncIterable<Result>;
  countResults(runId: string): Promise<number>;
  close(): Promise<void>;
}

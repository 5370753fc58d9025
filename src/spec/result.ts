import type { Usage } from './provider.ts';

/** A grader's verdict on one output (DESIGN §2). */
export interface Grade {
  grader: string;
  pass: boolean;
  score: number;
  reason: string;
  /** A grading error (the grader or its judge failed), shown apart from model failures. */
  error?: boolean;
}

export interface ResultError {
  code: string;
  message: string;
}

/** One (run, candidate, case, repeat) attempt. A failed call is a result with an error. */
export interface Result {
  runId: string;
  candidateId: string;
  caseId: string;
  repeat: number;
  output: string | null;
  usage: Usage | null;
  ttftMs: number | null;
  durationMs: number | null;
  finishReason: string | null;
  error: ResultError | null;
  grades: Grade[];
  /** Overall pass: every grader passed and there was no error. */
  pass: boolean;
  createdAt: string;
  /** Answered from the response cache: no call was made; usage and cost are the original call's. */
  cached?: boolean;
  /** Calls made for this result, retries included (0 when cached). */
  attempts?: number;
  /** The model id the server said answered. */
  responseModel?: string;
  /** The provider's request id of the last attempt. */
  requestId?: string;
  /** HTTP status of the last attempt. */
  httpStatus?: number;
  /** What the call cost (for a cached result: what it cost when made) in USD; absent without a price. */
  costUsd?: number;
  /** For a cached result: the run whose call measured it (its latency and tokens are that call's); absent when unknown (cached before verdict kept it). */
  cachedFromRun?: string;
}

/** How a run was asked to call, kept with it so that a resume calls the same way. */
export interface RunSettings {
  /** false: the run was started with --no-cache. */
  cache?: boolean;
  timeoutMs?: number;
  maxRetries?: number;
  concurrency?: number;
}

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed';

export interface RunRecord {
  id: string;
  workloadName: string;
  workloadFile: string;
  /** The validated workload as JSON, so a report can be rebuilt from the store alone. */
  workloadJson: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  plannedResults: number;
  /** The settings the run was started with (absent for runs from before they were kept). */
  settings?: RunSettings;
}

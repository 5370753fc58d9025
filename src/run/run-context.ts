// What every candidate lane of one invocation shares (the run, the store, the writer, the limits,
// the stop signals and the totals), and what one lane is given (its candidate, provider and gate).
import type { Provider } from '../spec/provider.ts';
import type { Candidate, Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import type { Budget } from './budget.ts';
import type { CallClaims } from './call-claims.ts';
import type { CandidatePricing } from './call-cost.ts';
import type { RetryPolicy } from './call-with-retries.ts';
import type { RateGate } from './rate-gate.ts';
import type { ResultWriter } from './result-writer.ts';

/** Progress of one candidate. */
export interface RunProgress {
  candidateId: string;
  /** Results the run has for this candidate, stored before this invocation included. */
  done: number;
  total: number;
  errors: number;
  /** Results answered from the response cache. */
  cached?: number;
  /** USD spent on calls made in this invocation (cached results excluded). */
  spentUsd?: number;
  /** Times the provider answered 429. */
  rateLimited?: number;
  /** Set when the candidate is not called at all, with the reason (its endpoint is off the premises). */
  notCalled?: string;
}

export interface RunTotals {
  calls: number;
  results: number;
  errors: number;
  cached: number;
  costUsd: number;
}

export interface RunContext {
  runId: string;
  workload: Workload;
  store: Store;
  writer: ResultWriter;
  repeats: number;
  retryErrors: boolean;
  useCache: boolean;
  policy: RetryPolicy;
  secrets: string[];
  /** Aborted to stop scheduling (Ctrl-C, budget, a store failure). */
  stop: AbortController;
  /** Aborted to abandon calls in flight (Ctrl-C after the grace period). */
  hard: AbortSignal;
  budget: Budget | undefined;
  /** Set on a team's workers: one call per content key across all of them (run/call-claims.ts). */
  claims?: CallClaims;
  onProgress?: (progress: RunProgress) => void;
  /** Set when the budget stopped the run: the estimate that would have passed it. */
  budgetStop?: { candidateId: string; projectedUsd: number };
  totals: RunTotals;
}

export interface Lane {
  candidate: Candidate;
  provider: Provider;
  gate: RateGate;
  pricing: CandidatePricing;
  /** Where the model is served, part of the cache key (base URL, or the model file). */
  origin: string | undefined;
  totalCases: number;
  /** Only the cases at positions in (after, through]: one page of a distributed run. */
  range?: { after: number; through: number };
}

// The runner: every case × candidate × repeat of a workload, each result graded and stored as it
// finishes (in batches), a failed call stored as a result with an error (CONVENTIONS: errors as
// data). Per-endpoint gates pace calls under rate limits; a response cache and the stored results
// make re-runs and resumes free of repeated paid calls; Ctrl-C stops scheduling, lets calls in
// flight finish for a grace period, and leaves a run that `--resume` completes.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { secretsFor } from '../providers/api-keys.ts';
import { createProvider } from '../providers/registry.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Provider } from '../spec/provider.ts';
import type { RunSettings, RunStatus } from '../spec/result.ts';
import type { Candidate, Case, Workload } from '../spec/workload.ts';
import type { RunClaim } from '../store/runner-store.ts';
import type { Store } from '../store/store.ts';
import { readCases } from '../workload/read-cases.ts';
import { Budget } from './budget.ts';
import { originOf } from './cache-key.ts';
import { pricingFor } from './call-cost.ts';
import { defaultRetryPolicy, type RetryPolicy } from './call-with-retries.ts';
import { type Lane, type RunContext, type RunProgress, runLane } from './candidate-lane.ts';
import { candidatesKeptFromCases, type NotCalled } from './premises.ts';
import { type GateLimits, RateGate } from './rate-gate.ts';
import { ResultWriter } from './result-writer.ts';
import type { WorkersOptions } from './run-on-workers.ts';

export type { RunProgress } from './candidate-lane.ts';

export interface RunWorkloadOptions {
  store: Store;
  env?: NodeJS.ProcessEnv;
  /** Concurrent calls per endpoint (default 4); the embedded runtime always runs one at a time. */
  concurrency?: number;
  /** Per-call timeout in milliseconds (default 120 000). */
  timeoutMs?: number;
  onProgress?: (progress: RunProgress) => void;
  /** Providers to use instead of building them from the candidates (library users, tests). */
  providers?: Map<string, Provider>;
  /** Aborting stops scheduling; calls in flight get `graceMs` to finish, then are abandoned (and not stored). */
  signal?: AbortSignal;
  /** Milliseconds calls in flight may take to finish after `signal` aborts (default 5000). */
  graceMs?: number;
  /** Samples per case and candidate (default 1). */
  repeat?: number;
  /** Continue this run: only (candidate, case, repeat) without a stored result are called. */
  resumeRunId?: string;
  /** With `resumeRunId`: call again the results that are stored as errors. */
  retryErrors?: boolean;
  /** Answer from the response cache when the same call was made before (default true). */
  cache?: boolean;
  /** Stop scheduling before the estimated spend of this invocation would pass this many USD. */
  maxCostUsd?: number;
  retry?: Partial<RetryPolicy>;
  /** Rate limits per candidate id, over the workload's and the defaults. */
  limits?: Record<string, Partial<GateLimits>>;
  /** Results per store transaction at most (default 500). */
  batchSize?: number;
  /** Spread the run over `verdict worker` processes: enqueue its pages on the queue in this Postgres store and wait for their results. */
  workers?: WorkersOptions;
}

export interface RunSummary {
  runId: string;
  /** Results stored by this invocation. */
  results: number;
  errors: number;
  /** Results answered from the response cache (no call made). */
  cached: number;
  /** Calls made, retries included. */
  calls: number;
  /** USD spent by this invocation's calls, where prices are known. */
  costUsd: number;
  status: RunStatus;
  /** Why the run stopped before its end, if it did. */
  stoppedBy?: 'interrupt' | 'budget';
  /** With `stoppedBy: 'budget'`: the projected spend that would have passed the cap. */
  projectedUsd?: number;
  /** A distributed run: pages worked again after their worker stopped, and the calls made on them (the bound on calls paid twice). */
  retaken?: { pages: number; calls: number };
  /** Candidates not called, and why (their endpoint is outside the premises under on_prem). */
  notCalled: NotCalled[];
}

function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
}

/** Streams the workload's cases into the store in batches; returns how many there are. */
async function storeCases(store: Store, runId: string, workload: Workload): Promise<number> {
  let batch: Case[] = [];
  let position = 1;
  for await (const testCase of readCases(workload.cases, path.dirname(workload.file))) {
    batch.push(testCase);
    if (batch.length === 1000) {
      await store.saveRunCases(runId, batch, position);
      position += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await store.saveRunCases(runId, batch, position);
  return position - 1 + batch.length;
}

/** Calls sharing a provider, an address and a key share one rate limit. */
/**
 * The gate a candidate's calls go through: its endpoint (provider, base URL, key) and model. Real
 * APIs limit each model apart, so two models on one key sharing a gate ran at one model's pace.
 */
export function endpointOf(candidate: Candidate): string {
  if (candidate.provider === 'llama-cpp') return `llama-cpp|${candidate.id}`;
  return `${candidate.provider}|${candidate.baseUrl ?? ''}|${candidate.apiKeyEnv ?? ''}|${candidate.modelName}`;
}

export function limitsFor(candidate: Candidate, options: RunWorkloadOptions): GateLimits {
  const fromWorkload = candidate.limits;
  const override = options.limits?.[candidate.id] ?? {};
  const concurrency =
    candidate.provider === 'llama-cpp'
      ? 1
      : (override.concurrency ?? options.concurrency ?? fromWorkload?.concurrency ?? 4);
  const rpm = override.requestsPerMinute ?? fromWorkload?.requests_per_minute;
  const tpm = override.tokensPerMinute ?? fromWorkload?.tokens_per_minute;
  return {
    concurrency,
    ...(rpm === undefined ? {} : { requestsPerMinute: rpm }),
    ...(tpm === undefined ? {} : { tokensPerMinute: tpm }),
  };
}

/** The settings of a run worth keeping for its resume: those a user may have set away from the defaults. */
export function settingsOf(options: RunWorkloadOptions): RunSettings {
  return {
    ...(options.cache === false ? { cache: false } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retry?.maxRetries === undefined ? {} : { maxRetries: options.retry.maxRetries }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  };
}

/** Options given now, over the settings a run was started with. */
export function withSettings(options: RunWorkloadOptions, settings: RunSettings): RunWorkloadOptions {
  const maxRetries = options.retry?.maxRetries ?? settings.maxRetries;
  return {
    ...options,
    cache: options.cache ?? settings.cache ?? true,
    ...((options.timeoutMs ?? settings.timeoutMs) === undefined
      ? {}
      : { timeoutMs: options.timeoutMs ?? settings.timeoutMs }),
    ...((options.concurrency ?? settings.concurrency) === undefined
      ? {}
      : { concurrency: options.concurrency ?? settings.concurrency }),
    ...(maxRetries === undefined ? {} : { retry: { ...options.retry, maxRetries } }),
  };
}

/** Runs (or resumes) a workload's cases against its candidates and stores every result. */
export async function runWorkload(workload: Workload, options: RunWorkloadOptions): Promise<RunSummary> {
  const env = options.env ?? process.env;
  // Providers first: a key that is missing or a model that does not load fails before a run is
  // recorded, and the run's clock starts when its first call can.
  const providers = new Map<string, Provider>();
  const created: Provider[] = [];
  try {
    const skipped = new Set(candidatesKeptFromCases(workload).map((c) => c.candidateId));
    for (const candidate of workload.candidates) {
      // Not even built: a provider for an endpoint off the premises has no business starting.
      if (skipped.has(candidate.id)) continue;
      let provider = options.providers?.get(candidate.id);
      if (!provider) {
        provider = await createProvider(candidate, { env, baseDir: path.dirname(workload.file) });
        created.push(provider);
      }
      providers.set(candidate.id, provider);
    }
    return await runWithProviders(workload, options, providers, env);
  } finally {
    await Promise.all(created.map((provider) => provider.close?.()));
  }
}

async function runWithProviders(
  workload: Workload,
  given: RunWorkloadOptions,
  providers: Map<string, Provider>,
  env: NodeJS.ProcessEnv,
): Promise<RunSummary> {
  const { store } = given;
  // A resume calls as the run was started (--no-cache, timeout, retries, concurrency) unless told otherwise.
  const resumed = given.resumeRunId ? await store.getRun(given.resumeRunId) : undefined;
  const options = resumed?.settings ? withSettings(given, resumed.settings) : given;
  const notCalled = candidatesKeptFromCases(workload);
  const called = workload.candidates.filter((c) => !notCalled.some((n) => n.candidateId === c.id));
  let runId: string;
  let repeats: number;
  let caseCount: number;
  let claim: RunClaim | undefined;

  try {
    if (options.resumeRunId) {
      runId = options.resumeRunId;
      const run = await store.getRun(runId);
      if (!run) throw new VerdictError('RUN_NOT_FOUND', `no run "${runId}" in ${store.location}`);
      // One process at a time: a second resume of a run being worked on is told so (RUN_BUSY) before
      // it calls or writes anything.
      claim = await store.claimRun(runId);
      repeats = await store.runRepeats(runId);
      await store.updateRun(runId, { status: 'running', clearFinishedAt: true });
      // A run killed while storing its cases has no plan yet: store them again (idempotent).
      caseCount =
        run.plannedResults > 0
          ? run.plannedResults / (called.length * repeats)
          : await storeCases(store, runId, workload);
      if (run.plannedResults === 0) {
        await store.updateRun(runId, { plannedResults: caseCount * called.length * repeats });
      }
    } else {
      runId = newRunId();
      repeats = Math.max(1, Math.floor(options.repeat ?? 1));
      await store.createRun({
        id: runId,
        workloadName: workload.name,
        workloadFile: workload.file,
        workloadJson: JSON.stringify(workload),
        status: 'running',
        startedAt: new Date().toISOString(),
        finishedAt: null,
        plannedResults: 0,
      });
      claim = await store.claimRun(runId);
      await store.updateRun(runId, { repeats, settings: settingsOf(options) });
      caseCount = await storeCases(store, runId, workload);
      await store.updateRun(runId, { plannedResults: caseCount * called.length * repeats });
    }
    for (const { candidateId, reason } of notCalled)
      options.onProgress?.({ candidateId, done: 0, total: 0, errors: 0, notCalled: reason });

    // Answers a crashed run stored but never published reach the cache before this run looks there.
    await store.publishResponseCache();

    const stop = new AbortController();
    const hard = new AbortController();
    let interrupted = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const onInterrupt = () => {
      interrupted = true;
      stop.abort(new Error('interrupted'));
      graceTimer = setTimeout(() => hard.abort(new Error('interrupted')), options.graceMs ?? 5000);
      graceTimer.unref();
    };
    if (options.signal?.aborted) onInterrupt();
    else options.signal?.addEventListener('abort', onInterrupt, { once: true });

    const writer = new ResultWriter(store, {
      ...(options.batchSize === undefined ? {} : { maxBatch: options.batchSize }),
      replaceErrors: options.retryErrors ?? false,
    });
    const context: RunContext = {
      runId,
      workload,
      store,
      writer,
      repeats,
      retryErrors: options.retryErrors ?? false,
      useCache: options.cache ?? true,
      policy: {
        ...defaultRetryPolicy,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...options.retry,
      },
      secrets: secretsFor(workload.candidates, env),
      stop,
      hard: hard.signal,
      budget: options.maxCostUsd === undefined ? undefined : new Budget(options.maxCostUsd),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      totals: { calls: 0, results: 0, errors: 0, cached: 0, costUsd: 0 },
    };

    const gates = new Map<string, RateGate>();
    let retaken: RunSummary['retaken'];
    let status: RunStatus = 'failed';
    try {
      const lanes: Lane[] = [];
      for (const [index, candidate] of workload.candidates.entries()) {
        const provider = providers.get(candidate.id);
        if (!provider) continue;
        const endpoint = endpointOf(candidate);
        let gate = gates.get(endpoint);
        if (!gate) {
          gate = new RateGate(limitsFor(candidate, options));
          gates.set(endpoint, gate);
        }
        lanes.push({
          candidate,
          provider,
          gate,
          pricing: pricingFor(candidate, index),
          origin: originOf(candidate, workload.file),
          totalCases: caseCount,
        });
      }
      if (options.workers) {
        // Loaded only for a distributed run: the queue and the Postgres client stay out of the others.
        const { runOnWorkers } = await import('./run-on-workers.ts');
        const outcome = await runOnWorkers(options.workers, env, {
          store,
          runId,
          candidateIds: lanes.map((lane) => lane.candidate.id),
          caseCount,
          repeats,
          signal: stop.signal,
          maxCostUsd: options.maxCostUsd,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
        context.totals = outcome.totals;
        retaken = outcome.retaken;
        if (outcome.budgetStop) {
          context.budgetStop = outcome.budgetStop;
          stop.abort(new Error('budget'));
        }
      } else {
        await Promise.all(lanes.map((lane) => runLane(context, lane)));
      }
      await writer.flush();
      status = stop.signal.aborted ? 'interrupted' : 'completed';
    } finally {
      if (graceTimer) clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onInterrupt);
      await writer.flush().catch(() => {});
      await store.finishRun(runId, status);
    }
    const stoppedBy = interrupted ? 'interrupt' : context.budgetStop ? 'budget' : undefined;
    return {
      runId,
      results: context.totals.results,
      errors: context.totals.errors,
      cached: context.totals.cached,
      calls: context.totals.calls,
      costUsd: context.totals.costUsd,
      status,
      ...(stoppedBy ? { stoppedBy } : {}),
      ...(context.budgetStop ? { projectedUsd: context.budgetStop.projectedUsd } : {}),
      ...(retaken ? { retaken } : {}),
      notCalled,
    };
  } finally {
    await claim?.release();
  }
}

// `verdict worker`: takes pages of distributed runs from the queue, calls, grades and stores them,
// one page at a time, until stopped (or idle for a while, when asked). Any machine that reaches the
// team's Postgres can run one; results, the response cache and resume state live in the store.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { secretsFor } from '../providers/api-keys.ts';
import { createProvider } from '../providers/registry.ts';
import type { Provider } from '../spec/provider.ts';
import type { Workload } from '../spec/workload.ts';
import { openSharedLimits } from '../store/postgres/shared-limits.ts';
import type { Store } from '../store/store.ts';
import { readStoredWorkload } from '../workload/stored-workload.ts';
import { originOf } from './cache-key.ts';
import type { CallClaims } from './call-claims.ts';
import { pricingFor } from './call-cost.ts';
import { defaultRetryPolicy } from './call-with-retries.ts';
import { type RunContext, runLane } from './candidate-lane.ts';
import { leaseSeconds, openPageQueue, PAGE_QUEUE, type PageJob } from './page-queue.ts';
import type { RateGate } from './rate-gate.ts';
import { ResultWriter } from './result-writer.ts';
import { endpointOf, limitsFor, withSettings } from './run-workload.ts';
import { SharedBudget, SharedRateGate } from './shared-limits.ts';

export interface WorkerOptions {
  /** The store's postgres:// URL: the queue lives in the same database. */
  url: string;
  store: Store;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Stop after this many milliseconds with no page to take (default: never). */
  idleExitMs?: number;
  /** After each page; `queueMs` is what taking and completing it on the queue took (bench/workers.ts). */
  onPage?: (page: PageJob & { results: number; calls: number; queueMs: number }) => void;
}

/** Takes and works pages until the signal aborts (or the queue stays empty for `idleExitMs`). */
export async function runWorker(options: WorkerOptions): Promise<{ pages: number }> {
  const env = options.env ?? process.env;
  const { store } = options;
  const boss = await openPageQueue(options.url, env);
  // Request rates per endpoint and model, and each run's --max-cost, held for all workers together.
  const shared = openSharedLimits(options.url);
  // One call per content key across the workers: this worker's claims last as long as its page lease.
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = leaseSeconds(env) * 1000;
  const claims: CallClaims = {
    claim: (keys) => shared.claimCalls(holder, keys, leaseMs),
    release: (keys) => shared.releaseCalls(holder, keys),
  };
  const providers = new Map<string, Provider>();
  const gates = new Map<string, RateGate>();
  const workloads = new Map<string, Workload>();
  let pages = 0;
  let idleSince = Date.now();
  try {
    while (!options.signal?.aborted) {
      const fetchStarted = performance.now();
      const [job] = await boss.fetch<PageJob>(PAGE_QUEUE, { includeMetadata: true });
      const fetchMs = performance.now() - fetchStarted;
      if (!job) {
        if (options.idleExitMs !== undefined && Date.now() - idleSince > options.idleExitMs) break;
        await sleep(100);
        continue;
      }
      // The heartbeat is the lease: a worker that dies stops beating and its page goes back.
      const beat = setInterval(() => {
        void boss.touch(PAGE_QUEUE, job.id).catch(() => {});
        void shared.renewCalls(holder, leaseMs).catch(() => {});
      }, leaseMs / 3);
      try {
        const totals = await workPage(job.data);
        // A page given back by a worker that stopped beating: its calls may repeat some it paid for.
        if (job.retryCount > 0) await shared.recordRetake(job.data.runId, totals.calls);
        const completeStarted = performance.now();
        await boss.complete(PAGE_QUEUE, job.id);
        const queueMs = fetchMs + performance.now() - completeStarted;
        pages++;
        options.onPage?.({ ...job.data, ...totals, queueMs });
      } catch (error) {
        await boss.fail(PAGE_QUEUE, job.id, { message: (error as Error).message }).catch(() => {});
      } finally {
        clearInterval(beat);
        idleSince = Date.now();
      }
    }
  } finally {
    await boss.stop({ graceful: false }).catch(() => {});
    await shared.close().catch(() => {});
    await Promise.all([...providers.values()].map((provider) => provider.close?.()));
  }
  return { pages };

  async function workPage(page: PageJob): Promise<{ results: number; calls: number }> {
    let workload = workloads.get(page.runId);
    const run = await store.getRun(page.runId);
    if (!run) return { results: 0, calls: 0 };
    if (!workload) {
      workload = readStoredWorkload(run.workloadJson, run.id);
      workloads.set(page.runId, workload);
    }
    const index = workload.candidates.findIndex((c) => c.id === page.candidateId);
    const candidate = workload.candidates[index];
    if (!candidate) return { results: 0, calls: 0 };
    const budgetState = await shared.budget(page.runId);
    // The run's cap was reached (by any worker): its remaining pages are let go uncalled.
    if (budgetState?.stopped) return { results: 0, calls: 0 };
    const settings = withSettings({ store }, run.settings ?? {});
    const providerKey = `${page.runId}\u0000${candidate.id}`;
    let provider = providers.get(providerKey);
    if (!provider) {
      provider = await createProvider(candidate, { env, baseDir: path.dirname(workload.file) });
      providers.set(providerKey, provider);
    }
    const endpoint = endpointOf(candidate);
    let gate = gates.get(endpoint);
    if (!gate) {
      gate = new SharedRateGate(limitsFor(candidate, settings), shared, endpoint);
      gates.set(endpoint, gate);
    }
    const writer = new ResultWriter(store);
    const context: RunContext = {
      runId: page.runId,
      workload,
      store,
      writer,
      repeats: await store.runRepeats(page.runId),
      retryErrors: false,
      useCache: settings.cache ?? true,
      policy: {
        ...defaultRetryPolicy,
        ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
        ...settings.retry,
      },
      secrets: secretsFor(workload.candidates, env),
      stop: new AbortController(),
      hard: options.signal ?? new AbortController().signal,
      budget: budgetState ? new SharedBudget(shared, page.runId, candidate.id, budgetState) : undefined,
      claims,
      totals: { calls: 0, results: 0, errors: 0, cached: 0, costUsd: 0 },
    };
    await runLane(context, {
      candidate,
      provider,
      gate,
      pricing: pricingFor(candidate, index),
      origin: originOf(candidate, workload.file),
      totalCases: page.through - page.after,
      range: { after: page.after, through: page.through },
    });
    await writer.flush();
    await (context.budget as SharedBudget | undefined)?.flush();
    return { results: context.totals.results, calls: context.totals.calls };
  }
}

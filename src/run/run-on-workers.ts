// The coordinator of a distributed run (`verdict run --workers`): it enqueues the run's pages for
// `verdict worker` processes, shows progress from what they store, and sums the run up from the
// store's tally, since it makes no call itself. Pages worked again after their worker stopped
// beating (killed, or failed on them) are counted with the calls made on them: the bound on calls
// that may have been paid twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { openSharedLimits } from '../store/postgres/shared-limits.ts';
import type { CandidateTally } from '../store/run-tally.ts';
import type { Store } from '../store/store.ts';
import { enqueuePages, openPageQueue } from './page-queue.ts';
import type { RunProgress, RunTotals } from './run-context.ts';

export interface WorkersOptions {
  url: string;
  pageSize?: number;
  onEnqueued?: (pages: number) => void;
  /** No result stored for this many seconds (said again every `quietSeconds` of quiet): no worker may be running. */
  onQuiet?: (seconds: number) => void;
  /** Seconds without a new result before `onQuiet` (default 30). */
  quietSeconds?: number;
}

export interface WorkersOutcome {
  /** What the workers stored during this invocation. */
  totals: RunTotals;
  /** Set when the run's shared --max-cost stopped it. */
  budgetStop?: { candidateId: string; projectedUsd: number };
  /** Pages taken again after their worker stopped, and the calls made on them (each may have been paid twice). */
  retaken: { pages: number; calls: number };
}

/** How often the coordinator reads the store's tally while the workers run. */
const POLL_MS = 250;

/** Enqueues a run's pages and waits until the store holds every planned result (or the run stops). */
export async function runOnWorkers(
  workers: WorkersOptions,
  env: NodeJS.ProcessEnv,
  run: {
    store: Store;
    runId: string;
    candidateIds: string[];
    caseCount: number;
    repeats: number;
    signal: AbortSignal;
    maxCostUsd: number | undefined;
    onProgress?: (progress: RunProgress) => void;
  },
): Promise<WorkersOutcome> {
  const shared = openSharedLimits(workers.url);
  try {
    if (run.maxCostUsd !== undefined) await shared.openBudget(run.runId, run.maxCostUsd);
    const before = await run.store.runTally(run.runId);
    const retakenBefore = await shared.retakes(run.runId);
    const boss = await openPageQueue(workers.url, env);
    try {
      const pages = await enqueuePages(
        boss,
        run.runId,
        run.candidateIds,
        run.caseCount,
        workers.pageSize ?? 50,
      );
      workers.onEnqueued?.(pages);
    } finally {
      await boss.stop({ graceful: false }).catch(() => {});
    }
    const planned = run.caseCount * run.candidateIds.length * run.repeats;
    let tally = before;
    let budgetStop: WorkersOutcome['budgetStop'];
    let stored = sum(before, 'results');
    let lastNews = Date.now();
    let quietSaid = 0;
    const quietMs = (workers.quietSeconds ?? 30) * 1000;
    for (;;) {
      tally = await run.store.runTally(run.runId);
      const now = sum(tally, 'results');
      if (now > stored) {
        stored = now;
        lastNews = Date.now();
        quietSaid = 0;
      } else if (Date.now() - lastNews >= (quietSaid + 1) * quietMs) {
        quietSaid++;
        workers.onQuiet?.((quietSaid * quietMs) / 1000);
      }
      for (const candidateId of run.candidateIds)
        run.onProgress?.(progressOf(candidateId, tally.get(candidateId), before.get(candidateId), run));
      if (run.signal.aborted || sum(tally, 'results') >= planned) break;
      budgetStop = (await shared.budget(run.runId))?.stopped;
      if (budgetStop) break;
      await sleep(POLL_MS);
    }
    const retaken = await shared.retakes(run.runId);
    return {
      totals: {
        results: sum(tally, 'results') - sum(before, 'results'),
        errors: sum(tally, 'errors') - sum(before, 'errors'),
        cached: sum(tally, 'cached') - sum(before, 'cached'),
        calls: sum(tally, 'calls') - sum(before, 'calls') + retaken.calls - retakenBefore.calls,
        costUsd: sum(tally, 'costUsd') - sum(before, 'costUsd'),
      },
      ...(budgetStop ? { budgetStop } : {}),
      retaken: { pages: retaken.pages - retakenBefore.pages, calls: retaken.calls - retakenBefore.calls },
    };
  } finally {
    await shared.close();
  }
}

function sum(tally: Map<string, CandidateTally>, field: keyof CandidateTally): number {
  let total = 0;
  for (const row of tally.values()) total += row[field];
  return total;
}

function progressOf(
  candidateId: string,
  now: CandidateTally | undefined,
  before: CandidateTally | undefined,
  run: { caseCount: number; repeats: number },
): RunProgress {
  return {
    candidateId,
    done: now?.results ?? 0,
    total: run.caseCount * run.repeats,
    errors: now?.errors ?? 0,
    cached: now?.cached ?? 0,
    spentUsd: (now?.costUsd ?? 0) - (before?.costUsd ?? 0),
  };
}

// The pages of a distributed run on pg-boss, in the team's own Postgres (one service to run; the
// measurement that chose it over BullMQ on Redis is in docs/team.md). A page is one candidate's
// cases at positions (after, through]. A worker holds a page by heartbeat: one killed mid-page
// stops beating, and after the lease pg-boss puts the page back for another worker, which skips the
// results the killed one stored.
import { PgBoss } from 'pg-boss';

export const PAGE_QUEUE = 'verdict-pages';

export interface PageJob {
  runId: string;
  candidateId: string;
  after: number;
  through: number;
}

/** Seconds a worker may go without a heartbeat before its page goes back (pg-boss's floor is 10). */
export function leaseSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.VERDICT_WORKER_LEASE_SECONDS ?? 30);
  return Number.isFinite(value) ? Math.max(10, Math.floor(value)) : 30;
}

/** pg-boss on the store's database, in a schema of its own, with the page queue created. */
export async function openPageQueue(url: string, env: NodeJS.ProcessEnv = process.env): Promise<PgBoss> {
  const lease = leaseSeconds(env);
  const boss = new PgBoss({
    connectionString: url,
    schema: 'verdict_queue',
    // Lapsed heartbeats are found by the supervisor: look often enough that a page comes back
    // within about a lease and a half.
    superviseIntervalSeconds: Math.max(1, Math.floor(lease / 2)),
    // The supervisor sweeps the queues it knows from its caches, refreshed every minute by default.
    monitorIntervalSeconds: Math.max(1, Math.floor(lease / 2)),
    queueCacheIntervalSeconds: Math.max(1, Math.floor(lease / 2)),
  });
  boss.on('error', () => {});
  await boss.start();
  if (!(await boss.getQueue(PAGE_QUEUE))) {
    try {
      await boss.createQueue(PAGE_QUEUE, {
        heartbeatSeconds: lease,
        retryLimit: 20,
        expireInSeconds: 24 * 3600,
      });
    } catch (error) {
      // Another process created it first.
      if (!(await boss.getQueue(PAGE_QUEUE))) throw error;
    }
  }
  return boss;
}

/** Enqueues every (candidate, page) of a run; returns how many pages. */
export async function enqueuePages(
  boss: PgBoss,
  runId: string,
  candidateIds: readonly string[],
  caseCount: number,
  pageSize: number,
): Promise<number> {
  const jobs: Array<{ data: PageJob }> = [];
  // Page by page, each candidate's in turn: workers take pages in this order, and candidates on
  // different models (limited apart) then run at once instead of one after the other.
  for (let after = 0; after < caseCount; after += pageSize)
    for (const candidateId of candidateIds)
      jobs.push({ data: { runId, candidateId, after, through: Math.min(caseCount, after + pageSize) } });
  for (let i = 0; i < jobs.length; i += 1000) await boss.insert(PAGE_QUEUE, jobs.slice(i, i + 1000));
  return jobs.length;
}

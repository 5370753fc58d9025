// One process at a time works on a run. The claim row names the host and pid of its holder: on this
// host a holder that no longer exists (killed, crashed) has lost it at once, so a resume right after
// a kill -9 goes ahead; a holder on another host (a shared file) loses it when its heartbeat stops.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { VerdictError } from '../../spec/errors.ts';
import type { RunClaim } from '../runner-store.ts';
import { processAlive } from './process-alive.ts';

const HEARTBEAT_MS = 10_000;
/** A holder on another host that has not beaten for this long is gone. */
const LAPSE_MS = 60_000;

interface ClaimRow {
  host: string;
  pid: number;
  token: string;
  since: string;
  heartbeat_at: number;
}

function held(row: ClaimRow, now: number): boolean {
  if (row.host === hostname()) return processAlive(row.pid);
  return now - row.heartbeat_at < LAPSE_MS;
}

export function createRunClaims(db: Database.Database): { claimRun(runId: string): Promise<RunClaim> } {
  const select = db.prepare('SELECT host, pid, token, since, heartbeat_at FROM run_claims WHERE run_id = ?');
  const upsert = db.prepare(
    'INSERT OR REPLACE INTO run_claims (run_id, host, pid, token, since, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const beat = db.prepare('UPDATE run_claims SET heartbeat_at = ? WHERE run_id = ? AND token = ?');
  const remove = db.prepare('DELETE FROM run_claims WHERE run_id = ? AND token = ?');
  // Read and write in one write transaction: two processes claiming at once see each other.
  const claim = db.transaction((runId: string, token: string) => {
    const now = Date.now();
    const row = select.get(runId) as ClaimRow | undefined;
    if (row && held(row, now)) return row;
    upsert.run(runId, hostname(), process.pid, token, new Date(now).toISOString(), now);
    return undefined;
  });
  return {
    async claimRun(runId) {
      const token = randomUUID();
      const holder = claim.immediate(runId, token);
      if (holder) {
        throw new VerdictError(
          'RUN_BUSY',
          `run ${runId} is being worked on by ${holder.host} pid ${holder.pid} since ${holder.since}; wait for it to finish, or stop that process first`,
        );
      }
      const timer = setInterval(() => {
        try {
          beat.run(Date.now(), runId, token);
        } catch {
          // A busy or closed store: the next beat tries again; the claim lapses only after a minute.
        }
      }, HEARTBEAT_MS);
      timer.unref();
      return {
        async release() {
          clearInterval(timer);
          if (db.open) remove.run(runId, token);
        },
      };
    },
  };
}

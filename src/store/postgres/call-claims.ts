// Claims on content keys, so that a team's workers make one call per key (src/run/call-claims.ts).
// A claim is a row naming its holder, with an expiry on the database's clock that the holder's
// heartbeat pushes on; a key whose claim expired is free to claim again.
import type pg from 'pg';

const NOW_MS = 'extract(epoch from clock_timestamp()) * 1000';

export interface CallClaimRecords {
  /** Claims the free (or expired) keys for `holder` until `leaseMs` from now; returns those granted. */
  claimCalls(holder: string, keys: readonly string[], leaseMs: number): Promise<Set<string>>;
  /** Deletes `holder`'s claims on these keys. */
  releaseCalls(holder: string, keys: readonly string[]): Promise<void>;
  /** Pushes every claim of `holder` to `leaseMs` from now (the worker's heartbeat). */
  renewCalls(holder: string, leaseMs: number): Promise<void>;
}

export function callClaimRecords(pool: pg.Pool): CallClaimRecords {
  return {
    async claimCalls(holder, keys, leaseMs) {
      if (keys.length === 0) return new Set();
      // One statement: a key is inserted, or taken over when its claim expired; never granted twice.
      const { rows } = await pool.query<{ key: string }>(
        `INSERT INTO call_claims AS c (key, holder, expires_ms)
           SELECT k, $2, now_ms + $3 FROM unnest($1::text[]) k, (SELECT ${NOW_MS} AS now_ms) clock
         ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, expires_ms = EXCLUDED.expires_ms
           WHERE c.expires_ms < ${NOW_MS} OR c.holder = EXCLUDED.holder
         RETURNING c.key`,
        [keys, holder, leaseMs],
      );
      return new Set(rows.map((row) => row.key));
    },
    async releaseCalls(holder, keys) {
      if (keys.length === 0) return;
      await pool.query('DELETE FROM call_claims WHERE holder = $1 AND key = ANY($2::text[])', [holder, keys]);
    },
    async renewCalls(holder, leaseMs) {
      await pool.query(`UPDATE call_claims SET expires_ms = ${NOW_MS} + $2 WHERE holder = $1`, [
        holder,
        leaseMs,
      ]);
    },
  };
}

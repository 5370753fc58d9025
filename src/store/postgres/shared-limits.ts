// Limits that hold across every worker on one team store: each is one row changed by one atomic
// statement, so workers on any number of machines agree without a coordinator. Times are the
// database's clock, so the workers' own clocks need not agree.
import type pg from 'pg';
import { type CallClaimRecords, callClaimRecords } from './call-claims.ts';
import { createPool } from './connection.ts';

const NOW_MS = 'extract(epoch from clock_timestamp()) * 1000';
/**
 * The pace of a start: the slowest any worker asked for within the last minute. Workers learn a
 * provider's limit each from its own answers, and one that has seen less of the window thinks the
 * limit allows more; the team keeps to the most careful reading until a minute passes unused.
 */
const PACE =
  'GREATEST(EXCLUDED.interval_ms, CASE WHEN b.at_ms > EXCLUDED.at_ms - 60000 THEN b.interval_ms ELSE 0 END)';

export interface SharedBudgetState {
  maxUsd: number;
  spentUsd: number;
  reservedUsd: number;
  /** Set once a reservation was refused: the candidate whose call would have passed the cap. */
  stopped?: { candidateId: string; projectedUsd: number };
}

export interface SharedLimits extends CallClaimRecords {
  /**
   * Takes the next start of an endpoint's pace (`intervalMs` apart); resolves to how many ms from
   * now that start is (0: at once). The slot is taken even if the caller then gives up: the pace
   * only gets slower, never faster.
   */
  takeStart(key: string, intervalMs: number): Promise<number>;
  /** Holds every worker's starts on `key` for `ms` (a 429 seen by one worker). */
  pause(key: string, ms: number): Promise<void>;
  /** Sets a run's cap for this invocation: spend counted from zero, no stop yet. */
  openBudget(runId: string, maxUsd: number): Promise<void>;
  budget(runId: string): Promise<SharedBudgetState | undefined>;
  /** Reserves `usd` if spent + reserved + usd stays within the cap and nothing stopped the run; else marks it stopped. */
  reserve(
    runId: string,
    usd: number,
    candidateId: string,
  ): Promise<{ granted: boolean; projectedUsd: number }>;
  /** A call ended: its reservation released, what it cost counted. */
  settle(runId: string, reservedUsd: number, spentUsd: number): Promise<void>;
  /** A page of the run was worked again after its worker stopped, with this many calls made on it. */
  recordRetake(runId: string, calls: number): Promise<void>;
  retakes(runId: string): Promise<{ pages: number; calls: number }>;
  close(): Promise<void>;
}

type BudgetRow = {
  max_usd: number;
  spent_usd: number;
  reserved_usd: number;
  stopped_candidate: string | null;
  stopped_projected_usd: number | null;
};

/** The shared limits in the store's database (its tables come with the store's migrations). */
export function openSharedLimits(url: string): SharedLimits {
  const pool: pg.Pool = createPool(url, 2);
  pool.on('error', () => {});
  return {
    ...callClaimRecords(pool),
    async takeStart(key, intervalMs) {
      // The start is the later of the next free one, the end of a pause and now; the next free one
      // moves a pace past it. Insert or update, one statement: two workers never get one slot.
      const { rows } = await pool.query<{ wait: number }>(
        `INSERT INTO rate_buckets AS b (key, next_ms, interval_ms, at_ms)
           SELECT $1, now_ms + $2, $2, now_ms FROM (SELECT ${NOW_MS} AS now_ms) clock
         ON CONFLICT (key) DO UPDATE SET
           next_ms = GREATEST(b.next_ms, b.paused_until_ms, EXCLUDED.at_ms) + ${PACE},
           interval_ms = ${PACE},
           at_ms = EXCLUDED.at_ms
         RETURNING b.next_ms - b.interval_ms - b.at_ms AS wait`,
        [key, intervalMs],
      );
      return Math.max(0, rows[0]!.wait);
    },
    async pause(key, ms) {
      await pool.query(
        `INSERT INTO rate_buckets AS b (key, next_ms, interval_ms, at_ms, paused_until_ms)
           SELECT $1, 0, 0, now_ms, now_ms + $2 FROM (SELECT ${NOW_MS} AS now_ms) clock
         ON CONFLICT (key) DO UPDATE SET paused_until_ms = GREATEST(b.paused_until_ms, EXCLUDED.paused_until_ms)`,
        [key, ms],
      );
    },
    async openBudget(runId, maxUsd) {
      await pool.query(
        `INSERT INTO run_budgets (run_id, max_usd) VALUES ($1, $2)
         ON CONFLICT (run_id) DO UPDATE SET max_usd = $2, spent_usd = 0, reserved_usd = 0,
           stopped_candidate = NULL, stopped_projected_usd = NULL`,
        [runId, maxUsd],
      );
    },
    async budget(runId) {
      const { rows } = await pool.query<BudgetRow>('SELECT * FROM run_budgets WHERE run_id = $1', [runId]);
      const row = rows[0];
      if (!row) return undefined;
      return {
        maxUsd: row.max_usd,
        spentUsd: row.spent_usd,
        reservedUsd: row.reserved_usd,
        ...(row.stopped_candidate === null
          ? {}
          : {
              stopped: { candidateId: row.stopped_candidate, projectedUsd: row.stopped_projected_usd ?? 0 },
            }),
      };
    },
    async reserve(runId, usd, candidateId) {
      const granted = await pool.query<{ projected: number }>(
        `UPDATE run_budgets SET reserved_usd = reserved_usd + $2
         WHERE run_id = $1 AND stopped_candidate IS NULL AND spent_usd + reserved_usd + $2 <= max_usd
         RETURNING spent_usd + reserved_usd AS projected`,
        [runId, usd],
      );
      if (granted.rows[0]) return { granted: true, projectedUsd: granted.rows[0].projected };
      // Refused: the run stops for every worker, with the first refusal's figures kept.
      const stopped = await pool.query<{ projected: number }>(
        `UPDATE run_budgets SET stopped_candidate = COALESCE(stopped_candidate, $3),
           stopped_projected_usd = COALESCE(stopped_projected_usd, spent_usd + reserved_usd + $2)
         WHERE run_id = $1 RETURNING spent_usd + reserved_usd + $2 AS projected`,
        [runId, usd, candidateId],
      );
      return { granted: false, projectedUsd: stopped.rows[0]?.projected ?? usd };
    },
    async settle(runId, reservedUsd, spentUsd) {
      await pool.query(
        `UPDATE run_budgets SET reserved_usd = GREATEST(0, reserved_usd - $2), spent_usd = spent_usd + $3
         WHERE run_id = $1`,
        [runId, reservedUsd, spentUsd],
      );
    },
    async recordRetake(runId, calls) {
      await pool.query(
        `INSERT INTO page_retakes AS r (run_id, pages, calls) VALUES ($1, 1, $2)
         ON CONFLICT (run_id) DO UPDATE SET pages = r.pages + 1, calls = r.calls + $2`,
        [runId, calls],
      );
    },
    async retakes(runId) {
      const { rows } = await pool.query<{ pages: number; calls: number }>(
        'SELECT pages, calls FROM page_retakes WHERE run_id = $1',
        [runId],
      );
      return rows[0] ?? { pages: 0, calls: 0 };
    },
    close: () => pool.end(),
  };
}

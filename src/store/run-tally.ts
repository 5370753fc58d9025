// What a run's stored results add up to, per candidate: one query both stores run alike (the SQL is
// common to SQLite and Postgres), so a coordinator of workers can show progress and sum up a run it
// did not call itself.

/** One candidate's stored results. */
export interface CandidateTally {
  results: number;
  errors: number;
  /** Answered from the response cache: no call made. */
  cached: number;
  /** Calls made for the stored results, retries included. */
  calls: number;
  costUsd: number;
}

/** The tally query; `param` is the store's placeholder for the run id (`?` or `$1`). */
export function runTallySql(param: string): string {
  return `SELECT candidate_id,
      COUNT(*) AS results,
      SUM(CASE WHEN error_code IS NULL THEN 0 ELSE 1 END) AS errors,
      SUM(CASE WHEN cached = 0 THEN 0 ELSE 1 END) AS cached,
      SUM(CASE WHEN cached = 0 THEN COALESCE(attempts, 1) ELSE 0 END) AS calls,
      SUM(COALESCE(CASE WHEN cached = 0 THEN cost_usd END, 0)) AS cost_usd
    FROM results WHERE run_id = ${param} GROUP BY candidate_id`;
}

interface TallyRow {
  candidate_id: string;
  results: number | string;
  errors: number | string;
  cached: number | string;
  calls: number | string;
  cost_usd: number | string;
}

/** The tally's rows by candidate (Postgres may return its sums as strings). */
export function tallyOf(rows: readonly unknown[]): Map<string, CandidateTally> {
  const tally = new Map<string, CandidateTally>();
  for (const row of rows as TallyRow[])
    tally.set(row.candidate_id, {
      results: Number(row.results),
      errors: Number(row.errors),
      cached: Number(row.cached),
      calls: Number(row.calls),
      costUsd: Number(row.cost_usd),
    });
  return tally;
}

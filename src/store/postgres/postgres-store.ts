// The team store: one Postgres database shared by every machine of a team (DESIGN §6), behind the
// same Store interface as the embedded SQLite file.
import type pg from 'pg';
import { VerdictError } from '../../spec/errors.ts';
import type { Grade, Result } from '../../spec/result.ts';
import { type ResultRow, type RunRow, resultOfRow, toRun } from '../result-columns.ts';
import type { Store } from '../store.ts';
import { createCaseQueries } from './case-queries.ts';
import { createPool, redactedUrl, transaction } from './connection.ts';
import { createDecisionRecords } from './decision-records.ts';
import { createGradeRecords } from './grade-records.ts';
import { createLoadTestRecords } from './load-test-records.ts';
import { migrations } from './migrations.ts';
import { createRunnerRecords } from './runner-records.ts';

/** Brings the database to the newest schema under a transaction lock, so processes starting together migrate once. */
async function migrate(pool: pg.Pool, location: string): Promise<void> {
  await transaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('verdict.migrate'))");
    await client.query('CREATE TABLE IF NOT EXISTS verdict_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM verdict_schema');
    const version = rows[0]?.version ?? 0;
    if (version > migrations.length) {
      throw new VerdictError(
        'STORE_ERROR',
        `${location} has store schema ${version}, newer than this verdict understands (${migrations.length}); upgrade verdict`,
      );
    }
    for (let next = version; next < migrations.length; next++) await client.query(migrations[next]!);
    if (rows.length === 0) await client.query('INSERT INTO verdict_schema VALUES ($1)', [migrations.length]);
    else await client.query('UPDATE verdict_schema SET version = $1', [migrations.length]);
  });
}

type GradeRow = {
  result_id: number;
  grader: string;
  pass: number;
  score: number;
  reason: string;
  error: number;
};

function toGrade({ grader, pass, score, reason, error }: GradeRow): Grade {
  return { grader, pass: pass === 1, score, reason, ...(error ? { error: true } : {}) };
}

/** Opens (creating its tables if needed) the store in the Postgres database at `url`. */
export async function openPostgresStore(url: string, options: { poolSize?: number } = {}): Promise<Store> {
  const location = redactedUrl(url);
  const pool = createPool(url, options.poolSize ?? 4);
  // An idle client losing its server must not bring the process down; the next query reports it.
  pool.on('error', () => {});
  try {
    await migrate(pool, location);
  } catch (error) {
    await pool.end().catch(() => {});
    if (VerdictError.isInstance(error)) throw error;
    throw new VerdictError('STORE_ERROR', `cannot open the store ${location}: ${(error as Error).message}`);
  }

  /** Results with their grades, in one query for the grades of all of them. */
  async function withGrades(rows: ResultRow[]): Promise<Result[]> {
    if (rows.length === 0) return [];
    const { rows: grades } = await pool.query<GradeRow>(
      'SELECT * FROM grades WHERE result_id = ANY($1::bigint[]) ORDER BY result_id, position',
      [rows.map((row) => row.id)],
    );
    const byResult = new Map<number, Grade[]>();
    for (const grade of grades) {
      const list = byResult.get(grade.result_id);
      if (list) list.push(toGrade(grade));
      else byResult.set(grade.result_id, [toGrade(grade)]);
    }
    return rows.map((row) => resultOfRow(row, byResult.get(row.id) ?? []));
  }

  const runnerRecords = createRunnerRecords(pool, url);
  const caseQueries = createCaseQueries(pool, withGrades);
  return {
    location,
    ...runnerRecords,
    ...caseQueries,
    ...createGradeRecords(pool),
    ...createLoadTestRecords(pool),
    ...createDecisionRecords(pool),
    async createRun(run) {
      await pool.query(
        `INSERT INTO runs (id, workload_name, workload_file, workload_json, status, started_at, finished_at,
           planned_results, settings_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          run.id,
          run.workloadName,
          run.workloadFile,
          run.workloadJson,
          run.status,
          run.startedAt,
          run.finishedAt,
          run.plannedResults,
          run.settings ? JSON.stringify(run.settings) : null,
        ],
      );
    },
    saveCases: (runId, cases, firstPosition) => runnerRecords.saveRunCases(runId, cases, firstPosition),
    saveResult: (result) => runnerRecords.saveResults([result]),
    async finishRun(runId, status) {
      await pool.query('UPDATE runs SET status = $1, finished_at = $2 WHERE id = $3', [
        status,
        new Date().toISOString(),
        runId,
      ]);
    },
    async getRun(runId) {
      const { rows } = await pool.query<RunRow>('SELECT * FROM runs WHERE id = $1', [runId]);
      return rows[0] && toRun(rows[0]);
    },
    async listRuns(limit = 50) {
      const { rows } = await pool.query<RunRow>(
        'SELECT * FROM runs ORDER BY started_at DESC, seq DESC LIMIT $1',
        [limit],
      );
      return rows.map(toRun);
    },
    async *results(runId) {
      let after = 0;
      for (;;) {
        const { rows } = await pool.query<ResultRow>(
          'SELECT * FROM results WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT 500',
          [runId, after],
        );
        if (rows.length === 0) return;
        for (const result of await withGrades(rows)) yield result;
        after = rows[rows.length - 1]!.id;
      }
    },
    async countResults(runId) {
      const { rows } = await pool.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM results WHERE run_id = $1',
        [runId],
      );
      return rows[0]!.n;
    },
    async close() {
      await pool.end();
    },
  };
}

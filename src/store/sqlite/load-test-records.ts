// Load tests in the SQLite store: one row per `verdict load`, the result kept whole as JSON.
import type Database from 'better-sqlite3';
import type { LoadTestMode, LoadTestRecord } from '../../spec/load-test-record.ts';
import type { LoadTestFilter, Store } from '../store.ts';

interface LoadTestRow {
  id: string;
  run_id: string | null;
  target: string;
  model: string;
  candidate_id: string | null;
  mode: LoadTestMode;
  slo: string | null;
  started_at: string;
  finished_at: string;
  max_rate_within_slo: number | null;
  result_json?: string;
}

function toRecord(row: LoadTestRow): Omit<LoadTestRecord, 'resultJson'> & { resultJson?: string } {
  return {
    id: row.id,
    runId: row.run_id,
    target: row.target,
    model: row.model,
    candidateId: row.candidate_id,
    mode: row.mode,
    slo: row.slo,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    maxRateWithinSlo: row.max_rate_within_slo,
    ...(row.result_json === undefined ? {} : { resultJson: row.result_json }),
  };
}

const SUMMARY_COLUMNS =
  'id, run_id, target, model, candidate_id, mode, slo, started_at, finished_at, max_rate_within_slo';

/** The load-test store methods over an open connection. */
export function createLoadTestRecords(
  db: Database.Database,
): Pick<Store, 'saveLoadTest' | 'listLoadTests' | 'getLoadTest'> {
  const insert = db.prepare(
    `INSERT INTO load_tests (id, run_id, target, model, candidate_id, mode, slo, started_at, finished_at,
       max_rate_within_slo, result_json)
     VALUES (@id, @runId, @target, @model, @candidateId, @mode, @slo, @startedAt, @finishedAt,
       @maxRateWithinSlo, @resultJson)`,
  );
  const byId = db.prepare('SELECT * FROM load_tests WHERE id = ?');
  return {
    async saveLoadTest(record) {
      insert.run(record);
    },
    async listLoadTests(filter: LoadTestFilter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.candidateId !== undefined) {
        where.push('candidate_id = ?');
        params.push(filter.candidateId);
      }
      if (filter.runId !== undefined) {
        where.push('run_id = ?');
        params.push(filter.runId);
      }
      if (filter.withCapacity) where.push('max_rate_within_slo IS NOT NULL');
      const rows = db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM load_tests ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY finished_at DESC, rowid DESC LIMIT ?`,
        )
        .all(...params, filter.limit ?? 50) as LoadTestRow[];
      return rows.map(toRecord);
    },
    async getLoadTest(id) {
      const row = byId.get(id) as LoadTestRow | undefined;
      return row && (toRecord(row) as LoadTestRecord);
    },
  };
}

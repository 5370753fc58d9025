// Load tests over Postgres: one row per `verdict load`, the result kept whole as JSON.
import type pg from 'pg';
import type { LoadTestMode, LoadTestRecord } from '../../spec/load-test-record.ts';
import type { LoadTestFilter, Store } from '../store.ts';
import { Params } from './connection.ts';

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

export function createLoadTestRecords(
  pool: pg.Pool,
): Pick<Store, 'saveLoadTest' | 'listLoadTests' | 'getLoadTest'> {
  return {
    async saveLoadTest(record) {
      await pool.query(
        `INSERT INTO load_tests (id, run_id, target, model, candidate_id, mode, slo, started_at, finished_at,
           max_rate_within_slo, result_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          record.id,
          record.runId,
          record.target,
          record.model,
          record.candidateId,
          record.mode,
          record.slo,
          record.startedAt,
          record.finishedAt,
          record.maxRateWithinSlo,
          record.resultJson,
        ],
      );
    },
    async listLoadTests(filter: LoadTestFilter = {}) {
      const params = new Params();
      const where: string[] = [];
      if (filter.candidateId !== undefined) where.push(`candidate_id = ${params.add(filter.candidateId)}`);
      if (filter.runId !== undefined) where.push(`run_id = ${params.add(filter.runId)}`);
      if (filter.withCapacity) where.push('max_rate_within_slo IS NOT NULL');
      const { rows } = await pool.query<LoadTestRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM load_tests ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY finished_at DESC, seq DESC LIMIT ${params.add(filter.limit ?? 50)}`,
        params.values,
      );
      return rows.map(toRecord);
    },
    async getLoadTest(id) {
      const { rows } = await pool.query<LoadTestRow>('SELECT * FROM load_tests WHERE id = $1', [id]);
      return rows[0] && (toRecord(rows[0]) as LoadTestRecord);
    },
  };
}

// Stored decisions over Postgres: one row per version of a run's decision, `{ decision, cost }` whole.
import type pg from 'pg';
import { type DecisionRow, decisionOfRow } from '../decision-row.ts';
import type { Store } from '../store.ts';
import { transaction } from './connection.ts';

export function createDecisionRecords(
  pool: pg.Pool,
): Pick<Store, 'saveDecision' | 'latestDecision' | 'getDecision' | 'latestDecisionVersion'> {
  return {
    async saveDecision(record) {
      // Writers of one run's decisions queue on a transaction lock, so two never share a number.
      return transaction(pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('verdict.decision'), hashtext($1))", [
          record.runId,
        ]);
        const { rows } = await client.query<{ v: number | null }>(
          'SELECT MAX(version) AS v FROM decisions WHERE run_id = $1',
          [record.runId],
        );
        const version = (rows[0]?.v ?? 0) + 1;
        await client.query(
          `INSERT INTO decisions (run_id, version, schema_version, created_at, verdict_version, catalogues_json,
             inputs_json, decision_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            record.runId,
            version,
            record.schemaVersion,
            record.createdAt,
            record.verdictVersion,
            JSON.stringify(record.catalogues),
            JSON.stringify(record.inputs),
            JSON.stringify({ decision: record.decision, ...(record.cost ? { cost: record.cost } : {}) }),
          ],
        );
        return { ...record, version };
      });
    },
    async latestDecision(runId) {
      const { rows } = await pool.query<DecisionRow>(
        'SELECT * FROM decisions WHERE run_id = $1 ORDER BY version DESC LIMIT 1',
        [runId],
      );
      return rows[0] && decisionOfRow(rows[0]);
    },
    async getDecision(runId, version) {
      const { rows } = await pool.query<DecisionRow>(
        'SELECT * FROM decisions WHERE run_id = $1 AND version = $2',
        [runId, version],
      );
      return rows[0] && decisionOfRow(rows[0]);
    },
    async latestDecisionVersion(runId) {
      const { rows } = await pool.query<{ v: number | null }>(
        'SELECT MAX(version) AS v FROM decisions WHERE run_id = $1',
        [runId],
      );
      return rows[0]?.v ?? 0;
    },
  };
}

// Stored decisions: one row per version of a run's decision; `{ decision, cost }` kept whole as JSON.
import type Database from 'better-sqlite3';
import type { DecisionRecord } from '../../spec/decision-record.ts';
import { type DecisionRow, decisionOfRow } from '../decision-row.ts';
import type { Store } from '../store.ts';

/** The decision store methods over an open connection. */
export function createDecisionRecords(
  db: Database.Database,
): Pick<Store, 'saveDecision' | 'latestDecision' | 'getDecision' | 'latestDecisionVersion'> {
  const latest = db.prepare('SELECT * FROM decisions WHERE run_id = ? ORDER BY version DESC LIMIT 1');
  const byVersion = db.prepare('SELECT * FROM decisions WHERE run_id = ? AND version = ?');
  const maxVersion = db.prepare('SELECT MAX(version) AS v FROM decisions WHERE run_id = ?');
  const insert = db.prepare(
    `INSERT INTO decisions (run_id, version, schema_version, created_at, verdict_version, catalogues_json,
       inputs_json, decision_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The next version is read and written in one transaction, so two writers never share a number.
  const save = db.transaction((record: Omit<DecisionRecord, 'version'>): DecisionRecord => {
    const version = ((maxVersion.get(record.runId) as { v: number | null }).v ?? 0) + 1;
    insert.run(
      record.runId,
      version,
      record.schemaVersion,
      record.createdAt,
      record.verdictVersion,
      JSON.stringify(record.catalogues),
      JSON.stringify(record.inputs),
      JSON.stringify({ decision: record.decision, ...(record.cost ? { cost: record.cost } : {}) }),
    );
    return { ...record, version };
  });
  return {
    async saveDecision(record) {
      return save.immediate(record);
    },
    async latestDecision(runId) {
      const row = latest.get(runId) as DecisionRow | undefined;
      return row && decisionOfRow(row);
    },
    async getDecision(runId, version) {
      const row = byVersion.get(runId, version) as DecisionRow | undefined;
      return row && decisionOfRow(row);
    },
    async latestDecisionVersion(runId) {
      return (maxVersion.get(runId) as { v: number | null }).v ?? 0;
    },
  };
}

// Stored decisions: one row per version of a run's decision; `{ decision, cost }` kept whole as JSON.
import type Database from 'better-sqlite3';
import { DECISION_RECORD_SCHEMA_VERSION, type DecisionRecord } from '../../spec/decision-record.ts';
import { VerdictError } from '../../spec/errors.ts';
import type { Store } from '../store.ts';

interface DecisionRow {
  run_id: string;
  version: number;
  schema_version: number;
  created_at: string;
  verdict_version: string;
  catalogues_json: string;
  inputs_json: string;
  decision_json: string;
}

function toRecord(row: DecisionRow): DecisionRecord {
  // A record written by a newer verdict may mean something this one cannot render faithfully.
  if (row.schema_version !== DECISION_RECORD_SCHEMA_VERSION)
    throw new VerdictError(
      'STORE_ERROR',
      `decision ${row.version} of run ${row.run_id} has record schema ${row.schema_version}, not ${DECISION_RECORD_SCHEMA_VERSION}; upgrade verdict`,
    );
  const { decision, cost } = JSON.parse(row.decision_json) as Pick<DecisionRecord, 'decision' | 'cost'>;
  return {
    schemaVersion: DECISION_RECORD_SCHEMA_VERSION,
    runId: row.run_id,
    version: row.version,
    createdAt: row.created_at,
    verdictVersion: row.verdict_version,
    catalogues: JSON.parse(row.catalogues_json),
    inputs: JSON.parse(row.inputs_json),
    decision,
    ...(cost ? { cost } : {}),
  };
}

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
      return row && toRecord(row);
    },
    async getDecision(runId, version) {
      const row = byVersion.get(runId, version) as DecisionRow | undefined;
      return row && toRecord(row);
    },
    async latestDecisionVersion(runId) {
      return (maxVersion.get(runId) as { v: number | null }).v ?? 0;
    },
  };
}

// A stored decision's row, alike in both stores: `{ decision, cost }` kept whole as JSON beside the
// record's versions, and read back only by a verdict that knows the record's schema.
import { DECISION_RECORD_SCHEMA_VERSION, type DecisionRecord } from '../spec/decision-record.ts';
import { VerdictError } from '../spec/errors.ts';

export interface DecisionRow {
  run_id: string;
  version: number;
  schema_version: number;
  created_at: string;
  verdict_version: string;
  catalogues_json: string;
  inputs_json: string;
  decision_json: string;
}

export function decisionOfRow(row: DecisionRow): DecisionRecord {
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

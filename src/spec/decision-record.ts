import type { Decision, ReportCost } from './decision.ts';

/** Version of the stored decision record's shape; a reader refuses one it does not know. */
export const DECISION_RECORD_SCHEMA_VERSION = 1;

/** One catalogue a decision priced from, as src/decide/catalogue-sources.ts lists it. */
export interface CatalogueVersion {
  name: string;
  rows: number;
  sources: string[];
  /** Oldest and newest row date. */
  from: string;
  to: string;
  /** The catalogue file's version (absent in decisions stored before catalogues were data files). */
  version?: string;
  /** `bundled`, `installed package`, or the file it was read from. */
  location?: string;
}

/** A capacity per replica a load-test file gave (src/cost Capacity, kept as data). */
export interface StoredCapacity {
  requestsPerSecond: number;
  gpusPerReplica: number;
  provenance: { kind: string } & Record<string, unknown>;
  inputs?: Record<string, number | string>;
}

/** What, beside the run's evidence and the catalogues, made a decision: so a re-decision can repeat it. */
export interface DecisionInputs {
  /** The date the decision was made as of (re-evaluation date, the age of prices). */
  asOf: string;
  /** Sentences the caller put beside the decision (e.g. the demo's stand-in models). */
  caveats: string[];
  /** `--load-test` files given, as resolved paths. */
  loadTestFiles: string[];
  /** The capacities those files gave, by candidate id: a re-decision without the files uses these. */
  capacities: Record<string, StoredCapacity>;
  /** Ids of the stored load tests whose capacity the decision used. */
  storedLoadTests: string[];
}

/** One version of a run's decision, as the store keeps it: every format renders this, nothing else. */
export interface DecisionRecord {
  schemaVersion: typeof DECISION_RECORD_SCHEMA_VERSION;
  runId: string;
  /** 1, 2, …: a re-decision that differs from the latest makes the next one. */
  version: number;
  createdAt: string;
  /** verdict's package version that decided. */
  verdictVersion: string;
  catalogues: CatalogueVersion[];
  inputs: DecisionInputs;
  decision: Decision;
  cost?: ReportCost;
}

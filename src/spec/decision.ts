/** A proportion with its 95% interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface Percentiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** Per-candidate summary of a run, computed from stored results. */
export interface CandidateSummary {
  candidateId: string;
  model: string;
  label?: string;
  total: number;
  passed: number;
  failed: number;
  errors: number;
  passRate: Interval;
  ttftMs: Percentiles;
  durationMs: Percentiles;
  inputTokens: number;
  outputTokens: number;
  tokenSource: 'server' | 'tokenizer' | 'mixed' | 'none';
}

export interface Decision {
  winner: string | null;
  runnerUp: string | null;
  reasons: string[];
  /** Caveats the reader must see beside the decision (stand-ins, noise models, too few cases). */
  caveats: string[];
}

/** The report object every renderer draws from. */
export interface Report {
  schemaVersion: 1;
  runId: string;
  workload: string;
  startedAt: string;
  finishedAt: string | null;
  cases: number;
  candidates: CandidateSummary[];
  decision: Decision;
}

/** How a stored load test drove its target: one test, a sweep, or a max-rate search (src/load). */
export type LoadTestMode = 'load-test' | 'sweep' | 'max-rate';

/**
 * One `verdict load` invocation as the store keeps it. `resultJson` is the whole result the load
 * part returned (schemaVersion 1: a LoadTestResult, SweepResult or MaxRateResult), without per-request records.
 */
export interface LoadTestRecord {
  id: string;
  /** The run it belongs to, when it was tied to one. */
  runId: string | null;
  /** What was measured: a base URL (without credentials) or `llama-cpp:FILE` for the embedded runtime. */
  target: string;
  model: string;
  /** The workload candidate it measured, when known. */
  candidateId: string | null;
  mode: LoadTestMode;
  /** The latency objective, e.g. `ttft_p99=500ms,tpot_p99=50ms`; null without one. */
  slo: string | null;
  startedAt: string;
  finishedAt: string;
  /**
   * Requests per second one replica sustained within the SLO: the max-rate found, the best sweep
   * step that held, or a single test's rate when it met the SLO. Null when nothing held or no SLO.
   */
  maxRateWithinSlo: number | null;
  resultJson: string;
}

import type { QualityReport } from './quality.ts';

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
  /** The candidate's failed calls grouped by error, most frequent first (present when some call failed). */
  callErrors?: CallErrorGroup[];
  /** Further distinct errors beyond `callErrors`. */
  callErrorsOmitted?: number;
  /** Answers replayed from the response cache that an earlier run measured (present when some were). */
  cachedAnswers?: {
    replayed: number;
    /** The runs whose calls measured them. */
    measuredIn: string[];
    /** Replayed answers cached before verdict kept the measuring run. */
    unknownOrigin: number;
  };
}

/** One kind of failed call of a candidate: the error, how many calls it ended, the first case it ended. */
export interface CallErrorGroup {
  code: string;
  /** The first such call's message, whole (request ids and waits may differ between the calls counted). */
  message: string;
  count: number;
  exampleCaseId: string;
}

export interface Decision {
  winner: string | null;
  runnerUp: string | null;
  reasons: string[];
  /** Caveats the reader must see beside the decision (stand-ins, noise models, too few cases). */
  caveats: string[];
  /** The priced route of the winner (e.g. `llama-3.1-8b@together` for a candidate's weights on a managed API). */
  winnerOption?: string;
  runnerUpOption?: string;
  /** Candidates and routes the hard constraints removed, one forwardable sentence each. */
  removed?: string[];
  /** The smallest single-input changes that would change the pick, one sentence each. */
  flips?: string[];
  /** When to look at the decision again, and what should bring that date forward. */
  reevaluate?: {
    date: string;
    triggers: string[];
    /** The triggers as data, so `verdict recheck` can test them (absent on decisions stored before). */
    checks?: ReevaluationCheck[];
  };
  /** A cheap-first, escalate-on-failure split, priced from per-case results. */
  hybrid?: {
    id: string;
    cheap: string;
    strong: string;
    /** An upper bound no real router reaches: never an option. */
    oracle: { escalated: number; passRate: number; monthlyUsd: number };
    router: { escalated: number; passRate: number; monthlyUsd: number };
    /** Whether the split passed the gates as an option of its own (it escalates something, meets the floor, is non-inferior). */
    option: boolean;
    /** True only when the split is the pick (`winner` is its id). */
    wins: boolean;
    /** Why it is, or is not, an option, and how it compares with the pick. */
    verdict: string;
  };
  /**
   * When the data cannot tell the candidates apart (`winner` is null): the pick among those not told
   * apart, marked provisional, and the cases the question asked (non-inferiority at the margin) needs.
   */
  provisional?: {
    winner: string;
    winnerOption?: string;
    runnerUp: string | null;
    /** Cases per candidate a paired non-inferiority test at the margin needs, from the observed discordance; null when it cannot be shown at the observed difference. */
    casesNeeded: number | null;
    /** What running those cases would cost on the API-priced candidates among them (USD), when priced. */
    runCostUsd?: number;
    sentence: string;
  };
}

/** One re-evaluation trigger as data: `verdict recheck` tests each against today's inputs. */
export type ReevaluationCheck =
  /** Look again on this day (YYYY-MM-DD). */
  | { kind: 'date'; date: string }
  /** Look again when requests a month leave [below, above] (the decision's volume ÷2 and ×2). */
  | { kind: 'volume'; volume: number; below: number; above: number }
  /** Look again when a price used here moves by more than this share (0: any move), or a catalogue changes. */
  | { kind: 'price'; share: number }
  /** The smallest single-input change found to flip the pick: `lever` moving from `from` to `to` makes `newWinner` the pick. */
  | { kind: 'flip'; lever: string; label: string; from: number; to: number; newWinner: string };

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
  /** Which stored version of the run's decision this is (0: provisional, the run is still running). */
  decisionRecord?: { version: number; createdAt: string; verdictVersion: string };
  /** Pass rates, scores, slices and paired comparisons (DESIGN §4 Quality; from src/report/quality.ts). */
  quality?: QualityReport;
  /** Latency histograms per candidate (TTFT and end to end). */
  latency?: LatencyDistribution[];
  /** Monthly cost of each option, break-even and sensitivity (from src/cost). */
  cost?: ReportCost;
  /** Load tests against self-hosted endpoints (from src/load). */
  loadTests?: ReportLoadTest[];
}

// Optional report sections. A renderer draws a section when it is present and says "not measured
// yet" when it is absent; producers (build-report, cost, load) fill them from their own modules.

/** One bin of a latency histogram (log-spaced bins, milliseconds). */
export interface LatencyBin {
  lowMs: number;
  highMs: number;
  count: number;
}

/** Per-candidate distribution of one latency across a run's successful results. */
export interface LatencyDistribution {
  candidateId: string;
  metric: 'ttft' | 'e2e';
  bins: LatencyBin[];
}

/** One priced option at the workload's volume (shape of cost's OptionCost, plus the candidate it prices). */
export interface ReportCostOption {
  optionId: string;
  /** The candidate whose measured quality this option has; defaults to optionId. */
  candidateId?: string;
  family: string;
  monthlyUsd: number;
  costPerRequestUsd: number;
  replicas?: number;
  averageUtilisation?: number;
  /** Every line of the monthly cost, with its formula and source. */
  lines?: Array<{ label: string; usd: number; formula: string; source: string }>;
  /** Estimates and assumptions behind this option. */
  notes?: string[];
  /** Why it is out of the running, when it is (priced for comparison only). */
  status?: string;
}

/** Monthly cost of each option across volumes (cost's CostCurve). */
export interface ReportCostCurve {
  volumes: number[];
  series: Array<{ optionId: string; usd: number[] }>;
}

export interface ReportBreakEven {
  apiOptionId: string;
  selfHostedOptionId: string;
  /** Requests a month from which self-hosting stays cheaper; null when it never does. */
  volume: number | null;
  sentence: string;
}

/** How the break-even volume moves when one input moves −50% and +50% (a tornado). */
export interface ReportSensitivity {
  baseVolume: number | null;
  inputs: Array<{ input: string; low: number | null; high: number | null }>;
}

export interface ReportCost {
  /** Requests a month the options are priced at. */
  requestsPerMonth: number;
  priceDate?: string;
  options: ReportCostOption[];
  curve?: ReportCostCurve;
  breakEvens?: ReportBreakEven[];
  sensitivity?: ReportSensitivity;
  /** Where the tokens per request come from: `measured` by a run, `declared` in the workload, or `estimated` from its cases (both estimates). */
  usageSource?: 'measured' | 'declared' | 'estimated';
  /** Candidates that could not be priced, with why and what would fix it. */
  unpriced?: string[];
  /** Facts read from model files (GGUF headers) that the estimates rest on. */
  facts?: string[];
}

/** One load test's headline figures, for the sweep chart (throughput and latency vs offered load). */
export interface ReportLoadTest {
  id: string;
  model: string;
  /** `rate` (requests/s offered, open loop) or `concurrency` (closed loop). */
  loadKind: 'rate' | 'concurrency';
  load: number;
  requestsPerSec: number;
  outputTokensPerSec: number;
  ttftP50Ms: number | null;
  ttftP99Ms: number | null;
  e2eP50Ms: number | null;
  e2eP99Ms: number | null;
  goodputPerSec?: number;
  sloMet?: boolean;
}

// Types of the load part (DESIGN §3 "load"): what a load test is asked to do and what it
// measured. Every result type is plain JSON so the store, the reports and the cost module
// can keep and read it without this module's code.
import type { ChatMessage } from '../spec/workload.ts';
import type { LoadHardware } from './load-hardware.ts';
import type { StreamHandle } from './stream-request.ts';

/** The endpoint under test: an OpenAI-compatible base URL (ending in `/v1`) and a model name. */
export interface LoadTarget {
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …`; never written into a result. */
  apiKey?: string;
  headers?: Record<string, string>;
}

/** A distribution of token lengths for synthetic prompts and outputs. */
export type LengthDistribution =
  | { kind: 'fixed'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number; min?: number; max?: number };

/** Where prompts come from: given conversations (a workload's rendered cases) or synthetic text. */
export type PromptSource =
  | { kind: 'messages'; conversations: ChatMessage[][]; order?: 'cycle' | 'random' }
  | { kind: 'synthetic'; inputTokens: LengthDistribution };

/** How the requests of a test are released. */
export type Arrival =
  /** Closed loop: this many requests always in flight; each worker sends when its last one ends. */
  | { kind: 'closed'; concurrency: number }
  /** Open loop at a fixed interval of 1/rate seconds. */
  | { kind: 'constant'; rate: number }
  /** Open loop with exponential inter-arrival times of mean 1/rate. */
  | { kind: 'poisson'; rate: number }
  /**
   * Open loop with gamma inter-arrival times of mean 1/rate; burstiness is 1/shape, so 1 is
   * Poisson, above 1 burstier, below 1 more regular (vLLM `bench serve --burstiness`).
   */
  | { kind: 'gamma'; rate: number; burstiness: number };

/** One request as a transport receives it. */
export interface TransportRequest {
  messages: ChatMessage[];
  /** null: the server decides. */
  maxTokens: number | null;
  ignoreEos: boolean;
  /** Unique within the test; HTTP sends it as `x-request-id` so server logs can be matched. */
  requestId: string;
  timeoutMs: number;
}

/**
 * How requests reach what is measured. The default speaks OpenAI-compatible HTTP to the
 * target; another can drive a runtime in this process (the embedded llama.cpp, say). A
 * transport reports chunk times as performance.now() and never rejects: failures are data.
 */
export interface LoadTransport {
  /**
   * The server runs in this process (the embedded runtime): the process's CPU time is mostly
   * the model's, so it is no sign that the generator is the bottleneck.
   */
  readonly inProcess?: boolean;
  send(request: TransportRequest): StreamHandle;
  close(): Promise<void>;
}

export interface LoadTestOptions {
  /** What is measured. With the default transport, an OpenAI-compatible endpoint. */
  target: LoadTarget;
  /**
   * Sends the requests instead of HTTP to `target.baseUrl`, which then only names the target
   * (e.g. `llama-cpp:./model.gguf`). The caller owns it: the test does not close it.
   */
  transport?: LoadTransport;
  arrival: Arrival;
  prompts: PromptSource;
  /** Output length asked for with `max_tokens`; absent means the server decides. */
  outputTokens?: LengthDistribution;
  /** Send `ignore_eos: true` (vLLM, SGLang, llama.cpp server) so outputs have the asked length. */
  ignoreEos?: boolean;
  /** Length of the measured window in which requests are sent (after warm-up). */
  durationMs: number;
  /** Most measured requests sent; the test stops at whichever of duration and cap comes first. */
  maxRequests: number;
  /** Requests sent in this first window are made but excluded from every figure. Default 0. */
  warmupMs?: number;
  /** A request still running after this is aborted and counted as a `timeout` error. Default 60 s. */
  requestTimeoutMs?: number;
  /** How long to wait for requests in flight once sending stops; the rest are cut. Default = requestTimeoutMs. */
  drainTimeoutMs?: number;
  /** Seed for arrivals, prompt choice and synthetic text: the same seed gives the same schedule. */
  seed?: number;
  /** Latency objective; when given the result carries goodput and whether each bound held. */
  slo?: Slo;
  /** Keep every request's record in the result (for tests and small runs; memory grows with requests). */
  keepRequests?: boolean;
  /** Called once per finished measured request, e.g. to stream records to the store. */
  onRequest?: (record: RequestRecord) => void;
  /** Stops the test early; what was measured so far is still returned. */
  signal?: AbortSignal;
  /**
   * Extra body fields for every HTTP request (e.g. `{ temperature: 0 }`). They cannot change
   * model, messages or stream; `stream_options: null` drops the usage request for servers that
   * reject it. Not used with a custom transport.
   */
  extraBody?: Record<string, unknown>;
}

export type SloMetric = 'ttft' | 'tpot' | 'itl' | 'e2e';
export type SloStatistic = 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'mean';

/** One bound of a latency objective, e.g. `ttft_p99=500ms`. */
export interface SloBound {
  metric: SloMetric;
  statistic: SloStatistic;
  thresholdMs: number;
}

export interface Slo {
  bounds: SloBound[];
  /** Canonical text of the bounds, e.g. `ttft_p99=500ms,tpot_p99=50ms`. */
  text: string;
}

/** One request as the client saw it. Times are milliseconds from the test's start. */
export interface RequestRecord {
  index: number;
  warmup: boolean;
  scheduledAt: number;
  /** When the request went out (over HTTP: written to its connection, after any wait for one). */
  sentAt: number;
  /** sentAt − scheduledAt: how late the client was, waiting for a connection included. */
  scheduleLagMs: number;
  ttftMs: number | null;
  e2eMs: number | null;
  /** (E2E − TTFT) / (output tokens − 1); null with fewer than two output tokens. */
  tpotMs: number | null;
  /** Largest gap between successive streamed chunks. */
  maxItlMs: number | null;
  /** Number of streamed chunks that carried content. */
  chunks: number;
  inputTokens: number | null;
  outputTokens: number | null;
  tokenSource: TokenSource;
  maxTokens: number | null;
  finishReason: string | null;
  error: { kind: string; message: string } | null;
  /** Every inter-token gap, kept only with `keepRequests`. */
  itlsMs?: number[];
}

/**
 * Where token counts came from: the server's usage report, or an estimate (output: one token
 * per streamed chunk; input: characters ÷ 4). `mixed` when some requests had each.
 */
export type TokenSource = 'server' | 'estimate' | 'mixed' | 'none';

/** Distribution of one latency, in milliseconds. Null fields when nothing was recorded. */
export interface LatencySummary {
  count: number;
  mean: number | null;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface SloBoundResult extends SloBound {
  observedMs: number | null;
  met: boolean;
}

export interface SloResult {
  text: string;
  met: boolean;
  bounds: SloBoundResult[];
  /** Measured requests that succeeded and met every bound on their own values. */
  goodRequests: number;
  /** goodRequests per second of the measured wall time. */
  goodputPerSec: number;
}

export interface TimeSeriesPoint {
  /** Whole seconds since the measured window began. */
  second: number;
  sent: number;
  completed: number;
  errors: number;
  outputTokens: number;
  /** Median TTFT of the requests sent in this second. */
  ttftP50Ms: number | null;
  /** Requests in flight at the end of this second. */
  inFlight: number;
}

/** How the load generator itself fared: if it was the bottleneck, the figures are not the server's. */
export interface ClientReport {
  scheduleLagMs: LatencySummary;
  /**
   * Generator process CPU time over the test, as a fraction of one core (1 = one core busy);
   * with an in-process transport it includes the runtime's own compute.
   */
  cpuFraction: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopDelayMs: { p50: number | null; p99: number | null; max: number | null };
  generatorBound: boolean;
  /** A sentence for the reader when generatorBound, else null. */
  note: string | null;
}

/** Signs that an open-loop test ran past what the server sustains. */
export interface StabilityReport {
  ttftP50FirstQuarterMs: number | null;
  ttftP50LastQuarterMs: number | null;
  /** TTFT grew across the test: a queue was building, so the rate is not sustainable. */
  latencyRising: boolean;
  /**
   * Finished requests per second over the measured wall time less the median E2E, ÷ the rate
   * at which requests were actually sent (open loop only): about 1 when the server keeps up,
   * below when it falls behind.
   */
  completionRatio: number | null;
}

/** The measured sends as they happened: the arrival process achieved, beside the one asked for. */
export interface SendReport {
  count: number;
  /** The first measured send, ms after the measured window opened. */
  firstAtMs: number | null;
  /** From the first measured send to the last. */
  spanMs: number;
  /** The rate asked for (open loop), else null. */
  offeredPerSec: number | null;
  /** (sends − 1) ÷ span: the rate achieved; null with fewer than two sends. */
  achievedPerSec: number | null;
  /** Standard deviation ÷ mean of the gaps between sends: 0 constant, about 1 Poisson. */
  interArrivalCv: number | null;
}

export interface LoadTestResult {
  schemaVersion: 1;
  kind: 'load-test';
  target: { baseUrl: string; model: string };
  arrival: Arrival;
  settings: {
    durationMs: number;
    maxRequests: number;
    warmupMs: number;
    requestTimeoutMs: number;
    drainTimeoutMs: number;
    seed: number;
    prompts: string;
    outputTokens: string;
    ignoreEos: boolean;
  };
  startedAt: string;
  finishedAt: string;
  /** The instant request times count from (RequestRecord.sentAt etc.), as epoch ms with µs digits. */
  timeZeroEpochMs: number;
  /** From the first measured send to the last measured completion. */
  measuredWallMs: number;
  counts: {
    warmup: number;
    sent: number;
    completed: number;
    failed: number;
    /** Still running when the drain timeout ended the test; neither completed nor failed. */
    cut: number;
  };
  throughput: {
    requestsPerSec: number;
    outputTokensPerSec: number;
    inputTokensPerSec: number;
  };
  latency: { ttft: LatencySummary; itl: LatencySummary; tpot: LatencySummary; e2e: LatencySummary };
  tokens: {
    input: number;
    output: number;
    inputSource: TokenSource;
    outputSource: TokenSource;
    /** Streamed chunks ÷ server-reported output tokens, where the server reported them. */
    chunksPerServerToken: number | null;
  };
  errors: { total: number; byKind: Record<string, { count: number; example: string }> };
  slo: SloResult | null;
  stability: StabilityReport;
  /** Absent in results stored before issue 15. */
  sends?: SendReport;
  client: ClientReport;
  timeSeries: TimeSeriesPoint[];
  requests?: RequestRecord[];
  /** What the test ran on, recorded by `verdict load` (absent before issue 15). */
  hardware?: LoadHardware;
}

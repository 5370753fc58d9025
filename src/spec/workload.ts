// The workload as verdict's code sees it after validation. The YAML shape lives in
// src/workload/schema.ts; these are the trusted, normalised types everything else uses.

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** A prompt is either one user-message template or a list of chat-message templates. */
export type PromptTemplate = { kind: 'text'; template: string } | { kind: 'chat'; messages: ChatMessage[] };

/** One input of the use case: template variables, the expected answer, tags for slicing. */
export interface Case {
  /** Stable id: from the case's `id` field when given, else its 1-based position in the source. */
  id: string;
  vars: Record<string, string>;
  expected?: string;
  tags: string[];
  /** Where the case came from, for error messages: `tickets.jsonl:12`. */
  source: string;
  /** Graders this case adds to the workload's. */
  graders?: GraderSpec[];
  /** A person's verdict on one output for this case: the judges grade that output too, for judge–human agreement. */
  human?: HumanLabel;
}

/** A labelled output: the text a person read and whether it passes the workload's model-graded graders. */
export interface HumanLabel {
  output: string;
  pass: boolean;
}

/** Where cases come from: a file (JSONL, CSV, YAML) with a field mapping, or inline. */
export type CaseSource =
  | {
      kind: 'file';
      path: string;
      format: 'jsonl' | 'csv' | 'yaml';
      vars: Record<string, string>;
      expected?: string;
      id?: string;
      tags?: string;
      /** Field of each record holding the case's own graders. */
      graders?: string;
      /** Fields of each record holding a labelled output and a person's pass/fail on it. */
      human?: { output: string; label: string };
      /** Size limits the user raised for this file (`--max-line-bytes`…); defaults otherwise. */
      limits?: Partial<InputLimits>;
    }
  | { kind: 'inline'; cases: Case[] };

/** How much of a hostile or mistaken input verdict reads before refusing it with a located error. */
export interface InputLimits {
  /** Bytes of a workload or cases file. */
  maxFileBytes: number;
  /** Bytes of one line of a cases file (one JSONL record, one CSV record). */
  maxLineBytes: number;
  /** YAML alias expansion budget (the yaml library's maxAliasCount). */
  maxAliases: number;
}

export interface GenerationParams {
  temperature?: number;
  max_tokens?: number;
  seed?: number;
  top_p?: number;
  stop?: string[];
}

/** How a candidate would run in production (DESIGN §2: weights × serving). */
export type Serving = 'api' | 'self-hosted' | 'embedded';

export interface Candidate {
  id: string;
  /** `provider:model`, e.g. `openai:gpt-4o-mini`, `llama-cpp:./model.gguf`. */
  model: string;
  provider: string;
  modelName: string;
  baseUrl?: string;
  /** Name of the environment variable holding the API key; the key itself never enters the workload. */
  apiKeyEnv?: string;
  headers?: Record<string, string>;
  params: GenerationParams;
  /** Embedded runtime settings. */
  threads?: number;
  contextSize?: number;
  gpuLayers?: number | 'auto';
  /** Free-form label shown beside the candidate in reports (e.g. "stand-in, not a model"). */
  label?: string;
  /** How it would run in production, for cost and constraints; absent fields are inferred. */
  deployment?: CandidateDeployment;
  /** Stream responses (default true); false for servers that cannot. */
  stream?: boolean;
  /** Limits of the candidate's endpoint; without them the runner learns them from the provider's headers and 429s. */
  limits?: CandidateLimits;
}

/** Rate limits of an endpoint, as the workload sets them. */
export interface CandidateLimits {
  /** Calls in flight at once (default 4). */
  concurrency?: number;
  requests_per_minute?: number;
  tokens_per_minute?: number;
}

/** Token prices in USD per million tokens, as a workload states them. */
export interface TokenPriceInput {
  inputPerMTok?: number;
  outputPerMTok?: number;
  cachedInputPerMTok?: number;
  cacheWritePerMTok?: number;
  reasoningPerMTok?: number;
  note?: string;
}

/** A candidate's production deployment as the workload states it (DESIGN §2: weights × serving). */
export interface CandidateDeployment {
  serving?: Serving;
  hosting?: 'cloud' | 'owned';
  /** API host (openai, azure, bedrock, vertex, together…). */
  route?: string;
  region?: string;
  /** Open-weight catalogue id. */
  openModel?: string;
  /** Token prices in USD per million tokens, overriding the catalogue. */
  price?: TokenPriceInput;
  /** HIPAA: a business associate agreement is signed with the API host. */
  baaSigned?: boolean;
  /** The same open weights on managed APIs: compared always, decided on only when `decide`. */
  managedRoutes?: {
    decide?: boolean;
    exclude?: string[];
    /** Negotiated prices by host, replacing the catalogue's. */
    prices?: Record<string, TokenPriceInput>;
  };
  gpu?: { type: string; count?: number; cloud?: string; usdPerHour?: number; reserved?: boolean };
  quantisation?: 'fp16' | 'bf16' | 'fp8' | 'int8' | 'int4';
  /** Requests per second one replica sustains, measured outside verdict. */
  capacityRps?: number;
}

/** A grader as the workload names it: its family and its options, already validated by that family's schema. */
export interface GraderSpec {
  type: string;
  options: Record<string, unknown>;
  /** Weight in the case's score (default 1; 0 reports without counting). */
  weight?: number;
}

export interface Traffic {
  requests_per_month: number;
  peak_factor: number;
  /** Mean tokens per request, used before any run has measured them. */
  input_tokens_per_request?: number;
  output_tokens_per_request?: number;
  monthly_active_users?: number;
  /** 24 relative weights, one per hour of the day. */
  hourly_profile?: number[];
  /** Requests may wait for a batch interface. */
  batch?: boolean;
  cached_input_share?: number;
}

export interface Constraints {
  data_residency: 'any' | 'eu' | 'us';
  hipaa: boolean;
  on_prem: boolean;
  /** With on_prem: the cases are synthetic, so API candidates and judges may be called on them. */
  synthetic_data?: boolean;
  zero_retention: boolean;
  fine_tuning: boolean;
  /** Whether the use is commercial (licence terms); true when absent. */
  commercial_use?: boolean;
}

/** The operational burden of self-hosting, in engineer-hours per month and their loaded cost. */
export interface Operations {
  engineer_hourly_usd?: number;
  hours_per_month?: {
    infrastructure?: number;
    monitoring?: number;
    updates?: number;
    security?: number;
    on_call?: number;
  };
  min_replicas?: number;
  target_utilisation?: number;
  max_replicas?: number;
  infrastructure?: {
    storage_usd_per_gb_month?: number;
    egress_usd_per_gb?: number;
    load_balancer_usd_per_month?: number;
    monitoring_usd_per_host_month?: number;
    monitoring_fixed_usd_per_month?: number;
  };
  owned_hardware?: {
    capex_usd_per_gpu?: number;
    amortisation_months?: number;
    pue?: number;
    usd_per_kwh?: number;
    hosting_usd_per_gpu_month?: number;
  };
  fine_tuning?: { one_off_usd: number; amortisation_months: number };
}

/** How the decision weighs near-ties and latency, and when it is looked at again. */
export interface DecisionSettings {
  near_tie?: number;
  max_ttft_p90_ms?: number;
  max_e2e_p90_ms?: number;
  reevaluate_after_months?: number;
}

/** What `verdict gate` tolerates between a baseline and a new run (src/report/gate.ts has the defaults). */
export interface GateSettings {
  margin?: number;
  alpha?: number;
  max_latency_rise?: number;
  latency_floor_ms?: number;
  max_cost_rise?: number;
  fail_on_decision_change?: boolean;
}

export interface Workload {
  version: 1;
  name: string;
  /** Absolute path of the workload file; case files resolve relative to its directory. */
  file: string;
  description?: string;
  prompt: PromptTemplate;
  cases: CaseSource;
  graders: GraderSpec[];
  candidates: Candidate[];
  traffic?: Traffic;
  constraints: Constraints;
  operations?: Operations;
  decision?: DecisionSettings;
  gate?: GateSettings;
  quality?: { floor?: number; non_inferiority_margin?: number };
  /** Weighted mean grader score a case needs to pass; without it, every counted grader must pass. */
  passThreshold?: number;
  /** The model that judges model-graded graders (a candidate, or a model of its own). */
  judge?: Candidate;
  /** Judge reliability: asks per judged output, and a second judge whose agreement is reported. */
  judges?: { repeat: number; second?: Candidate };
}

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
    }
  | { kind: 'inline'; cases: Case[] };

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
}

export interface Constraints {
  data_residency: 'any' | 'eu' | 'us';
  hipaa: boolean;
  on_prem: boolean;
  zero_retention: boolean;
  fine_tuning: boolean;
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
  quality?: { floor?: number; non_inferiority_margin?: number };
  /** Weighted mean grader score a case needs to pass; without it, every counted grader must pass. */
  passThreshold?: number;
  /** The model that judges model-graded graders (a candidate, or a model of its own). */
  judge?: Candidate;
}

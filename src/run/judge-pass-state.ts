// What one judge pass carries from step to step: its options, its summary, the judge clients by
// endpoint and the judge prompts in flight; and the small pieces every step of it shares.
import type { Judgment } from '../spec/grade.ts';
import type { Candidate, ChatMessage } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import type { JudgeAnswer, JudgeClient } from './judge-client.ts';

export interface JudgePassOptions {
  env?: NodeJS.ProcessEnv;
  /** Concurrent judge calls (default 4). */
  concurrency?: number;
  /** Per-call timeout in milliseconds (default 120 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number }) => void;
  /**
   * Re-judge with another judge (and prompt version) instead: its verdicts are kept as judgments
   * beside the first judge's, the stored grades stay the first judge's.
   */
  rejudge?: Rejudge;
}

/** `verdict judge --judge MODEL --prompt VERSION`: a second set of grades, kept apart. */
export interface Rejudge {
  judge: Candidate;
  /** The judge prompts' version (prompts/<family>.v<N>.md); default the version the run used. */
  promptVersion?: number;
}

/** The judgment role of a re-judging: the judge and the prompt version, so two re-judgings never overwrite. */
export const rejudgeRole = (model: string, version: number): Judgment['role'] =>
  `rejudge:${model}:v${version}`;

/** The prompt file of a family at another version: `rubric.v1.md` → `rubric.v2.md`. */
export function promptFileAt(file: string, version: number | undefined): string {
  return version === undefined ? file : file.replace(/\.v\d+\.md$/, `.v${version}.md`);
}

export interface JudgePassSummary {
  /** Results whose model-graded grades were judged. */
  judged: number;
  /** Grades the judge could not give (malformed replies, failed calls). */
  gradingErrors: number;
  /** Judge calls made, and answered from the cache. */
  calls: number;
  cachedCalls: number;
}

export const keyOf = (candidateId: string, caseId: string, repeat: number) =>
  `${candidateId}\u0000${caseId}\u0000${repeat}`;

/** The text the judge sees as the input: the conversation the candidate was sent, without system text. */
export function inputOf(messages: ChatMessage[]): string {
  return messages
    .filter((message) => message.role !== 'system')
    .map((message) => message.content)
    .join('\n\n');
}

/** Judges share a client only when they share an endpoint: provider, address, key and model. */
export function judgeEndpoint(judge: Candidate): string {
  return JSON.stringify([judge.provider, judge.baseUrl ?? null, judge.apiKeyEnv ?? null, judge.model]);
}

export interface PassState {
  store: Store;
  runId: string;
  /** A client per judge endpoint. */
  clients: Map<string, JudgeClient>;
  /** API key values the judges use, redacted from every stored message. */
  secrets: string[];
  /** Asks per score-graded judgment (judges.repeat), and the second judge whose agreement is reported. */
  repeat: number;
  second?: Candidate;
  /** Answers of judge prompts asked in this pass and not yet in the store's cache, by cache key. */
  inFlight: Map<string, Promise<JudgeAnswer | undefined>>;
  options: JudgePassOptions;
  summary: JudgePassSummary;
}

import type { Usage } from './provider.ts';
import type { Case } from './workload.ts';

/** What one grader says of one output. Score in [0, 1]. */
export interface GradeOutcome {
  pass: boolean;
  score: number;
  reason: string;
  /** The grader could not judge (bad judge reply, grader crash): a grading error, not a model failure. */
  error?: boolean;
}

/** Facts about the call a grader may use beside the output (latency and cost thresholds need them). */
export interface GradeContext {
  durationMs?: number | null;
  ttftMs?: number | null;
  /** The call's token usage, for cost thresholds. */
  usage?: Usage | null;
}

/** A pure grading function (CONVENTIONS: graders are pure). */
export type GradeFunction<Options> = (
  options: Options,
  testCase: Case,
  output: string,
  context: GradeContext,
) => GradeOutcome;

/** A judge's stored reply, cached by the content of the request (judge, prompt, parameters). */
export interface JudgeReply {
  /** The judge's `provider:model` id. */
  judge: string;
  text: string;
  inputTokens: number | null;
  outputTokens: number | null;
}

/** One judge call made for a run (or answered from the cache), so its cost is counted apart. */
export interface JudgeCall {
  runId: string;
  judge: string;
  /** The content key of the request. */
  key: string;
  cached: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Why the call or its reply failed; null when the reply was usable. */
  error: string | null;
}

/** A run's judge calls summed per judge model. */
export interface JudgeUsage {
  judge: string;
  calls: number;
  cachedCalls: number;
  errors: number;
  /** Tokens of the calls made for this run; cache hits cost nothing and are not counted. */
  inputTokens: number;
  outputTokens: number;
}

/**
 * One judgment of a model-graded grader on one result: the judge's score on one of its repeated asks
 * (`judges.repeat`), kept so the report can show the spread of a judge and the agreement of two.
 */
export type JudgmentRole = 'grading' | 'second' | 'human' | `rejudge:${string}`;

/** The candidate id of a case's labelled output in the judgments: judged like a result, compared with the label. */
export const HUMAN_LABELLED = '(human label)';

export interface Judgment {
  runId: string;
  candidateId: string;
  caseId: string;
  repeat: number;
  /** The grader's name in the report (its by-grader row). */
  grader: string;
  /**
   * The judge's `provider:model` id; `role` says whether it grades, is the second opinion, is a
   * person's label (`human`, judge `human`) or a later re-judging (`rejudge:MODEL:vN`, by `verdict judge --judge`).
   */
  judge: string;
  role: JudgmentRole;
  /** Which ask, from 0. */
  sample: number;
  /** The judge's score; null when the reply was unusable or the call failed. */
  score: number | null;
  /** Whether this one score passes the grader's threshold; null with the score. */
  pass: boolean | null;
  /** The judge's verdict on the result over all its asks (mean score against the threshold). */
  verdict: boolean | null;
}

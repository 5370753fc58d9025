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

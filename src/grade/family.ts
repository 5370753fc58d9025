import type { z } from 'zod';
import type { GradeFunction } from '../spec/grade.ts';
import type { Case } from '../spec/workload.ts';

/** What a model-graded family asks its judge: a versioned prompt file filled with the case and output. */
export interface JudgeTask {
  /** The prompt file under prompts/, e.g. `rubric.v1.md`. */
  prompt: string;
  /** Values for the prompt's `{{placeholders}}`; outputs and case data go in verbatim, as data. */
  fill(
    options: Record<string, unknown>,
    testCase: Case,
    output: string,
    input: string,
  ): Record<string, string>;
  /** Candidate id the output is compared with (pairwise), or undefined. */
  against?(options: Record<string, unknown>): string | undefined;
  /** Explicit judge for this grader: a candidate id or a `provider:model` id. */
  judge?(options: Record<string, unknown>): string | undefined;
  /** `score`: the judge replies { reason, score }; `preference`: { reason, winner: A | B | tie }. */
  reply: 'score' | 'preference';
  /** Whether the judge's verdict passes, from its score in [0, 1]. */
  passes(options: Record<string, unknown>, score: number): boolean;
}

/** A grader family: its name in the workload, its options schema (shorthands included), its function. */
export interface GraderFamily<Options extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  /** Parses what follows the family's key in the workload (`- equals: {...}`), accepting its shorthands. */
  options: z.ZodType<Options>;
  /** JSON Schemas of the shorthand forms the options accept (`- contains: text`), for editors. */
  shorthands?: Record<string, unknown>[];
  /** Deterministic grading; model-graded families leave a pending grade here and are judged later. */
  grade: GradeFunction<Options>;
  /** One short line naming what the grader checks, for reports. */
  describe(options: Options): string;
  /** Present on model-graded families: graded by a judge in a separate pass (src/run/judge-pass.ts). */
  judge?: JudgeTask;
}

/** Declares a family while keeping its option type for `grade` and `describe`. */
export function defineGraderFamily<Options extends Record<string, unknown>>(
  family: GraderFamily<Options>,
): GraderFamily<Record<string, unknown>> {
  return family as unknown as GraderFamily<Record<string, unknown>>;
}

import type { z } from 'zod';
import type { GradeFunction } from '../spec/grade.ts';

/** A grader family: its name in the workload, its options schema (shorthands included), its function. */
export interface GraderFamily<Options extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  /** Parses what follows the family's key in the workload (`- equals: {...}`), accepting its shorthands. */
  options: z.ZodType<Options>;
  /** JSON Schemas of the shorthand forms the options accept (`- contains: text`), for editors. */
  shorthands?: Record<string, unknown>[];
  grade: GradeFunction<Options>;
  /** One short line naming what the grader checks, for reports. */
  describe(options: Options): string;
}

/** Declares a family while keeping its option type for `grade` and `describe`. */
export function defineGraderFamily<Options extends Record<string, unknown>>(
  family: GraderFamily<Options>,
): GraderFamily<Record<string, unknown>> {
  return family as unknown as GraderFamily<Record<string, unknown>>;
}

// A grader from the user's own JS/TS file. The file is checked at workload load time and loaded
// synchronously (require of ES modules, Node ≥ 22.12) the first time it grades, then kept.
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import type { GradeContext, GradeOutcome } from '../spec/grade.ts';
import type { Case } from '../spec/workload.ts';
import { defineGraderFamily } from './family.ts';

/** What a custom grader file exports: a function of the case, the output and the call's facts. */
export type CustomGradeFunction = (
  testCase: Case,
  output: string,
  context: GradeContext & { config: unknown },
) => GradeOutcome | boolean | number;

const require = createRequire(import.meta.url);
const loaded = new Map<string, CustomGradeFunction | string>();

/** Loads (once) the grading function a file exports, or says why it cannot. */
export function loadCustomGrader(file: string, exportName: string): CustomGradeFunction | string {
  const key = `${file}#${exportName}`;
  let fn = loaded.get(key);
  if (fn === undefined) {
    try {
      const module = require(path.resolve(file)) as Record<string, unknown>;
      const candidate = module[exportName];
      fn =
        typeof candidate === 'function'
          ? (candidate as CustomGradeFunction)
          : `${file} exports no function "${exportName}" (it exports: ${Object.keys(module).join(', ') || 'nothing'})`;
    } catch (error) {
      fn = `cannot load ${file}: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
    }
    loaded.set(key, fn);
  }
  return fn;
}

/** Checks what a custom grader returned: a full outcome, a boolean, or a score in [0, 1]. */
function toOutcome(value: unknown): GradeOutcome {
  if (typeof value === 'boolean')
    return { pass: value, score: value ? 1 : 0, reason: value ? 'passed' : 'failed' };
  if (typeof value === 'number' && value >= 0 && value <= 1)
    return { pass: value >= 0.5, score: value, reason: `score ${value}` };
  if (value !== null && typeof value === 'object' && !('then' in value)) {
    const { pass, score, reason } = value as Record<string, unknown>;
    if (typeof pass === 'boolean') {
      const numeric = typeof score === 'number' && score >= 0 && score <= 1 ? score : pass ? 1 : 0;
      return {
        pass,
        score: numeric,
        reason: typeof reason === 'string' ? reason.slice(0, 500) : pass ? 'passed' : 'failed',
      };
    }
  }
  const what =
    value !== null && typeof value === 'object' && 'then' in value
      ? 'a promise (graders are synchronous)'
      : typeof value;
  return {
    pass: false,
    score: 0,
    reason: `grading error: the custom grader returned ${what}, not { pass, score, reason }`,
    error: true,
  };
}

const customOptions = z.preprocess(
  (raw) => (typeof raw === 'string' ? { file: raw } : raw),
  z.strictObject({
    /** Path to a .js/.mjs/.ts file, relative to the workload file. */
    file: z.string().min(1),
    /** The export to call (default `default`). */
    export: z.string().min(1).default('default'),
    /** Passed to the function as `context.config`. */
    config: z.unknown().optional(),
  }),
);

/** A grading function from the user's file: `(case, output, context) → { pass, score, reason } | boolean | score`. */
export const customGrader = defineGraderFamily({
  name: 'custom',
  shorthands: [{ type: 'string', minLength: 1 }],
  options: customOptions,
  describe: (options) =>
    `custom ${path.basename(options.file)}${options.export === 'default' ? '' : `#${options.export}`}`,
  grade(options, testCase, output, context) {
    const fn = loadCustomGrader(options.file, options.export);
    if (typeof fn === 'string') return { pass: false, score: 0, reason: `grading error: ${fn}`, error: true };
    return toOutcome(fn(testCase, output, { ...context, config: options.config }));
  },
});

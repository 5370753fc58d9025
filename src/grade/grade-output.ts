import type { GradeContext } from '../spec/grade.ts';
import type { Grade } from '../spec/result.ts';
import type { Case, GraderSpec } from '../spec/workload.ts';
import { graderFamilies } from './registry.ts';

/** Applies every grader to one output. A grader that throws yields a failed grade saying so, never a crash. */
export function gradeOutput(
  graders: GraderSpec[],
  testCase: Case,
  output: string,
  context: GradeContext = {},
): Grade[] {
  return graders.map((spec) => {
    const family = graderFamilies.get(spec.type);
    if (!family) return { grader: spec.type, pass: false, score: 0, reason: `unknown grader ${spec.type}` };
    const name = family.describe(spec.options);
    try {
      const outcome = family.grade(spec.options, testCase, output, context);
      return { grader: name, pass: outcome.pass, score: outcome.score, reason: outcome.reason };
    } catch (error) {
      return { grader: name, pass: false, score: 0, reason: `grading error: ${(error as Error).message}` };
    }
  });
}

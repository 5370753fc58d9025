// Graders called without gradeOutput's guard. gradeOutput turns any exception into a grading error
// (right for a run, which must not crash), so a "never throws" check made through it passes even
// when a grader throws on every input; these checks call the family itself.
import { toGrade } from '../../src/grade/grade-output.ts';
import { graderFamilies } from '../../src/grade/registry.ts';
import type { GradeContext } from '../../src/spec/grade.ts';
import type { Grade } from '../../src/spec/result.ts';
import type { Case, GraderSpec } from '../../src/spec/workload.ts';

/** Each grader's own verdict on one output; an exception inside a grader reaches the caller. */
export function gradeDirectly(
  graders: readonly GraderSpec[],
  testCase: Case,
  output: string,
  context: GradeContext = {},
): Grade[] {
  return graders.map((spec) => {
    const family = graderFamilies.get(spec.type);
    if (!family) throw new Error(`no grader family ${spec.type}`);
    return toGrade(spec.type, family.grade(spec.options, testCase, output, context));
  });
}

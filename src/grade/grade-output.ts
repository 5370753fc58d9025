import type { GradeContext, GradeOutcome } from '../spec/grade.ts';
import type { Grade } from '../spec/result.ts';
import type { Case, GraderSpec, Workload } from '../spec/workload.ts';
import { combineGrades, gradersFor } from './combine.ts';
import { graderFamilies } from './registry.ts';

function clampScore(score: unknown): number {
  return typeof score === 'number' && Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
}

/** Turns what a family returned into a stored grade; anything malformed becomes a grading error. */
export function toGrade(name: string, outcome: GradeOutcome): Grade {
  if (outcome === null || typeof outcome !== 'object' || typeof outcome.pass !== 'boolean') {
    return {
      grader: name,
      pass: false,
      score: 0,
      reason: 'grading error: the grader returned no verdict',
      error: true,
    };
  }
  return {
    grader: name,
    pass: outcome.pass,
    score: clampScore(outcome.score),
    reason: typeof outcome.reason === 'string' ? outcome.reason : '',
    ...(outcome.error ? { error: true } : {}),
  };
}

/** The name a grader has in reports. */
export function graderName(spec: GraderSpec): string {
  const family = graderFamilies.get(spec.type);
  if (!family) return spec.type;
  try {
    return family.describe(spec.options);
  } catch {
    return spec.type;
  }
}

/**
 * Applies every grader to one output. A grader that throws yields a grading error on that grade, never a
 * crash; model-graded graders yield a pending grade that the judge pass replaces.
 */
export function gradeOutput(
  graders: GraderSpec[],
  testCase: Case,
  output: string,
  context: GradeContext = {},
): Grade[] {
  return graders.map((spec) => {
    const family = graderFamilies.get(spec.type);
    const name = graderName(spec);
    if (!family)
      return {
        grader: spec.type,
        pass: false,
        score: 0,
        reason: `grading error: unknown grader ${spec.type}`,
        error: true,
      };
    try {
      return toGrade(name, family.grade(spec.options, testCase, output, context));
    } catch (error) {
      const message = String((error as Error)?.message ?? error).slice(0, 300);
      return { grader: name, pass: false, score: 0, reason: `grading error: ${message}`, error: true };
    }
  });
}

/** Grades one output of a case with the workload's graders and the case's own, and combines them. */
export function gradeCase(
  workload: Pick<Workload, 'graders' | 'passThreshold'>,
  testCase: Case,
  output: string,
  context: GradeContext = {},
): { grades: Grade[]; pass: boolean; score: number } {
  const specs = gradersFor(workload, testCase);
  const grades = gradeOutput(specs, testCase, output, context);
  const { pass, score } = combineGrades(grades, specs, workload.passThreshold);
  return { grades, pass, score };
}

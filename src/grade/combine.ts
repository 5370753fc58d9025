import type { Grade } from '../spec/result.ts';
import type { Case, GraderSpec, Workload } from '../spec/workload.ts';

/** The graders that apply to one case: the workload's, then the case's own. */
export function gradersFor(
  workload: Pick<Workload, 'graders'>,
  testCase: Pick<Case, 'graders'>,
): GraderSpec[] {
  return testCase.graders && testCase.graders.length > 0
    ? [...workload.graders, ...testCase.graders]
    : workload.graders;
}

/** A case's overall verdict: its weighted mean score, and whether it passes. */
export interface CombinedGrade {
  pass: boolean;
  /** Σ weight × score / Σ weight over counted graders; NaN when no grader counts. */
  score: number;
}

/**
 * Combines one output's grades. With a threshold, the case passes when the weighted mean score reaches it;
 * without one, when every counted grader passes. A grader with weight 0 is reported but not counted; a
 * grading error fails the case (it was not shown to pass).
 */
export function combineGrades(
  grades: readonly Grade[],
  specs: readonly GraderSpec[],
  threshold?: number,
): CombinedGrade {
  let weighted = 0;
  let totalWeight = 0;
  let allPass = true;
  grades.forEach((grade, index) => {
    const weight = specs[index]?.weight ?? 1;
    if (weight === 0) return;
    const score = Number.isFinite(grade.score) ? Math.min(1, Math.max(0, grade.score)) : 0;
    weighted += weight * score;
    totalWeight += weight;
    if (!grade.pass || grade.error) allPass = false;
  });
  if (totalWeight === 0) return { pass: false, score: Number.NaN };
  const score = weighted / totalWeight;
  const anyError = grades.some((grade, index) => grade.error && (specs[index]?.weight ?? 1) > 0);
  const pass = threshold === undefined ? allPass : !anyError && score >= threshold - 1e-12;
  return { pass, score };
}

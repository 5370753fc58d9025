import type { GradeOutcome } from '../spec/grade.ts';

/** What a model-graded grader says until the judge pass has run: not judged, shown as a grading error. */
export const awaitingJudge: GradeOutcome = {
  pass: false,
  score: 0,
  reason: 'grading error: awaiting the judge (model-graded graders are judged after the run)',
  error: true,
};

/** The shared `judge:` option of model-graded graders: a candidate id or a `provider:model` id. */
export const JUDGE_OPTION_DOC = 'the judge for this grader: a candidate id or a provider:model id';

// One model-graded grader judged on one output: a score (asked as often as judges.repeat says, with
// a second judge when one is set) or a pairwise preference asked in both orders.
import { graderName, toGrade } from '../grade/grade-output.ts';
import { fillJudgePrompt, loadJudgePrompt } from '../grade/judge-prompts.ts';
import { judgeScore } from '../grade/judge-score.ts';
import { type PairwiseWinner, pairwiseScore } from '../grade/pairwise.ts';
import { awaitingJudge } from '../grade/pending-judge.ts';
import { graderFamilies } from '../grade/registry.ts';
import { HUMAN_LABELLED } from '../spec/grade.ts';
import type { Grade } from '../spec/result.ts';
import type { Candidate, Case, GraderSpec } from '../spec/workload.ts';
import { ask } from './judge-ask.ts';
import { type PassState, promptFileAt, rejudgeRole } from './judge-pass-state.ts';

export const gradingError = (grader: string, reason: string): Grade => ({
  grader,
  pass: false,
  score: 0,
  reason: `grading error: ${reason}`.slice(0, 500),
  error: true,
});

/** Judges one model-graded grader on one output. */
export async function judgeOne(
  state: PassState,
  spec: GraderSpec,
  judge: Candidate,
  testCase: Case,
  output: string,
  input: string,
  reference: { candidateId: string; output: string | null | undefined; isSelf: boolean },
  at: { runId: string; candidateId: string; caseId: string; repeat: number },
): Promise<Grade> {
  const family = graderFamilies.get(spec.type)!;
  const task = family.judge!;
  const name = graderName(spec);
  // A family can decide without the judge (a factual check with no reference): no call is made.
  const without = family.grade(spec.options, testCase, output, {});
  if (without !== awaitingJudge) return toGrade(name, without);
  const rejudge = state.options.rejudge;
  const prompt = loadJudgePrompt(promptFileAt(task.prompt, rejudge?.promptVersion));
  const values = task.fill(spec.options, testCase, output, input);
  if (task.reply === 'score') {
    const { grade, judgments } = await judgeScore(
      (model, text, sample) => ask(state, model, text, 'score', sample),
      {
        grader: name,
        prompt: fillJudgePrompt(prompt.template, values),
        judge: rejudge ? rejudge.judge : judge,
        // A labelled output or a re-judging keeps its one ask too: it is there to be compared.
        ...(state.second && !rejudge ? { second: state.second } : {}),
        repeat: state.repeat,
        passes: (score) => task.passes(spec.options, score),
        at,
        ...(rejudge || at.candidateId === HUMAN_LABELLED
          ? { keep: true, ...(rejudge ? { role: rejudgeRole(rejudge.judge.model, prompt.version) } : {}) }
          : {}),
      },
    );
    if (judgments.length > 0) await state.store.saveJudgments(judgments);
    return grade;
  }
  if (reference.isSelf) {
    return { grader: name, pass: true, score: 0.5, reason: 'the reference of this pairwise comparison' };
  }
  if (reference.output === null || reference.output === undefined) {
    return gradingError(name, `no output from ${reference.candidateId} on this case to compare with`);
  }
  // Asked twice with the answers swapped: a judge that favours a position cancels out.
  const first = await ask(
    state,
    judge,
    fillJudgePrompt(prompt.template, { ...values, output_a: output, output_b: reference.output }),
    'preference',
  );
  const second = await ask(
    state,
    judge,
    fillJudgePrompt(prompt.template, { ...values, output_a: reference.output, output_b: output }),
    'preference',
  );
  if (typeof first === 'string') return gradingError(name, first);
  if (typeof second === 'string') return gradingError(name, second);
  const firstWinner = (first as { winner: PairwiseWinner }).winner;
  const secondWinner = (second as { winner: PairwiseWinner }).winner;
  const { score, outcome } = pairwiseScore(firstWinner, secondWinner);
  const story = {
    won: `preferred over ${reference.candidateId} in both orders`,
    lost: `${reference.candidateId} preferred in both orders`,
    'position bias': `the judge picked answer ${firstWinner} both times (position bias), counted as a tie`,
    split: `split against ${reference.candidateId} (one order decided, the other tied), counted as a tie`,
    tie: `tied with ${reference.candidateId}`,
  }[outcome];
  return {
    grader: name,
    pass: task.passes(spec.options, score),
    score,
    reason: `${story}: ${first.reason}`.slice(0, 500),
  };
}

/** No output to compare with: a score-graded grader has none. */
export const NO_REFERENCE = { candidateId: '', output: null, isSelf: false };

// The passes beside the grading itself: outputs a person labelled, judged so that the judge's
// agreement with people is measured; and a re-judging with another judge or prompt version, whose
// verdicts are kept beside the stored grades.
import path from 'node:path';
import { gradersFor } from '../grade/combine.ts';
import { graderName } from '../grade/grade-output.ts';
import { graderFamilies } from '../grade/registry.ts';
import { HUMAN_LABELLED, type Judgment } from '../spec/grade.ts';
import type { Grade, Result } from '../spec/result.ts';
import type { Candidate, Case, GraderSpec, HumanLabel, Workload } from '../spec/workload.ts';
import { readCases } from '../workload/read-cases.ts';
import { buildMessages } from './build-messages.ts';
import { judgeOne, NO_REFERENCE } from './judge-one.ts';
import { inputOf, type PassState } from './judge-pass-state.ts';

/** Re-judges one score-graded grader of a result; the stored grade stays, both judges' verdicts are kept. */
export async function rejudgeOne(
  state: PassState,
  spec: GraderSpec,
  judge: Candidate,
  testCase: Case,
  result: Result,
  input: string,
  stored: Grade,
): Promise<void> {
  if (graderFamilies.get(spec.type)?.judge?.reply !== 'score' || result.output === null) return;
  const at = {
    runId: result.runId,
    candidateId: result.candidateId,
    caseId: result.caseId,
    repeat: result.repeat,
  };
  const grade = await judgeOne(state, spec, judge, testCase, result.output, input, NO_REFERENCE, at);
  if (grade.error) state.summary.gradingErrors++;
  // One ask by one judge kept no judgment when the run was judged: the stored grade is that verdict.
  if (state.repeat === 1 && !state.second && !stored.error)
    await state.store.saveJudgments([
      {
        ...at,
        grader: stored.grader,
        judge: judge.model,
        role: 'grading',
        sample: 0,
        score: stored.score,
        pass: stored.pass,
        verdict: stored.pass,
      },
    ]);
  state.summary.judged++;
}

/** The cases' labelled outputs: inline from the stored workload, from a cases file read again (labels may be added after the run). */
export async function humanLabels(workload: Workload): Promise<Map<string, HumanLabel>> {
  const labels = new Map<string, HumanLabel>();
  if (workload.cases.kind === 'inline') {
    for (const c of workload.cases.cases) if (c.human) labels.set(c.id, c.human);
  } else if (workload.cases.human) {
    for await (const c of readCases(workload.cases, path.dirname(workload.file)))
      if (c.human) labels.set(c.id, c.human);
  }
  return labels;
}

/** Judges each labelled output with every score-graded judge of its case and stores it beside the person's label. */
export async function judgeLabelled(
  state: PassState,
  workload: Workload,
  cases: Map<string, Case>,
  judges: Map<GraderSpec, Candidate>,
  labels: Map<string, HumanLabel>,
): Promise<void> {
  for (const [caseId, label] of labels) {
    const testCase = cases.get(caseId);
    if (!testCase) continue;
    const input = inputOf(buildMessages(workload.prompt, testCase));
    const at = { runId: state.runId, candidateId: HUMAN_LABELLED, caseId, repeat: 0 };
    for (const spec of gradersFor(workload, testCase)) {
      const judge = judges.get(spec);
      if (!judge || graderFamilies.get(spec.type)?.judge?.reply !== 'score') continue;
      const grade = await judgeOne(state, spec, judge, testCase, label.output, input, NO_REFERENCE, at);
      if (grade.error) state.summary.gradingErrors++;
      const person: Judgment = {
        ...at,
        grader: graderName(spec),
        judge: 'human',
        role: 'human',
        sample: 0,
        score: label.pass ? 1 : 0,
        pass: label.pass,
        verdict: label.pass,
      };
      await state.store.saveJudgments([person]);
    }
  }
}

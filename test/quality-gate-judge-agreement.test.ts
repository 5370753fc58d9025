// The quality gate does not call a candidate non-inferior when the comparison rests on a grader whose
// judge agrees poorly (κ below 0.6 with a second judge or with people) and that grader failed cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { qualityGate } from '../src/decide/quality-gate.ts';
import type { QualityReport } from '../src/spec/quality.ts';

const interval = (estimate: number) => ({ estimate, low: estimate - 0.05, high: estimate + 0.05 });
const agreement = (kappa: number) => ({
  second: 'human',
  n: 20,
  agreed: 15,
  passRates: { first: 0.5, second: 0.5 },
  kappa,
  interval: { low: kappa - 0.3, high: kappa + 0.3 },
  low: kappa < 0.6,
  disagreementCount: 5,
  disagreements: [],
});

/** Two candidates, b non-inferior to the best a, graded by a rubric whose judge has agreement `kappa`. */
function report(kappa: number, rubricFailed: boolean): QualityReport {
  const cell = (passed: number) => ({ passed, total: 100, meanScore: passed / 100, gradingErrors: 0 });
  const candidate = (id: string, passed: number) => ({
    candidateId: id,
    cases: 100,
    passed,
    passRate: interval(passed / 100),
    meanScore: interval(passed / 100),
    modelFailures: 0,
    gradingErrors: 0,
  });
  return {
    margin: 0.05,
    marginSource: 'workload',
    floor: null,
    level: 0.95,
    candidates: [candidate('a', 90), candidate('b', 89)],
    byGrader: [
      {
        name: 'rubric "polite"',
        cells: { a: cell(rubricFailed ? 90 : 100), b: cell(rubricFailed ? 89 : 100) },
      },
      { name: 'equals', cells: { a: cell(90), b: cell(89) } },
    ],
    byTag: [],
    best: 'a',
    comparisons: [
      {
        a: 'b',
        b: 'a',
        conclusion: 'non-inferior',
        sentence: 'b is non-inferior to a.',
        counts: { n: 100, bothPass: 88, onlyA: 1, onlyB: 2, bothFail: 9 },
      },
    ],
    sentences: [],
    judge: {
      usage: [],
      prompts: [],
      reliability: {
        repeat: 1,
        lowKappa: 0.6,
        graders: [
          {
            grader: 'rubric "polite"',
            judge: 'j',
            judged: 100,
            meanSpread: null,
            straddlingCount: 0,
            straddling: [],
            human: agreement(kappa),
          },
        ],
      },
    },
  } as unknown as QualityReport;
}

test('a comparison resting on a low-agreement judge is undecided, not non-inferior', () => {
  const gate = qualityGate(report(0.45, true));
  const b = gate.verdicts.find((v) => v.candidateId === 'b')!;
  assert.equal(b.status, 'undecided');
  assert.deepEqual(b.doubtedGraders, ['rubric "polite" (κ = 0.45 with people)']);
  assert.match(b.reason, /^b is not called non-inferior to a: the comparison rests on rubric "polite"/);
  assert.deepEqual(gate.eligible, ['a']);
});

test('agreement at 0.6 or a low-agreement grader that failed nothing leaves non-inferiority standing', () => {
  assert.equal(qualityGate(report(0.6, true)).verdicts[1]!.status, 'non-inferior');
  assert.equal(qualityGate(report(0.45, false)).verdicts[1]!.status, 'non-inferior');
});

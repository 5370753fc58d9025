// The quality section and the quality gate from stored results: repeats (consistency, pass@k, flaky
// cases), model failures apart from grading errors, tags, and the gate's rules on hand-made sections.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { qualityGate } from '../src/decide/quality-gate.ts';
import { buildReport } from '../src/report/build-report.ts';
import { renderTerminal } from '../src/report/render-terminal.ts';
import type { QualityReport } from '../src/spec/quality.ts';
import type { Result } from '../src/spec/result.ts';
import type { Workload } from '../src/spec/workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { tempDir } from './helpers/temp-dir.ts';

const workload: Workload = {
  version: 1,
  name: 'repeats',
  file: '/nowhere/w.yaml',
  prompt: { kind: 'text', template: '{{q}}' },
  cases: { kind: 'inline', cases: [] },
  graders: [
    {
      type: 'equals',
      options: { trim: true, ignore_case: false, normalize_whitespace: false, ignore_punctuation: false },
    },
  ],
  candidates: [
    { id: 'steady', model: 'openai-compatible:a', provider: 'openai-compatible', modelName: 'a', params: {} },
    { id: 'shaky', model: 'openai-compatible:b', provider: 'openai-compatible', modelName: 'b', params: {} },
  ],
  constraints: {
    data_residency: 'any',
    hipaa: false,
    on_prem: false,
    zero_retention: false,
    fine_tuning: false,
  },
  quality: { non_inferiority_margin: 0.1 },
};

function result(
  candidateId: string,
  caseId: string,
  repeat: number,
  pass: boolean,
  extra: Partial<Result> = {},
): Result {
  return {
    runId: 'r1',
    candidateId,
    caseId,
    repeat,
    output: pass ? 'yes' : 'no',
    usage: { inputTokens: 5, outputTokens: 1, source: 'server' },
    ttftMs: 5,
    durationMs: 10,
    finishReason: 'stop',
    error: null,
    grades: [{ grader: 'equals', pass, score: pass ? 1 : 0, reason: '' }],
    pass,
    createdAt: '2026-11-24T10:00:00.000Z',
    ...extra,
  };
}

test('repeats give consistency, pass@1, pass@k and flaky cases; failures and grading errors are counted apart', async () => {
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  await store.createRun({
    id: 'r1',
    workloadName: 'repeats',
    workloadFile: workload.file,
    workloadJson: JSON.stringify(workload),
    status: 'completed',
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: null,
    plannedResults: 24,
  });
  const cases = ['a', 'b', 'c', 'd'].map((id, i) => ({
    id,
    vars: { q: id },
    tags: [i < 2 ? 'easy' : 'hard'],
    source: `cases[${i}]`,
  }));
  await store.saveCases('r1', cases, 1);
  // steady passes a, b, c every time and fails d every time; shaky flips on b and c.
  const shaky: Record<string, boolean[]> = {
    a: [true, true, true],
    b: [true, false, true],
    c: [false, false, true],
    d: [false, false, false],
  };
  for (const testCase of cases) {
    for (let repeat = 0; repeat < 3; repeat++) {
      await store.saveResult(result('steady', testCase.id, repeat, testCase.id !== 'd'));
      const pass = shaky[testCase.id]![repeat]!;
      const extra: Partial<Result> =
        testCase.id === 'd' && repeat === 0
          ? { output: null, error: { code: 'PROVIDER_ERROR', message: 'boom' }, grades: [] }
          : testCase.id === 'c' && repeat === 0
            ? {
                grades: [
                  { grader: 'equals', pass: false, score: 0, reason: 'grading error: x', error: true },
                ],
              }
            : {};
      await store.saveResult(result('shaky', testCase.id, repeat, pass, extra));
    }
  }
  const report = await buildReport(store, 'r1');
  const quality = report.quality!;
  assert.deepEqual(
    quality.candidates.map((c) => [c.candidateId, c.cases, c.passed, c.modelFailures, c.gradingErrors]),
    [
      ['steady', 4, 3, 0, 0],
      ['shaky', 4, 2, 1, 1],
    ],
  );
  const [steady, shakyRow] = quality.repeats!;
  assert.deepEqual(
    [steady!.repeats, steady!.k, steady!.passAt1, steady!.passAtK, steady!.flakyCases],
    [3, 3, 0.75, 0.75, []],
  );
  // shaky: pass@1 = mean(3/3, 2/3, 1/3, 0) = 0.5; pass@3 = 3 of 4 cases have some pass = 0.75.
  assert.ok(Math.abs(shakyRow!.passAt1 - 0.5) < 1e-12);
  assert.equal(shakyRow!.passAtK, 0.75);
  assert.deepEqual(shakyRow!.flakyCases, ['b', 'c']);
  assert.ok(Math.abs(shakyRow!.meanConsistency - (1 + 2 / 3 + 2 / 3 + 1) / 4) < 1e-12);
  assert.deepEqual(
    quality.byTag.map((slice) => [slice.name, slice.cells.steady!.passed, slice.cells.shaky!.passed]),
    [
      ['easy', 2, 2],
      ['hard', 1, 0],
    ],
  );
  const text = renderTerminal(report, { color: false, width: 80 });
  assert.match(text, /repeats\s+n\s+consistency\s+pass@1\s+pass@3\s+flaky cases/);
  assert.match(text, /shaky\s+3\s+83\.3%\s+50\.0%\s+75\.0%\s+2: b, c/);
  assert.match(text, /shaky\s+2\/4\s+50\.0% \[15\.0–85\.0\]/);
  for (const line of text.split('\n')) assert.ok([...line].length <= 80, `line over 80 columns: ${line}`);
  assert.ok(report.decision.caveats.some((c) => /shaky: 1 of 4 calls failed/.test(c)));
  assert.ok(report.decision.caveats.some((c) => /shaky: 1 of 4 results have a grading error/.test(c)));
  // Four cases cannot tell a 25-point gap: no winner on noise.
  assert.equal(report.decision.winner, null);
  assert.match(
    report.decision.reasons[0]!,
    /^Too few cases to tell steady, shaky apart at the non-inferiority margin/,
  );
  // 2 of 4 against steady's 3 of 4 at the default 5-point margin: δ = −0.25 + 0.05 < 0, so more cases cannot help.
  assert.match(
    report.decision.reasons[1]!,
    /^At the observed difference, more cases would not show non-inferiority/,
  );
});

function section(overrides: Partial<QualityReport>): QualityReport {
  const rate = (passed: number, cases = 100) => ({
    estimate: passed / cases,
    low: passed / cases - 0.05,
    high: passed / cases + 0.05,
  });
  return {
    margin: 0.05,
    marginSource: 'workload',
    floor: null,
    level: 0.95,
    candidates: [
      {
        candidateId: 'best',
        cases: 100,
        passed: 90,
        passRate: rate(90),
        meanScore: rate(90),
        modelFailures: 0,
        gradingErrors: 0,
      },
      {
        candidateId: 'close',
        cases: 100,
        passed: 88,
        passRate: rate(88),
        meanScore: rate(88),
        modelFailures: 0,
        gradingErrors: 0,
      },
      {
        candidateId: 'poor',
        cases: 100,
        passed: 60,
        passRate: rate(60),
        meanScore: rate(60),
        modelFailures: 0,
        gradingErrors: 0,
      },
      {
        candidateId: 'down',
        cases: 100,
        passed: 0,
        passRate: rate(0),
        meanScore: rate(0),
        modelFailures: 100,
        gradingErrors: 0,
      },
    ],
    byGrader: [],
    byTag: [],
    best: 'best',
    comparisons: [
      { a: 'close', conclusion: 'non-inferior', sentence: 'close is non-inferior.', casesNeeded: 500 },
      { a: 'poor', conclusion: 'inferior', sentence: 'poor is worse.', casesNeeded: 30 },
      { a: 'down', conclusion: 'inferior', sentence: 'down is worse.', casesNeeded: 10 },
    ].map((row) => ({ ...row, b: 'best' })) as unknown as QualityReport['comparisons'],
    sentences: [],
    ...overrides,
  };
}

test('the quality gate: best, non-inferior, dropped with a reason, floor', () => {
  const gate = qualityGate(section({}));
  assert.deepEqual(
    gate.verdicts.map((v) => [v.candidateId, v.status]),
    [
      ['best', 'best'],
      ['close', 'non-inferior'],
      ['poor', 'dropped'],
      ['down', 'dropped'],
    ],
  );
  assert.deepEqual(gate.eligible, ['best', 'close']);
  assert.match(
    gate.verdicts[2]!.reason,
    /^poor drops out: it is not non-inferior to best at the 5-point margin\. poor is worse\./,
  );
  assert.equal(gate.verdicts[3]!.reason, 'down drops out: none of its calls produced an answer.');

  const floored = qualityGate(section({ floor: 0.95 }));
  assert.deepEqual(floored.eligible, []);
  assert.match(
    floored.verdicts[0]!.reason,
    /^best drops out: its pass rate 90\.0% .* below the quality floor of 95\.0%\./,
  );
  assert.equal(floored.verdicts[1]!.status, 'dropped');
});

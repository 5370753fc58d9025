// Judge reliability against two local judges with known per-case behaviour: judges.repeat asks the
// first judge three times per output (the ask in the cache key), the report gives each case's mean,
// the spread and the cases whose asks straddle the threshold; a second judge gives Cohen's kappa
// with its interval and the disagreeing cases. Every expected figure is worked by hand below.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { buildReport } from '../src/report/build-report.ts';
import { renderJudgeReliability } from '../src/report/judge-reliability-terminal.ts';
import { renderTerminal } from '../src/report/render-terminal.ts';
import { judgeRun } from '../src/run/judge-pass.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

// The first judge's score on its 1st, 2nd and 3rd ask of each case (rubric threshold 0.5).
const FIRST: Record<string, number[]> = {
  c1: [0.9, 0.9, 0.9], // pass
  c2: [0.6, 0.4, 0.7], // straddles: mean 0.567 → pass; spread 0.3
  c3: [0.2, 0.2, 0.2], // fail
  c4: [0.45, 0.55, 0.4], // straddles: mean 0.467 → fail; spread 0.15
  c5: [1, 1, 1], // pass
  c6: [0, 0, 0], // fail
  c7: [0.8, 0.8, 0.8], // pass
  c8: [0.3, 0.3, 0.3], // fail
};
// The second judge's score on every ask of each case.
const SECOND: Record<string, number> = { c1: 1, c2: 0, c3: 0, c4: 1, c5: 1, c6: 0, c7: 0, c8: 0 };

/** A judge answering from a table by the case in the <answer> tag and how often it saw that prompt. */
async function tableJudge(score: (caseId: string, ask: number) => number) {
  const seen = new Map<string, number>();
  return startStandInServer({
    answer: (messages) => {
      const prompt = messages.at(-1)!.content;
      const caseId = prompt.slice(prompt.indexOf('<answer>') + 8, prompt.indexOf('</answer>')).trim();
      const ask = seen.get(prompt) ?? 0;
      seen.set(prompt, ask + 1);
      return JSON.stringify({ reason: `ask ${ask + 1}`, score: score(caseId, ask) });
    },
  });
}

test('repeated judging and two-judge agreement give the hand-computed spread, straddling cases and kappa', async () => {
  const candidate = await startStandInServer({ answer: (m) => m.at(-1)!.content });
  const first = await tableJudge((caseId, ask) => FIRST[caseId]![ask % 3]!);
  const second = await tableJudge((caseId) => SECOND[caseId]!);
  after(() => Promise.all([candidate.close(), first.close(), second.close()]));
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const workload = await parseWorkload(
    `version: 1
name: judge-reliability
prompt: "{{id}}"
cases:
${Object.keys(FIRST)
  .map((id) => `  - { id: ${id}, vars: { id: ${id} } }`)
  .join('\n')}
graders: [{ rubric: Is it right? }]
judge: { model: "openai-compatible:judge-a", base_url: "${first.url}" }
judges:
  repeat: 3
  second: { model: "openai-compatible:judge-b", base_url: "${second.url}" }
candidates: [{ id: echo, model: "openai-compatible:echo", base_url: "${candidate.url}" }]
`,
    path.join(dir, 'w.yaml'),
  );
  const { runId } = await runWorkload(workload, { store });
  const summary = await judgeRun(store, runId, { concurrency: 4 });
  assert.deepEqual(
    [summary.calls, summary.cachedCalls],
    [48, 0],
    '8 cases × 3 asks × 2 judges, each its own call',
  );
  assert.equal(first.requests.chatCompletions, 24);
  assert.equal(second.requests.chatCompletions, 24);

  // The grade is the first judge's mean over its asks.
  const byCase = new Map<string, Result>();
  for await (const r of store.results(runId)) byCase.set(r.caseId, r);
  assert.equal(byCase.get('c2')!.grades[0]!.score, 0.567);
  assert.equal(byCase.get('c2')!.pass, true);
  assert.match(
    byCase.get('c2')!.grades[0]!.reason,
    /^judge mean 0\.567 of 3 asks \(0\.6, 0\.4, 0\.7\): ask 1/,
  );
  assert.equal(byCase.get('c4')!.grades[0]!.score, 0.467);
  assert.equal(byCase.get('c4')!.pass, false);

  const report = await buildReport(store, runId);
  const reliability = report.quality!.judge!.reliability!;
  assert.equal(reliability.repeat, 3);
  const [rubric] = reliability.graders;
  assert.equal(reliability.graders.length, 1);
  assert.equal(rubric!.judge, 'openai-compatible:judge-a');
  assert.equal(rubric!.judged, 8);
  // Spreads 0, 0.3, 0, 0.15, 0, 0, 0, 0 → 0.45 / 8 = 0.05625.
  assert.equal(rubric!.meanSpread, 0.056);
  assert.equal(rubric!.straddlingCount, 2);
  assert.deepEqual(rubric!.straddling, [
    { candidateId: 'echo', caseId: 'c2', repeat: 0, scores: [0.6, 0.4, 0.7], mean: 0.567, pass: true },
    { candidateId: 'echo', caseId: 'c4', repeat: 0, scores: [0.45, 0.55, 0.4], mean: 0.467, pass: false },
  ]);
  // Verdicts, first vs second: c1 P/P, c2 P/F, c3 F/F, c4 F/P, c5 P/P, c6 F/F, c7 P/F, c8 F/F.
  // pₒ = 5/8 = 0.625; first passes 4/8, second 3/8: pₑ = 0.5 × 0.375 + 0.5 × 0.625 = 0.5;
  // κ = (0.625 − 0.5) / (1 − 0.5) = 0.25; SE = √(0.625 × 0.375 / (8 × 0.25)) = 0.342327;
  // 95% CI 0.25 ± 1.959964 × 0.342327 = −0.420948 to 0.920948. Below 0.6: flagged low.
  const agreement = rubric!.agreement!;
  assert.equal(agreement.second, 'openai-compatible:judge-b');
  assert.deepEqual([agreement.n, agreement.agreed, agreement.disagreementCount], [8, 5, 3]);
  assert.ok(Math.abs(agreement.kappa! - 0.25) < 1e-12);
  assert.ok(Math.abs(agreement.interval!.low - -0.420948) < 1e-6);
  assert.ok(Math.abs(agreement.interval!.high - 0.920948) < 1e-6);
  assert.equal(agreement.low, true);
  assert.deepEqual(
    agreement.disagreements.map((d) => [d.caseId, d.first, d.second]),
    [
      ['c2', true, false],
      ['c4', false, true],
      ['c7', true, false],
    ],
  );

  // The terminal report itself carries the block, below the judge's usage.
  const printed = renderTerminal(await buildReport(store, runId), { color: false, width: 100 });
  assert.match(printed, /Judge reliability · 3 asks per output/);
  const plain = { bold: (s: string) => s, dim: (s: string) => s };
  const lines = renderJudgeReliability(reliability, plain, 100);
  console.log(lines.join('\n'));
  assert.ok(lines.every((line) => line.length <= 100));
  const text = lines.join('\n').replace(/\n {2,}/g, ' ');
  assert.match(text, /Judge reliability · 3 asks per output · second judge openai-compatible:judge-b/);
  assert.match(text, /8 results judged, mean spread 0\.06, 2 straddle the threshold/);
  assert.match(text, /straddling: echo\/c2 0\.6, 0\.4, 0\.7 → pass; echo\/c4 0\.45, 0\.55, 0\.4 → fail/);
  assert.match(
    text,
    /agreement with openai-compatible:judge-b: 5 of 8 \(pass 50% vs 37\.5%; κ = 0\.25, 95% CI -0\.42 to 0\.92\) — LOW/,
  );
  assert.match(
    text,
    /disagree: echo\/c2 \(pass vs fail\); echo\/c4 \(fail vs pass\); echo\/c7 \(pass vs fail\)/,
  );

  assert.ok(
    report.decision.caveats.some((c) =>
      c.startsWith('The judges of rubric "Is it right?" agree only at κ = 0.25 (5 of 8 verdicts; below 0.6)'),
    ),
    report.decision.caveats.join('\n'),
  );

  // Judged again: every ask of both judges comes from the cache, and the figures do not move.
  const again = await judgeRun(store, runId);
  assert.deepEqual([again.calls, again.cachedCalls], [0, 48]);
  assert.deepEqual((await buildReport(store, runId)).quality!.judge!.reliability, reliability);
});

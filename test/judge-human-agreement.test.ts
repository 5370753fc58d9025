// Judge–human agreement and re-judging against two local judges with known per-output scores: the
// cases carry labelled outputs, the report gives kappa between the judge and the people, and
// `judgeRun(…, { rejudge })` keeps a second judge's verdicts beside the first's. Every expected
// figure is worked by hand below.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { judgeReliability } from '../src/report/judge-reliability.ts';
import { renderJudgeReliability } from '../src/report/judge-reliability-terminal.ts';
import { judgeRun } from '../src/run/judge-pass.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
// People's labels on the labelled outputs `label-<id>`.
const HUMAN: Record<string, boolean> = {
  a: true,
  b: true,
  c: true,
  d: false,
  e: false,
  f: false,
  g: false,
  h: true,
};
// Judge A's score per text it reads in <answer>: labelled outputs a–d pass, e–h fail; the candidate's
// outputs (its case id echoed) a–e pass, f–h fail.
const A: Record<string, number> = {
  ...Object.fromEntries(IDS.map((id, i) => [`label-${id}`, i < 4 ? 0.9 : 0.1])),
  ...Object.fromEntries(IDS.map((id, i) => [id, i < 5 ? 0.9 : 0.1])),
};
// Judge B: passes every labelled output; the candidate's outputs a–d pass, e–h fail.
const B: Record<string, number> = {
  ...Object.fromEntries(IDS.map((id) => [`label-${id}`, 0.9])),
  ...Object.fromEntries(IDS.map((id, i) => [id, i < 4 ? 0.9 : 0.1])),
};

async function tableJudge(table: Record<string, number>) {
  return startStandInServer({
    answer: (messages) => {
      const prompt = messages.at(-1)!.content;
      const text = prompt.slice(prompt.indexOf('<answer>') + 8, prompt.indexOf('</answer>')).trim();
      return JSON.stringify({ reason: 'table', score: table[text] });
    },
  });
}

test('labelled outputs give judge–human kappa; a re-judging keeps both judges and their agreement', async () => {
  const candidate = await startStandInServer({ answer: (m) => m.at(-1)!.content });
  const judgeA = await tableJudge(A);
  const judgeB = await tableJudge(B);
  after(() => Promise.all([candidate.close(), judgeA.close(), judgeB.close()]));
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const workload = await parseWorkload(
    `version: 1
name: human-agreement
prompt: "{{id}}"
cases:
${IDS.map((id) => `  - { id: ${id}, vars: { id: ${id} }, human: { output: label-${id}, label: ${HUMAN[id] ? 'pass' : 'fail'} } }`).join('\n')}
graders: [{ rubric: Is it right? }]
judge: { model: "openai-compatible:judge-a", base_url: "${judgeA.url}" }
candidates: [{ id: echo, model: "openai-compatible:echo", base_url: "${candidate.url}" }]
`,
    path.join(dir, 'w.yaml'),
  );
  const { runId } = await runWorkload(workload, { store });
  await judgeRun(store, runId);
  // 8 candidate outputs and 8 labelled outputs, one ask each.
  assert.equal(judgeA.requests.chatCompletions, 16);

  const first = await judgeReliability(store, runId, workload);
  const human = first!.graders[0]!.human!;
  // Judge A vs people on the labelled outputs: agree on a, b, c, e, f, g (6 of 8); both pass 4 of 8,
  // so pₑ = 0.5·0.5 + 0.5·0.5 = 0.5, κ = (0.75 − 0.5) / 0.5 = 0.5; SE = √(0.75·0.25 / (8·0.25²))
  // = 0.306186, so 0.5 ± 1.959964·0.306186 = −0.100113 to 1.100113, clipped to 1.
  assert.equal(human.second, 'human');
  assert.deepEqual([human.n, human.agreed], [8, 6]);
  assert.deepEqual(human.passRates, { first: 0.5, second: 0.5 });
  assert.equal(human.kappa, 0.5);
  assert.ok(Math.abs(human.interval!.low - -0.100113) < 1e-6);
  assert.equal(human.interval!.high, 1);
  assert.equal(human.low, true);
  assert.deepEqual(
    human.disagreements.map((d) => [d.caseId, d.first, d.second]),
    [
      ['d', true, false],
      ['h', false, true],
    ],
  );
  // The labelled outputs are not results: one ask per output keeps no judgment of the candidate's.
  assert.equal(first!.graders[0]!.judged, 0);

  // Re-judging with B keeps A's grades and both sets of verdicts.
  const before = [];
  for await (const r of store.results(runId)) before.push(r.grades[0]!.pass);
  await judgeRun(store, runId, {
    rejudge: {
      judge: {
        id: 'b',
        model: 'openai-compatible:judge-b',
        provider: 'openai-compatible',
        modelName: 'judge-b',
        baseUrl: judgeB.url,
        params: { temperature: 0 },
      },
    },
  });
  assert.equal(judgeB.requests.chatCompletions, 16);
  const after_ = [];
  for await (const r of store.results(runId)) after_.push(r.grades[0]!.pass);
  assert.deepEqual(after_, before, 'the stored grades stay the first judge’s');
  const both = await judgeReliability(store, runId, workload);
  const again = both!.graders[0]!.rejudges![0]!;
  // A passes a–e (5/8), B a–d (4/8): agree on 7, pₑ = 0.625·0.5 + 0.375·0.5 = 0.5, κ = (0.875 − 0.5)/0.5 = 0.75.
  assert.equal(again.second, 'openai-compatible:judge-b');
  assert.equal(again.prompt, 1);
  assert.deepEqual(again.passRates, { first: 0.625, second: 0.5 });
  assert.equal(again.kappa, 0.75);
  assert.deepEqual(
    again.disagreements.map((d) => [d.candidateId, d.caseId, d.first, d.second]),
    [['echo', 'e', true, false]],
  );
  // B passes every labelled output; people pass 4 of 8: pₒ = 0.5 = pₑ, κ = 0.
  assert.equal(again.human!.kappa, 0);
  const lines = renderJudgeReliability(both!, { bold: (t) => t, dim: (t) => t }, 100);
  console.log(lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('agreement with people: 6 of 8 (pass 50% vs 50%; κ = 0.5')));
});

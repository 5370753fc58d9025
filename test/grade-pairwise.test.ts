// Pairwise scores as docs/graders.md says: preferred in both orders 1, lost in both 0, and a tie, a
// split (one order decided, the other tied) or a position-biased pair 0.5 — in either order.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { pairwiseScore } from '../src/grade/pairwise.ts';
import { judgeRun } from '../src/run/judge-pass.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

test('every pair of asks scores as documented', () => {
  // [first ask (graded output as A), second ask (graded output as B)] → score.
  const table = [
    ['A', 'B', 1, 'won'],
    ['B', 'A', 0, 'lost'],
    ['A', 'TIE', 0.5, 'split'],
    ['TIE', 'B', 0.5, 'split'],
    ['B', 'TIE', 0.5, 'split'],
    ['TIE', 'A', 0.5, 'split'],
    ['TIE', 'TIE', 0.5, 'tie'],
    ['A', 'A', 0.5, 'position bias'],
    ['B', 'B', 0.5, 'position bias'],
  ] as const;
  for (const [first, second, score, outcome] of table)
    assert.deepEqual(pairwiseScore(first, second), { score, outcome }, `${first}, ${second}`);
});

test('a judge that decides in one order and ties in the other scores 0.5, whichever order decided', async () => {
  const between = (prompt: string, tag: string) =>
    prompt.slice(prompt.indexOf(`<${tag}>`) + tag.length + 2, prompt.lastIndexOf(`</${tag}>`)).trim();
  // Prefers the longer answer only when it sits in slot A; otherwise calls a tie.
  const judge = await startStandInServer({
    answer: (messages) => {
      const prompt = messages.at(-1)!.content;
      const a = between(prompt, 'answer_a');
      const b = between(prompt, 'answer_b');
      return JSON.stringify({ reason: 'slot A if longer', winner: a.length > b.length ? 'A' : 'tie' });
    },
  });
  const answers: Record<string, string> = {
    long: 'a long and detailed answer',
    short: 'ok',
    ref: 'a medium one',
  };
  const candidate = await startStandInServer({ answer: (_messages, model) => answers[model]! });
  after(() => Promise.all([candidate.close(), judge.close()]));
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const workload = await parseWorkload(
    `version: 1
name: pairwise-split
prompt: "Say something about {{topic}}"
cases: [{ vars: { topic: cats } }]
graders: [{ pairwise: { against: ref } }]
judge: { model: "openai-compatible:judge", base_url: "${judge.url}" }
candidates:
  - { id: long, model: "openai-compatible:long", base_url: "${candidate.url}" }
  - { id: short, model: "openai-compatible:short", base_url: "${candidate.url}" }
  - { id: ref, model: "openai-compatible:ref", base_url: "${candidate.url}" }
`,
    path.join(dir, 'w.yaml'),
  );
  const { runId } = await runWorkload(workload, { store });
  await judgeRun(store, runId);
  const grades = new Map<string, { score: number; pass: boolean; reason: string }>();
  for await (const r of store.results(runId)) grades.set(r.candidateId, r.grades[0]!);
  // long: won as A (first ask), tie as B (second ask). short: tie as A, lost as B (ref is longer in A).
  assert.equal(grades.get('long')!.score, 0.5, 'won then tied: 0.5, not 0.75');
  assert.equal(grades.get('short')!.score, 0.5, 'tied then lost: 0.5, not 0.25');
  assert.equal(grades.get('ref')!.score, 0.5);
  assert.match(
    grades.get('long')!.reason,
    /^split against ref \(one order decided, the other tied\), counted as a tie/,
  );
  assert.equal(grades.get('short')!.pass, true, 'a split passes at the 0.5 bar, as a tie does');
});

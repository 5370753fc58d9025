// One call per judge prompt within a run: the same prompt asked while its first ask is in flight
// waits for that answer, as a candidate's repeated call does (src/run/calls-in-run.ts).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { buildReport } from '../src/report/build-report.ts';
import { judgeRun } from '../src/run/judge-pass.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

test('identical judge prompts in flight are asked once; the rest are answered from that call', async () => {
  // Two candidates answer every case identically, so each case's judge prompt is the same for both.
  const candidate = await startStandInServer({ answer: (m) => `answer: ${m.at(-1)!.content}` });
  let prompts = 0;
  const distinct = new Set<string>();
  const judge = await startStandInServer({
    answer: async (m) => {
      prompts++;
      distinct.add(m.at(-1)!.content);
      // Slow enough that both asks of a prompt are in flight together.
      await new Promise((resolve) => setTimeout(resolve, 100));
      return '{"reason": "fine", "score": 1}';
    },
  });
  after(() => Promise.all([candidate.close(), judge.close()]));
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const workload = await parseWorkload(
    `version: 1
name: same-prompts
prompt: "Q {{q}}"
cases: [{ vars: { q: one } }, { vars: { q: two } }, { vars: { q: three } }]
graders: [{ rubric: Is it right? }]
judge: { model: "openai-compatible:judge", base_url: "${judge.url}" }
candidates:
  - { id: first, model: "openai-compatible:same", base_url: "${candidate.url}" }
  - { id: second, model: "openai-compatible:same", base_url: "${candidate.url}", temperature: 0.5 }
`,
    path.join(dir, 'w.yaml'),
  );
  const { runId } = await runWorkload(workload, { store });
  const summary = await judgeRun(store, runId, { concurrency: 6 });
  assert.equal(distinct.size, 3);
  assert.equal(prompts, 3, 'one call per distinct prompt');
  assert.deepEqual([summary.calls, summary.cachedCalls, summary.judged], [3, 3, 6]);
  const usage = (await buildReport(store, runId)).quality!.judge!.usage[0]!;
  assert.deepEqual([usage.calls, usage.cachedCalls], [6, 3]);
});

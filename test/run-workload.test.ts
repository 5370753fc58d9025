import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { buildReport } from '../src/report/build-report.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

// Answers "even"/"odd" right for numbers below 8 and wrong above: a known pass count of 8 of 12.
function parity(text: string): string {
  const n = Number(/\d+/.exec(text)?.[0]);
  const right = n % 2 === 0 ? 'even' : 'odd';
  return n < 8 ? right : right === 'even' ? 'odd' : 'even';
}

test('every case runs against every candidate; failures are stored as errors and the run completes', async () => {
  const server = await startStandInServer({ answer: (messages) => parity(messages.at(-1)!.content) });
  after(() => server.close());
  const dir = tempDir();
  const cases = Array.from(
    { length: 12 },
    (_, n) => `  - { vars: { n: ${n} }, expected: ${n % 2 === 0 ? 'even' : 'odd'} }`,
  ).join('\n');
  const workload = await parseWorkload(
    `version: 1
name: parity
prompt: "Is {{n}} even or odd?"
cases:
${cases}
graders: [equals]
candidates:
  - { id: good, model: "openai-compatible:p", base_url: "${server.url}" }
  - { id: down, model: "openai-compatible:p", base_url: "http://127.0.0.1:9/v1" }
`,
    path.join(dir, 'parity.yaml'),
  );
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const updates: string[] = [];
  const summary = await runWorkload(workload, {
    store,
    concurrency: 3,
    onProgress: (p) => updates.push(`${p.candidateId}:${p.done}/${p.total}`),
  });
  assert.equal(summary.results, 24);
  assert.equal(summary.errors, 12);
  assert.equal(server.requests.chatCompletions, 12);
  assert.ok(updates.includes('good:12/12') && updates.includes('down:12/12'));

  const results: Result[] = [];
  for await (const result of store.results(summary.runId)) results.push(result);
  const good = results.filter((r) => r.candidateId === 'good');
  assert.equal(good.filter((r) => r.pass).length, 8);
  assert.ok(good.every((r) => r.error === null && r.grades.length === 1));
  const down = results.filter((r) => r.candidateId === 'down');
  assert.ok(down.every((r) => r.error?.code === 'PROVIDER_ERROR' && !r.pass && r.output === null));

  const report = await buildReport(store, summary.runId);
  assert.equal((await store.getRun(summary.runId))!.status, 'completed');
  const [goodSummary, downSummary] = report.candidates;
  assert.equal(goodSummary!.passed, 8);
  assert.equal(goodSummary!.total, 12);
  assert.equal(downSummary!.errors, 12);
  assert.equal(report.decision.winner, 'good');
  assert.ok(report.decision.caveats.some((c) => c.startsWith('down: 12 of 12 calls failed')));
});

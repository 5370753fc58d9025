import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { tempDir } from './helpers/temp-dir.ts';

function result(runId: string, candidateId: string, caseId: string, pass: boolean, output: string): Result {
  return {
    runId,
    candidateId,
    caseId,
    repeat: 0,
    output,
    usage: { inputTokens: 10, outputTokens: 2, source: 'server' },
    ttftMs: 5,
    durationMs: 9,
    finishReason: 'stop',
    error: null,
    grades: [{ grader: 'equals', pass, score: pass ? 1 : 0, reason: pass ? 'equal' : 'differs' }],
    pass,
    createdAt: '2026-11-24T10:00:00.000Z',
  };
}

async function seed(store: Store, runId: string, flip: boolean): Promise<void> {
  await store.createRun({
    id: runId,
    workloadName: 'w',
    workloadFile: '/w.yaml',
    workloadJson: '{}',
    status: 'completed',
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: null,
    plannedResults: 8,
  });
  await store.saveCases(
    runId,
    [
      { id: 'a', vars: { ticket: 'refund 50% please' }, expected: 'billing', tags: ['money'], source: 'x:1' },
      { id: 'b', vars: { ticket: 'app crashes' }, expected: 'bug', tags: [], source: 'x:2' },
      { id: 'c', vars: { ticket: 'dark mode' }, expected: 'feature_request', tags: ['ui'], source: 'x:3' },
      {
        id: 'd',
        vars: { ticket: 'where is my box' },
        expected: 'shipping',
        tags: ['money', 'ui'],
        source: 'x:4',
      },
    ],
    1,
  );
  for (const [caseId, small, large] of [
    ['a', true, true],
    ['b', false, true],
    ['c', false, false],
    ['d', !flip, true],
  ] as const) {
    await store.saveResult(result(runId, 'small', caseId, small, small ? 'right' : 'wrong'));
    await store.saveResult(result(runId, 'large', caseId, large, large ? 'right' : 'wrong'));
  }
}

test('queryCases filters, searches and pages cases with results side by side', async () => {
  const store = openSqliteStore(path.join(tempDir(), 'v.db'));
  await seed(store, 'r1', false);
  const all = await store.queryCases('r1', { offset: 0, limit: 10 });
  assert.equal(all.total, 4);
  assert.deepEqual(
    all.rows.map((row) => row.caseId),
    ['a', 'b', 'c', 'd'],
  );
  assert.deepEqual(all.rows[0]!.results.map((r) => r.candidateId).sort(), ['large', 'small']);
  assert.deepEqual(all.rows[0]!.tags, ['money']);
  const page = await store.queryCases('r1', { offset: 2, limit: 1 });
  assert.equal(page.total, 4);
  assert.deepEqual(
    page.rows.map((row) => row.caseId),
    ['c'],
  );
  const ids = async (query: Partial<Parameters<Store['queryCases']>[1]>) =>
    (await store.queryCases('r1', { offset: 0, limit: 10, ...query })).rows.map((row) => row.caseId);
  assert.deepEqual(await ids({ status: 'pass' }), ['a', 'd']);
  assert.deepEqual(await ids({ status: 'fail' }), ['b', 'c']);
  assert.deepEqual(await ids({ status: 'fail', candidateId: 'large' }), ['c']);
  assert.deepEqual(await ids({ status: 'pass', candidateId: 'large' }), ['a', 'b', 'd']);
  assert.deepEqual(await ids({ disagreement: true }), ['b']);
  assert.deepEqual(await ids({ tag: 'ui' }), ['c', 'd']);
  assert.deepEqual(await ids({ grader: 'equals' }), ['b', 'c']);
  assert.deepEqual(await ids({ search: '50%' }), ['a']);
  assert.deepEqual(await ids({ search: '%' }), ['a']);
  assert.deepEqual(await ids({ search: 'crash' }), ['b']);
  assert.deepEqual(await ids({ search: 'wrong' }), ['b', 'c']);
  assert.deepEqual(await store.caseFacets('r1'), {
    graders: ['equals'],
    tags: ['money', 'ui'],
    candidates: ['large', 'small'],
  });
  await store.close();
});

test('compareRuns reports per candidate which cases changed', async () => {
  const store = openSqliteStore(path.join(tempDir(), 'v.db'));
  await seed(store, 'before', false);
  await seed(store, 'after', true);
  const comparison = await store.compareRuns('before', 'after', { offset: 0, limit: 10 });
  assert.deepEqual(comparison.summary, [
    { candidateId: 'large', fixed: 0, broken: 0, unchanged: 4 },
    { candidateId: 'small', fixed: 0, broken: 1, unchanged: 3 },
  ]);
  assert.equal(comparison.total, 1);
  assert.equal(comparison.rows[0]!.caseId, 'd');
  assert.equal(comparison.rows[0]!.beforePass, true);
  assert.equal(comparison.rows[0]!.afterPass, false);
  await store.close();
});

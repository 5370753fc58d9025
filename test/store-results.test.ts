// The store contract for runs and results, on every store: SQLite files and a real Postgres server.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { Result } from '../src/spec/result.ts';
import { defaultStorePath } from '../src/store/default-location.ts';
import { openStore } from '../src/store/open-store.ts';
import { migrations as postgresMigrations } from '../src/store/postgres/migrations.ts';
import { migrations } from '../src/store/sqlite/migrations.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { freshStore, storeSubjects } from './helpers/store-subjects.ts';
import { tempDir } from './helpers/temp-dir.ts';

const subjects = storeSubjects();
/** A second result under one (run, candidate, case, repeat), in each store's words. */
const DUPLICATE = /UNIQUE|duplicate key/;

const run = {
  id: 'run-1',
  workloadName: 'w',
  workloadFile: '/w.yaml',
  workloadJson: '{}',
  status: 'running' as const,
  startedAt: '2026-11-24T10:00:00.000Z',
  finishedAt: null,
  plannedResults: 2,
};

function result(caseId: string, overrides: Partial<Result> = {}): Result {
  return {
    runId: 'run-1',
    candidateId: 'c',
    caseId,
    repeat: 0,
    output: 'billing',
    usage: { inputTokens: 12, outputTokens: 1, source: 'server', cachedInputTokens: 4 },
    ttftMs: 10.5,
    durationMs: 20.25,
    finishReason: 'stop',
    error: null,
    grades: [
      { grader: 'equals', pass: true, score: 1, reason: 'ok' },
      { grader: 'regex', pass: false, score: 0, reason: 'no' },
    ],
    pass: false,
    createdAt: '2026-11-24T10:00:01.000Z',
    ...overrides,
  };
}

for (const subject of subjects) {
  test(`${subject.name}: results round-trip, in order, with their grades`, {
    skip: subject.skip,
  }, async () => {
    const location =
      subject.name === 'sqlite' ? path.join(tempDir(), 'nested', 'verdict.db') : await subject.newLocation();
    const store = await openStore(location);
    await store.createRun(run);
    await store.saveCases('run-1', [{ id: 'a', vars: { x: '1' }, tags: [], source: 's:1' }], 1);
    await store.saveResult(result('a'));
    await store.saveResult(
      result('b', {
        output: null,
        usage: null,
        ttftMs: null,
        durationMs: null,
        finishReason: null,
        grades: [],
        error: { code: 'PROVIDER_ERROR', message: 'boom' },
      }),
    );
    await store.finishRun('run-1', 'completed');
    const stored: Result[] = [];
    for await (const r of store.results('run-1')) stored.push(r);
    assert.deepEqual(stored, [
      result('a'),
      result('b', {
        output: null,
        usage: null,
        ttftMs: null,
        durationMs: null,
        finishReason: null,
        grades: [],
        error: { code: 'PROVIDER_ERROR', message: 'boom' },
      }),
    ]);
    assert.equal(await store.countResults('run-1'), 2);
    const reopened = (await store.getRun('run-1'))!;
    assert.equal(reopened.status, 'completed');
    assert.ok(reopened.finishedAt);
    await store.close();
  });

  test(`${subject.name}: a result is stored at most once per (run, candidate, case, repeat)`, {
    skip: subject.skip,
  }, async () => {
    const store = await freshStore(subject);
    await store.createRun(run);
    await store.saveResult(result('a'));
    await assert.rejects(store.saveResult(result('a')), DUPLICATE);
    assert.equal(await store.countResults('run-1'), 1);
    await store.close();
  });

  test(`${subject.name}: a store written by a newer verdict is refused, not damaged`, {
    skip: subject.skip,
  }, async () => {
    const location = await subject.newLocation();
    await (await openStore(location)).close();
    await subject.exec(
      location,
      subject.name === 'sqlite'
        ? `PRAGMA user_version = ${migrations.length + 1}`
        : `UPDATE verdict_schema SET version = ${postgresMigrations.length + 1}`,
    );
    await assert.rejects(openStore(location), /newer than this verdict understands/);
  });

  test(`${subject.name}: runs list newest first; results stream in pages beyond 500`, {
    skip: subject.skip,
  }, async () => {
    const store = await freshStore(subject);
    await store.createRun({ ...run, id: 'old', startedAt: '2026-01-01T00:00:00.000Z' });
    await store.createRun({ ...run, id: 'new', startedAt: '2026-06-01T00:00:00.000Z' });
    assert.deepEqual(
      (await store.listRuns()).map((r) => r.id),
      ['new', 'old'],
    );
    for (let i = 0; i < 1203; i++) await store.saveResult(result(`case-${i}`, { runId: 'new', grades: [] }));
    let count = 0;
    for await (const r of store.results('new')) {
      assert.equal(r.caseId, `case-${count}`);
      count++;
    }
    assert.equal(count, 1203);
    await store.close();
  });

  test(`${subject.name}: a run's results stream in order, with their own grades, when another run's are stored between them`, {
    skip: subject.skip,
  }, async () => {
    const store = await freshStore(subject);
    await store.createRun({ ...run, id: 'a' });
    await store.createRun({ ...run, id: 'b' });
    // a, then b, then a again (a resumed run): a's results are split by b's in the id order.
    for (let i = 0; i < 700; i++) await store.saveResult(result(`a-${i}`, { runId: 'a' }));
    for (let i = 0; i < 600; i++)
      await store.saveResult(
        result(`b-${i}`, { runId: 'b', grades: [{ grader: 'b-only', pass: true, score: 1, reason: 'b' }] }),
      );
    for (let i = 700; i < 1100; i++) await store.saveResult(result(`a-${i}`, { runId: 'a' }));
    const seen: string[] = [];
    for await (const r of store.results('a')) {
      assert.deepEqual(
        r.grades.map((grade) => grade.grader),
        ['equals', 'regex'],
      );
      seen.push(r.caseId);
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 1100 }, (_, i) => `a-${i}`),
    );
    let inB = 0;
    for await (const r of store.results('b')) {
      assert.equal(r.caseId, `b-${inB++}`);
      assert.deepEqual(
        r.grades.map((grade) => grade.grader),
        ['b-only'],
      );
    }
    assert.equal(inB, 600);
    let none = 0;
    for await (const _ of store.results('missing')) none++;
    assert.equal(none, 0);
    await store.close();
  });
}

test('the SQLite store is a WAL file at the newest schema', async () => {
  const file = path.join(tempDir(), 'v.db');
  await openSqliteStore(file).close();
  const db = new Database(file, { readonly: true });
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
  db.close();
});

test('the store location follows --store, VERDICT_STORE, then XDG_DATA_HOME', () => {
  assert.equal(defaultStorePath({ VERDICT_STORE: '/tmp/x.db' }), '/tmp/x.db');
  assert.equal(defaultStorePath({ XDG_DATA_HOME: '/data' }), '/data/verdict/verdict.db');
  assert.match(defaultStorePath({}), /\.local\/share\/verdict\/verdict\.db$/);
  // A database URL is a location, not a file name relative to here.
  assert.equal(
    defaultStorePath({ VERDICT_STORE: 'postgres://u@db:5432/verdict' }),
    'postgres://u@db:5432/verdict',
  );
});

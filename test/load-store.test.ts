// Load tests in a real SQLite file: saved, listed newest first, filtered, read back whole; and the
// migration reaches a store created before load tests existed.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { LoadTestRecord } from '../src/spec/load-test-record.ts';
import { migrations } from '../src/store/sqlite/migrations.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { tempDir } from './helpers/temp-dir.ts';

function record(id: string, finishedAt: string, extra: Partial<LoadTestRecord> = {}): LoadTestRecord {
  return {
    id,
    runId: null,
    target: 'http://127.0.0.1:8000/v1',
    model: 'm',
    candidateId: 'local',
    mode: 'max-rate',
    slo: 'ttft_p99=500ms',
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt,
    maxRateWithinSlo: 4.5,
    resultJson: JSON.stringify({ schemaVersion: 1, kind: 'max-rate', id }),
    ...extra,
  };
}

test('load tests round-trip through the SQLite store, newest first, filtered by candidate and capacity', async () => {
  const file = path.join(tempDir(), 'verdict.db');
  const store = openSqliteStore(file);
  await store.saveLoadTest(record('lt-a', '2026-11-24T10:01:00.000Z'));
  await store.saveLoadTest(
    record('lt-b', '2026-11-24T10:03:00.000Z', { maxRateWithinSlo: null, mode: 'sweep' }),
  );
  await store.saveLoadTest(record('lt-c', '2026-11-24T10:02:00.000Z', { candidateId: null, slo: null }));
  await store.close();

  const reopened = openSqliteStore(file);
  const all = await reopened.listLoadTests();
  assert.deepEqual(
    all.map((r) => r.id),
    ['lt-b', 'lt-c', 'lt-a'],
  );
  assert.equal('resultJson' in all[0]!, false);
  const local = await reopened.listLoadTests({ candidateId: 'local', withCapacity: true });
  assert.deepEqual(
    local.map((r) => r.id),
    ['lt-a'],
  );
  assert.deepEqual(await reopened.getLoadTest('lt-a'), record('lt-a', '2026-11-24T10:01:00.000Z'));
  assert.equal(await reopened.getLoadTest('nope'), undefined);
  await assert.rejects(reopened.saveLoadTest(record('lt-a', '2026-11-24T11:00:00.000Z')));
  await reopened.close();
});

test('a store made before load tests existed gains the table on open', async () => {
  const file = path.join(tempDir(), 'old.db');
  const db = new Database(file);
  const before = migrations.findIndex((m) => m.includes('CREATE TABLE load_tests'));
  assert.ok(before > 0);
  for (let i = 0; i < before; i++) db.exec(migrations[i]!);
  db.pragma(`user_version = ${before}`);
  db.close();
  const store = openSqliteStore(file);
  await store.saveLoadTest(record('lt-old', '2026-11-24T10:01:00.000Z'));
  assert.equal((await store.listLoadTests()).length, 1);
  await store.close();
});

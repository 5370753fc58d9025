// When the writer stores a result: an answer paid for now is committed before add() returns (a kill
// right after it costs nothing); answers replayed from the cache share one transaction at the end
// of the microtask; a write behind one still in progress (an asynchronous store) keeps its order.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ResultWriter } from '../src/run/result-writer.ts';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { resultFixture } from './helpers/result-fixture.ts';
import { tempDir } from './helpers/temp-dir.ts';

async function storeWithRun() {
  const file = path.join(tempDir(), 'v.db');
  const store = openSqliteStore(file);
  await store.createRun({
    id: 'r',
    workloadName: 'w',
    workloadFile: '/w.yaml',
    workloadJson: JSON.stringify({ candidates: [{ id: 'c', model: 'openai:m' }] }),
    status: 'running',
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: null,
    plannedResults: 10,
  });
  // Another connection, as the next process (a resume) would read the file.
  const reader = new Database(file, { readonly: true });
  const stored = () =>
    (reader.prepare('SELECT case_id FROM results ORDER BY id').all() as Array<{ case_id: string }>).map(
      (row) => row.case_id,
    );
  const close = async () => {
    reader.close();
    await store.close();
  };
  return { store, stored, close };
}

const result = (caseId: string, cached = false): Result =>
  resultFixture(caseId, cached ? { cached: true } : {});

test('an answer paid for now is committed before add() returns', async () => {
  const { store, stored, close } = await storeWithRun();
  const writer = new ResultWriter(store);
  writer.add(result('a'), 'key-a');
  assert.deepEqual(stored(), ['a'], 'in the file for another connection, with no await in between');
  // The next answer arrives in a later turn of the event loop (its own socket's read).
  await new Promise((resolve) => setImmediate(resolve));
  writer.add(result('b'), 'key-b');
  assert.deepEqual(stored(), ['a', 'b']);
  await writer.flush();
  await close();
});

test('a failed call is stored at once too', async () => {
  const { store, stored, close } = await storeWithRun();
  const writer = new ResultWriter(store);
  writer.add({ ...result('e'), output: null, error: { code: 'PROVIDER_ERROR', message: 'HTTP 500' } });
  assert.deepEqual(stored(), ['e']);
  await writer.flush();
  await close();
});

test('answers replayed from the cache wait for the end of the microtask and share one transaction', async () => {
  const { store, stored, close } = await storeWithRun();
  let transactions = 0;
  const counted: Store = {
    ...store,
    saveResults: (...args) => {
      transactions++;
      return store.saveResults(...args);
    },
  };
  const writer = new ResultWriter(counted);
  for (const id of ['x', 'y', 'z']) writer.add(result(id, true));
  assert.deepEqual(stored(), [], 'not yet');
  await writer.whenWritten();
  assert.deepEqual(stored(), ['x', 'y', 'z']);
  assert.equal(transactions, 1);
  await writer.flush();
  await close();
});

test('a write behind one still in progress waits for it, and the order holds', async () => {
  const { store, stored, close } = await storeWithRun();
  // An asynchronous store (Postgres answers later): its first write takes a while.
  let releaseFirst: () => void = () => {};
  const firstHeld = new Promise<void>((resolve) => {
    releaseFirst = resolve;
  });
  let calls = 0;
  const slow: Store = {
    ...store,
    saveResults: async (...args) => {
      if (calls++ === 0) await firstHeld;
      return store.saveResults(...args);
    },
  };
  const writer = new ResultWriter(slow);
  writer.add(result('first'), 'key-1');
  writer.add(result('second'), 'key-2');
  assert.equal(calls, 1, 'the second write has not started');
  releaseFirst();
  await writer.whenWritten();
  assert.deepEqual(stored(), ['first', 'second']);
  await writer.flush();
  await close();
});

// When the writer stores a result. An answer paid for now is durable before add() returns: a SQLite
// store logs it to its journal at once (a process killed right after add() loses nothing: the next
// opening of the store replays it) and takes it into its tables in one batch; a store without a log
// is given it at once. Answers replayed from the cache share one transaction at the end of the
// microtask; what arrives while a write is in progress follows it in one batch, in order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ResultWriter } from '../src/run/result-writer.ts';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { resultFixture, runFixture } from './helpers/result-fixture.ts';
import { tempDir } from './helpers/temp-dir.ts';

async function storeWithRun() {
  const file = path.join(tempDir(), 'v.db');
  const store = openSqliteStore(file);
  await store.createRun(runFixture());
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
  return { file, store, stored, close };
}

const result = (caseId: string, cached = false): Result =>
  resultFixture(caseId, cached ? { cached: true } : {});

test('an answer paid for survives a SIGKILL right after add(): the next opening of the store has it', async () => {
  const { file, close } = await storeWithRun();
  await close();
  // A process that stores one answer, then is killed before any batch or flush.
  const script = `
    import { ResultWriter } from ${JSON.stringify(path.resolve('src/run/result-writer.ts'))};
    import { openSqliteStore } from ${JSON.stringify(path.resolve('src/store/sqlite/sqlite-store.ts'))};
    import { resultFixture } from ${JSON.stringify(path.resolve('test/helpers/result-fixture.ts'))};
    const writer = new ResultWriter(openSqliteStore(${JSON.stringify(file)}));
    writer.add(resultFixture('paid', { grades: [{ grader: 'equals', pass: true, score: 1, reason: 'equal' }] }), 'key-paid');
    process.kill(process.pid, 'SIGKILL');
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  const inTables = new Database(file, { readonly: true });
  assert.equal(
    (inTables.prepare('SELECT COUNT(*) AS n FROM results').get() as { n: number }).n,
    0,
    'not in the tables at the kill',
  );
  inTables.close();
  const reopened = openSqliteStore(file);
  const results = [];
  for await (const result of reopened.results('r')) results.push(result);
  assert.deepEqual(
    results.map((result) => [result.caseId, result.grades.length]),
    [['paid', 1]],
  );
  assert.equal(await reopened.publishResponseCache(), 1, 'its cache key came back with it');
  await reopened.close();
  assert.deepEqual(journalsOf(file), [], 'the replayed journal is removed');
});

test('logged answers reach the tables in one batch, and the journal is emptied then', async () => {
  const { file, store, stored, close } = await storeWithRun();
  let batches = 0;
  const writer = new ResultWriter({
    ...store,
    saveResults: (...args) => {
      batches++;
      return store.saveResults(...args);
    },
  });
  for (const id of ['a', 'b', 'c']) writer.add(result(id), `key-${id}`);
  assert.deepEqual(stored(), [], 'logged, not yet in the tables');
  assert.ok(journalBytes(file) > 0, 'in the journal');
  await writer.whenWritten();
  assert.deepEqual(stored(), ['a', 'b', 'c']);
  assert.equal(batches, 1);
  assert.equal(journalBytes(file), 0, 'emptied once the tables hold everything in it');
  await writer.flush();
  await close();
});

test('a store without a log is given an answer paid for at once', async () => {
  const { store, stored, close } = await storeWithRun();
  const writer = new ResultWriter({ ...store, logResults: undefined });
  writer.add({ ...result('e'), output: null, error: { code: 'PROVIDER_ERROR', message: 'HTTP 500' } });
  assert.deepEqual(stored(), ['e'], 'an in-process SQLite write commits before add() returns');
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

test('what arrives while a write is in progress follows it, in one batch and in order', async () => {
  const { store, stored, close } = await storeWithRun();
  // An asynchronous store (Postgres answers later): its first write takes a while.
  let releaseFirst: () => void = () => {};
  const firstHeld = new Promise<void>((resolve) => {
    releaseFirst = resolve;
  });
  const batches: string[][] = [];
  const slow: Store = {
    ...store,
    logResults: undefined,
    saveResults: async (...args) => {
      batches.push(args[0].map((stored) => stored.caseId));
      if (batches.length === 1) await firstHeld;
      return store.saveResults(...args);
    },
  };
  const writer = new ResultWriter(slow);
  writer.add(result('first'), 'key-1');
  writer.add(result('second'), 'key-2');
  writer.add(result('third'), 'key-3');
  assert.deepEqual(batches, [['first']], 'the next write has not started');
  releaseFirst();
  await writer.whenWritten();
  assert.deepEqual(batches, [['first'], ['second', 'third']]);
  assert.deepEqual(stored(), ['first', 'second', 'third']);
  await writer.flush();
  await close();
});

function journalsOf(file: string): string[] {
  const prefix = `${path.basename(file)}.answers-`;
  return readdirSync(path.dirname(file)).filter((name) => name.startsWith(prefix));
}

function journalBytes(file: string): number {
  return journalsOf(file).reduce((sum, name) => sum + statSync(path.join(path.dirname(file), name)).size, 0);
}

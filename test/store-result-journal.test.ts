// The SQLite store's journal of answers paid for (src/store/sqlite/result-journal.ts): what a dead
// process had appended and not yet committed is replayed by the next opening of the store, once and
// in order; a live process's journal is left alone; a line cut short by a death is skipped.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { resultFixture, runFixture } from './helpers/result-fixture.ts';
import { tempDir } from './helpers/temp-dir.ts';

async function newStore(): Promise<string> {
  const file = path.join(tempDir(), 'v.db');
  const store = openSqliteStore(file);
  await store.createRun(runFixture());
  await store.close();
  return file;
}

async function resultsIn(store: Store): Promise<Result[]> {
  const results: Result[] = [];
  for await (const result of store.results('r')) results.push(result);
  return results;
}

/** A pid no process has: one that just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

function writeJournal(file: string, pid: number, lines: string[]): string {
  const journal = `${file}.answers-${pid}-test.jsonl`;
  writeFileSync(journal, lines.join('\n'));
  return journal;
}

const line = (result: Result, extra: Record<string, unknown> = {}) => JSON.stringify({ result, ...extra });

test("a live process's journal is left alone, and replayed once that process is gone", async () => {
  const file = await newStore();
  const script = `
    import { openSqliteStore } from ${JSON.stringify(path.resolve('src/store/sqlite/sqlite-store.ts'))};
    import { resultFixture } from ${JSON.stringify(path.resolve('test/helpers/result-fixture.ts'))};
    openSqliteStore(${JSON.stringify(file)}).logResults([resultFixture('held')]);
    process.stdout.write('logged\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));

  const whileAlive = openSqliteStore(file);
  assert.deepEqual(await resultsIn(whileAlive), [], 'its process may still commit it');
  await whileAlive.close();

  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const after = openSqliteStore(file);
  assert.deepEqual(
    (await resultsIn(after)).map((result) => result.caseId),
    ['held'],
  );
  await after.close();
  assert.deepEqual(
    readdirSync(path.dirname(file)).filter((name) => name.includes('.answers-')),
    [],
  );
});

test('replay is idempotent and keeps order: a result already in the tables stays as it is', async () => {
  const file = await newStore();
  const store = openSqliteStore(file);
  await store.saveResults([resultFixture('committed', { output: 'as committed' })]);
  await store.close();
  // Committed, then the process died before it emptied its journal; a later answer was only logged.
  writeJournal(file, deadPid(), [
    line(resultFixture('committed', { output: 'as logged' })),
    line(resultFixture('logged'), { key: 'key-logged' }),
  ]);
  const reopened = openSqliteStore(file);
  const results = await resultsIn(reopened);
  assert.deepEqual(
    results.map((result) => [result.caseId, result.output, result.grades.length]),
    [
      ['committed', 'as committed', 1],
      ['logged', 'ok logged', 1],
    ],
  );
  assert.equal(await reopened.publishResponseCache(), 1, 'the logged answer enters the cache');
  await reopened.close();
});

test('a line cut short by the death of its writer is skipped; the lines before it are replayed', async () => {
  const file = await newStore();
  const whole = line(resultFixture('whole'));
  const cut = line(resultFixture('cut')).slice(0, 40);
  const journal = writeJournal(file, deadPid(), [whole, cut]);
  const reopened = openSqliteStore(file);
  assert.deepEqual(
    (await resultsIn(reopened)).map((result) => result.caseId),
    ['whole'],
  );
  await reopened.close();
  assert.equal(existsSync(journal), false);
});

test('a logged answer of a --retry-errors run replaces the error stored under its key', async () => {
  const file = await newStore();
  const store = openSqliteStore(file);
  await store.saveResults([
    resultFixture('flaky', {
      output: null,
      pass: false,
      grades: [],
      error: { code: 'PROVIDER_ERROR', message: 'HTTP 500' },
    }),
  ]);
  await store.close();
  writeJournal(file, deadPid(), [line(resultFixture('flaky'), { replaceErrors: true })]);
  const reopened = openSqliteStore(file);
  const results = await resultsIn(reopened);
  assert.deepEqual(
    results.map((result) => [result.caseId, result.error, result.pass]),
    [['flaky', null, true]],
  );
  await reopened.close();
});

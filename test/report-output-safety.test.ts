// `verdict report` output (issue 20): an -o path that cannot be written is a clear error before
// the report is built, and CSV sent to a terminal carries no escape sequence from case data.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { refusedInProcess, verdictInProcess } from './helpers/in-process-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun } from './report-fixture-run.ts';

const hostile = 'refund \u001b]0;pwned\u0007\u001b[2J now';

async function storeWithRun(): Promise<{ dir: string; store: string }> {
  const dir = tempDir('verdict-output-');
  const store = path.join(dir, 'v.db');
  const opened = openSqliteStore(store);
  await seedSyntheticRun(opened, { runId: 'r1', cases: 3, texts: [hostile] });
  await opened.close();
  return { dir, store };
}

test('CSV to a terminal escapes control characters like the terminal format; to a pipe or file it is exact', async () => {
  const { dir, store } = await storeWithRun();
  const terminal = await verdictInProcess(['report', 'r1', '--format', 'csv', '--store', store], {
    cwd: dir,
    isTTY: true,
  });
  assert.equal(terminal.code, 0, terminal.stderr);
  assert.doesNotMatch(terminal.stdout, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
  assert.match(terminal.stdout, /refund \\u001b\]0;pwned\\u0007\\u001b\[2J now/);
  const piped = await verdictInProcess(['report', 'r1', '--format', 'csv', '--store', store], { cwd: dir });
  assert.ok(piped.stdout.includes(hostile));
  const file = await verdictInProcess(
    ['report', 'r1', '--format', 'csv', '--store', store, '-o', 'out.csv'],
    {
      cwd: dir,
      isTTY: true,
    },
  );
  assert.equal(file.code, 0, file.stderr);
  assert.ok(readFileSync(path.join(dir, 'out.csv'), 'utf8').includes(hostile));
});

test('an -o that cannot be written is exit 2 with the reason, never an internal error', async () => {
  const { dir, store } = await storeWithRun();
  mkdirSync(path.join(dir, 'a-folder'));
  const cases: Array<[output: string, format: string, message: RegExp]> = [
    ['missing/out.md', 'md', /-o .*missing\/out\.md: the folder .*missing does not exist/],
    ['a-folder', 'md', /-o .*a-folder: is a folder; name a file in it/],
    ['a-folder', 'csv', /-o .*a-folder: is a folder/],
    ['/dev/full', 'md', /-o \/dev\/full: cannot write: no space left on the device \(ENOSPC\)/],
    ['/dev/full', 'csv', /-o \/dev\/full: cannot write: no space left on the device \(ENOSPC\)/],
  ];
  for (const [output, format, message] of cases) {
    await refusedInProcess(['report', 'r1', '--format', format, '--store', store, '-o', output], message, {
      cwd: dir,
    });
  }
});

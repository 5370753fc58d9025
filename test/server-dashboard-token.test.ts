// The shared dashboard: off loopback every request needs the token (401 and no data without it),
// the token is printed once and nowhere else, and no request can change the store.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { run as view } from '../src/cli/commands/view.ts';
import { startDashboard, tokenMatches } from '../src/server/dashboard.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun } from './report-fixture-run.ts';

const PAGES = [
  '/',
  '/runs/run-a',
  '/runs/run-a/report.json',
  '/runs/run-a/cases',
  '/compare',
  '/load',
  '/assets/style.css',
];

async function seededStore() {
  const file = path.join(tempDir(), 'v.db');
  const store = openSqliteStore(file);
  await seedSyntheticRun(store, { runId: 'run-a', cases: 20 });
  return { file, store };
}

/** Runs `verdict view ARGV` in process until `body` is done, then stops it as Ctrl-C would. */
async function withView(
  argv: string[],
  env: NodeJS.ProcessEnv,
  body: (out: { url: string; stdout: string; stderr: string }) => Promise<void>,
) {
  let stdout = '';
  let stderr = '';
  const stop = new AbortController();
  const exit = view(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    cwd: tempDir(),
    signal: stop.signal,
  });
  let failed: unknown;
  exit.catch((error) => (failed = error));
  while (!/verdict dashboard: /.test(stdout) && failed === undefined)
    await new Promise((r) => setTimeout(r, 20));
  if (failed !== undefined) throw failed;
  const url = /verdict dashboard: (\S+)/.exec(stdout)![1]!.replace('0.0.0.0', '127.0.0.1');
  try {
    await body({ url, stdout, stderr });
  } finally {
    stop.abort();
    assert.equal(await exit, 0);
  }
}

test('tokens compare equal only when equal, whatever their lengths', () => {
  assert.ok(tokenMatches('a'.repeat(32), 'a'.repeat(32)));
  assert.ok(!tokenMatches('a'.repeat(31), 'a'.repeat(32)));
  assert.ok(!tokenMatches('a'.repeat(33), 'a'.repeat(32)));
  assert.ok(!tokenMatches('', 'a'.repeat(32)));
  assert.ok(!tokenMatches(undefined, 'a'.repeat(32)));
});

test('with a token: 401 and no data without it; Bearer, the cookie, or ?token= once let a reader in', async () => {
  const { store } = await seededStore();
  const token = 'correct-horse-battery-staple-42';
  const dashboard = await startDashboard(store, { host: '0.0.0.0', token });
  const base = dashboard.url.replace('0.0.0.0', '127.0.0.1');
  try {
    for (const page of PAGES) {
      for (const headers of [
        {},
        { authorization: 'Bearer wrong-token-wrong-token' },
        { cookie: 'verdict_view_token=nope' },
      ]) {
        const response = await fetch(new URL(page, base), { headers });
        assert.equal(response.status, 401, page);
        const body = await response.text();
        assert.doesNotMatch(body, /run-a|case-|<html/i, page);
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
      const wrongQuery = await fetch(new URL(`${page}?token=nope`, base), { redirect: 'manual' });
      assert.equal(wrongQuery.status, 401, page);
      const bearer = await fetch(new URL(page, base), { headers: { authorization: `Bearer ${token}` } });
      assert.equal(bearer.status, 200, page);
    }
    // The link with the token: a cookie, and a redirect to the same page without the token.
    const link = await fetch(new URL(`/runs/run-a/cases?status=pass&token=${token}`, base), {
      redirect: 'manual',
    });
    assert.equal(link.status, 303);
    assert.equal(link.headers.get('location'), '/runs/run-a/cases?status=pass');
    const cookie = link.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const page = await fetch(new URL('/runs/run-a/cases?status=pass', base), {
      headers: { cookie: cookie.split(';')[0]! },
    });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /case-/);
  } finally {
    await dashboard.close();
    await store.close();
  }
});

test('read-only: no method but GET and HEAD reaches a handler, with or without the token', async () => {
  const { store } = await seededStore();
  const token = 'another-long-enough-token';
  for (const options of [{}, { token }]) {
    const dashboard = await startDashboard(store, options);
    try {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        for (const page of PAGES) {
          const response = await fetch(new URL(page, dashboard.url), {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: '{}',
          });
          assert.equal(response.status, 405, `${method} ${page}`);
          assert.doesNotMatch(await response.text(), /run-a|case-/);
        }
      }
    } finally {
      await dashboard.close();
    }
  }
  assert.equal((await store.listRuns(10)).length, 1);
  await store.close();
});

test('verdict view --host 0.0.0.0 makes a token, prints it once on stdout, and requires it', async () => {
  const { file, store } = await seededStore();
  await store.close();
  await withView(
    ['--store', file, '--host', '0.0.0.0'],
    { NO_COLOR: '1' },
    async ({ url, stdout, stderr }) => {
      const token = /^token: (\S+)$/m.exec(stdout)?.[1];
      assert.ok(token && token.length >= 32, stdout);
      assert.equal(stdout.split(token).length - 1, 1, 'the token is printed once');
      assert.ok(!stderr.includes(token), 'the token is not in stderr');
      assert.match(
        stderr,
        /warning: listening on 0\.0\.0\.0: anyone who can reach this address and holds the token/,
      );
      assert.equal((await fetch(url)).status, 401);
      const page = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /run-a/);
    },
  );
});

test('verdict view takes the token from $VERDICT_VIEW_TOKEN or --token and never prints it; loopback needs none', async () => {
  const { file, store } = await seededStore();
  await store.close();
  const token = 'given-by-the-team-0123456789';
  for (const [argv, env] of [
    [['--host', '0.0.0.0'], { VERDICT_VIEW_TOKEN: token }],
    [['--host', '0.0.0.0', '--token', token], {}],
  ] as const) {
    await withView(['--store', file, ...argv], { NO_COLOR: '1', ...env }, async ({ url, stdout, stderr }) => {
      assert.ok(!stdout.includes(token) && !stderr.includes(token));
      assert.doesNotMatch(stdout, /^token:/m);
      assert.equal((await fetch(url)).status, 401);
      assert.equal((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    });
  }
  await withView(['--store', file], { NO_COLOR: '1' }, async ({ url, stdout }) => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:/);
    assert.doesNotMatch(stdout, /token/);
    assert.equal((await fetch(url)).status, 200);
  });
  await assert.rejects(
    view(['--store', file, '--host', '0.0.0.0', '--token', 'short'], {
      stdout: { write: () => true },
      stderr: { write: () => true },
      env: {},
      cwd: tempDir(),
    }),
    /at least 16 characters, got 5/,
  );
});

// `verdict report` and `verdict view` in a child process, as a user runs them (dist/, built by pretest).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { repoRoot, verdictBin, verdictChildSync } from './helpers/cli-child.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun } from './report-fixture-run.ts';

const root = repoRoot;
const bin = verdictBin;

const verdict = (args: string[]) => verdictChildSync(args, { timeoutMs: 60_000 });

async function storeWithRuns(): Promise<string> {
  const file = path.join(tempDir(), 'v.db');
  const store = openSqliteStore(file);
  await seedSyntheticRun(store, { runId: 'older', cases: 12 });
  await seedSyntheticRun(store, { runId: 'newer', cases: 30, startedAt: '2026-11-24T12:00:00.000Z' });
  await store.close();
  return file;
}

test('verdict report renders the newest run, or the one named, in every format', async () => {
  const store = await storeWithRuns();
  const terminal = verdict(['report', '--store', store]);
  assert.equal(terminal.code, 0, terminal.stderr);
  assert.match(terminal.stdout, /run newer · 30 cases/);
  assert.doesNotMatch(terminal.stdout, /\u001b\[/);
  const json = verdict(['report', 'older', '--format', 'json', '--store', store]);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).cases, 12);
  const md = verdict(['report', '--format', 'md', '--store', store]);
  assert.match(md.stdout, /^# support-ticket-triage: /);
  const csv = verdict(['report', '--format', 'csv', '--store', store]);
  assert.equal(csv.stdout.trim().split('\r\n').length, 1 + 30 * 2);
  const out = path.join(tempDir(), 'report.html');
  const html = verdict(['report', '--format', 'html', '-o', out, '--store', store]);
  assert.equal(html.code, 0, html.stderr);
  assert.match(html.stderr, /wrote the html report of run newer/);
  assert.match(readFileSync(out, 'utf8'), /^<!doctype html>/);
});

test('verdict report names what is wrong: unknown run, unknown format, empty store', async () => {
  const store = await storeWithRuns();
  const missing = verdict(['report', 'nope', '--store', store]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no run "nope"/);
  const format = verdict(['report', '--format', 'pdf', '--store', store]);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--format expects one of terminal, md, json, html, csv, got "pdf"/);
  const empty = verdict(['report', '--store', path.join(tempDir(), 'empty.db')]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no runs yet/);
});

test('verdict view prints its 127.0.0.1 URL, serves the runs, stops on SIGINT; --host warns', async () => {
  const store = await storeWithRuns();
  for (const host of [undefined, '0.0.0.0']) {
    const child = spawn(
      process.execPath,
      [bin, 'view', '--store', store, ...(host ? ['--host', host] : [])],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stderr}`)), 30_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /verdict dashboard: (http:\/\/\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    if (host) {
      assert.match(url, /^http:\/\/0\.0\.0\.0:\d+\/$/);
      assert.match(stderr, /warning: listening on 0\.0\.0\.0: anyone who can reach/);
    } else {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.doesNotMatch(stderr, /warning/);
      const page = await (await fetch(url)).text();
      assert.match(page, /newer/);
      assert.match(page, /older/);
    }
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exit, 0);
  }
});

// The real CLI in a child process, as a user or CI runs it (bin/verdict.js → dist/, built by pretest).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { repoRoot, verdictChildSync } from './helpers/cli-child.ts';
import { tempDir } from './helpers/temp-dir.ts';

const root = repoRoot;

const verdict = (args: string[], env: Record<string, string> = {}) =>
  verdictChildSync(args, { env, timeoutMs: 180_000 });

test('verdict demo --json prices the workload three ways and matches the store', () => {
  const dir = tempDir();
  const store = path.join(dir, 'verdict.db');
  const { code, stdout, stderr } = verdict(['demo', '--json', '--store', store, '--threads', '1'], {
    XDG_CACHE_HOME: dir,
  });
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.workload, 'support-ticket-triage');
  assert.equal(report.cases, 30);
  assert.deepEqual(
    report.candidates.map((c: { candidateId: string }) => c.candidateId),
    ['local', 'frontier', 'open-8b'],
  );
  const standIn = report.candidates[2];
  for (const candidate of report.candidates.slice(1))
    assert.match(candidate.label, /stand-in server .* not a model: its figures are demonstration prices/);
  assert.ok(report.decision.caveats.some((c: string) => /random weights .* noise/.test(c)));
  // Three ways: a frontier API at its published price, the open weights on managed APIs (they
  // compete: managed_routes.decide), and the same weights self-hosted on a named GPU.
  const families = new Map<string, string>(
    report.cost.options.map((o: { optionId: string; family: string }) => [o.optionId, o.family]),
  );
  assert.equal(families.get('frontier'), 'closed-api');
  assert.equal(families.get('open-8b'), 'self-hosted-cloud');
  assert.equal(families.get('llama-3.1-8b@together'), 'open-managed-api');
  const running = report.cost.options.filter((o: { status?: string }) => !o.status);
  assert.ok(running.some((o: { family: string }) => o.family === 'open-managed-api'));
  assert.ok(report.cost.curve.series.length >= 3);
  const breakEven = report.cost.breakEvens.find((b: { apiOptionId: string }) => b.apiOptionId === 'frontier');
  assert.ok(breakEven.volume > report.cost.requestsPerMonth, breakEven.sentence);
  // A break-even has its tornado.
  assert.ok(report.cost.sensitivity.inputs.length > 0);

  const db = new Database(store, { readonly: true });
  const counts = db
    .prepare(
      'SELECT candidate_id AS id, COUNT(*) AS total, SUM(pass) AS passed FROM results WHERE run_id = ? GROUP BY candidate_id ORDER BY candidate_id',
    )
    .all(report.runId) as Array<{ id: string; total: number; passed: number }>;
  db.close();
  assert.deepEqual(
    counts,
    report.candidates
      .map((c: { candidateId: string; total: number; passed: number }) => ({
        id: c.candidateId,
        total: c.total,
        passed: c.passed,
      }))
      .sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)),
  );
  // An option out of the running still shows the replicas its line items count.
  const local = report.cost.options.find((o: { optionId: string }) => o.optionId === 'local');
  assert.equal(local.status, 'below the quality bar');
  assert.equal(local.replicas, 2);
  assert.ok(counts.every((c) => c.total === 30));
  // The keyword stand-in gets most tickets right; exact figure depends only on examples/demo.
  assert.ok(standIn.passed >= 15 && standIn.passed < 30, `stand-in passed ${standIn.passed}`);
  assert.equal(report.decision.winner, 'open-8b');
  assert.match(report.decision.winnerOption, /^llama-3\.1-8b@/);
});

test('verdict demo prints a terminal report without colour under NO_COLOR', () => {
  const dir = tempDir();
  const { code, stdout } = verdict(['demo', '--store', path.join(dir, 'v.db'), '--threads', '1'], {
    XDG_CACHE_HOME: dir,
  });
  assert.equal(code, 0);
  assert.match(stdout, /^verdict · support-ticket-triage/);
  assert.match(stdout, /Decision: open-8b via llama-3\.1-8b@/);
  // The memo is the first screen: pick, runner-up, reasons, cost, caveats before the details.
  const memo = stdout.slice(0, stdout.indexOf('Details'));
  for (const part of ['Runner-up: frontier', 'Why', 'Cost at 3,000,000 requests a month', 'Caveats'])
    assert.ok(memo.includes(part), `the memo has ${part}`);
  assert.match(memo, /demonstration prices/);
  assert.doesNotMatch(stdout, /\u001b\[/);
  for (const line of stdout.split('\n')) assert.ok(line.length <= 80, `line over 80 columns: ${line}`);
});

test('verdict validate on the demo workload says it is valid, counts in the right number', () => {
  const file = path.join('examples', 'demo', 'workload.yaml');
  const { code, stdout } = verdict(['validate', file]);
  assert.equal(code, 0);
  assert.equal(stdout, `${file}: valid — 3 candidates, cases from tickets.jsonl, 1 grader\n`);
});

test('verdict validate on a broken file exits 2 with file:line and no stack trace', () => {
  const file = path.join('test', 'fixtures', 'workloads', 'broken', '03-unknown-provider.yaml');
  const { code, stdout, stderr } = verdict(['validate', file]);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /03-unknown-provider\.yaml:9:12 candidates\[0\]\.model: unknown provider "opnai"/);
  assert.doesNotMatch(stderr, /\n\s+at /);
  const debug = verdict(['validate', file, '--debug']);
  assert.match(debug.stderr, /\n\s+at /);
});

test('usage errors exit 2: unknown flag, missing argument, unknown command', () => {
  const flag = verdict(['run', 'x.yaml', '--concurency', '2']);
  assert.equal(flag.code, 2);
  assert.equal(
    flag.stderr,
    'verdict run: unknown flag --concurency (did you mean --concurrency?); see verdict run --help\n',
  );
  const missing = verdict(['validate']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing argument/);
  const command = verdict(['rn']);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /unknown command "rn" \(did you mean "run"\?\)/);
});

test('every command has --help', () => {
  // Every command the top-level usage lists, so a new command cannot be added without its help.
  const usage = verdict(['--help']).stdout;
  const listed = [...usage.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
  assert.ok(listed.length >= 13, `commands listed: ${listed.join(', ')}`);
  for (const command of listed) {
    const { code, stdout } = verdict([command, '--help']);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^verdict ${command}`));
  }
});

test('verdict schema prints the committed schema/workload.schema.json', async () => {
  const { readFile } = await import('node:fs/promises');
  const { code, stdout } = verdict(['schema']);
  assert.equal(code, 0);
  const committed = await readFile(path.join(root, 'schema', 'workload.schema.json'), 'utf8');
  assert.equal(
    stdout,
    committed,
    'schema/ is stale: run `node bin/verdict.js schema > schema/workload.schema.json`',
  );
});

// Crash safety of the real CLI: SIGKILL at random points of a run against a local server that counts
// calls per case, then `verdict run --resume`, over and over. After each kill, a resumed run never
// calls a (candidate, case) that already had a stored result; in the end the store holds exactly the
// planned results. An answer is durable (in the store's tables, or in its journal, which the next
// opening of the store replays) before its connection carries the next call, so that only answers
// not yet read can be lost to a kill. (bin/verdict.js runs dist/, built by pretest.)
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { seededRandom } from '../src/stats/random.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { startVerdict, verdictChild } from './helpers/cli-child.ts';
import { writeEchoWorkload } from './helpers/echo-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer } from './servers/wire-server.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The keys stored, as a resume sees them: opening the store first replays a dead process's journal. */
async function storedKeys(file: string): Promise<Set<string>> {
  await openSqliteStore(file).close();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT candidate_id, case_id FROM results').all() as Array<{
      candidate_id: string;
      case_id: string;
    }>;
    return new Set(rows.map((row) => `${row.candidate_id}|${row.case_id}`));
  } finally {
    db.close();
  }
}

/** Case ids in the journals beside the store (appended, not yet in its tables). */
function journaledCaseIds(file: string): Set<string> {
  const ids = new Set<string>();
  const prefix = `${path.basename(file)}.answers-`;
  for (const name of readdirSync(path.dirname(file)).filter((name) => name.startsWith(prefix))) {
    let text = '';
    try {
      text = readFileSync(path.join(path.dirname(file), name), 'utf8');
    } catch {
      continue; // removed meanwhile
    }
    for (const line of text.split('\n')) {
      try {
        ids.add((JSON.parse(line) as { result: { caseId: string } }).result.caseId);
      } catch {}
    }
  }
  return ids;
}

function runCount(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

test('SIGKILL at 20 random points, resume after each: no stored case is called again; exactly the planned results', async (t) => {
  const CASES = 250;
  const seed = Number(process.env.VERDICT_CRASH_SEED ?? Date.now() % 100_000);
  t.diagnostic(`seed ${seed} (VERDICT_CRASH_SEED to replay)`);
  const random = seededRandom(seed).next;
  const server = await startWireServer({
    answer: (request) => `ok ${request.prompt}`,
    // Slow enough that 20 kills, each after up to ~0.5 s of calls, cannot finish the run by themselves.
    delayMs: () => 40 + Math.floor(random() * 60),
  });
  after(() => server.close());
  const dir = tempDir();
  const store = path.join(dir, 'verdict.db');
  const workload = path.join(dir, 'crash.yaml');
  writeEchoWorkload(workload, {
    name: 'crash',
    cases: CASES,
    candidates: `  - { id: a, model: "openai-compatible:model-a", base_url: "${server.urls.openai}" }
  - { id: b, model: "openai-compatible:model-b", base_url: "${server.urls.openai}" }`,
  });
  const keyOf = (call: { model: string; prompt: string }) =>
    `${call.model === 'model-a' ? 'a' : 'b'}|k${call.prompt.slice('case '.length)}`;

  let child: ChildProcess | undefined;
  after(() => child?.kill('SIGKILL'));
  const start = () => {
    const args = runCount(store) === 0 ? ['run', workload] : ['run', '--resume'];
    const started = startVerdict([...args, '--store', store, '--concurrency', '4', '--json']);
    child = started.child;
    return { exited: started.closed.then(({ code }) => code), stderr: started.stderr };
  };

  let kills = 0;
  let stored = new Set<string>();
  let seenCalls = 0;
  for (let round = 0; round < 40 && kills < 20; round++) {
    const { exited } = start();
    // Half the kills land anywhere from start-up on; the rest once calls are flowing.
    if (random() < 0.5) await sleep(50 + random() * 700);
    else {
      const before = server.calls.length;
      for (let wait = 0; wait < 400 && server.calls.length === before; wait++) await sleep(5);
      await sleep(random() * 150);
    }
    const finished = await Promise.race([exited.then(() => true), sleep(0).then(() => false)]);
    if (!finished) {
      child!.kill('SIGKILL');
      await exited;
      kills++;
    }
    // Every call since the last kill was for a (candidate, case) without a stored result.
    for (const call of server.calls.slice(seenCalls)) {
      assert.ok(
        !stored.has(keyOf(call)),
        `round ${round}: ${keyOf(call)} was called again after being stored`,
      );
    }
    seenCalls = server.calls.length;
    if (runCount(store) > 0) stored = await storedKeys(store);
    if (finished) break;
  }
  assert.ok(kills >= 20, `only ${kills} kills before the run finished; make it longer`);

  const last = start();
  const code = await last.exited;
  assert.equal(code, 0, last.stderr());
  for (const call of server.calls.slice(seenCalls)) assert.ok(!stored.has(keyOf(call)), keyOf(call));
  const db = new Database(store, { readonly: true });
  after(() => db.close());
  const run = db.prepare('SELECT status, planned_results FROM runs').all() as Array<{
    status: string;
    planned_results: number;
  }>;
  assert.equal(run.length, 1, 'one run, resumed each time');
  assert.deepEqual(run[0], { status: 'completed', planned_results: CASES * 2 });
  const counts = db
    .prepare(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT candidate_id || case_id) AS distinctKeys, SUM(error_code IS NOT NULL) AS errors FROM results',
    )
    .get() as { n: number; distinctKeys: number; errors: number };
  assert.deepEqual(counts, { n: CASES * 2, distinctKeys: CASES * 2, errors: 0 });
  // A case called more than once was in flight at a kill and never stored before it.
  const repeated = [
    ...server.calls.reduce(
      (map, call) => map.set(keyOf(call), (map.get(keyOf(call)) ?? 0) + 1),
      new Map<string, number>(),
    ),
  ].filter(([, n]) => n > 1);
  t.diagnostic(
    `${kills} kills, ${server.calls.length} calls for ${CASES * 2} results, ${repeated.length} cases called again after a kill`,
  );
  // --concurrency 4 holds per endpoint and model: two candidates keep up to 8 calls in flight.
  assert.ok(repeated.length <= kills * 8, 'at most the calls in flight at each kill are repeated');
});

test('an answer is stored before its connection carries the next call, so a kill after it was read costs nothing', async () => {
  // The client sends a connection's next request only once it has read the answer before it whole;
  // when that request arrives, the answer must already be in the store (another process reads it).
  const CASES = 240;
  const dir = tempDir();
  const store = path.join(dir, 'verdict.db');
  const lastAnswerOn = new Map<number, string>();
  let reader: Database.Database | undefined;
  after(() => reader?.close());
  // The journal first: an answer leaves it only once it is in the tables, read next.
  const isStored = (caseId: string) => {
    if (journaledCaseIds(store).has(caseId)) return true;
    reader ??= new Database(store, { readonly: true, fileMustExist: true });
    return reader.prepare('SELECT 1 FROM results WHERE case_id = ?').get(caseId) !== undefined;
  };
  let checked = 0;
  const notStored: string[] = [];
  const server = await startWireServer({
    answer: (request) => `ok ${request.prompt}`,
    delayMs: (request) => {
      const previous = request.clientPort === undefined ? undefined : lastAnswerOn.get(request.clientPort);
      if (previous !== undefined) {
        checked++;
        if (!isStored(previous)) notStored.push(`${previous} (then ${request.prompt})`);
      }
      return 5;
    },
    onFinished: (call, port) => {
      if (port !== undefined) lastAnswerOn.set(port, `k${call.prompt.slice('case '.length)}`);
    },
  });
  after(() => server.close());
  const workload = path.join(dir, 'order.yaml');
  writeEchoWorkload(workload, {
    name: 'order',
    cases: CASES,
    candidates: `  - { id: a, model: "openai-compatible:model-a", base_url: "${server.urls.openai}" }`,
  });
  const run = startVerdict(['run', workload, '--store', store, '--concurrency', '8']);
  after(() => run.child.kill('SIGKILL'));
  const { code, stderr } = await run.closed;
  assert.equal(code, 0, stderr);
  assert.ok(checked > CASES / 2, `only ${checked} requests came on a connection used before`);
  assert.deepEqual(
    notStored,
    [],
    `${notStored.length} of ${checked} answers not stored when their connection carried the next call`,
  );
});

test('Ctrl-C stores what is done, prints the resume command, and the resume completes the run', async () => {
  const server = await startWireServer({ answer: (request) => `ok ${request.prompt}`, delayMs: 40 });
  after(() => server.close());
  const dir = tempDir();
  const store = path.join(dir, 'verdict.db');
  const workload = path.join(dir, 'ctrl-c.yaml');
  const cases = Array.from(
    { length: 80 },
    (_, i) => `  - { vars: { q: "case ${i}" }, expected: "ok case ${i}" }`,
  );
  writeFileSync(
    workload,
    `version: 1
name: ctrl-c
prompt: "{{q}}"
cases:
${cases.join('\n')}
graders: [equals]
candidates:
  - { id: a, model: "openai-compatible:m", base_url: "${server.urls.openai}" }
`,
  );
  const interrupted = startVerdict(['run', workload, '--store', store, '--concurrency', '2']);
  after(() => interrupted.child.kill('SIGKILL'));
  for (let wait = 0; wait < 600 && server.calls.length < 10; wait++) await sleep(10);
  interrupted.child.kill('SIGINT');
  const { code, stderr } = await interrupted.closed;
  assert.equal(code, 130, stderr);
  const resume = /resume with: (verdict run .*--resume \S+)/.exec(stderr)?.[1];
  assert.ok(resume, stderr);
  const db = new Database(store, { readonly: true });
  const run = db.prepare('SELECT id, status FROM runs').get() as { id: string; status: string };
  const stored = (db.prepare('SELECT COUNT(*) AS n FROM results').get() as { n: number }).n;
  db.close();
  assert.equal(run.status, 'interrupted');
  assert.ok(resume.endsWith(run.id));
  assert.ok(stored > 0 && stored < 80, `${stored} stored`);
  const callsBefore = server.calls.length;
  const args = resume
    .split(' ')
    .slice(1)
    .map((arg) => arg.replace(/^"|"$/g, ''));
  assert.equal((await verdictChild(args)).code, 0);
  const after2 = new Database(store, { readonly: true });
  assert.equal((after2.prepare('SELECT COUNT(*) AS n FROM results').get() as { n: number }).n, 80);
  after2.close();
  // Calls abandoned at Ctrl-C were never stored; everything stored was not called again.
  assert.ok(server.calls.length - callsBefore <= 80 - stored + 2);
});

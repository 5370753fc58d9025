// Processes racing on one store: two creating a new store at once both succeed (issue 18: 3 of 20
// SQLite pairs failed with "table runs already exists"); two resuming one run at once end with one
// run to completion and the other told the run is being worked on (exit 2), no internal error, no
// duplicated row and no case called twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { test } from 'node:test';
import { openStore } from '../src/store/open-store.ts';
import { startVerdict, verdictChild } from './helpers/cli-child.ts';
import { writeEchoWorkload } from './helpers/echo-workload.ts';
import { storeSubjects } from './helpers/store-subjects.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer } from './servers/wire-server.ts';

const child = path.join(import.meta.dirname, 'helpers', 'open-store-child.ts');
const subjects = storeSubjects();

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Two processes opening one new store on the same signal. */
async function racePair(location: string, pair: number): Promise<Exit[]> {
  const procs = [0, 1].map((side) =>
    spawn(process.execPath, [child, location, `run-${pair}-${side}`], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const exits = procs.map(
    (proc) =>
      new Promise<Exit>((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        proc.stdout.on('data', (chunk) => (stdout += chunk));
        proc.stderr.on('data', (chunk) => (stderr += chunk));
        proc.on('error', reject);
        proc.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
  );
  await Promise.all(procs.map((proc) => once(proc.stdout, 'data')));
  for (const proc of procs) proc.stdin.write('go\n');
  return Promise.all(exits);
}

for (const subject of subjects) {
  const pairs = subject.name === 'sqlite' ? 20 : 5;
  test(`${subject.name}: ${pairs} pairs of processes creating one new store at once all succeed`, {
    skip: subject.skip,
  }, async () => {
    const failures: string[] = [];
    // Four pairs at a time; each pair's two processes open the store on one "go", after loading.
    for (let pair = 0; pair < pairs; pair += 4) {
      const races = Array.from({ length: Math.min(4, pairs - pair) }, (_, i) => pair + i);
      const exits = await Promise.all(races.map(async (p) => racePair(await subject.newLocation(), p)));
      // The line that says what went wrong, not the location line Node prints above it.
      for (const exit of exits.flat())
        if (exit.code !== 0)
          failures.push(exit.stderr.split('\n').find((line) => /error/i.test(line)) ?? exit.stderr.trim());
    }
    assert.deepEqual(failures, []);
  });

  test(`${subject.name}: two resumes of one run at once — one completes it, the other says so and exits 2`, {
    skip: subject.skip,
  }, async () => {
    const dir = tempDir();
    const server = await startWireServer({ answer: (request) => `ok ${request.prompt}`, delayMs: 40 });
    try {
      const workload = path.join(dir, 'w.yaml');
      writeEchoWorkload(workload, {
        name: 'race',
        cases: 60,
        candidates: `  - { id: a, model: "openai-compatible:model-a", base_url: "${server.urls.openai}" }`,
      });
      const store = await subject.newLocation();
      // An unfinished run: the first invocation is killed a few calls in.
      const killed = startVerdict(['run', workload, '--store', store, '--concurrency', '1']);
      // Killed once it is calling, not after a fixed time: on a loaded machine, start-up and the
      // store's migrations took more than the 1.2 s once given, and the run did not exist yet.
      while (server.calls.length < 3 && killed.child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 20));
      killed.child.kill('SIGKILL');
      await killed.closed;
      const opened = await openStore(store);
      const [run] = await opened.listRuns(1);
      assert.ok(run);
      const resumes = await Promise.all(
        [0, 1].map(() => verdictChild(['run', '--resume', run.id, '--store', store, '--json'])),
      );
      const codes = resumes.map((exit) => exit.code).sort();
      assert.deepEqual(codes, [0, 2], resumes.map((exit) => exit.stderr).join('\n---\n'));
      const busy = resumes.find((exit) => exit.code === 2)!;
      assert.match(busy.stderr, new RegExp(`run ${run.id} is being worked on by .+ since `));
      for (const exit of resumes) assert.doesNotMatch(exit.stderr, /internal error/);
      assert.equal(await opened.countResults(run.id), 60);
      const seen = new Set<string>();
      for await (const result of opened.results(run.id)) {
        assert.ok(!seen.has(result.caseId), `${result.caseId} stored twice`);
        seen.add(result.caseId);
      }
      assert.equal((await opened.getRun(run.id))!.status, 'completed');
      // A resume calls again only what the killed run had not stored: its one call in flight, and on
      // Postgres the answer before it whose write was still on its way to the server (the next call
      // starts as soon as an answer is handled, and a write there is a network round trip).
      const repeated = [...server.byPrompt.values()].filter((calls) => calls > 1).length;
      assert.ok(repeated <= 2, `${repeated} cases called more than once`);
      await opened.close();
    } finally {
      await server.close();
    }
  });
}

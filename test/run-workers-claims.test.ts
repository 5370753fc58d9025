// One call per content key across a team's workers: three workers take three pages at once whose
// cases ask the same 50 prompts; each prompt reaches the server once, the other two answers come
// from the holder's stored answer, and the coordinator's summary counts the calls the workers made.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../src/store/open-store.ts';
import { startVerdict } from './helpers/cli-child.ts';
import { writeEchoWorkload } from './helpers/echo-workload.ts';
import { postgresForFile, postgresUnavailable } from './helpers/postgres-server.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer } from './servers/wire-server.ts';

const skip = postgresUnavailable();
const postgres = skip ? undefined : postgresForFile();
const PROMPTS = 50;
const CASES = 150;

test('three workers on pages asking the same prompts make one call per prompt', { skip }, async () => {
  const server = await startWireServer({ answer: (request) => `ok ${request.prompt}`, delayMs: 60 });
  const url = await (await postgres!()).createDatabase();
  const dir = tempDir();
  const workload = path.join(dir, 'w.yaml');
  writeEchoWorkload(workload, {
    name: 'shared-prompts',
    cases: CASES,
    question: (i) => `case ${i % PROMPTS}`,
    candidates: `  - { id: a, model: "openai-compatible:model-a", base_url: "${server.urls.openai}", limits: { concurrency: 4 } }`,
  });
  const env = { VERDICT_WORKER_LEASE_SECONDS: '10' };
  const workers: ChildProcess[] = [0, 1, 2].map(
    () => startVerdict(['worker', '--store', url, '--exit-when-idle', '60'], { env }).child,
  );
  after(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await server.close();
  });
  const coordinator = startVerdict(['run', workload, '--store', url, '--workers'], { env });
  const { code, stderr } = await coordinator.closed;
  assert.equal(code, 0, stderr);
  assert.match(stderr, /enqueued 3 pages/);

  // Each prompt was paid for once, whichever worker held it.
  assert.equal(server.byPrompt.size, PROMPTS);
  for (const [prompt, calls] of server.byPrompt) assert.equal(calls, 1, `${prompt} called ${calls} times`);
  const store = await openStore(url);
  const [run] = await store.listRuns(1);
  assert.equal(run!.status, 'completed');
  const tally = (await store.runTally(run!.id)).get('a')!;
  assert.deepEqual(
    { results: tally.results, errors: tally.errors, cached: tally.cached, calls: tally.calls },
    { results: CASES, errors: 0, cached: CASES - PROMPTS, calls: PROMPTS },
  );
  let passed = 0;
  for await (const result of store.results(run!.id)) if (result.pass) passed++;
  assert.equal(passed, CASES);
  // The coordinator made no call itself, yet sums up what its workers made.
  assert.match(stderr, new RegExp(`\\(${PROMPTS} calls, ${CASES - PROMPTS} answered from the cache`));
  await store.close();
});

test('a coordinator whose pages no worker takes says so, and stops when interrupted', { skip }, async () => {
  const { runWorkload } = await import('../src/run/run-workload.ts');
  const { parseWorkload } = await import('../src/workload/load-workload.ts');
  const url = await (await postgres!()).createDatabase();
  const workload = await parseWorkload(
    `version: 1
name: nobody-home
prompt: "{{q}}"
cases:
  - { id: k0, vars: { q: "case 0" }, expected: "ok" }
graders: [equals]
candidates:
  - { id: a, model: "openai-compatible:model-a", base_url: "http://127.0.0.1:9/v1" }
`,
    path.join(tempDir(), 'w.yaml'),
  );
  const store = await openStore(url);
  const stop = new AbortController();
  const quiet: number[] = [];
  const summary = await runWorkload(workload, {
    store,
    signal: stop.signal,
    graceMs: 0,
    workers: {
      url,
      quietSeconds: 0.5,
      onQuiet: (seconds) => {
        quiet.push(seconds);
        if (quiet.length === 2) stop.abort();
      },
    },
  });
  assert.deepEqual(quiet, [0.5, 1]);
  assert.equal(summary.status, 'interrupted');
  assert.equal(summary.results, 0);
  await store.close();
});

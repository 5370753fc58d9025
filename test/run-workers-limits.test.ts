// Limits that hold across workers: 3 worker processes on one Postgres store keep each model's
// request rate under the server's per-model limit together (each worker alone paces at the whole
// limit, so without the shared pace they would pass it three times over), and --max-cost stops every
// worker once the run's spend, counted in the store, would pass it.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { runWorkload } from '../src/run/run-workload.ts';
import { openStore } from '../src/store/open-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { postgresForFile, postgresUnavailable } from './helpers/postgres-server.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer, type WireServer, type WireServerOptions } from './servers/wire-server.ts';

const skip = postgresUnavailable();
const postgres = skip ? undefined : postgresForFile();
const env = { NO_COLOR: '1', OPENAI_API_KEY: 'sk-test-shared-limits' };
const child = path.join(import.meta.dirname, 'helpers', 'worker-child.ts');

/** Three `verdict worker` processes; resolves their stderr once all have exited. */
function startWorkers(url: string): { processes: ChildProcess[]; exited: Promise<string[]> } {
  const processes = [0, 1, 2].map(() =>
    spawn(process.execPath, [child, url, '4'], {
      env: { ...process.env, ...env, VERDICT_WORKER_LEASE_SECONDS: '10' },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  const exited = Promise.all(
    processes.map(
      (worker) =>
        new Promise<string>((resolve) => {
          let stderr = '';
          worker.stderr!.on('data', (chunk) => (stderr += chunk));
          worker.on('close', () => resolve(stderr));
        }),
    ),
  );
  return { processes, exited };
}

/** A wire server, a fresh database and three workers on it, all stopped when the test ends. */
async function startTeam(serverOptions: WireServerOptions) {
  const server = await startWireServer(serverOptions);
  const url = await (await postgres!()).createDatabase();
  const workers = startWorkers(url);
  // Workers first: the server's close waits for their open connections.
  after(async () => {
    for (const worker of workers.processes) worker.kill('SIGKILL');
    await server.close();
  });
  return { server, url, workers };
}

async function workloadFor(server: WireServer, count: number, candidates: string) {
  const dir = tempDir();
  const cases = Array.from(
    { length: count },
    (_, i) => `  - { id: k${i}, vars: { q: "case ${i}" }, expected: "ok case ${i}" }`,
  );
  return parseWorkload(
    `version: 1
name: shared-limits
prompt: "{{q}}"
cases:
${cases.join('\n')}
graders: [equals]
candidates:
${candidates.replaceAll('BASE', server.urls.openai)}
`,
    path.join(dir, 'w.yaml'),
  );
}

test('3 workers keep each model under its per-model limit together, each model at its own pace', {
  skip,
}, async () => {
  const LIMIT = 6;
  const WINDOW_MS = 1000;
  const { server, url, workers } = await startTeam({
    answer: (request) => `ok ${request.prompt}`,
    delayMs: 30,
    rateLimitPerModel: {
      'model-a': { requests: LIMIT, windowMs: WINDOW_MS },
      'model-b': { requests: LIMIT, windowMs: WINDOW_MS },
    },
  });
  // 5 a second each, under the server's 6: every worker alone would start that many. The pace
  // spaces starts 200 ms apart; one request of slack per window absorbs a start delayed on a busy
  // machine (at 5.5 a second CI once saw a late start and an on-time one land in one window: a 429).
  const workload = await workloadFor(
    server,
    40,
    `  - { id: a, model: "openai-compatible:model-a", base_url: "BASE", limits: { concurrency: 2, requests_per_minute: 300 } }
  - { id: b, model: "openai-compatible:model-b", base_url: "BASE", limits: { concurrency: 2, requests_per_minute: 300 } }`,
  );
  const store = await openStore(url);
  const summary = await runWorkload(workload, { store, workers: { url, pageSize: 5 } });
  assert.equal(summary.status, 'completed');
  assert.equal(await store.countResults(summary.runId), 80);
  await store.close();

  assert.equal(server.rateLimited, 0, 'no request was over the per-model limit');
  for (const model of ['model-a', 'model-b']) {
    const times = server.calls.filter((call) => call.model === model).map((call) => call.at);
    const busiest = Math.max(...times.map((at) => times.filter((t) => t > at - WINDOW_MS && t <= at).length));
    assert.ok(busiest <= LIMIT, `${model}: ${busiest} requests in one ${WINDOW_MS} ms window`);
  }
  // The two models are paced apart: 40 calls each at 5 a second is about 8 s of calls (one pace
  // for both would be 16 s).
  const times = server.calls.map((call) => call.at);
  const calling = (Math.max(...times) - Math.min(...times)) / 1000;
  assert.ok(calling < 12, `${calling} s of calls`);
  const stderr = await workers.exited;
  for (const [i, text] of stderr.entries())
    assert.match(text, /worker: run \S+ [ab] cases/, `worker ${i} took no page`);
});

test('--max-cost holds for the run across workers: every worker stops, the spend stays under the cap', {
  skip,
}, async () => {
  const { server, url, workers } = await startTeam({
    answer: (request) => `ok ${request.prompt}`,
    delayMs: 20,
  });
  const workload = await workloadFor(
    server,
    90,
    `  - { id: a, model: "openai:model-a", base_url: "BASE", limits: { concurrency: 2 }, max_tokens: 8, price: { input_per_mtok: 1000, output_per_mtok: 1000 } }`,
  );
  const store = await openStore(url);
  const maxCostUsd = 0.3;
  const summary = await runWorkload(workload, { store, env, maxCostUsd, workers: { url, pageSize: 5 } });
  assert.equal(summary.stoppedBy, 'budget');
  assert.equal(summary.status, 'interrupted');
  assert.ok((summary.projectedUsd ?? 0) > maxCostUsd);
  const stderr = await workers.exited;
  let spent = 0;
  let results = 0;
  for await (const result of store.results(summary.runId)) {
    spent += result.costUsd ?? 0;
    results++;
  }
  await store.close();
  assert.ok(spent <= maxCostUsd, `$${spent} spent over $${maxCostUsd}`);
  // Each worker alone would have spent up to the cap: the shared counter held it for all of them.
  assert.ok(results > 3 && results < 90, `${results} results`);
  assert.equal(server.calls.length, results, 'every call made was stored; none after the stop');
  assert.ok(stderr.filter((text) => /worker: run \S+ a cases/.test(text)).length >= 2, stderr.join('\n'));
  // Each page's line says what the queue took (bench/workers.ts reads it).
  assert.match(
    stderr.join('\n'),
    /worker: run \S+ a cases \d+–\d+: \d+ results, \d+ calls, queue \d+\.\d ms/,
  );
});

test('3 workers pace together at the limit the provider states in its headers, none configured', {
  skip,
}, async () => {
  const LIMIT = 10;
  const WINDOW_MS = 2000;
  const { server, url, workers } = await startTeam({
    answer: (request) => `ok ${request.prompt}`,
    delayMs: 20,
    rateLimitPerModel: { 'model-a': { requests: LIMIT, windowMs: WINDOW_MS, limitPerWindow: true } },
  });
  // No requests_per_minute: each worker learns the limit from the headers of its first answers.
  const workload = await workloadFor(
    server,
    45,
    `  - { id: a, model: "openai-compatible:model-a", base_url: "BASE", limits: { concurrency: 2 } }`,
  );
  const store = await openStore(url);
  const summary = await runWorkload(workload, { store, workers: { url, pageSize: 5 } });
  assert.equal(summary.status, 'completed');
  assert.equal(await store.countResults(summary.runId), 45);
  await store.close();
  await workers.exited;
  // What a worker learned paces all three: after the first window, in which each learns the limit
  // from its first answers, the team stays under it. Seen when this was written: each worker pacing
  // alone at the allowance its headers state, 15–17 of about 50 calls refused after the first
  // window; a shared pace at each worker's own reading, 3–4 of 38; the slowest reading, 0–1.
  const first = Math.min(...server.calls.map((call) => call.at));
  const later = server.calls.filter((call) => call.at > first + WINDOW_MS);
  const limitedLater = later.filter((call) => call.status === 429).length;
  assert.ok(limitedLater <= 1, `${limitedLater} of ${later.length} calls after the first window were 429s`);
});

// A run spread over worker processes on the queue in a real Postgres: 3 workers under each model's
// own rate limit, one SIGKILLed mid-run; the run ends with exactly cases × candidates results, the pass counts the server's known
// truth, and the calls made twice bounded by the page the killed worker held, and reported.
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
const CASES = 150;
const PAGE = 50;
/** The server's requests a second per model; the workload paces each model at 20 (1,200 a minute). */
const LIMIT = 25;

test('3 workers, one killed mid-run: exactly the planned results, the known pass counts, repeats bounded', {
  skip,
}, async () => {
  const server = await startWireServer({
    // model-b gets every third case wrong: the truth the pass counts must equal.
    answer: (request) =>
      request.model === 'model-b' && Number(request.prompt.slice('case '.length)) % 3 === 0
        ? 'wrong'
        : `ok ${request.prompt}`,
    delayMs: 40,
    // Each model's own limit, as a real API's: the workers together must stay under it.
    rateLimitPerModel: {
      'model-a': { requests: LIMIT, windowMs: 1000 },
      'model-b': { requests: LIMIT, windowMs: 1000 },
    },
  });
  const url = await (await postgres!()).createDatabase();
  const dir = tempDir();
  const workload = path.join(dir, 'w.yaml');
  writeEchoWorkload(workload, {
    name: 'spread',
    cases: CASES,
    candidates: `  - { id: a, model: "openai-compatible:model-a", base_url: "${server.urls.openai}", limits: { concurrency: 2, requests_per_minute: 1200 } }
  - { id: b, model: "openai-compatible:model-b", base_url: "${server.urls.openai}", limits: { concurrency: 2, requests_per_minute: 1200 } }`,
  });
  const env = { VERDICT_WORKER_LEASE_SECONDS: '10' };
  const workers: ChildProcess[] = [0, 1, 2].map(
    () => startVerdict(['worker', '--store', url, '--exit-when-idle', '60'], { env }).child,
  );
  // Workers first: the server's close waits for their open connections.
  after(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await server.close();
  });
  const coordinator = startVerdict(['run', workload, '--store', url, '--workers', '--json'], { env });
  // Mid-run: some pages done, the killed worker holding one.
  let exited = false;
  void coordinator.closed.finally(() => (exited = true));
  while (server.calls.length < 60 && !exited) await new Promise((resolve) => setTimeout(resolve, 50));
  workers[0]!.kill('SIGKILL');
  const { code, stderr } = await coordinator.closed;
  assert.equal(code, 0, stderr);
  assert.match(stderr, /enqueued 6 pages/);

  const store = await openStore(url);
  const [run] = await store.listRuns(1);
  assert.equal(run!.status, 'completed');
  assert.equal(await store.countResults(run!.id), CASES * 2);
  const passes = { a: 0, b: 0 } as Record<string, number>;
  const seen = new Set<string>();
  for await (const result of store.results(run!.id)) {
    const key = `${result.candidateId}|${result.caseId}`;
    assert.ok(!seen.has(key), `${key} stored twice`);
    seen.add(key);
    if (result.pass) passes[result.candidateId]!++;
  }
  assert.deepEqual(passes, { a: CASES, b: CASES - Math.ceil(CASES / 3) });
  // The workers together, the killed one and the one that took its page over, stayed under each model's limit.
  assert.equal(server.rateLimited, 0, 'no request passed its model limit');
  for (const model of ['model-a', 'model-b']) {
    const times = server.calls.filter((call) => call.model === model).map((call) => call.at);
    const busiest = Math.max(...times.map((at) => times.filter((t) => t > at - 1000 && t <= at).length));
    assert.ok(busiest <= LIMIT, `${model}: ${busiest} requests in one second`);
  }
  // Calls made twice: only those of the page the killed worker held, and only those it had not stored.
  const repeated = [...server.byPrompt.values()].reduce((sum, calls) => sum + Math.max(0, calls - 2), 0);
  assert.ok(repeated <= PAGE, `${repeated} calls repeated, more than one page`);
  // ...and reported: the calls made on pages worked again bound the calls paid twice.
  const reported = /(\d+) pages? (?:was|were) worked again after a worker stopped: (\d+) calls? made/.exec(
    stderr,
  );
  const reportedCalls = Number(reported?.[2] ?? 0);
  assert.ok(repeated <= reportedCalls, `${repeated} calls repeated, ${reportedCalls} reported:\n${stderr}`);
  if (repeated > 0) assert.ok(reported, stderr);
  await store.close();
});

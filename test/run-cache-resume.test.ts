// Bill safety: the response cache, resume after an interrupt, --retry-errors, --max-cost and the dry
// run, against a local OpenAI wire server that counts calls per case.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { planRun } from '../src/run/plan-run.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { type Fault, startWireServer, type WireServerOptions } from './servers/wire-server.ts';

const env = { OPENAI_API_KEY: 'sk-test-cache-resume-000000' };

async function setup(
  count: number,
  serverOptions: WireServerOptions = {},
  extra = '',
  promptOf = (i: number) => `case ${i}`,
) {
  const server = await startWireServer({ answer: (request) => `ok ${request.prompt}`, ...serverOptions });
  after(() => server.close());
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const cases = Array.from(
    { length: count },
    (_, i) => `  - { id: c${i}, vars: { q: "${promptOf(i)}" }, expected: "ok ${promptOf(i)}" }`,
  );
  const workload = await parseWorkload(
    `version: 1
name: bill
prompt: "{{q}}"
cases:
${cases.join('\n')}
graders: [equals]
candidates:
  - { id: mini, model: "openai:gpt-4o-mini", base_url: "${server.urls.openai}"${extra} }
`,
    path.join(dir, 'bill.yaml'),
  );
  return { server, store, workload };
}

async function resultsOf(store: ReturnType<typeof openSqliteStore>, runId: string): Promise<Result[]> {
  const results: Result[] = [];
  for await (const result of store.results(runId)) results.push(result);
  return results;
}

test('a second run answers from the cache, marked cached, still showing what the call cost', async () => {
  const { server, store, workload } = await setup(6);
  const first = await runWorkload(workload, { store, env });
  assert.equal(first.calls, 6);
  assert.equal(server.calls.length, 6);
  const paid = await resultsOf(store, first.runId);
  assert.ok(paid.every((result) => !result.cached && (result.costUsd ?? 0) > 0 && result.attempts === 1));
  assert.ok(first.costUsd > 0);

  const second = await runWorkload(workload, { store, env });
  assert.notEqual(second.runId, first.runId);
  assert.equal(server.calls.length, 6, 'no call repeated');
  assert.equal(second.cached, 6);
  assert.equal(second.costUsd, 0);
  const cached = await resultsOf(store, second.runId);
  assert.ok(cached.every((result) => result.cached === true && result.attempts === 0 && result.pass));
  assert.deepEqual(
    cached.map((result) => result.costUsd),
    paid.map((result) => result.costUsd),
  );

  const uncached = await runWorkload(workload, { store, env, cache: false });
  assert.equal(uncached.cached, 0);
  assert.equal(server.calls.length, 12);

  // Each repeat is its own sample: repeat 0 is cached, repeats 1 and 2 are new calls.
  const repeated = await runWorkload(workload, { store, env, repeat: 3 });
  assert.equal(repeated.results, 18);
  assert.equal(repeated.cached, 6);
  assert.equal(server.calls.length, 24);
  const plan = await planRun(workload, { store, repeat: 4 });
  assert.deepEqual(
    [plan.candidates[0]!.results, plan.candidates[0]!.cached, plan.candidates[0]!.calls],
    [24, 18, 6],
  );
  assert.ok((plan.candidates[0]!.estimatedCostUsd ?? 0) > 0);
});

test('answers a crashed run stored but never published reach the cache before the next run looks', async () => {
  const { server, store, workload } = await setup(4);
  const dir = path.dirname(store.location);
  await runWorkload(workload, { store, env });
  // What a run killed before its publish leaves: results with content keys, an empty cache.
  const raw = new Database(store.location);
  raw.exec("DELETE FROM response_cache; UPDATE store_state SET value = 0 WHERE name = 'cache_published_to'");
  raw.close();
  const reopened = openSqliteStore(path.join(dir, 'v.db'));
  after(() => reopened.close());
  const second = await runWorkload(workload, { store: reopened, env });
  assert.equal(second.cached, 4);
  assert.equal(server.calls.length, 4, 'no call repeated');
});

test('an interrupted run resumes to exactly the planned results without calling a stored case again', async () => {
  const { server, store, workload } = await setup(24, { delayMs: 15 });
  const controller = new AbortController();
  let seen = 0;
  const first = await runWorkload(workload, {
    store,
    env,
    concurrency: 3,
    graceMs: 0,
    signal: controller.signal,
    onProgress: (progress) => {
      seen = progress.done;
      if (seen >= 7) controller.abort();
    },
  });
  assert.equal(first.status, 'interrupted');
  assert.equal(first.stoppedBy, 'interrupt');
  assert.equal((await store.getRun(first.runId))!.status, 'interrupted');
  const storedAtInterrupt = new Set(
    (await resultsOf(store, first.runId)).map((result) => `case ${result.caseId.slice(1)}`),
  );
  assert.ok(storedAtInterrupt.size >= 7 && storedAtInterrupt.size < 24, `${storedAtInterrupt.size} stored`);

  // Without the cache, so only the stored results can keep a case from being called again.
  const resumed = await runWorkload(workload, { store, env, resumeRunId: first.runId, cache: false });
  assert.equal(resumed.runId, first.runId);
  assert.equal(resumed.status, 'completed');
  assert.equal(await store.countResults(first.runId), 24);
  const results = await resultsOf(store, first.runId);
  assert.equal(new Set(results.map((result) => result.caseId)).size, 24);
  for (const prompt of storedAtInterrupt) assert.equal(server.byPrompt.get(prompt), 1, prompt);
  for (const [prompt, calls] of server.byPrompt) {
    // A case called twice was in flight at the interrupt and abandoned, never stored.
    if (calls > 1) assert.ok(!storedAtInterrupt.has(prompt) && calls === 2, prompt);
  }
  assert.equal(resumed.calls, 24 - storedAtInterrupt.size);
});

test('within one run, a case that repeats an earlier call waits for its answer instead of paying again', async () => {
  // 600 cases over 5 prompts: the first page's repeats wait for calls in flight, later pages' for
  // answers stored but not yet published to the cache (that happens every few thousand results).
  const { server, store, workload } = await setup(600, {}, '', (i) => `case ${i % 5}`);
  const first = await runWorkload(workload, { store, env, concurrency: 8 });
  assert.equal(first.results, 600);
  assert.equal(first.calls, 5);
  assert.equal(first.cached, 595);
  assert.deepEqual([...server.byPrompt.values()], [1, 1, 1, 1, 1], 'each prompt called once');
  const results = await resultsOf(store, first.runId);
  assert.ok(results.every((result) => result.pass && result.error === null));
  const paid = results.filter((result) => !result.cached);
  assert.equal(paid.length, 5);
  const costOf = new Map(paid.map((result) => [result.output, result.costUsd]));
  for (const result of results.filter((r) => r.cached)) {
    assert.equal(result.attempts, 0);
    assert.equal(result.costUsd, costOf.get(result.output), 'a repeat still shows what the call cost');
  }

  const uncached = await runWorkload(workload, { store, env, cache: false });
  assert.equal(uncached.calls, 600, '--no-cache calls every case');
});

test('a case that repeats a call that failed makes its own call', async () => {
  const fault = (request: { prompt: string; attempt: number }): Fault | undefined =>
    request.prompt === 'case 0' && request.attempt === 1 ? { kind: 'status', status: 400 } : undefined;
  const { server, store, workload } = await setup(4, { fault, delayMs: 20 }, '', (i) => `case ${i >> 1}`);
  const run = await runWorkload(workload, { store, env, concurrency: 4 });
  assert.equal(server.calls.length, 3);
  const results = await resultsOf(store, run.runId);
  const byCase = new Map(results.map((result) => [result.caseId, result]));
  assert.equal(byCase.get('c0')!.error?.code, 'PROVIDER_ERROR');
  assert.ok(byCase.get('c1')!.pass && !byCase.get('c1')!.cached, 'called on its own after the failure');
  assert.ok(byCase.get('c2')!.pass && !byCase.get('c2')!.cached);
  assert.ok(byCase.get('c3')!.pass && byCase.get('c3')!.cached === true);
});

test('--retry-errors calls again only the results stored as errors, and replaces them', async () => {
  const failing = new Set(['case 1', 'case 4']);
  const fault = (request: { prompt: string; attempt: number }): Fault | undefined =>
    failing.has(request.prompt) && request.attempt === 1 ? { kind: 'status', status: 400 } : undefined;
  const { server, store, workload } = await setup(6, { fault });
  const first = await runWorkload(workload, { store, env });
  assert.equal(first.errors, 2);
  const again = await runWorkload(workload, { store, env, resumeRunId: first.runId });
  assert.equal(again.calls, 0, 'a plain resume keeps stored errors');
  const retried = await runWorkload(workload, { store, env, resumeRunId: first.runId, retryErrors: true });
  assert.equal(retried.calls, 2);
  assert.equal(retried.errors, 0);
  const results = await resultsOf(store, first.runId);
  assert.equal(results.length, 6);
  assert.ok(results.every((result) => result.error === null && result.pass));
  assert.equal(server.calls.length, 8);
});

test('--max-cost stops scheduling before the estimate passes the cap; a resume with more completes it', async () => {
  const { server, store, workload } = await setup(30, {}, ', max_tokens: 8');
  const maxCostUsd = 0.00003;
  const first = await runWorkload(workload, { store, env, concurrency: 1, maxCostUsd });
  assert.equal(first.stoppedBy, 'budget');
  assert.equal(first.status, 'interrupted');
  assert.ok(first.costUsd <= maxCostUsd, `${first.costUsd} spent`);
  assert.ok(first.results > 0 && first.results < 30, `${first.results} results`);
  assert.ok((first.projectedUsd ?? 0) > maxCostUsd);
  const rest = await runWorkload(workload, { store, env, resumeRunId: first.runId, maxCostUsd: 1 });
  assert.equal(rest.status, 'completed');
  assert.equal(await store.countResults(first.runId), 30);
  assert.equal(server.calls.length, 30, 'every case called exactly once over both invocations');
});

test('a dry run counts calls and prices them without calling anything', async () => {
  const { server, workload } = await setup(5);
  const plan = await planRun(workload, { repeat: 2 });
  assert.equal(server.calls.length, 0);
  assert.equal(plan.cases, 5);
  assert.equal(plan.candidates[0]!.calls, 10);
  assert.ok(plan.estimatedCostUsd > 0);
  assert.match(plan.candidates[0]!.priceNote, /as of \d{4}-\d{2}-\d{2}/);
});

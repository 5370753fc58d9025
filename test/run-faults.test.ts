// The fault matrix through the runner: each fault becomes a stored error result with a clear reason
// (or, when it clears up, a result after a retry); the other results are unaffected; the run completes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { runWorkload } from '../src/run/run-workload.ts';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { type Fault, startWireServer } from './servers/wire-server.ts';

const faults: Record<string, Fault> = {
  'status-429': { kind: 'status', status: 429, retryAfterSeconds: 0.01 },
  'status-500': { kind: 'status', status: 500 },
  'status-529': { kind: 'status', status: 529 },
  'status-400': { kind: 'status', status: 400 },
  cut: { kind: 'cut' },
  drop: { kind: 'drop' },
  malformed: { kind: 'malformed' },
  hang: { kind: 'hang' },
  slow: { kind: 'slow-first-token', ms: 30 },
};

async function workloadFor(url: string, dir: string, names: string[]) {
  const cases = names
    .map((name) => `  - { id: ${name}, vars: { q: "${name}" }, expected: "ok ${name}" }`)
    .join('\n');
  return parseWorkload(
    `version: 1
name: faults
prompt: "{{q}}"
cases:
${cases}
graders: [equals]
candidates:
  - { id: c, model: "openai-compatible:m", base_url: "${url}" }
`,
    path.join(dir, 'faults.yaml'),
  );
}

async function resultsOf(
  store: ReturnType<typeof openSqliteStore>,
  runId: string,
): Promise<Map<string, Result>> {
  const map = new Map<string, Result>();
  for await (const result of store.results(runId)) map.set(result.caseId, result);
  return map;
}

const policy = { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 1000, maxRetries: 2, maxRateLimitRetries: 3 };

test('persistent faults are stored as errors with their reason; healthy cases pass; the run completes', async () => {
  const names = [...Object.keys(faults), 'healthy-1', 'healthy-2'];
  const server = await startWireServer({
    answer: (request) => `ok ${request.prompt}`,
    fault: (request) => faults[request.prompt],
  });
  after(() => server.close());
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const workload = await workloadFor(server.urls.openai, dir, names);
  const summary = await runWorkload(workload, { store, concurrency: 4, retry: policy });
  assert.equal(summary.status, 'completed');
  const results = await resultsOf(store, summary.runId);
  assert.equal(results.size, names.length);

  const expectations: Record<string, { code: string; reason: RegExp; attempts: number }> = {
    'status-429': { code: 'PROVIDER_RATE_LIMITED', reason: /HTTP 429/, attempts: 4 },
    'status-500': { code: 'PROVIDER_ERROR', reason: /HTTP 500/, attempts: 3 },
    'status-529': { code: 'PROVIDER_ERROR', reason: /HTTP 529/, attempts: 3 },
    'status-400': { code: 'PROVIDER_ERROR', reason: /HTTP 400/, attempts: 1 },
    cut: { code: 'PROVIDER_INCOMPLETE', reason: /cut short|ended before/, attempts: 3 },
    drop: { code: 'PROVIDER_ERROR', reason: /\S/, attempts: 3 },
    malformed: { code: 'PROVIDER_ERROR', reason: /\S/, attempts: 3 },
    hang: { code: 'PROVIDER_TIMEOUT', reason: /timed out/, attempts: 3 },
  };
  for (const [name, expected] of Object.entries(expectations)) {
    const result = results.get(name)!;
    assert.equal(result.error?.code, expected.code, `${name}: ${result.error?.message}`);
    assert.match(result.error!.message, expected.reason, name);
    assert.equal(result.attempts, expected.attempts, `${name} attempts`);
    assert.equal(result.pass, false);
    assert.equal(result.output, null);
    assert.equal(server.byPrompt.get(name), expected.attempts, `${name}: calls the server saw`);
  }
  assert.equal(results.get('status-429')!.httpStatus, 429);
  for (const name of ['slow', 'healthy-1', 'healthy-2']) {
    const result = results.get(name)!;
    assert.equal(result.error, null, name);
    assert.equal(result.pass, true, name);
    assert.equal(result.attempts, 1);
    assert.equal(result.httpStatus, 200);
    assert.match(result.requestId ?? '', /^req_/);
  }
});

test('faults that clear up on a retry end in a normal result; non-retryable ones are called once', async () => {
  const names = Object.keys(faults).filter((name) => name !== 'slow');
  const server = await startWireServer({
    answer: (request) => `ok ${request.prompt}`,
    // Each fault happens on the first attempt only.
    fault: (request) => (request.attempt === 1 ? faults[request.prompt] : undefined),
  });
  after(() => server.close());
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const summary = await runWorkload(await workloadFor(server.urls.openai, dir, names), {
    store,
    concurrency: 3,
    retry: policy,
  });
  const results = await resultsOf(store, summary.runId);
  for (const name of names) {
    const result = results.get(name)!;
    if (name === 'status-400') {
      assert.equal(result.error?.code, 'PROVIDER_ERROR');
      assert.equal(server.byPrompt.get(name), 1);
      continue;
    }
    assert.equal(result.error, null, `${name}: ${result.error?.message}`);
    assert.equal(result.output, `ok ${name}`);
    assert.equal(result.attempts, 2, name);
    assert.equal(server.byPrompt.get(name), 2, name);
  }
  assert.equal(summary.calls, names.length * 2 - 1);
});

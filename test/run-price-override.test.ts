// A candidate's `price:` in the workload prices its calls everywhere the runner prices one: the dry
// run's estimate, the spend of a run and the --max-cost budget. `openai:frontier-large` is in no
// catalogue, so without the override none of them has a price (issue 13, point 4).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { planRun } from '../src/run/plan-run.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer } from './servers/wire-server.ts';

const env = { OPENAI_API_KEY: 'sk-test-price-override-0000' };
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

/** `count` cases "case i" (2 tokens to the wire server), each answered "ok case i" (3 tokens). */
async function setup(count: number) {
  const server = await startWireServer({ answer: (request) => `ok ${request.prompt}` });
  after(() => server.close());
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const cases = Array.from(
    { length: count },
    (_, i) => `  - { vars: { q: "case ${i}" }, expected: "ok case ${i}" }`,
  );
  const yaml = `version: 1
name: override
prompt: "{{q}}"
cases:
${cases.join('\n')}
graders: [equals]
candidates:
  - id: frontier
    model: "openai:frontier-large"
    base_url: "${server.urls.openai}"
    max_tokens: 8
    price: { input_per_mtok: 10, output_per_mtok: 20, note: negotiated 2026 }
`;
  const file = path.join(dir, 'override.yaml');
  writeFileSync(file, yaml);
  const workload = await parseWorkload(yaml, file);
  return { server, store, workload, dir, file };
}

test('the dry run prices calls at the workload override, credited to candidates[0].price', async () => {
  const { server, workload } = await setup(5);
  const plan = await planRun(workload);
  assert.equal(server.calls.length, 0);
  // Per call: input ⌈(6 characters + 4) ÷ 4⌉ = 3 tokens × $10/MTok + output 8 (max_tokens) × $20/MTok
  // = $0.00019; 5 calls = $0.00095.
  close(plan.candidates[0]!.estimatedCostUsd ?? Number.NaN, 0.00095);
  close(plan.estimatedCostUsd, 0.00095);
  assert.equal(
    plan.candidates[0]!.priceNote,
    '10 / 20 USD per million input / output tokens, set in the workload: candidates[0].price: negotiated 2026',
  );
});

test('verdict run --dry-run prints the estimate, not "cost n/a"', async () => {
  const { dir, file } = await setup(5);
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...env, NO_COLOR: '1' },
    cwd: dir,
  };
  const code = await main(['run', file, '--dry-run', '--store', path.join(dir, 'dry.db')], io);
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stdout, /cost n\/a|no price/);
  assert.match(stdout, /frontier \(openai:frontier-large\): 5 calls, .* ≈ \$0\.0010\n/);
});

test('a run spends at the override: each call and the total', async () => {
  const { store, workload } = await setup(5);
  const summary = await runWorkload(workload, { store, env });
  assert.equal(summary.calls, 5);
  // Per call, from the wire server's counts: 2 input × $10/MTok + 3 output × $20/MTok = $0.00008.
  close(summary.costUsd, 5 * 0.00008);
  for await (const result of store.results(summary.runId)) close(result.costUsd ?? Number.NaN, 0.00008);
});

test('--max-cost stops a run priced only by the override', async () => {
  const { server, store, workload } = await setup(30);
  // Each call is reserved at its estimate ($0.00019, then from measured output) and costs $0.00008:
  // $0.0005 allows a handful of the 30 calls ($0.0024 in all), not every one.
  const maxCostUsd = 0.0005;
  const summary = await runWorkload(workload, { store, env, concurrency: 1, maxCostUsd });
  assert.equal(summary.stoppedBy, 'budget');
  assert.ok(summary.costUsd > 0 && summary.costUsd <= maxCostUsd, `${summary.costUsd} spent`);
  assert.ok(server.calls.length > 0 && server.calls.length < 30, `${server.calls.length} calls`);
});

test('an OpenAI-compatible endpoint the workload states is an API is billed at its price too', async () => {
  const server = await startWireServer({});
  after(() => server.close());
  const dir = tempDir();
  const workload = await parseWorkload(
    `version: 1
name: hosted
prompt: "{{q}}"
cases: [{ vars: { q: "case 0" }, expected: "ok case 0" }]
graders: [equals]
candidates:
  - id: hosted
    model: "openai-compatible:my-finetune"
    base_url: "${server.urls.openai}"
    serving: api
    max_tokens: 8
    price: { input_per_mtok: 10, output_per_mtok: 20 }
`,
    path.join(dir, 'hosted.yaml'),
  );
  // 3 input tokens × $10/MTok + 8 output × $20/MTok = $0.00019.
  close((await planRun(workload)).estimatedCostUsd, 0.00019);
});

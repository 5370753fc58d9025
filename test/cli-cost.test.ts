// `verdict cost` and `verdict decide` in a child process, as a user or CI runs them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { verdictChild, verdictChildSync } from './helpers/cli-child.ts';
import { answer, runDecisionWorkload } from './helpers/decision-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

const example = path.join('examples', 'support-at-scale', 'workload.yaml');

// Never the machine's own store: `verdict cost` reads stored load tests from the default one.
const isolated = { NO_COLOR: '1', VERDICT_STORE: path.join(tempDir(), 'none.db') };

const verdict = (args: string[]) => verdictChildSync(args, { env: isolated, timeoutMs: 60_000 });
/** Without blocking this process: the test's own server must keep answering. */
const verdictAsync = (args: string[]) => verdictChild(args, { env: isolated });

test('verdict cost --json prices every option of the example from declared tokens, labelled estimates', () => {
  const { code, stdout, stderr } = verdict(['cost', example, '--json']);
  assert.equal(code, 0, stderr);
  const out = JSON.parse(stdout);
  assert.equal(out.kind, 'cost');
  assert.equal(out.cost.requestsPerMonth, 3_000_000);
  assert.equal(out.cost.usageSource, 'declared');
  const ids = out.cost.options.map((o: { optionId: string }) => o.optionId);
  for (const id of ['gpt-4o-mini', 'claude-haiku', 'llama-8b-l40s', 'llama-70b-h100', 'llama-3.1-8b@groq'])
    assert.ok(ids.includes(id), `${id} priced`);
  // gpt-4o-mini at $0.15/$0.60 per MTok: (600 × 0.15 + 150 × 0.60) ÷ 10⁶ × 3M = $540.
  const mini = out.cost.options.find((o: { optionId: string }) => o.optionId === 'gpt-4o-mini');
  assert.ok(Math.abs(mini.monthlyUsd - 540) < 1e-9);
  const l40s = out.cost.options.find((o: { optionId: string }) => o.optionId === 'llama-8b-l40s');
  assert.equal(l40s.replicas, 2);
  assert.ok(l40s.lines.some((l: { label: string }) => l.label.startsWith('GPU rental (NVIDIA L40S')));
  assert.ok(l40s.lines.some((l: { label: string }) => l.label === 'operations: on-call'));
  assert.ok(
    out.decision.caveats.some((c: string) => /capacity per replica of llama-8b-l40s is an estimate/.test(c)),
  );
  assert.ok(out.decision.reasons.includes('Quality is not measured: this pick is on cost alone.'));
  assert.match(out.decision.reevaluate.date, /^\d{4}-\d{2}-\d{2}$/);
  for (const c of out.catalogues) assert.ok(c.sources.length > 0 && /^\d{4}-\d{2}/.test(c.from), c.name);
});

test('verdict cost prints a screen that fits 80 columns, with the catalogues on --sources', () => {
  const { code, stdout } = verdict(['cost', example, '--sources']);
  assert.equal(code, 0);
  assert.match(stdout, /^verdict cost · support-at-scale/);
  assert.match(stdout, /Cost at 3,000,000 requests a month/);
  assert.match(stdout, /llama-70b-h100 +self-hosted, cloud +\$[\d,]+/);
  assert.match(stdout, /Catalogues\n• token prices: @pydantic\/genai-prices/);
  const wide = stdout.split('\n').filter((line) => [...line].length > 80);
  assert.deepEqual(wide, []);
});

test('verdict cost without declared tokens estimates them from the cases, as the dry run does, and says so', () => {
  const dir = tempDir();
  const file = path.join(dir, 'w.yaml');
  const workload = (second: string) => `version: 1
name: no-tokens
prompt: "Classify this support ticket: {{q}}"
cases:
  - { vars: { q: "my card was charged twice for one order" }, expected: billing }
  - { vars: { ${second}: "the app crashes when I open settings" }, expected: bug }
graders: [equals]
candidates:
  - { id: mini, model: "openai:gpt-4o-mini", max_tokens: 4 }
  - id: frontier
    model: "openai:frontier-large"
    price: { input_per_mtok: 10, output_per_mtok: 30, note: negotiated }
traffic: { requests_per_month: 1000000 }
`;
  writeFileSync(file, workload('q'));
  const { code, stdout, stderr } = verdict(['cost', file, '--json']);
  assert.equal(code, 0, stderr);
  const out = JSON.parse(stdout);
  assert.equal(out.cost.usageSource, 'estimated');
  const monthly = (id: string) => out.cost.options.find((o: { optionId: string }) => o.optionId === id);
  // Input ≈ characters ÷ 4, rounded up, as the dry run counts: the prompt's 30 characters + the
  // ticket's 39 (or 36) + 4 for the message = 73 → 19 and 70 → 18 tokens, a mean of 18.5. Output:
  // max_tokens 4 for mini, 256 for frontier (no cap). mini at $0.15/$0.60 per MTok: 1M × (18.5 ×
  // 0.15 + 4 × 0.60) ÷ 10⁶ = $5.175; frontier at its override $10/$30: 185 + 7,680 = $7,865.
  assert.ok(Math.abs(monthly('mini').monthlyUsd - 5.175) < 1e-9, String(monthly('mini').monthlyUsd));
  assert.ok(Math.abs(monthly('frontier').monthlyUsd - 7865) < 1e-9, String(monthly('frontier').monthlyUsd));
  for (const line of monthly('mini').lines)
    assert.match(
      line.source,
      /tokens per request estimated from the workload's 2 cases: input ≈ characters ÷ 4/,
    );
  const text = verdict(['cost', file]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /before any run: tokens per request estimated from the 2 cases, estimates/);
  // The cases are read now, so a broken one is a located error, not a stack trace.
  writeFileSync(file, workload('z'));
  const broken = verdict(['cost', file]);
  assert.equal(broken.code, 2);
  assert.match(
    broken.stderr,
    /^verdict cost: cases\[1\] the prompt uses \{\{q\}\} but this case has no such variable/,
  );
  assert.doesNotMatch(broken.stderr, /\n\s+at /);
  assert.equal(verdict(['cost', '--help']).code, 0);
  assert.equal(verdict(['cost']).code, 2);
});

test('verdict decide --json decides on the newest stored run; an empty store is exit code 2', async () => {
  const server = await startStandInServer({
    answer: (messages, model) => answer(model, Number(/\d+/.exec(messages.at(-1)!.content)?.[0])),
  });
  after(() => server.close());
  const dir = tempDir();
  const storeFile = path.join(dir, 'v.db');
  const store = openSqliteStore(storeFile);
  const runId = await runDecisionWorkload(store, dir, server.url);
  await store.close();
  const { code, stdout, stderr } = await verdictAsync(['decide', '--store', storeFile, '--json']);
  assert.equal(code, 0, stderr);
  const out = JSON.parse(stdout);
  assert.equal(out.kind, 'decision');
  assert.equal(out.runId, runId);
  assert.equal(out.decision.winner, 'weak→frontier');
  assert.equal(out.decision.runnerUp, 'mid');
  assert.equal(out.cost.usageSource, 'measured');
  const text = await verdictAsync(['decide', runId, '--store', storeFile]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Decision: weak→frontier/);
  assert.match(text.stdout, /What would change the pick/);
  // The memo comes first: the pick and its reasons before the cost table of every option.
  assert.ok(text.stdout.indexOf('Decision: ') < text.stdout.indexOf('Details'));
  assert.ok(text.stdout.indexOf('Details') < text.stdout.indexOf('requests a month\n'));
  const empty = verdict(['decide', '--store', path.join(dir, 'empty.db')]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no runs yet/);
});

test('verdict cost --load-test: a max-rate result replaces the roofline estimate of the candidate it targeted', () => {
  const dir = tempDir();
  const file = path.join(dir, 'max-rate.json');
  // The shape src/load's findMaxRate returns, trimmed to what the cost step reads.
  writeFileSync(
    file,
    JSON.stringify({
      schemaVersion: 1,
      kind: 'max-rate',
      slo: 'ttft p99 <= 500ms, tpot p99 <= 50ms',
      maxRatePerSec: 20,
      steps: [
        {
          rate: 20,
          held: true,
          result: {
            target: { baseUrl: 'http://127.0.0.1:8000/v1/', model: 'meta-llama/Llama-3.1-8B-Instruct' },
          },
        },
      ],
    }),
  );
  const { code, stdout, stderr } = verdict([
    'cost',
    example,
    '--volume',
    '300000000',
    '--load-test',
    file,
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const out = JSON.parse(stdout);
  const l40s = out.cost.options.find((o: { optionId: string }) => o.optionId === 'llama-8b-l40s');
  // 300M a month = 114.16 req/s × 3 peak = 342.47 req/s ÷ (20 req/s × 0.7) = 24.46 → 25 replicas.
  assert.equal(l40s.replicas, 25);
  assert.ok(
    l40s.notes.some((n: string) =>
      /20 requests\/s per replica of 1 × NVIDIA L40S 48GB \(measured: load test/.test(n),
    ),
  );
  assert.ok(
    !out.decision.caveats.some((c: string) => /capacity per replica of llama-8b-l40s is an estimate/.test(c)),
  );
  const bad = verdict(['cost', example, '--load-test', `nobody=${file}`]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no candidate "nobody" in the workload/);
});

test('verdict cost takes a load test stored by verdict load as the measured capacity', async () => {
  const dir = tempDir();
  const storeFile = path.join(dir, 'v.db');
  const store = openSqliteStore(storeFile);
  const result = { schemaVersion: 1, kind: 'max-rate', slo: 'ttft_p99=500ms', maxRatePerSec: 20, steps: [] };
  await store.saveLoadTest({
    id: 'lt-1',
    runId: null,
    target: 'http://127.0.0.1:8000/v1',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    candidateId: 'llama-8b-l40s',
    mode: 'max-rate',
    slo: 'ttft_p99=500ms',
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: '2026-11-24T10:01:00.000Z',
    maxRateWithinSlo: 20,
    resultJson: JSON.stringify(result),
  });
  await store.close();
  const { code, stdout, stderr } = verdict([
    'cost',
    example,
    '--volume',
    '300000000',
    '--store',
    storeFile,
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const l40s = JSON.parse(stdout).cost.options.find(
    (o: { optionId: string }) => o.optionId === 'llama-8b-l40s',
  );
  // The same 20 req/s as the file above: 25 replicas instead of the estimate's 66.
  assert.equal(l40s.replicas, 25);
  assert.ok(
    l40s.notes.some((n: string) => /measured/.test(n)),
    l40s.notes.join('\n'),
  );
});

test('an autoscaling maximum too low for the pick reaches the first screen, not only the JSON', () => {
  // One self-hosted candidate at 10 req/s a replica, 26.28M requests a month = 10 req/s mean, peak
  // ×3 = 30 req/s: ⌈30 ÷ (10 × 0.7)⌉ = 5 replicas, above operations.max_replicas 2.
  const dir = tempDir();
  const file = path.join(dir, 'w.yaml');
  writeFileSync(path.join(dir, 'cases.jsonl'), '{"q": "hello", "a": "hi"}\n');
  writeFileSync(
    file,
    `version: 1
name: capped
prompt: "{{q}}"
cases: { file: cases.jsonl, vars: { q: q }, expected: a }
graders: [equals]
candidates:
  - { id: vllm, model: "openai-compatible:meta-llama/Llama-3.1-8B-Instruct", base_url: "http://10.0.0.5:8000/v1", serving: self-hosted, hosting: cloud, gpu: { type: l40s, usd_per_hour: 1 }, capacity_rps: 10 }
traffic: { requests_per_month: 26280000, peak_factor: 3, input_tokens_per_request: 100, output_tokens_per_request: 10 }
operations: { max_replicas: 2 }
`,
  );
  const { code, stdout, stderr } = verdict(['cost', file]);
  assert.equal(code, 0, stderr);
  const memo = stdout.split('Details')[0]!.replace(/\n\s*/g, ' ');
  assert.match(memo, /Decision: vllm/);
  assert.match(memo, /vllm: the peak needs 5 replicas, above the autoscaling maximum of 2/);
});

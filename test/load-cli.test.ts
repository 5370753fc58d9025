// `verdict load` in a child process against a local server with programmed timing, as a user or CI
// runs it: exit codes, the --json shape, the stored result, and clear errors for bad flags.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { repoRoot, verdictChild } from './helpers/cli-child.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startTimedSseServer, type TimedSseServer } from './servers/timed-sse-server.ts';

const root = repoRoot;
const dir = tempDir();
const storeFile = path.join(dir, 'verdict.db');
let server: TimedSseServer;

before(async () => {
  // 20 ms to the first token, 5 ms a token, 8 tokens, two requests served at once: ≈ 55 ms each,
  // so about 36 requests a second at most.
  server = await startTimedSseServer({ ttftMs: 20, tokenDelayMs: 5, outputTokens: 8, concurrencyLimit: 2 });
});
after(() => server.close());

/** `verdict load ARGS` without blocking this process (the server must keep answering). */
const verdict = (args: string[]) => verdictChild(['load', ...args], { env: { CI: '1' } });

const target = () => ['--base-url', server.baseUrl, '--model', 'timed'];

/** 0, or 5 when the busy machine made the generator the bottleneck (then it must say so). */
function okOrGeneratorBound(run: { code: number | null; stderr: string }) {
  assert.ok(run.code === 0 || run.code === 5, `exit ${run.code}: ${run.stderr}`);
  if (run.code === 5) assert.match(run.stderr, /load generator was a bottleneck/);
}

test('closed loop: --json gives the load-test result with its store id, and the store keeps it', async () => {
  const run = await verdict([
    ...target(),
    '--arrival',
    'closed:2',
    '--duration',
    '1500ms',
    '--warmup',
    '300ms',
    '--output-tokens',
    '8',
    '--slo',
    'ttft_p99=2s',
    '--json',
    '--store',
    storeFile,
  ]);
  okOrGeneratorBound(run);
  const out = JSON.parse(run.stdout);
  assert.equal(out.schemaVersion, 1);
  assert.equal(out.kind, 'load-test');
  assert.deepEqual(out.arrival, { kind: 'closed', concurrency: 2 });
  assert.equal(out.target.model, 'timed');
  assert.ok(out.counts.completed > 0 && out.counts.failed === 0);
  assert.ok(out.counts.warmup > 0, 'warm-up requests are counted apart');
  for (const metric of ['ttft', 'tpot', 'itl', 'e2e']) assert.equal(typeof out.latency[metric].p50, 'number');
  assert.equal(out.slo.text, 'ttft_p99=2000ms');
  assert.equal(out.tokens.outputSource, 'server');
  assert.equal(typeof out.client.cpuFraction, 'number');
  assert.ok(Array.isArray(out.timeSeries));
  assert.equal(out.requests, undefined, 'no per-request records in the output');
  assert.match(out.loadTestId, /^lt-\d{8}-\d{6}-[0-9a-f]{4}$/);

  const store = openSqliteStore(storeFile);
  try {
    const stored = await store.getLoadTest(out.loadTestId);
    assert.ok(stored);
    assert.equal(stored.mode, 'load-test');
    assert.equal(stored.target, server.baseUrl.replace(/\/$/, ''));
    assert.equal(stored.model, 'timed');
    assert.equal(stored.candidateId, null);
    assert.equal(stored.slo, 'ttft_p99=2000ms');
    assert.equal(stored.maxRateWithinSlo, out.throughput.requestsPerSec);
    const { loadTestId: _id, candidateId: _candidate, ...result } = out;
    assert.deepEqual(JSON.parse(stored.resultJson), result);
  } finally {
    await store.close();
  }
});

test('--find-max-rate with an SLO finds a rate the two-slot server sustains, stored as its capacity', async () => {
  const run = await verdict([
    ...target(),
    '--find-max-rate',
    '--slo',
    'ttft_p99=150ms',
    '--arrival',
    'constant:8',
    '--output-tokens',
    '8',
    '--duration',
    '1s',
    '--warmup',
    '0s',
    '--timeout',
    '5s',
    '--store',
    storeFile,
  ]);
  okOrGeneratorBound(run);
  assert.match(run.stdout, /^Max rate within ttft_p99=150ms: /);
  assert.match(run.stdout, /Stored as (lt-\S+) in .*capacity within the SLO [\d.]+ req\/s\./);
  assert.match(run.stderr, /load: step 1 {2}rate 8\.00\/s/, 'plain progress lines off a terminal');
  const store = openSqliteStore(storeFile);
  try {
    const [latest] = await store.listLoadTests({ withCapacity: true, limit: 1 });
    assert.ok(latest);
    assert.equal(latest.mode, 'max-rate');
    const result = JSON.parse((await store.getLoadTest(latest.id))!.resultJson);
    assert.equal(result.kind, 'max-rate');
    // The capacity stored is the lower end of the search's interval, never above a rate it offered.
    assert.equal(latest.maxRateWithinSlo, result.capacityPerSec);
    // The interval is stored rounded to 3 decimals, the capacity floored: they differ by under 0.001.
    if (result.interval) {
      assert.ok(result.capacityPerSec <= result.interval.lowPerSec);
      assert.ok(result.interval.lowPerSec - result.capacityPerSec < 0.001 + 1e-9);
    }
    assert.ok(result.capacityPerSec <= Math.max(...result.steps.map((s: { rate: number }) => s.rate)));
    // What it ran on: the endpoint, and no GPU since none was named.
    assert.equal(result.hardware.endpoint, target()[1]!.replace(/\/$/, ''));
    assert.equal(result.hardware.device, 'unknown');
    assert.match(run.stdout, /Hardware: GPU not recorded \(give --gpu TYPE\[:COUNT\]\)/);
    // Two slots of ≈55 ms serve ≈36 req/s; a queue builds beyond, so no rate far above held.
    assert.ok(result.maxRatePerSec >= 8 && result.maxRatePerSec < 60, `found ${result.maxRatePerSec}`);
    assert.ok(result.steps.length >= 3);
  } finally {
    await store.close();
  }
});

test('--sweep-concurrency stops where the two-slot server saturates', async () => {
  const run = await verdict([
    ...target(),
    '--sweep-concurrency',
    '1,2,4,8',
    '--output-tokens',
    '8',
    '--duration',
    '1s',
    '--warmup',
    '0s',
    '--json',
    '--store',
    storeFile,
  ]);
  okOrGeneratorBound(run);
  const out = JSON.parse(run.stdout);
  assert.equal(out.kind, 'sweep');
  assert.equal(out.axis, 'concurrency');
  assert.equal(out.stoppedBecause, 'saturation', JSON.stringify(out.saturation));
  // Past two requests at once the server only queues: throughput stops growing at 4 (or 8 on a busy machine).
  assert.ok(out.saturation.value >= 4, `saturated at ${out.saturation.value}`);
  assert.ok(out.steps.length < 4 || out.saturation.value === 8);
  const store = openSqliteStore(storeFile);
  try {
    const stored = await store.getLoadTest(out.loadTestId);
    assert.equal(stored?.mode, 'sweep');
    assert.equal(stored?.maxRateWithinSlo, null, 'no SLO, no capacity');
  } finally {
    await store.close();
  }
});

test('a missed SLO exits 4 and says so; --no-store keeps nothing', async () => {
  const run = await verdict([
    ...target(),
    '--arrival',
    'closed:1',
    '--duration',
    '500ms',
    '--warmup',
    '0s',
    '--slo',
    'ttft_p50=1ms',
    '--no-store',
  ]);
  assert.ok(run.code === 4 || run.code === 5, `exit ${run.code}: ${run.stderr}`);
  if (run.code === 4) assert.match(run.stderr, /the SLO ttft_p50=1ms was missed/);
  assert.match(run.stdout, /SLO {8}MISSED/);
  assert.match(run.stdout, /Not stored \(--no-store\)/);
});

test('an endpoint that is down fails at the first request with exit 3, before any test', async () => {
  const run = await verdict([
    '--base-url',
    'http://127.0.0.1:1/v1',
    '--model',
    'm',
    '--duration',
    '30s',
    '--no-store',
  ]);
  assert.equal(run.code, 3, run.stderr);
  assert.match(
    run.stderr,
    /the first request to http:\/\/127\.0\.0\.1:1\/v1 \(m\) failed, so no test was run: connection/,
  );
});

test('bad flags exit 2 with a message that names the flag and the fix', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[...target(), '--arrival', 'closed:x'], /--arrival "closed:x": "x" is not a positive whole number/],
    [[...target(), '--find-max-rate'], /--find-max-rate needs --slo/],
    [[...target(), '--sweep-rates', '4,2'], /--sweep-rates "4,2": values must rise/],
    [[...target(), '--sweep-rates', '1,2', '--find-max-rate', '--slo', 'ttft_p99=1s'], /choose one of/],
    [['--model', 'm'], /--model needs --base-url/],
    [[...target(), '--concurency', '4'], /unknown flag --concurency/],
    [[...target(), '--gpu', 'l5'], /--gpu "l5": unknown GPU type "l5"; known: t4, l4,/],
    [[...target(), '--gpu', 'l4:0'], /--gpu "l4:0": the count after ":" is a whole number ≥ 1/],
    [[...target(), '--precision', '5%'], /--precision goes with --find-max-rate/],
    [
      [...target(), '--find-max-rate', '--slo', 'ttft_p99=1s', '--precision', '90%'],
      /--precision "90%": expected a share/,
    ],
  ];
  const runs = await Promise.all(cases.map(([args]) => verdict([...args, '--no-store'])));
  runs.forEach((run, i) => {
    assert.equal(run.code, 2, `${cases[i]![0].join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, cases[i]![1]);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });
  assert.equal(server.records().filter((r) => r.asked.model === 'm').length, 0);
});

test('a workload candidate: its cases are the prompts, the test is stored under its id, and verdict decide measures with it', async () => {
  const { writeFileSync } = await import('node:fs');
  const { parseWorkload } = await import('../src/workload/load-workload.ts');
  const { runWorkload } = await import('../src/run/run-workload.ts');
  const file = path.join(dir, 'capacity.yaml');
  const decideStore = path.join(dir, 'decide.db');
  writeFileSync(
    file,
    `version: 1
name: capacity
prompt: 'Repeat the word {{word}} and nothing else.'
cases:
  - { id: a, vars: { word: alpha }, expected: alpha }
  - { id: b, vars: { word: bravo }, expected: bravo }
graders: [contains]
candidates:
  - id: llama
    model: "openai-compatible:meta-llama/Llama-3.1-8B-Instruct"
    base_url: "${server.baseUrl}"
    max_tokens: 6
    temperature: 0
    serving: self-hosted
    hosting: cloud
    gpu: { type: l40s, cloud: aws }
    quantisation: bf16
traffic: { requests_per_month: 300000000, peak_factor: 3 }
`,
  );
  const store = openSqliteStore(decideStore);
  await runWorkload(await parseWorkload((await import('node:fs')).readFileSync(file, 'utf8'), file), {
    store,
    concurrency: 2,
  });
  await store.close();
  server.reset();

  const run = await verdict([
    '--workload',
    file,
    '--candidate',
    'llama',
    '--arrival',
    'closed:2',
    '--duration',
    '1s',
    '--warmup',
    '0s',
    '--slo',
    'ttft_p99=5s',
    '--json',
    '--store',
    decideStore,
  ]);
  okOrGeneratorBound(run);
  const out = JSON.parse(run.stdout);
  assert.equal(out.candidateId, 'llama');
  assert.match(out.settings.prompts, /^2 given conversations/);
  const asked = server.records();
  assert.ok(asked.length > 2);
  assert.ok(asked.every((r) => r.asked.model === 'meta-llama/Llama-3.1-8B-Instruct'));
  assert.ok(
    asked.slice(1).every((r) => r.asked.maxTokens === 6),
    'the candidate max_tokens',
  );

  const cli = (args: string[]) => verdictChild([...args, '--store', decideStore]);
  const [decide, report] = await Promise.all([
    cli(['decide', '--json']),
    cli(['report', '--format', 'json']),
  ]);
  assert.equal(decide.code, 0);
  const llama = JSON.parse(decide.stdout).cost.options.find(
    (o: { optionId: string }) => o.optionId === 'llama',
  );
  assert.ok(
    llama.notes.some((n: string) => n.includes(`measured: load test ${out.loadTestId}`)),
    llama.notes.join('\n'),
  );
  assert.equal(report.code, 0);
  assert.ok(JSON.parse(report.stdout).loadTests.some((row: { id: string }) => row.id === out.loadTestId));
});

test('on a terminal the progress is one line redrawn on stderr; stdout keeps the result', async () => {
  const { run } = await import('../src/cli/commands/load.ts');
  let stdout = '';
  let stderr = '';
  const code = await run(
    [
      ...target(),
      '--arrival',
      'closed:1',
      '--duration',
      '800ms',
      '--warmup',
      '0s',
      '--output-tokens',
      '4',
      '--no-store',
    ],
    {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t), isTTY: true },
      env: {},
      cwd: root,
    },
  );
  assert.ok(code === 0 || code === 5, stderr);
  assert.match(stderr, /\r\x1b\[K\d+\.\d s of 0\.8 s {2}\d+ done, 0 failed/);
  assert.doesNotMatch(stdout, /\x1b/);
  assert.match(stdout, /^Load test {2}closed loop, concurrency 1/);
});

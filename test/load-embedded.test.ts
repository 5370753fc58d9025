// The embedded llama.cpp runtime under load, in process, on the generated tiny GGUF model: per-token
// times from the provider's callback go through the same recorder as an HTTP endpoint's.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { writeTinyGguf } from '../src/demo/tiny-gguf.ts';
import { createProviderTransport } from '../src/load/provider-transport.ts';
import { runLoadTest } from '../src/load/run-load-test.ts';
import { createLlamaCppProvider, type LlamaCppProvider } from '../src/providers/llama-cpp.ts';
import { tempDir } from './helpers/temp-dir.ts';

let provider: LlamaCppProvider;
const modelPath = path.join(tempDir(), 'tiny.gguf');

before(async () => {
  await writeTinyGguf(modelPath);
  // One thread: more crawl on a shared 2-core machine.
  provider = createLlamaCppProvider({ modelPath, threads: 1 });
  // Load the model before measuring, as verdict load's first request does.
  await provider.generate({ messages: [{ role: 'user', content: 'hi' }], params: { max_tokens: 1 } });
});
after(() => provider.close());

test('a closed-loop test of the embedded runtime measures TTFT, TPOT and every inter-token gap', async () => {
  const transport = createProviderTransport(provider, { params: { temperature: 0 } });
  const result = await runLoadTest({
    target: { baseUrl: 'llama-cpp:tiny.gguf', model: 'verdict-tiny-random' },
    transport,
    arrival: { kind: 'closed', concurrency: 2 },
    prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 12 } },
    outputTokens: { kind: 'fixed', value: 12 },
    durationMs: 1500,
    maxRequests: 8,
    warmupMs: 200,
    keepRequests: true,
  });
  assert.equal(result.target.baseUrl, 'llama-cpp:tiny.gguf');
  assert.equal(result.counts.failed, 0, JSON.stringify(result.errors));
  assert.ok(result.counts.completed >= 1, 'at least one request completed');
  assert.ok(result.counts.warmup >= 1, 'the first requests were warm-up');
  const requests = result.requests!.filter((r) => !r.warmup && !r.error);
  for (const r of requests) {
    assert.ok(r.ttftMs! > 0 && r.e2eMs! >= r.ttftMs!, 'TTFT within E2E');
    assert.ok(r.outputTokens! >= 1 && r.outputTokens! <= 12, `output ≤ max_tokens, got ${r.outputTokens}`);
    assert.equal(r.tokenSource, 'server', 'the runtime counts its own tokens');
    // One gap per token after the first, each from the runtime's own callback.
    assert.equal(r.itlsMs!.length, r.chunks - 1);
    assert.ok(r.inputTokens! > 12, 'input tokens include the chat template');
  }
  const long = requests.filter((r) => r.outputTokens! > 1);
  if (long.length > 0) assert.ok(result.latency.tpot.count >= 1 && result.latency.itl.count >= 1);
  // The runtime's compute is this process's CPU time: no sign of a bound generator.
  assert.doesNotMatch(result.client.note ?? '', /of a core/);
  // Two requests at once on one sequence: the second waits its turn, and that wait is TTFT.
  assert.ok(result.latency.ttft.max! >= result.latency.ttft.min!);
});

test('a request the runtime cannot finish in time is a timeout, apart from latencies', async () => {
  const transport = createProviderTransport(provider);
  const result = await runLoadTest({
    target: { baseUrl: 'llama-cpp:tiny.gguf', model: 'verdict-tiny-random' },
    transport,
    arrival: { kind: 'closed', concurrency: 1 },
    prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 8 } },
    outputTokens: { kind: 'fixed', value: 400 },
    durationMs: 50,
    maxRequests: 1,
    requestTimeoutMs: 1,
  });
  assert.equal(result.counts.sent, 1);
  assert.equal(result.counts.completed + result.counts.failed, 1);
  if (result.counts.failed === 1) {
    assert.ok(result.errors.byKind.timeout, JSON.stringify(result.errors));
    assert.equal(result.latency.ttft.count, 0);
  }
});

test('verdict load --model llama-cpp:FILE measures the embedded runtime in its own process', async () => {
  const { spawn } = await import('node:child_process');
  const root = path.join(import.meta.dirname, '..');
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'bin', 'verdict.js'),
        'load',
        '--model',
        `llama-cpp:${modelPath}`,
        '--threads',
        '1',
        '--arrival',
        'closed:1',
        '--duration',
        '1s',
        '--warmup',
        '0s',
        '--input-tokens',
        '8',
        '--output-tokens',
        '8',
        '--json',
        '--no-store',
      ],
      { cwd: root, env: { ...process.env, CI: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assert.ok(run.code === 0 || run.code === 5, `exit ${run.code}: ${run.stderr}`);
  const out = JSON.parse(run.stdout);
  assert.equal(out.kind, 'load-test');
  assert.equal(out.target.baseUrl, `llama-cpp:${modelPath}`);
  assert.equal(out.target.model, 'tiny.gguf');
  assert.ok(out.counts.completed >= 1 && out.counts.failed === 0, JSON.stringify(out.errors));
  assert.equal(out.loadTestId, null);
});

test('a model file that does not load fails before any test with exit 3', async () => {
  const { spawnSync } = await import('node:child_process');
  const root = path.join(import.meta.dirname, '..');
  const run = spawnSync(
    process.execPath,
    [
      path.join(root, 'bin', 'verdict.js'),
      'load',
      '--model',
      'llama-cpp:/nonexistent/model.gguf',
      '--no-store',
    ],
    { cwd: root, encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(run.status, 3, run.stderr);
  assert.match(run.stderr, /cannot load model \/nonexistent\/model\.gguf: file not found/);
});

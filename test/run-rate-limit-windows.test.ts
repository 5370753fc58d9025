// Rate limits per endpoint and model, their window read from the headers (issue 20): two models
// on one endpoint, each with a limit of its own over a window of its own, stated as a count per
// window with a reset — not per minute. Each model must run near its own allowed rate.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer, type WireRateLimit } from './servers/wire-server.ts';

async function twoModels(limits: Record<string, WireRateLimit>, cases: number, wire: 'openai' | 'anthropic') {
  const server = await startWireServer({
    rateLimitPerModel: limits,
    answer: (request) => `ok ${request.prompt}`,
  });
  after(() => server.close());
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const list = Array.from(
    { length: cases },
    (_, i) => `  - { vars: { q: "case ${i}" }, expected: "ok case ${i}" }`,
  );
  const candidates = Object.keys(limits).map((model) =>
    wire === 'openai'
      ? `  - { id: ${model}, model: "openai-compatible:${model}", base_url: "${server.urls.openai}" }`
      : `  - { id: ${model}, model: "anthropic:${model}", base_url: "${server.urls.anthropic}" }`,
  );
  const workload = await parseWorkload(
    `version: 1\nname: windows\nprompt: "{{q}}"\ncases:\n${list.join('\n')}\ngraders: [equals]\ncandidates:\n${candidates.join('\n')}\n`,
    path.join(dir, 'windows.yaml'),
  );
  const summary = await runWorkload(workload, {
    store,
    concurrency: 8,
    env: { ANTHROPIC_API_KEY: 'test-key-anthropic' },
  });
  assert.equal(summary.errors, 0);
  assert.equal(summary.results, cases * Object.keys(limits).length);
  return Object.fromEntries(
    Object.entries(limits).map(([model, limit]) => {
      const calls = server.calls.filter((call) => call.model === model);
      const answered = calls.filter((call) => call.status !== 429).map((call) => call.at);
      const span = Math.max(...answered) - Math.min(...answered);
      // Starts after the first window's burst over the time they took: the pace the gate held.
      const allowedPerMs = limit.requests / limit.windowMs;
      const paced = answered.filter((at) => at >= Math.min(...answered) + limit.windowMs);
      const pacedSpan = Math.max(...paced) - (Math.min(...answered) + limit.windowMs);
      return [
        model,
        {
          calls: calls.length,
          limited: calls.filter((call) => call.status === 429).length,
          ratio: (paced.length - 1) / pacedSpan / allowedPerMs,
          span,
        },
      ];
    }),
  );
}

test('two models on one endpoint each run at their own limit, read from per-window headers', async () => {
  const result = await twoModels(
    {
      fast: { requests: 20, windowMs: 1000, limitPerWindow: true },
      slow: { requests: 10, windowMs: 2500, limitPerWindow: true },
    },
    40,
    'openai',
  );
  for (const [model, figures] of Object.entries(result)) {
    // Paced at its own allowed rate after the first window (above 1 where the sliding window let a
    // burst through; the server's 429s count any overshoot). Per minute, it was 1/24 of it.
    assert.ok(figures.ratio >= 0.9, `${model}: ${JSON.stringify(figures)}`);
    assert.ok(figures.limited <= 4, `${model}: ${JSON.stringify(figures)}`);
  }
});

test("Anthropic's anthropic-ratelimit-* reset headers pace a model the same way", async () => {
  const result = await twoModels(
    { 'claude-a': { requests: 15, windowMs: 1500, limitPerWindow: true } },
    45,
    'anthropic',
  );
  const figures = result['claude-a']!;
  assert.ok(figures.ratio >= 0.9, JSON.stringify(figures));
  assert.ok(figures.limited <= 4, JSON.stringify(figures));
});

test('a fixed window, whose allowance comes back whole when it ends, is paced the same way', async () => {
  const result = await twoModels(
    { fixed: { requests: 12, windowMs: 1200, limitPerWindow: true, window: 'fixed' } },
    40,
    'openai',
  );
  const figures = result.fixed!;
  assert.ok(figures.ratio >= 0.9, JSON.stringify(figures));
  assert.ok(figures.limited <= 4, JSON.stringify(figures));
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { findMaxRate } from '../src/load/find-max-rate.ts';
import { renderLoadTest, renderMaxRate, renderSweep } from '../src/load/render-load-test.ts';
import { runLoadTest } from '../src/load/run-load-test.ts';
import { parseSlo } from '../src/load/slo.ts';
import { runSweep, type StepBase } from '../src/load/sweep.ts';
import { startTimedSseServer, type TimedSseServer } from './servers/timed-sse-server.ts';

let server: TimedSseServer;
before(async () => {
  server = await startTimedSseServer({
    ttftMs: 30,
    tokenDelayMs: 5,
    concurrencyLimit: 2,
    errors: { rate: 0.1, kinds: ['http_500'], seed: 3 },
  });
});
after(() => server.close());

function base(durationMs: number): StepBase {
  return {
    target: { baseUrl: server.baseUrl, model: 'timed' },
    prompts: { kind: 'synthetic', inputTokens: { kind: 'normal', mean: 40, sd: 10 } },
    outputTokens: { kind: 'uniform', min: 4, max: 8 },
    durationMs,
    maxRequests: 500,
  };
}

function assertFits(text: string): void {
  for (const line of text.split('\n'))
    assert.ok([...line].length <= 80, `${[...line].length} columns: ${line}`);
}

test('a load test renders in 80 columns with its figures and its caveats', async () => {
  const result = await runLoadTest({
    ...base(2500),
    arrival: { kind: 'poisson', rate: 10 },
    warmupMs: 200,
    slo: parseSlo('ttft_p99=500ms,tpot_p99=50ms'),
    // A slow consumer of records stalls the generator, which must then say so.
    onRequest: () => {
      const until = performance.now() + 60;
      while (performance.now() < until) {}
    },
  });
  const text = renderLoadTest(result);
  assertFits(text);
  assert.match(text, /^Load test {2}poisson 10\/s -> http:\/\/127\.0\.0\.1:\d+\/v1 \(timed\)/);
  assert.match(text, /Throughput [\d.]+ req\/s, [\d.]+ output tok\/s/);
  assert.match(text, /Goodput {4}[\d.]+ req\/s \(\d+ requests\) within\s+ttft_p99=500ms,tpot_p99=50ms/);
  assert.match(text, /^TTFT ms +[\d.]+/m);
  assert.match(text, /^TPOT ms /m);
  assert.match(text, /^ITL ms /m);
  assert.match(text, /^E2E ms /m);
  assert.match(text, /Tokens {5}output \d+ from server usage/);
  // The server's seeded generator fails requests 2, 3, 10 and 21 (0-based 1, 2, 9, 20), so a 2.5 s
  // run always has failures to render.
  assert.ok(result.counts.failed > 0, `no failed request among ${result.counts.sent}`);
  assert.match(text, /Errors {5}http_500 \d+ \(not in latencies\)/);
  assert.equal(result.client.generatorBound, true, JSON.stringify(result.client));
  assert.match(result.client.note!, /^The load generator was a bottleneck: /);
  assert.match(text, /! The load generator was a bottleneck/);
});

test('a sweep and a max-rate search render in 80 columns', async () => {
  const sweep = await runSweep({
    base: base(1000),
    axis: 'concurrency',
    values: [1, 2, 4],
    maxErrorRate: 0.5,
  });
  const sweepText = renderSweep(sweep);
  assertFits(sweepText);
  assert.match(sweepText, /^Sweep over concurrency \(closed loop\)/);
  assert.equal(sweepText.split('\n').filter((l) => /^ {7}[124] /.test(l)).length, sweep.steps.length);

  const search = await findMaxRate({
    base: base(1000),
    slo: parseSlo('ttft_p99=80ms'),
    process: 'constant',
    startRate: 20,
    maxSteps: 3,
    maxErrorRate: 0.5,
  });
  const searchText = renderMaxRate(search);
  assertFits(searchText);
  assert.match(searchText, /^Max rate within ttft_p99=80ms: /);
  assert.equal(search.steps.length, 3);
});

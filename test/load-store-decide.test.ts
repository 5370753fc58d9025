// A stored load test becomes the measured capacity per replica of the candidate it measured: the
// report and the decision replace the roofline estimate with it, and show the test's sweep rows.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildReport } from '../src/report/build-report.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import type { LoadTestRecord } from '../src/spec/load-test-record.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startTimedSseServer, type TimedSseServer } from './servers/timed-sse-server.ts';

const dir = tempDir();
let server: TimedSseServer;
let store: Store;
let runId: string;

before(async () => {
  server = await startTimedSseServer({ ttftMs: 1, tokenDelayMs: 1, outputTokens: 4 });
  store = openSqliteStore(path.join(dir, 'verdict.db'));
  const yaml = `version: 1
name: capacity
prompt: 'Say {{word}}.'
cases:
  - { id: a, vars: { word: one }, expected: one }
  - { id: b, vars: { word: two }, expected: two }
graders: [contains]
candidates:
  - id: llama
    model: "openai-compatible:meta-llama/Llama-3.1-8B-Instruct"
    base_url: "${server.baseUrl}"
    serving: self-hosted
    hosting: cloud
    gpu: { type: l40s, cloud: aws }
    quantisation: bf16
traffic: { requests_per_month: 300000000, peak_factor: 3, input_tokens_per_request: 600, output_tokens_per_request: 150 }
`;
  const workload = await parseWorkload(yaml, path.join(dir, 'capacity.yaml'));
  runId = (await runWorkload(workload, { store, concurrency: 2 })).runId;
});
after(async () => {
  await store.close();
  await server.close();
});

function maxRateRecord(id: string, finishedAt: string, rate: number, extra: Partial<LoadTestRecord> = {}) {
  const step = (r: number, held: boolean) => ({
    rate: r,
    held,
    reasons: [],
    result: {
      kind: 'load-test',
      target: { baseUrl: server.baseUrl, model: 'meta-llama/Llama-3.1-8B-Instruct' },
      arrival: { kind: 'poisson', rate: r },
      throughput: { requestsPerSec: r * 0.97, outputTokensPerSec: r * 150 },
      latency: { ttft: { p50: 100, p99: 300 }, e2e: { p50: 900, p99: 1500 } },
      slo: { met: held, goodputPerSec: held ? r : 0 },
    },
  });
  const result = {
    schemaVersion: 1,
    kind: 'max-rate',
    slo: 'ttft_p99=500ms',
    maxRatePerSec: rate,
    steps: [step(rate, true), step(rate * 2, false)],
  };
  return {
    id,
    runId: null,
    target: server.baseUrl,
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    candidateId: 'llama',
    mode: 'max-rate' as const,
    slo: 'ttft_p99=500ms',
    startedAt: finishedAt,
    finishedAt,
    maxRateWithinSlo: rate,
    resultJson: JSON.stringify(result),
    ...extra,
  };
}

const option = (report: Awaited<ReturnType<typeof buildReport>>) =>
  report.cost!.options.find((o) => o.optionId === 'llama')!;

test('the latest stored load test of a candidate replaces its roofline estimate, labelled measured', async () => {
  const before = await buildReport(store, runId);
  assert.ok(
    option(before).notes!.some((n) => /roofline/.test(n)),
    `estimated first: ${option(before).notes}`,
  );
  assert.equal(before.loadTests, undefined);

  // An older test, one that found no capacity, and the latest: only the latest with a capacity counts.
  await store.saveLoadTest(maxRateRecord('lt-old', '2026-11-20T10:00:00.000Z', 5));
  await store.saveLoadTest(
    maxRateRecord('lt-none', '2026-11-24T11:00:00.000Z', 0, { maxRateWithinSlo: null }),
  );
  await store.saveLoadTest(maxRateRecord('lt-new', '2026-11-24T10:00:00.000Z', 20));

  // A stored load test is new evidence: the stored decision keeps its figures until decided again.
  assert.deepEqual((await buildReport(store, runId)).decision, before.decision);
  const after = await buildReport(store, runId, { redecide: true });
  const llama = option(after);
  // 300M a month = 114.16 req/s × 3 peak = 342.47 req/s ÷ (20 req/s × 0.7) = 24.46 → 25 replicas.
  assert.equal(llama.replicas, 25);
  assert.ok(
    llama.notes!.some((n) => /20 requests\/s per replica .*measured: load test lt-new/.test(n)),
    `measured: ${llama.notes}`,
  );
  assert.ok(!llama.notes!.some((n) => /roofline/.test(n)));
  assert.ok(!after.decision.caveats.some((c) => /capacity per replica of llama is an estimate/.test(c)));
  // The report carries the test's steps for the sweep chart.
  assert.deepEqual(
    after.loadTests!.map((row) => [row.id, row.loadKind, row.load, row.sloMet]),
    [
      ['lt-new#1', 'rate', 20, true],
      ['lt-new#2', 'rate', 40, false],
    ],
  );
});

test('a load test stored without a candidate counts for the candidate whose endpoint and model it targeted', async () => {
  await store.saveLoadTest(
    maxRateRecord('lt-by-url', '2026-11-24T12:00:00.000Z', 40, {
      candidateId: null,
      target: `${server.baseUrl}/`,
    }),
  );
  await store.saveLoadTest(
    maxRateRecord('lt-other', '2026-11-24T13:00:00.000Z', 80, {
      candidateId: null,
      model: 'another-model',
    }),
  );
  // Another workload's candidate of the same id, on another model, is not this one.
  await store.saveLoadTest(
    maxRateRecord('lt-same-id', '2026-11-24T14:00:00.000Z', 90, { model: 'another-model' }),
  );
  const report = await buildReport(store, runId, { redecide: true });
  assert.ok(option(report).notes!.some((n) => /40 requests\/s per replica .*load test lt-by-url/.test(n)));
});

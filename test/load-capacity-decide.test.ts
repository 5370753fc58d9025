// What the decision makes of a stored capacity: the lower end of a search's interval, an upper
// bound when nothing met the objective (refusing a stated capacity_rps above it), and nothing
// from a test that ran on other hardware — each said in the option's notes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { findMaxRate } from '../src/load/find-max-rate.ts';
import { embeddedHardware } from '../src/load/load-hardware.ts';
import { toLoadTestRecord } from '../src/load/load-record.ts';
import { parseSlo } from '../src/load/slo.ts';
import { buildReport } from '../src/report/build-report.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startTimedSseServer, type TimedSseServer } from './servers/timed-sse-server.ts';

const dir = tempDir();
const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
let server: TimedSseServer;
let store: Store;

before(async () => {
  server = await startTimedSseServer({ ttftMs: 5, tokenDelayMs: 1, outputTokens: 2 });
  store = openSqliteStore(path.join(dir, 'verdict.db'));
});
after(async () => {
  await store.close();
  await server.close();
});

/** A run of a one-candidate workload, its candidate on an L40S; `extra` adds deployment fields. */
async function runWith(id: string, extra = ''): Promise<string> {
  const yaml = `version: 1
name: ${id}
prompt: 'Say {{word}}.'
cases:
  - { id: a, vars: { word: one }, expected: one }
graders: [contains]
candidates:
  - id: ${id}
    model: "openai-compatible:${MODEL}"
    base_url: "${server.baseUrl}"
    serving: self-hosted
    hosting: cloud
    gpu: { type: l40s, cloud: aws }
    quantisation: bf16${extra}
traffic: { requests_per_month: 30000000, peak_factor: 2, input_tokens_per_request: 600, output_tokens_per_request: 150 }
`;
  const workload = await parseWorkload(yaml, path.join(dir, `${id}.yaml`));
  return (await runWorkload(workload, { store, concurrency: 1 })).runId;
}

const optionOf = async (runId: string, id: string) =>
  (await buildReport(store, runId)).cost!.options.find((o) => o.optionId === id)!;

test('a search that met its objective at no rate stores an upper bound; decide shows it and refuses capacity_rps above it', async () => {
  const search = await findMaxRate({
    base: {
      target: { baseUrl: server.baseUrl, model: MODEL },
      prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 8 } },
      durationMs: 1000,
      maxRequests: 500,
    },
    // Every request takes at least 5 ms to its first token: this objective fails at any rate.
    slo: parseSlo('ttft_p99=1ms'),
    process: 'constant',
    startRate: 40,
  });
  assert.equal(search.maxRatePerSec, null);
  assert.equal(search.stoppedBecause, 'floor');
  // Requests hardly overlapped at 40 req/s, so a lower rate would not help: one step, one bound.
  assert.equal(search.upperBoundPerSec, 40);
  const record = toLoadTestRecord(search, {
    id: 'lt-bound',
    target: { baseUrl: server.baseUrl, model: MODEL },
    candidateId: 'bounded',
    runId: null,
  });
  assert.equal(record.maxRateWithinSlo, null);
  await store.saveLoadTest(record);

  const runId = await runWith('bounded', '\n    capacity_rps: 100');
  const option = await optionOf(runId, 'bounded');
  const notes = option.notes!.join('\n');
  assert.match(
    notes,
    /its capacity is below 40 requests\/s per replica \(measured: load test lt-bound met ttft_p99=1ms at no rate tried/,
  );
  assert.match(
    notes,
    /capacity_rps 100 requests\/s is refused: the load test found the objective missed at 40/,
  );
  assert.match(
    notes,
    /priced at 40 requests\/s per replica, more than it was shown to serve: its replicas and cost are lower bounds/,
  );
  // Priced at the bound, not at the stated 100: 30M a month = 11.42 req/s × 2 peak = 22.83 req/s.
  assert.ok(
    option.notes!.some((n) => /^bounded: 40 requests\/s per replica of /.test(n)),
    notes,
  );
});

test('a search with an interval is priced at its lower end, and says so', async () => {
  const result = {
    schemaVersion: 1,
    kind: 'max-rate',
    slo: 'ttft_p99=500ms',
    maxRatePerSec: 30,
    failedAtPerSec: 32,
    estimatePerSec: 31,
    interval: { lowPerSec: 28.5, highPerSec: 33.2, level: 0.95, steps: 9 },
    capacityPerSec: 28.5,
    upperBoundPerSec: null,
    steps: [],
    hardware: {
      endpoint: server.baseUrl,
      engine: 'vllm',
      engineVersion: '0.6.3',
      gpu: { model: 'l40s', count: 1, source: 'flag' },
      cpu: null,
      device: 'gpu',
    },
  };
  await store.saveLoadTest({
    id: 'lt-interval',
    runId: null,
    target: server.baseUrl,
    model: MODEL,
    candidateId: 'interval',
    mode: 'max-rate',
    slo: 'ttft_p99=500ms',
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: '2026-11-24T10:05:00.000Z',
    maxRateWithinSlo: 28.5,
    resultJson: JSON.stringify(result),
  });
  const option = await optionOf(await runWith('interval'), 'interval');
  assert.ok(
    option.notes!.some((n) =>
      /28\.5 requests\/s per replica .*the lower end of the 95% interval 28\.5–33\.2 req\/s of the highest rate that met ttft_p99=500ms/.test(
        n,
      ),
    ),
    option.notes!.join('\n'),
  );
});

test('a test of the embedded runtime on a CPU is not used for a GPU candidate, and the decision says why', async () => {
  const result = {
    schemaVersion: 1,
    kind: 'max-rate',
    slo: 'ttft_p99=500ms',
    maxRatePerSec: 169,
    capacityPerSec: 169,
    steps: [],
    hardware: embeddedHardware(false, null),
  };
  await store.saveLoadTest({
    id: 'lt-cpu',
    runId: null,
    target: 'llama-cpp:./model.gguf',
    model: MODEL,
    candidateId: 'ongpu',
    mode: 'max-rate',
    slo: 'ttft_p99=500ms',
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: '2026-11-24T10:05:00.000Z',
    maxRateWithinSlo: 169,
    resultJson: JSON.stringify(result),
  });
  const option = await optionOf(await runWith('ongpu'), 'ongpu');
  const notes = option.notes!.join('\n');
  assert.match(
    notes,
    /ongpu: no measured capacity on its hardware — load test lt-cpu ran the model on a CPU \(.+, \d+ cores\), not on 1 × NVIDIA L40S[^:]*: its rate is not this replica's capacity/,
  );
  assert.match(notes, /roofline estimate/, 'priced on the estimate instead');
  assert.doesNotMatch(notes, /169 requests\/s/);
});

test('--load-test takes a result that met its objective at no rate as an upper bound, and refuses one from other hardware', async () => {
  const { capacityFromLoadTest } = await import('../src/report/cost-inputs.ts');
  const workload = await parseWorkload(
    `version: 1
name: files
prompt: 'Say {{word}}.'
cases:
  - { id: a, vars: { word: one }, expected: one }
graders: [contains]
candidates:
  - id: llama
    model: "openai-compatible:${MODEL}"
    base_url: "${server.baseUrl}"
    serving: self-hosted
    gpu: { type: l4 }
`,
    path.join(dir, 'files.yaml'),
  );
  const failed = {
    kind: 'max-rate',
    slo: 'ttft_p99=1ms',
    maxRatePerSec: null,
    capacityPerSec: null,
    upperBoundPerSec: 40,
    steps: [{ result: { target: { baseUrl: server.baseUrl, model: MODEL } } }],
  };
  const bound = capacityFromLoadTest(failed, workload, 'failed.json');
  assert.equal(bound.capacity.bound, 'below');
  assert.equal(bound.capacity.requestsPerSecond, 40);
  assert.throws(
    () => capacityFromLoadTest({ ...failed, hardware: embeddedHardware(false, null) }, workload, 'cpu.json'),
    /cpu\.json: load test cpu\.json ran the model on a CPU \(.+\), not on 1 × NVIDIA L4/,
  );
});

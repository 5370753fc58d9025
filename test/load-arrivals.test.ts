import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { arrivalSchedule } from '../src/load/arrivals.ts';
import { createPromptSource, drawLength } from '../src/load/prompts.ts';
import { createRandom } from '../src/load/random.ts';
import { runLoadTest } from '../src/load/run-load-test.ts';
import { startTimedSseServer, type TimedSseServer } from './servers/timed-sse-server.ts';

/** One-sample Kolmogorov–Smirnov statistic of `sample` against Exponential(rate). */
function ksExponential(sample: number[], rate: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const cdf = 1 - Math.exp(-rate * x);
    d = Math.max(d, (i + 1) / n - cdf, cdf - i / n);
  });
  return d;
}

/**
 * Critical value at α = 0.05 for a fully specified distribution: Stephens (1974), "EDF
 * statistics for goodness of fit", JASA 69:730–737, Table 1A: D·(√n + 0.12 + 0.11/√n) > 1.358.
 * SciPy 1.17.1 `stats.kstwo.ppf(0.95, n)` gives 0.095158 at n = 200 and 0.030283 at n = 2000.
 */
function ksCritical05(n: number): number {
  return 1.358 / (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n));
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

test('the KS statistic and critical value match SciPy', () => {
  // scipy.stats.kstest([0.1, 0.5, 1.0, 2.0], 'expon', args=(0, 1.0)).statistic
  assert.ok(Math.abs(ksExponential([0.1, 0.5, 1.0, 2.0], 1) - 0.15483741803595957) < 1e-12);
  // scipy.stats.kstest([0.05, 0.3, 0.31, 0.8, 1.7, 2.2, 0.02, 0.9], 'expon', args=(0, 0.5)).statistic
  assert.ok(
    Math.abs(ksExponential([0.05, 0.3, 0.31, 0.8, 1.7, 2.2, 0.02, 0.9], 2) - 0.29810348200534464) < 1e-12,
  );
  assert.ok(Math.abs(ksCritical05(200) - 0.095158) < 1e-4);
  assert.ok(Math.abs(ksCritical05(2000) - 0.030283) < 1e-5);
});

test('Poisson inter-arrival times pass a KS test against the exponential', () => {
  const rate = 20;
  const n = 2000;
  let rejections = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const sample = gaps(arrivalSchedule({ kind: 'poisson', rate }, createRandom(seed), n + 1)).map(
      (g) => g / 1000,
    );
    if (ksExponential(sample, rate) > ksCritical05(n)) rejections += 1;
  }
  // At α = 0.05 a calibrated generator is rejected about once in 20 seeds; P(≥ 4) ≈ 1.6%.
  assert.ok(rejections <= 3, `${rejections} of 20 seeds rejected`);
  const seed1 = gaps(arrivalSchedule({ kind: 'poisson', rate }, createRandom(1), n + 1)).map((g) => g / 1000);
  assert.ok(ksExponential(seed1, rate) < ksCritical05(n));
});

test('the KS test has power: constant and bursty arrivals fail it', () => {
  const rate = 20;
  const n = 2000;
  const constant = gaps(arrivalSchedule({ kind: 'constant', rate }, createRandom(1), n + 1)).map(
    (g) => g / 1000,
  );
  assert.ok(ksExponential(constant, rate) > ksCritical05(n));
  const bursty = gaps(arrivalSchedule({ kind: 'gamma', rate, burstiness: 4 }, createRandom(1), n + 1)).map(
    (g) => g / 1000,
  );
  assert.ok(ksExponential(bursty, rate) > ksCritical05(n));
});

test('gamma arrivals keep the mean rate and scale the variance with burstiness', () => {
  for (const burstiness of [0.25, 1, 4]) {
    const sample = gaps(arrivalSchedule({ kind: 'gamma', rate: 10, burstiness }, createRandom(7), 20_001));
    const mean = sample.reduce((a, b) => a + b, 0) / sample.length;
    const variance = sample.reduce((a, b) => a + (b - mean) ** 2, 0) / (sample.length - 1);
    assert.ok(Math.abs(mean - 100) < 100 * 0.05, `mean gap ${mean} ms at burstiness ${burstiness}`);
    // Squared coefficient of variation of Gamma(1/b) is b.
    const cv2 = variance / (mean * mean);
    assert.ok(Math.abs(cv2 - burstiness) < burstiness * 0.1, `CV² ${cv2} at burstiness ${burstiness}`);
  }
});

test('the same seed gives the same schedule', () => {
  const a = arrivalSchedule({ kind: 'poisson', rate: 5 }, createRandom(42), 50);
  const b = arrivalSchedule({ kind: 'poisson', rate: 5 }, createRandom(42), 50);
  const c = arrivalSchedule({ kind: 'poisson', rate: 5 }, createRandom(43), 50);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('token-length distributions: fixed, uniform, normal', () => {
  const random = createRandom(3);
  assert.equal(drawLength({ kind: 'fixed', value: 128 }, random), 128);
  const uniform = Array.from({ length: 5000 }, () =>
    drawLength({ kind: 'uniform', min: 10, max: 20 }, random),
  );
  assert.equal(Math.min(...uniform), 10);
  assert.equal(Math.max(...uniform), 20);
  const normal = Array.from({ length: 5000 }, () =>
    drawLength({ kind: 'normal', mean: 200, sd: 20 }, random),
  );
  const mean = normal.reduce((a, b) => a + b, 0) / normal.length;
  const sd = Math.sqrt(normal.reduce((a, b) => a + (b - mean) ** 2, 0) / (normal.length - 1));
  assert.ok(Math.abs(mean - 200) < 1.5, `mean ${mean}`);
  assert.ok(Math.abs(sd - 20) < 1.5, `sd ${sd}`);
  const clamped = Array.from({ length: 2000 }, () =>
    drawLength({ kind: 'normal', mean: 5, sd: 50, max: 30 }, random),
  );
  assert.ok(Math.min(...clamped) >= 1 && Math.max(...clamped) <= 30);
});

test('prompts: synthetic lengths in words, given conversations in cycle', () => {
  const synthetic = createPromptSource(
    { kind: 'synthetic', inputTokens: { kind: 'uniform', min: 30, max: 40 } },
    { kind: 'fixed', value: 64 },
    createRandom(1),
  );
  for (let i = 0; i < 20; i++) {
    const prompt = synthetic(i);
    const words = prompt.messages[0]!.content.split(' ').length;
    assert.equal(words, prompt.estimatedInputTokens);
    assert.ok(words >= 30 && words <= 40);
    assert.equal(prompt.maxTokens, 64);
  }
  const conversations = [
    [{ role: 'user' as const, content: 'a' }],
    [{ role: 'user' as const, content: 'b' }],
  ];
  const given = createPromptSource({ kind: 'messages', conversations }, undefined, createRandom(1));
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => given(i).messages[0]!.content),
    ['a', 'b', 'a', 'b'],
  );
  assert.equal(given(0).maxTokens, null);
  assert.throws(
    () => createPromptSource({ kind: 'messages', conversations: [] }, undefined, createRandom(1)),
    /empty/,
  );
  assert.throws(
    () =>
      createPromptSource(
        { kind: 'synthetic', inputTokens: { kind: 'uniform', min: 9, max: 3 } },
        undefined,
        createRandom(1),
      ),
    /input tokens: a uniform length needs 1 ≤ min ≤ max/,
  );
});

let server: TimedSseServer;
before(async () => {
  server = await startTimedSseServer({ ttftMs: 20, tokenDelayMs: 5, outputTokens: 4 });
});
after(() => server.close());

test('the requests actually sent in a Poisson test pass the KS test', async () => {
  const rate = 20;
  // Up to three runs: a stall of the machine bunches sends together and can fail one run; a
  // scheduler that does not follow its Poisson schedule fails every run.
  const findings: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const result = await runLoadTest({
      target: { baseUrl: server.baseUrl, model: 'timed' },
      arrival: { kind: 'poisson', rate },
      prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 8 } },
      outputTokens: { kind: 'fixed', value: 4 },
      durationMs: 8000,
      maxRequests: 400,
      seed: 11,
      keepRequests: true,
    });
    const sent = (result.requests ?? []).map((r) => r.sentAt).sort((a, b) => a - b);
    const sample = gaps(sent).map((g) => g / 1000);
    assert.ok(sample.length >= 100, `${sample.length} gaps`);
    const d = ksExponential(sample, rate);
    if (d < ksCritical05(sample.length)) return;
    findings.push(
      `attempt ${attempt}: D = ${d.toFixed(4)} against ${ksCritical05(sample.length).toFixed(4)}, n = ${sample.length}, ` +
        `lag p99 ${result.client.scheduleLagMs.p99} ms`,
    );
  }
  assert.fail(findings.join('\n'));
});

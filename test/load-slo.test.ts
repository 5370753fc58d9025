import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateSloBounds, parseSlo, requestMeetsSlo } from '../src/load/slo.ts';
import type { LatencySummary, RequestRecord } from '../src/load/types.ts';
import { VerdictError } from '../src/spec/errors.ts';

test('parseSlo reads bounds, units and spacing', () => {
  const slo = parseSlo('ttft_p99=500ms, tpot_p99=50ms,e2e_max=2.5s,itl_p95=800us');
  assert.deepEqual(slo.bounds, [
    { metric: 'ttft', statistic: 'p99', thresholdMs: 500 },
    { metric: 'tpot', statistic: 'p99', thresholdMs: 50 },
    { metric: 'e2e', statistic: 'max', thresholdMs: 2500 },
    { metric: 'itl', statistic: 'p95', thresholdMs: 0.8 },
  ]);
  assert.equal(slo.text, 'ttft_p99=500ms,tpot_p99=50ms,e2e_max=2500ms,itl_p95=0.8ms');
  assert.deepEqual(parseSlo('TTFT_P50=0.2S').bounds, [
    { metric: 'ttft', statistic: 'p50', thresholdMs: 200 },
  ]);
});

test('parseSlo errors say what is wrong and how to write it', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /is empty; write bounds like ttft_p99=500ms/],
    [' , ', /is empty/],
    ['ttft_p99', /ttft_p99: expected NAME=VALUE/],
    ['ttf_p99=500ms', /unknown metric "ttf" \(did you mean ttft\?\); known: ttft, tpot, itl, e2e/],
    ['latency_p99=5s', /unknown metric "latency"; known/],
    ['ttft=500ms', /name a statistic, e.g. ttft_p99=500ms/],
    [
      'ttft_p98=500ms',
      /unknown statistic "p98" \(did you mean p90\?\)|unknown statistic "p98" \(did you mean p99\?\)/,
    ],
    ['ttft_p99=500', /"500" has no unit; write 500ms or 500s/],
    ['ttft_p99=fast', /"fast" is not a duration/],
    ['ttft_p99=5min', /unknown unit "min"; use us, ms or s/],
    ['ttft_p99=0ms', /must be greater than zero/],
    ['ttft_p99=-5ms', /is not a duration/],
    ['ttft_p99=500ms,ttft_p99=400ms', /ttft_p99 is given twice/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseSlo(text),
      (error: unknown) => {
        assert.ok(VerdictError.isInstance(error), `a VerdictError for "${text}"`);
        assert.equal(error.code, 'USAGE');
        assert.match(error.message, message);
        assert.ok(error.message.startsWith(`SLO "${text}"`), error.message);
        return true;
      },
    );
  }
});

function summary(p99: number | null): LatencySummary {
  return { count: p99 === null ? 0 : 10, mean: p99, min: p99, p50: p99, p90: p99, p95: p99, p99, max: p99 };
}

test('evaluateSloBounds: each bound against its statistic; nothing measured is not met', () => {
  const slo = parseSlo('ttft_p99=500ms,tpot_p99=50ms');
  const ok = evaluateSloBounds(slo, {
    ttft: summary(420),
    tpot: summary(50),
    itl: summary(9),
    e2e: summary(900),
  });
  assert.equal(ok.met, true);
  assert.deepEqual(
    ok.bounds.map((b) => [b.observedMs, b.met]),
    [
      [420, true],
      [50, true],
    ],
  );
  const missed = evaluateSloBounds(slo, {
    ttft: summary(501),
    tpot: summary(null),
    itl: summary(9),
    e2e: summary(9),
  });
  assert.equal(missed.met, false);
  assert.deepEqual(
    missed.bounds.map((b) => b.met),
    [false, false],
  );
});

test('requestMeetsSlo judges each request on its own values', () => {
  const slo = parseSlo('ttft_p99=500ms,tpot_p99=50ms,itl_max=120ms');
  const base: RequestRecord = {
    index: 0,
    warmup: false,
    scheduledAt: 0,
    sentAt: 0,
    scheduleLagMs: 0,
    ttftMs: 400,
    e2eMs: 1400,
    tpotMs: 40,
    maxItlMs: 100,
    chunks: 26,
    inputTokens: 10,
    outputTokens: 26,
    tokenSource: 'server',
    maxTokens: 26,
    finishReason: 'length',
    error: null,
  };
  assert.equal(requestMeetsSlo(base, slo), true);
  assert.equal(requestMeetsSlo({ ...base, ttftMs: 501 }, slo), false);
  assert.equal(requestMeetsSlo({ ...base, tpotMs: 50.5 }, slo), false);
  assert.equal(requestMeetsSlo({ ...base, maxItlMs: 121 }, slo), false);
  // One token: no TPOT or ITL to breach.
  assert.equal(requestMeetsSlo({ ...base, tpotMs: null, maxItlMs: null }, slo), true);
  assert.equal(requestMeetsSlo({ ...base, error: { kind: 'http_500', message: '' } }, slo), false);
});

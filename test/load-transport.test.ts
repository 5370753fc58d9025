import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoadTest } from '../src/load/run-load-test.ts';
import type { StreamHandle, StreamOutcome } from '../src/load/stream-request.ts';
import type { LoadTransport, TransportRequest } from '../src/load/types.ts';

/**
 * A runtime in this process, as the embedded llama.cpp would be driven: one sequence at a time,
 * first token 60 ms after the sequence starts, then one every 15 ms, usage counted by the runtime
 * itself. It reports each token at the time it was due and waits for that time, so the figures
 * the runner derives are exact however late a busy machine fires the timers.
 */
function inProcessRuntime(): LoadTransport & { requests: TransportRequest[]; closed: boolean } {
  const requests: TransportRequest[] = [];
  let queue = Promise.resolve();
  let sequenceEnd = 0;
  const transport = {
    requests,
    closed: false,
    send(request: TransportRequest): StreamHandle {
      requests.push(request);
      const sentAt = performance.now();
      const outcome: StreamOutcome = {
        sentAt,
        firstTokenAt: null,
        lastTokenAt: null,
        endedAt: 0,
        chunks: 0,
        itls: [],
        promptTokens: request.messages[0]!.content.split(' ').length,
        completionTokens: null,
        finishReason: null,
        error: null,
      };
      let cut = false;
      const tokens = request.maxTokens ?? 8;
      const done = queue.then(async () => {
        const start = Math.max(sentAt, sequenceEnd);
        for (let i = 0; i < tokens && !cut; i++) {
          const due = start + 60 + i * 15;
          await new Promise((resolve) =>
            setTimeout(resolve, Math.max(0, Math.ceil(due - performance.now()))),
          );
          if (outcome.lastTokenAt === null) outcome.firstTokenAt = due;
          else outcome.itls.push(due - outcome.lastTokenAt);
          outcome.lastTokenAt = due;
          outcome.chunks += 1;
        }
        outcome.endedAt = outcome.lastTokenAt ?? performance.now();
        sequenceEnd = outcome.endedAt;
        if (cut) outcome.error = { kind: 'cut', message: 'cut when the test ended' };
        else {
          outcome.completionTokens = tokens;
          outcome.finishReason = 'length';
        }
        return outcome;
      });
      queue = done.then(() => {});
      return { outcome: done, cut: () => (cut = true) };
    },
    async close() {
      transport.closed = true;
    },
  };
  return transport;
}

test('a custom transport drives a runtime in process, timed like HTTP', async () => {
  const runtime = inProcessRuntime();
  const result = await runLoadTest({
    target: { baseUrl: 'llama-cpp:./model.gguf', model: 'model.gguf' },
    transport: runtime,
    arrival: { kind: 'closed', concurrency: 1 },
    prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 12 } },
    outputTokens: { kind: 'fixed', value: 6 },
    ignoreEos: true,
    durationMs: 2000,
    maxRequests: 10,
  });
  assert.equal(result.target.baseUrl, 'llama-cpp:./model.gguf');
  assert.equal(result.counts.completed, 10);
  // The runtime reports each token at its due time, so TTFT is 60 ms and TPOT 15 ms up to the gap
  // between the runner's send stamp and the runtime's (a fraction of a millisecond, more on a loaded
  // machine: 0.3 ms seen in CI). 1 ms still tells TPOT from a wrong divisor (÷ n gives 12.5 ms).
  for (const [name, figure, expected] of [
    ['TTFT', result.latency.ttft, 60],
    ['TPOT', result.latency.tpot, 15],
  ] as const) {
    assert.ok(Math.abs(figure.min! - expected) <= 1, `${name} min ${figure.min}`);
    assert.ok(Math.abs(figure.max! - expected) <= 1, `${name} max ${figure.max}`);
  }
  assert.equal(result.tokens.output, 60);
  assert.equal(result.tokens.input, 120);
  assert.equal(result.tokens.outputSource, 'server');
  assert.ok(
    runtime.requests.every((r) => r.maxTokens === 6 && r.ignoreEos && /^verdict-load-1-/.test(r.requestId)),
  );
  assert.equal(new Set(runtime.requests.map((r) => r.requestId)).size, 10);
  assert.equal(runtime.closed, false, 'the caller owns the transport');
});

test('a custom transport needs no URL, and its requests are cut at the end', async () => {
  const runtime = inProcessRuntime();
  const result = await runLoadTest({
    target: { baseUrl: 'embedded', model: 'm' },
    transport: runtime,
    arrival: { kind: 'constant', rate: 50 },
    prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 4 } },
    outputTokens: { kind: 'fixed', value: 20 },
    durationMs: 200,
    maxRequests: 100,
    drainTimeoutMs: 100,
  });
  // One sequence at a time, 345 ms each: the queue behind it is cut.
  assert.ok(result.counts.cut > 0);
  assert.equal(result.counts.completed + result.counts.cut, result.counts.sent);
});

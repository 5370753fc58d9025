import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoadTest } from '../src/load/run-load-test.ts';
import { startTimedSseServer } from './servers/timed-sse-server.ts';

test('requests ask for streaming, usage, the drawn max_tokens and ignore_eos', async () => {
  const server = await startTimedSseServer({ ttftMs: 10, tokenDelayMs: 2 });
  try {
    const result = await runLoadTest({
      target: { baseUrl: server.baseUrl, model: 'my-model' },
      arrival: { kind: 'closed', concurrency: 2 },
      prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 8 } },
      outputTokens: { kind: 'uniform', min: 3, max: 9 },
      ignoreEos: true,
      extraBody: { model: 'not-this', stream: false, temperature: 0 },
      durationMs: 10_000,
      maxRequests: 30,
      keepRequests: true,
    });
    const asked = server.records().map((r) => r.asked);
    assert.equal(asked.length, 30);
    assert.ok(asked.every((a) => a.model === 'my-model' && a.stream && a.includeUsage && a.ignoreEos));
    const maxTokens = asked.map((a) => a.maxTokens!);
    assert.ok(Math.min(...maxTokens) >= 3 && Math.max(...maxTokens) <= 9);
    assert.ok(new Set(maxTokens).size > 1, 'lengths are drawn per request');
    // The server gives exactly max_tokens, so the counts agree request by request.
    for (const record of result.requests ?? []) assert.equal(record.outputTokens, record.maxTokens);
  } finally {
    await server.close();
  }
});

test('stream_options: null drops the usage request; counts become estimates', async () => {
  const server = await startTimedSseServer({ ttftMs: 10, tokenDelayMs: 2, outputTokens: 6 });
  try {
    const result = await runLoadTest({
      target: { baseUrl: server.baseUrl, model: 'm' },
      arrival: { kind: 'closed', concurrency: 1 },
      prompts: { kind: 'messages', conversations: [[{ role: 'user', content: 'twelve characters long' }]] },
      extraBody: { stream_options: null },
      durationMs: 10_000,
      maxRequests: 3,
    });
    assert.ok(server.records().every((r) => !r.asked.includeUsage && r.asked.maxTokens === null));
    assert.equal(result.tokens.outputSource, 'estimate');
    assert.equal(result.tokens.output, 3 * 6);
    // "twelve characters long" is 22 characters: about 6 tokens at 4 characters a token.
    assert.equal(result.tokens.input, 3 * 6);
  } finally {
    await server.close();
  }
});

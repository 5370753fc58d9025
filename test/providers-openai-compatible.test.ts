import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { createOpenAICompatibleProvider } from '../src/providers/openai-compatible.ts';
import { VerdictError } from '../src/spec/errors.ts';

test('streams a chat completion with usage from the server and time to first token', async () => {
  const seen: string[] = [];
  const server = await startStandInServer({
    answer: (messages, model) => {
      seen.push(`${model}|${messages.map((m) => `${m.role}:${m.content}`).join('|')}`);
      return 'the label is billing';
    },
  });
  after(() => server.close());
  const provider = createOpenAICompatibleProvider({ baseURL: server.url, model: 'llama-test' });
  const generation = await provider.generate({
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'classify: refund please' },
    ],
    params: { temperature: 0, max_tokens: 8 },
  });
  assert.equal(generation.text, 'the label is billing');
  assert.equal(generation.finishReason, 'stop');
  assert.equal(generation.responseModel, 'llama-test');
  // The stand-in counts words and punctuation: "be brief\nclassify: refund please" → 6, answer → 4.
  assert.equal(generation.usage.inputTokens, 6);
  assert.equal(generation.usage.outputTokens, 4);
  assert.equal(generation.usage.source, 'server');
  assert.ok(
    generation.ttftMs !== null && generation.ttftMs >= 0 && generation.ttftMs <= generation.durationMs,
  );
  assert.deepEqual(seen, ['llama-test|system:be brief|user:classify: refund please']);
  assert.equal(server.requests.chatCompletions, 1);
});

async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

test('a stream that ends early without usage is a failed call, not a short answer', async () => {
  const url = await rawServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(
      `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'bil' }, finish_reason: null }] })}\n\n`,
    );
    response.end();
  });
  const provider = createOpenAICompatibleProvider({ baseURL: url, model: 'm' });
  await assert.rejects(
    provider.generate({ messages: [{ role: 'user', content: 'hi' }], params: {} }),
    (error: unknown) =>
      VerdictError.isInstance(error) && error.code === 'PROVIDER_INCOMPLETE' && error.isRetryable,
  );
});

test('HTTP errors become classified provider errors', async () => {
  const url = await rawServer((request, response) => {
    const status = request.headers['x-test-status'] === '429' ? 429 : 500;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: `status ${status}`, type: 'server_error' } }));
  });
  const failing = createOpenAICompatibleProvider({ baseURL: url, model: 'm' });
  await assert.rejects(
    failing.generate({ messages: [{ role: 'user', content: 'hi' }], params: {} }),
    (error: unknown) =>
      VerdictError.isInstance(error) && error.code === 'PROVIDER_ERROR' && /HTTP 500/.test(error.message),
  );
  const limited = createOpenAICompatibleProvider({
    baseURL: url,
    model: 'm',
    headers: { 'x-test-status': '429' },
  });
  await assert.rejects(
    limited.generate({ messages: [{ role: 'user', content: 'hi' }], params: {} }),
    (error: unknown) => VerdictError.isInstance(error) && error.code === 'PROVIDER_RATE_LIMITED',
  );
});

test('a refused connection is a provider error naming the provider', async () => {
  const provider = createOpenAICompatibleProvider({ baseURL: 'http://127.0.0.1:9/v1', model: 'm' });
  await assert.rejects(
    provider.generate({ messages: [{ role: 'user', content: 'hi' }], params: {} }),
    (error: unknown) => VerdictError.isInstance(error) && error.message.startsWith('openai-compatible:m'),
  );
});

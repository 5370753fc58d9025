// One contract for every provider that speaks HTTP: the same calls and the same faults against a
// real local server speaking that provider's wire format, streaming and not (CONVENTIONS: shared
// contract tests). The embedded runtime has its own suite (providers-llama-cpp.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createAnthropicProvider,
  createAzureProvider,
  createBedrockProvider,
  createGoogleProvider,
  createMistralProvider,
  createOpenAIProvider,
  createVertexProvider,
} from '../src/providers/frontier.ts';
import { createOpenAICompatibleProvider } from '../src/providers/openai-compatible.ts';
import type { ProviderError } from '../src/providers/provider-error.ts';
import { VerdictError } from '../src/spec/errors.ts';
import type { Provider } from '../src/spec/provider.ts';
import { type Fault, roughTokens, startWireServer, type WireServer } from './servers/wire-server.ts';

const KEY = 'sk-contract-test-key-0000';

interface Subject {
  name: string;
  make(server: WireServer, stream: boolean): Provider;
  /** Whether the provider surfaces the answering model (the AI SDK's Google providers do not). */
  reportsModel: boolean;
  reportsReasoning: boolean;
}

const subjects: Subject[] = [
  {
    name: 'openai',
    make: (s, stream) =>
      createOpenAIProvider({ model: 'gpt-test', apiKey: KEY, baseURL: s.urls.openai, stream }),
    reportsModel: true,
    reportsReasoning: true,
  },
  {
    name: 'openai-compatible',
    make: (s, stream) =>
      createOpenAICompatibleProvider({ model: 'llama-test', baseURL: s.urls.openai, stream }),
    reportsModel: true,
    reportsReasoning: true,
  },
  {
    name: 'anthropic',
    make: (s, stream) =>
      createAnthropicProvider({ model: 'claude-test', apiKey: KEY, baseURL: s.urls.anthropic, stream }),
    reportsModel: true,
    reportsReasoning: false,
  },
  {
    name: 'google',
    make: (s, stream) =>
      createGoogleProvider({ model: 'gemini-test', apiKey: KEY, baseURL: s.urls.gemini, stream }),
    reportsModel: false,
    reportsReasoning: true,
  },
  {
    name: 'mistral',
    make: (s, stream) =>
      createMistralProvider({ model: 'mistral-test', apiKey: KEY, baseURL: s.urls.openai, stream }),
    reportsModel: true,
    reportsReasoning: false,
  },
  {
    name: 'azure',
    make: (s, stream) =>
      createAzureProvider({ model: 'deployment-test', apiKey: KEY, baseURL: `${s.origin}/openai`, stream }),
    reportsModel: true,
    reportsReasoning: true,
  },
  {
    name: 'bedrock',
    make: (s, stream) =>
      createBedrockProvider({
        model: 'bedrock-test',
        apiKey: KEY,
        baseURL: s.urls.bedrock,
        region: 'us-east-1',
        stream,
      }),
    reportsModel: false,
    reportsReasoning: false,
  },
  {
    name: 'vertex',
    make: (s, stream) =>
      createVertexProvider({ model: 'gemini-test', apiKey: KEY, baseURL: s.urls.gemini, stream }),
    reportsModel: false,
    reportsReasoning: true,
  },
];

const ANSWER = 'the label is billing';

/** Faults by prompt, so one server serves the whole suite. */
const faults: Record<string, Fault> = {
  'fault 429': { kind: 'status', status: 429, retryAfterSeconds: 2 },
  'fault 500': { kind: 'status', status: 500 },
  'fault 529': { kind: 'status', status: 529 },
  'fault 400': { kind: 'status', status: 400 },
  'fault cut': { kind: 'cut' },
  'fault drop': { kind: 'drop' },
  'fault malformed': { kind: 'malformed' },
  'fault hang': { kind: 'hang' },
  'fault slow': { kind: 'slow-first-token', ms: 60 },
};

let server: WireServer;
before(async () => {
  server = await startWireServer({
    answer: () => ANSWER,
    fault: (request) => faults[request.prompt],
    cachedInputTokens: 2,
    reasoningTokens: 3,
  });
});
after(() => server.close());

const ask = (provider: Provider, prompt: string, signal?: AbortSignal) =>
  provider.generate(
    {
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: prompt },
      ],
      params: { temperature: 0, max_tokens: 16 },
    },
    signal ? { signal } : {},
  );

function rejectsWith(code: string, retryable: boolean, extra?: (error: ProviderError) => void) {
  return (error: unknown) => {
    assert.ok(VerdictError.isInstance(error), `not a VerdictError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.isRetryable, retryable, `isRetryable for ${error.message}`);
    assert.doesNotMatch(error.message, new RegExp(KEY));
    if (extra) extra(error as ProviderError);
    return true;
  };
}

for (const subject of subjects) {
  for (const stream of [true, false]) {
    describe(`${subject.name} (${stream ? 'streaming' : 'whole response'})`, () => {
      test('answers with text, server usage, finish reason, timings and the request id', async () => {
        const before = server.calls.length;
        const generation = await ask(subject.make(server, stream), 'classify: refund please');
        assert.equal(generation.text, ANSWER);
        assert.equal(generation.finishReason, 'stop');
        const call = server.calls[before]!;
        assert.equal(call.prompt, 'classify: refund please');
        // The system message reached the server as the wire format carries it.
        assert.equal(roughTokens('be brief\nclassify: refund please'), generation.usage.inputTokens);
        assert.equal(generation.usage.cachedInputTokens, 2);
        const reasoning = ['anthropic', 'bedrock'].includes(subject.name) ? 0 : 3;
        assert.equal(generation.usage.outputTokens, roughTokens(ANSWER) + reasoning);
        if (subject.reportsReasoning) assert.equal(generation.usage.reasoningTokens, 3);
        assert.equal(generation.usage.source, 'server');
        assert.equal(generation.httpStatus, 200);
        assert.match(generation.requestId ?? '', /^req_\d+$/);
        if (subject.reportsModel) assert.ok(generation.responseModel, 'the model the server reports');
        if (stream) assert.ok(generation.ttftMs !== null && generation.ttftMs <= generation.durationMs);
        else assert.equal(generation.ttftMs, null);
      });

      test('429 is rate limited, retryable, with Retry-After', async () => {
        await assert.rejects(
          ask(subject.make(server, stream), 'fault 429'),
          rejectsWith('PROVIDER_RATE_LIMITED', true, (error) => {
            assert.equal(error.httpStatus, 429);
            assert.equal(error.rateLimit?.retryAfterMs, 2000);
          }),
        );
      });

      for (const status of [500, 529]) {
        test(`${status} is a retryable provider error`, async () => {
          await assert.rejects(
            ask(subject.make(server, stream), `fault ${status}`),
            rejectsWith('PROVIDER_ERROR', true, (error) => assert.equal(error.httpStatus, status)),
          );
        });
      }

      test('400 is not retried', async () => {
        await assert.rejects(
          ask(subject.make(server, stream), 'fault 400'),
          rejectsWith('PROVIDER_ERROR', false),
        );
      });

      test('a response cut before its end is a failed call', async () => {
        await assert.rejects(ask(subject.make(server, stream), 'fault cut'), (error: unknown) => {
          assert.ok(VerdictError.isInstance(error));
          assert.ok(['PROVIDER_INCOMPLETE', 'PROVIDER_ERROR'].includes(error.code), error.message);
          assert.ok(error.isRetryable);
          return true;
        });
      });

      test('a dropped connection is a retryable failed call', async () => {
        await assert.rejects(
          ask(subject.make(server, stream), 'fault drop'),
          rejectsWith('PROVIDER_ERROR', true),
        );
      });

      test('malformed JSON is a retryable failed call', async () => {
        await assert.rejects(ask(subject.make(server, stream), 'fault malformed'), (error: unknown) => {
          assert.ok(VerdictError.isInstance(error));
          assert.ok(error.isRetryable, error.message);
          return true;
        });
      });

      test('a request that hangs ends at the caller’s timeout', async () => {
        await assert.rejects(
          ask(subject.make(server, stream), 'fault hang', AbortSignal.timeout(150)),
          rejectsWith('PROVIDER_TIMEOUT', true),
        );
      });

      test('a slow first token shows in the time to first token', async () => {
        const generation = await ask(subject.make(server, stream), 'fault slow');
        assert.equal(generation.text, ANSWER);
        if (stream)
          assert.ok(generation.ttftMs !== null && generation.ttftMs >= 55, `ttft ${generation.ttftMs}`);
        else assert.ok(generation.durationMs >= 55);
      });
    });
  }
}

// Every wire format that the AI SDK speaks goes through this one call, so time to first token,
// usage, rate-limit headers and failure handling are measured the same way for all of them. It
// talks to the providers' language models at the AI SDK's provider-spec level (doStream /
// doGenerate): a plain chat call needs none of streamText's steps, tools and teed streams, which
// cost ~1.5× the CPU and memory per call on large runs.
import type { LanguageModel } from 'ai';
import { VerdictError } from '../spec/errors.ts';
import type { GenerateRequest, Generation, Provider } from '../spec/provider.ts';
import { classifyProviderError } from './classify-error.ts';
import { ProviderError } from './provider-error.ts';
import { parseRateLimitHeaders, requestIdFrom } from './rate-limit-headers.ts';

export interface AiSdkProviderOptions {
  /** Stream the response (default) or ask for it whole, for servers that cannot stream. */
  stream?: boolean;
}

/** The AI SDK's provider-spec language model (v4), which every @ai-sdk/* provider returns. */
type SpecModel = Extract<LanguageModel, { specificationVersion: 'v4' }>;
type CallOptions = Parameters<SpecModel['doStream']>[0];
type SpecUsage = Awaited<ReturnType<SpecModel['doGenerate']>>['usage'];
type SpecFinishReason = Awaited<ReturnType<SpecModel['doGenerate']>>['finishReason'];

function callOptions(request: GenerateRequest, signal: AbortSignal | undefined): CallOptions {
  const { params } = request;
  const prompt = request.messages.map((message) =>
    message.role === 'system'
      ? { role: 'system' as const, content: message.content }
      : { role: message.role, content: [{ type: 'text' as const, text: message.content }] },
  ) as CallOptions['prompt'];
  return {
    prompt,
    ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
    ...(params.max_tokens === undefined ? {} : { maxOutputTokens: params.max_tokens }),
    ...(params.seed === undefined ? {} : { seed: params.seed }),
    ...(params.top_p === undefined ? {} : { topP: params.top_p }),
    ...(params.stop === undefined ? {} : { stopSequences: params.stop }),
    ...(signal ? { abortSignal: signal } : {}),
  };
}

function finish(
  id: string,
  parts: {
    text: string;
    usage: SpecUsage | undefined;
    finishReason: SpecFinishReason | undefined;
    modelId: string | undefined;
    headers: Record<string, string | undefined> | undefined;
    started: number;
    firstToken: number | null;
  },
): Generation {
  const { usage, finishReason } = parts;
  const input = usage?.inputTokens.total;
  const output = usage?.outputTokens.total;
  // A stream that stops cleanly but early has no usage or no finish reason: the SDK does not
  // throw, so verdict must, or a truncated answer would be graded as real.
  if (input === undefined || output === undefined || finishReason?.raw === undefined) {
    throw new ProviderError(
      'PROVIDER_INCOMPLETE',
      `${id}: the response ended before its final event (${output === undefined ? 'no usage' : 'no finish reason'}); treated as a failed call`,
      { isRetryable: true, httpStatus: 200 },
    );
  }
  const cached = usage?.inputTokens.cacheRead;
  const reasoning = usage?.outputTokens.reasoning;
  const requestId = requestIdFrom(parts.headers);
  const rateLimit = parseRateLimitHeaders(parts.headers);
  return {
    text: parts.text,
    usage: {
      inputTokens: input,
      outputTokens: output,
      source: 'server',
      ...(cached === undefined ? {} : { cachedInputTokens: cached }),
      ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
    },
    ttftMs: parts.firstToken === null ? null : parts.firstToken - parts.started,
    durationMs: performance.now() - parts.started,
    finishReason: finishReason.unified,
    httpStatus: 200,
    ...(parts.modelId ? { responseModel: parts.modelId } : {}),
    ...(requestId ? { requestId } : {}),
    ...(rateLimit ? { rateLimit } : {}),
  };
}

/** Wraps an AI SDK language model as a verdict Provider. */
export function providerFromLanguageModel(
  id: string,
  model: LanguageModel,
  providerOptions: AiSdkProviderOptions = {},
): Provider {
  if (typeof model === 'string' || model.specificationVersion !== 'v4') {
    throw new VerdictError(
      'PROVIDER_UNKNOWN',
      `${id}: this AI SDK model does not implement the v4 provider spec`,
    );
  }
  const spec = model as SpecModel;
  const streaming = providerOptions.stream ?? true;
  return {
    id,
    async generate(request: GenerateRequest, options: { signal?: AbortSignal } = {}): Promise<Generation> {
      const started = performance.now();
      try {
        if (!streaming) {
          const result = await spec.doGenerate(callOptions(request, options.signal));
          let text = '';
          for (const part of result.content) if (part.type === 'text') text += part.text;
          return finish(id, {
            text,
            usage: result.usage,
            finishReason: result.finishReason,
            modelId: result.response?.modelId,
            headers: result.response?.headers,
            started,
            firstToken: null,
          });
        }
        const { stream, response } = await spec.doStream(callOptions(request, options.signal));
        let firstToken: number | null = null;
        let text = '';
        let failure: unknown;
        let usage: SpecUsage | undefined;
        let finishReason: SpecFinishReason | undefined;
        let modelId: string | undefined;
        for await (const part of stream as unknown as AsyncIterable<
          Awaited<ReturnType<SpecModel['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never
        >) {
          if (part.type === 'text-delta') {
            if (part.delta.length > 0) {
              firstToken ??= performance.now();
              text += part.delta;
            }
          } else if (part.type === 'finish') {
            usage = part.usage;
            finishReason = part.finishReason;
          } else if (part.type === 'response-metadata') {
            modelId = part.modelId ?? modelId;
          } else if (part.type === 'error') {
            failure ??= part.error;
          }
        }
        if (failure) throw failure;
        return finish(id, {
          text,
          usage,
          finishReason,
          modelId,
          headers: response?.headers,
          started,
          firstToken,
        });
      } catch (error) {
        throw classifyProviderError(error, id);
      }
    },
  };
}

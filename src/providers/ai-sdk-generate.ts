// Every wire format that the AI SDK speaks goes through this one call, so time to first token,
// usage, rate-limit headers and failure handling are measured the same way for all of them.
import { APICallError, generateText, type LanguageModel, type LanguageModelUsage, streamText } from 'ai';
import { VerdictError } from '../spec/errors.ts';
import type { GenerateRequest, Generation, Provider } from '../spec/provider.ts';
import { ProviderError } from './provider-error.ts';
import { parseRateLimitHeaders, requestIdFrom } from './rate-limit-headers.ts';

/** Transport failures that mean nothing listens at the address: retrying will not help. */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|bad port/;

function causeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const item = current as { message?: string; code?: string; cause?: unknown };
    parts.push(`${item.code ?? ''} ${item.message ?? String(current)}`);
    current = item.cause;
  }
  return parts.join(' | ');
}

/** Maps an SDK failure to a VerdictError whose code says whether retrying can help. */
export function classifyProviderError(error: unknown, providerId: string): VerdictError {
  if (VerdictError.isInstance(error)) return error;
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const detail = `${providerId}: HTTP ${status ?? '?'} ${error.message}`.slice(0, 500);
    const requestId = requestIdFrom(error.responseHeaders);
    const rateLimit = parseRateLimitHeaders(error.responseHeaders);
    const common = {
      cause: error,
      ...(status === undefined ? {} : { httpStatus: status }),
      ...(requestId ? { requestId } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    };
    if (status === 429)
      return new ProviderError('PROVIDER_RATE_LIMITED', detail, { ...common, isRetryable: true });
    if (status === undefined && UNREACHABLE.test(causeChain(error))) {
      return new ProviderError(
        'PROVIDER_ERROR',
        `${providerId}: cannot connect (${error.message})`.slice(0, 500),
        common,
      );
    }
    if (status !== undefined && status >= 200 && status < 300) {
      return new ProviderError(
        'PROVIDER_ERROR',
        `${providerId}: malformed response (${error.message})`.slice(0, 500),
        {
          ...common,
          isRetryable: true,
        },
      );
    }
    // 408, 409, 5xx (529 "overloaded" included) and transport failures are worth another try.
    const retryable = status === undefined || status === 408 || status === 409 || status >= 500;
    return new ProviderError('PROVIDER_ERROR', detail, { ...common, isRetryable: retryable });
  }
  const name = (error as Error)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new ProviderError('PROVIDER_TIMEOUT', `${providerId}: the call was aborted or timed out`, {
      cause: error,
      isRetryable: true,
    });
  }
  const chain = causeChain(error);
  if (UNREACHABLE.test(chain)) {
    return new ProviderError(
      'PROVIDER_ERROR',
      `${providerId}: cannot connect (${chain.trim()})`.slice(0, 500),
      {
        cause: error,
      },
    );
  }
  const message = (error as Error)?.message ?? String(error);
  if (/stream ended without/i.test(message)) {
    return new ProviderError(
      'PROVIDER_INCOMPLETE',
      `${providerId}: ${message} (the response was cut short; treated as a failed call)`,
      { cause: error, isRetryable: true },
    );
  }
  if (name === 'AI_JSONParseError' || name === 'AI_TypeValidationError') {
    return new ProviderError(
      'PROVIDER_ERROR',
      `${providerId}: malformed response (${message})`.slice(0, 500),
      {
        cause: error,
        isRetryable: true,
      },
    );
  }
  return new ProviderError('PROVIDER_ERROR', `${providerId}: ${message}`.slice(0, 500), {
    cause: error,
    isRetryable: true,
  });
}

export interface AiSdkProviderOptions {
  /** Stream the response (default) or ask for it whole, for servers that cannot stream. */
  stream?: boolean;
}

function callSettings(request: GenerateRequest, signal: AbortSignal | undefined) {
  const { params } = request;
  // The AI SDK takes system text as `instructions`, apart from the conversation.
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content);
  const conversation = request.messages.filter((message) => message.role !== 'system') as Array<{
    role: 'user' | 'assistant';
    content: string;
  }>;
  return {
    messages: conversation,
    ...(system.length > 0 ? { instructions: system.join('\n\n') } : {}),
    // The runner owns retries, so counts of attempts and waits are honest.
    maxRetries: 0,
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
    usage: LanguageModelUsage;
    finishReason: string;
    rawFinishReason: string | undefined;
    response: { modelId?: string; headers?: Record<string, string> };
    started: number;
    firstToken: number | null;
  },
): Generation {
  const { usage, finishReason } = parts;
  // A stream that stops cleanly but early ends with no usage or no finish reason: the SDK does not
  // throw, so verdict must, or a truncated answer would be graded as real.
  if (
    usage.inputTokens === undefined ||
    usage.outputTokens === undefined ||
    parts.rawFinishReason === undefined
  ) {
    throw new ProviderError(
      'PROVIDER_INCOMPLETE',
      `${id}: the response ended before its final event (${usage.outputTokens === undefined ? 'no usage' : 'no finish reason'}); treated as a failed call`,
      { isRetryable: true, httpStatus: 200 },
    );
  }
  const cached = usage.inputTokenDetails?.cacheReadTokens;
  const reasoning = usage.outputTokenDetails?.reasoningTokens;
  const requestId = requestIdFrom(parts.response.headers);
  const rateLimit = parseRateLimitHeaders(parts.response.headers);
  return {
    text: parts.text,
    usage: {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      source: 'server',
      ...(cached === undefined ? {} : { cachedInputTokens: cached }),
      ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
    },
    ttftMs: parts.firstToken === null ? null : parts.firstToken - parts.started,
    durationMs: performance.now() - parts.started,
    finishReason,
    httpStatus: 200,
    ...(parts.response.modelId ? { responseModel: parts.response.modelId } : {}),
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
  const streaming = providerOptions.stream ?? true;
  return {
    id,
    async generate(request: GenerateRequest, options: { signal?: AbortSignal } = {}): Promise<Generation> {
      const started = performance.now();
      try {
        if (!streaming) {
          const result = await generateText({ model, ...callSettings(request, options.signal) });
          return finish(id, {
            text: result.text,
            usage: result.usage,
            finishReason: result.finishReason,
            rawFinishReason: result.rawFinishReason,
            response: result.response,
            started,
            firstToken: null,
          });
        }
        let firstToken: number | null = null;
        let text = '';
        let failure: unknown;
        const result = streamText({
          model,
          ...callSettings(request, options.signal),
          onError: ({ error }) => {
            failure ??= error;
          },
        });
        for await (const part of result.fullStream) {
          if (part.type === 'text-delta' && part.text.length > 0) {
            firstToken ??= performance.now();
            text += part.text;
          } else if (part.type === 'error') {
            failure ??= part.error;
          }
        }
        if (failure) throw failure;
        const [usage, finishReason, rawFinishReason, response] = await Promise.all([
          result.usage,
          result.finishReason,
          result.rawFinishReason,
          result.response,
        ]);
        return finish(id, { text, usage, finishReason, rawFinishReason, response, started, firstToken });
      } catch (error) {
        throw classifyProviderError(error, id);
      }
    },
  };
}

// Every wire format that the AI SDK speaks goes through this one streaming call, so time to first
// token, usage and failure handling are measured the same way for all of them.
import { APICallError, type LanguageModel, streamText } from 'ai';
import { VerdictError } from '../spec/errors.ts';
import type { GenerateRequest, Generation, Provider } from '../spec/provider.ts';

/** Maps an SDK failure to a VerdictError whose code says whether retrying can help. */
export function classifyProviderError(error: unknown, providerId: string): VerdictError {
  if (VerdictError.isInstance(error)) return error;
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const detail = `${providerId}: HTTP ${status ?? '?'} ${error.message}`.slice(0, 500);
    if (status === 429)
      return new VerdictError('PROVIDER_RATE_LIMITED', detail, { cause: error, isRetryable: true });
    return new VerdictError('PROVIDER_ERROR', detail, { cause: error, isRetryable: error.isRetryable });
  }
  const name = (error as Error)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new VerdictError('PROVIDER_TIMEOUT', `${providerId}: the call was aborted or timed out`, {
      cause: error,
      isRetryable: true,
    });
  }
  const message = (error as Error)?.message ?? String(error);
  if (/stream ended without/i.test(message)) {
    return new VerdictError(
      'PROVIDER_INCOMPLETE',
      `${providerId}: ${message} (the response was cut short; treated as a failed call)`,
      {
        cause: error,
        isRetryable: true,
      },
    );
  }
  return new VerdictError('PROVIDER_ERROR', `${providerId}: ${message}`.slice(0, 500), {
    cause: error,
    isRetryable: true,
  });
}

/** Wraps an AI SDK language model as a verdict Provider. */
export function providerFromLanguageModel(id: string, model: LanguageModel): Provider {
  return {
    id,
    async generate(request: GenerateRequest, options: { signal?: AbortSignal } = {}): Promise<Generation> {
      const started = performance.now();
      let firstToken: number | null = null;
      let text = '';
      let failure: unknown;
      const { params } = request;
      try {
        // The AI SDK takes system text as `instructions`, apart from the conversation.
        const system = request.messages
          .filter((message) => message.role === 'system')
          .map((message) => message.content);
        const conversation = request.messages.filter((message) => message.role !== 'system') as Array<{
          role: 'user' | 'assistant';
          content: string;
        }>;
        const result = streamText({
          model,
          messages: conversation,
          ...(system.length > 0 ? { instructions: system.join('\n\n') } : {}),
          // The runner owns retries, so counts of attempts and waits are honest.
          maxRetries: 0,
          ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
          ...(params.max_tokens === undefined ? {} : { maxOutputTokens: params.max_tokens }),
          ...(params.seed === undefined ? {} : { seed: params.seed }),
          ...(params.top_p === undefined ? {} : { topP: params.top_p }),
          ...(params.stop === undefined ? {} : { stopSequences: params.stop }),
          ...(options.signal ? { abortSignal: options.signal } : {}),
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
        const [usage, finishReason, response] = await Promise.all([
          result.usage,
          result.finishReason,
          result.response,
        ]);
        // A stream that stops cleanly but early ends with finish reason "other" and no usage: the
        // SDK does not throw, so verdict must, or a truncated answer would be graded as real.
        if (usage.inputTokens === undefined || usage.outputTokens === undefined) {
          throw new VerdictError(
            'PROVIDER_INCOMPLETE',
            `${id}: the response ended without usage (finish reason ${finishReason}); treated as a failed call`,
            {
              isRetryable: true,
            },
          );
        }
        const cached = usage.inputTokenDetails?.cacheReadTokens;
        const reasoning = usage.outputTokenDetails?.reasoningTokens;
        return {
          text,
          usage: {
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            source: 'server',
            ...(cached === undefined ? {} : { cachedInputTokens: cached }),
            ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
          },
          ttftMs: firstToken === null ? null : firstToken - started,
          durationMs: performance.now() - started,
          finishReason,
          ...(response.modelId ? { responseModel: response.modelId } : {}),
        };
      } catch (error) {
        throw classifyProviderError(error, id);
      }
    },
  };
}

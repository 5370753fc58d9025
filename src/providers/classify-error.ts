// What a failed call means, whichever client made it: the AI SDK's providers, the OpenAI wire
// client or the judge. Kept apart from the SDK's call code so that a run against a self-hosted
// server does not load the `ai` package at all (~170 ms of start-up).
import { APICallError } from '@ai-sdk/provider';
import { VerdictError } from '../spec/errors.ts';
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

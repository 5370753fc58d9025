// One result's calls: wait for the gate, call, and on a retryable failure back off (exponential,
// full jitter) or, on a 429, wait as long as the provider says. Only the runner retries: the AI SDK's
// own retries are off, so attempts are counted honestly.
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyProviderError } from '../providers/classify-error.ts';
import { ProviderError } from '../providers/provider-error.ts';
import type { VerdictError } from '../spec/errors.ts';
import type { GenerateRequest, Generation, Provider } from '../spec/provider.ts';
import type { RateGate } from './rate-gate.ts';

export interface RetryPolicy {
  /** Retries after a retryable failure that is not a 429 (default 3). */
  maxRetries: number;
  /** Retries after a 429, which wait for the provider rather than count as failures (default 20). */
  maxRateLimitRetries: number;
  /** First backoff ceiling in milliseconds; doubles per retry (default 1000). */
  baseDelayMs: number;
  /** Largest backoff in milliseconds (default 30 000). */
  maxDelayMs: number;
  /** Per-attempt timeout in milliseconds (default 120 000). */
  timeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  maxRateLimitRetries: 20,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  timeoutMs: 120_000,
};

/** Full-jitter exponential backoff: uniform in [0, min(max, base × 2^retry)). */
export function backoffMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random = Math.random,
): number {
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
}

export type CallOutcome =
  | { kind: 'answered'; generation: Generation; attempts: number }
  | { kind: 'failed'; error: VerdictError; attempts: number; httpStatus?: number; requestId?: string }
  /** Stopped by the caller (Ctrl-C) before an answer: nothing to store, the resume makes this call. */
  | { kind: 'interrupted'; attempts: number };

export async function callWithRetries(
  provider: Provider,
  request: GenerateRequest,
  gate: RateGate,
  options: { policy: RetryPolicy; estimatedTokens: number; signal: AbortSignal },
): Promise<CallOutcome> {
  const { policy, signal } = options;
  let attempts = 0;
  let retries = 0;
  let rateLimitRetries = 0;
  for (;;) {
    try {
      await gate.permit(options.estimatedTokens, signal);
    } catch {
      return { kind: 'interrupted', attempts };
    }
    attempts++;
    // One controller per attempt, its timer cleared when the attempt ends: AbortSignal.any() over
    // the run's long-lived signal and AbortSignal.timeout() keeps every attempt's signals and
    // timers alive until the timeout fires, which costs hundreds of MB over a large run.
    const attempt = new AbortController();
    const onStop = () => attempt.abort(signal.reason);
    signal.addEventListener('abort', onStop, { once: true });
    const timer = setTimeout(
      () => attempt.abort(new DOMException('the call timed out', 'TimeoutError')),
      policy.timeoutMs,
    );
    try {
      const generation = await provider.generate(request, { signal: attempt.signal });
      clearTimeout(timer);
      signal.removeEventListener('abort', onStop);
      const used = generation.usage.inputTokens + generation.usage.outputTokens;
      gate.onSuccess(generation.rateLimit, used, options.estimatedTokens);
      return { kind: 'answered', generation, attempts };
    } catch (caught) {
      clearTimeout(timer);
      signal.removeEventListener('abort', onStop);
      if (signal.aborted) return { kind: 'interrupted', attempts };
      // The SDK reports an abort as an AbortError whatever the reason; the reason says it was the timeout.
      const error = classifyProviderError(
        attempt.signal.aborted ? (attempt.signal.reason as Error) : caught,
        provider.id,
      );
      const details = error instanceof ProviderError ? error : undefined;
      const failed = (): CallOutcome => ({
        kind: 'failed',
        error,
        attempts,
        ...(details?.httpStatus === undefined ? {} : { httpStatus: details.httpStatus }),
        ...(details?.requestId === undefined ? {} : { requestId: details.requestId }),
      });
      let wait: number;
      if (error.code === 'PROVIDER_RATE_LIMITED') {
        if (rateLimitRetries >= policy.maxRateLimitRetries) return failed();
        // The gate holds every call of this endpoint until the provider's reset, not just this one.
        gate.onRateLimited(details?.rateLimit, backoffMs(rateLimitRetries, policy) + policy.baseDelayMs);
        rateLimitRetries++;
        wait = 0;
      } else {
        if (!error.isRetryable || retries >= policy.maxRetries) return failed();
        wait = Math.max(backoffMs(retries, policy), details?.rateLimit?.retryAfterMs ?? 0);
        retries++;
      }
      try {
        if (wait > 0) await sleep(wait, undefined, { signal });
      } catch {
        return { kind: 'interrupted', attempts };
      }
    }
  }
}

// A load-test transport over a Provider in this process (the embedded llama.cpp runtime): what this
// machine itself serves, measured with the same recorder as an HTTP endpoint. Times come from the
// provider's per-token callback (GenerateOptions.onTokens) and start when the request is handed
// over, so time spent waiting for a free sequence counts in TTFT as a server's queue would.
import type { Provider } from '../spec/provider.ts';
import type { GenerationParams } from '../spec/workload.ts';
import { type StreamHandle, startOutcome } from './stream-request.ts';
import type { LoadTransport, TransportRequest } from './types.ts';

export interface ProviderTransportOptions {
  /** Sampling settings of every request (the candidate's own); max_tokens comes from each request. */
  params?: GenerationParams;
  /** Close the provider with the transport. Default false: the caller owns it. */
  closeProvider?: boolean;
}

/**
 * Sends each request as one `provider.generate` call. A provider that reports no per-token times
 * is timed from its Generation (first token and end only, so no inter-token gaps). `ignoreEos`
 * is not applied: the caller says so where it matters.
 */
export function createProviderTransport(
  provider: Provider,
  options: ProviderTransportOptions = {},
): LoadTransport {
  return {
    // The runtime computes in this process: its CPU time is the model's, not the generator's.
    inProcess: true,
    send(request: TransportRequest): StreamHandle {
      const outcome = startOutcome();
      const controller = new AbortController();
      let stopped: 'cut' | 'timeout' | null = null;
      const stop = (why: 'cut' | 'timeout') => {
        if (stopped || outcome.endedAt > 0) return;
        stopped = why;
        controller.abort(new Error(why));
      };
      const timer = setTimeout(() => stop('timeout'), request.timeoutMs);
      const onTokens = (_count: number, at: number) => {
        if (stopped) return;
        if (outcome.lastTokenAt === null) outcome.firstTokenAt = at;
        else outcome.itls.push(at - outcome.lastTokenAt);
        outcome.lastTokenAt = at;
        outcome.chunks += 1;
      };
      const params: GenerationParams = {
        ...options.params,
        ...(request.maxTokens === null ? {} : { max_tokens: request.maxTokens }),
      };
      const done = provider
        .generate({ messages: request.messages, params }, { signal: controller.signal, onTokens })
        .then(
          (generation) => {
            outcome.endedAt = performance.now();
            outcome.promptTokens = generation.usage.inputTokens;
            outcome.completionTokens = generation.usage.outputTokens;
            outcome.finishReason = generation.finishReason;
            if (outcome.chunks === 0 && generation.text !== '' && generation.ttftMs !== null) {
              // No per-token callback: the provider's own timings, measured from the end back.
              const start = outcome.endedAt - generation.durationMs;
              outcome.firstTokenAt = start + generation.ttftMs;
              outcome.lastTokenAt = outcome.endedAt;
              outcome.chunks = 1;
            }
            if (outcome.chunks === 0) outcome.error = { kind: 'no_output', message: 'no output tokens' };
          },
          (error: unknown) => {
            outcome.endedAt = performance.now();
            const message = error instanceof Error ? error.message : String(error);
            outcome.error =
              stopped === 'cut'
                ? { kind: 'cut', message: 'cut when the test ended' }
                : stopped === 'timeout'
                  ? { kind: 'timeout', message: `no end after ${request.timeoutMs} ms` }
                  : { kind: 'provider_error', message: message.slice(0, 300) };
          },
        )
        .then(() => {
          clearTimeout(timer);
          return outcome;
        });
      return { outcome: done, cut: () => stop('cut') };
    },
    close: async () => {
      if (options.closeProvider) await provider.close?.();
    },
  };
}

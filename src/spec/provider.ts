import type { ChatMessage, GenerationParams } from './workload.ts';

export interface GenerateRequest {
  messages: ChatMessage[];
  params: GenerationParams;
}

/** Where a token count came from: the server's usage report, or our own tokenizer. */
export type TokenCountSource = 'server' | 'tokenizer';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  source: TokenCountSource;
}

/** What one call produced, with its timings. Timings are milliseconds from the request being sent. */
export interface Generation {
  text: string;
  usage: Usage;
  ttftMs: number | null;
  durationMs: number;
  finishReason: string;
  /** The model id the server says answered, when it says one. */
  responseModel?: string;
  /** HTTP status of the response, for HTTP providers. */
  httpStatus?: number;
  /** The provider's id for this request (`x-request-id`, `request-id`…), for support tickets. */
  requestId?: string;
  /** What the response headers said about the caller's rate limits. */
  rateLimit?: RateLimitInfo;
}

/** Rate-limit state as a provider's response headers report it; absent fields were not reported. */
export interface RateLimitInfo {
  limitRequests?: number;
  remainingRequests?: number;
  /** Milliseconds until the request allowance resets. */
  resetRequestsMs?: number;
  limitTokens?: number;
  remainingTokens?: number;
  resetTokensMs?: number;
  /** `Retry-After` / `retry-after-ms`, in milliseconds. */
  retryAfterMs?: number;
}

/** How one call is run, beside what it asks. */
export interface GenerateOptions {
  signal?: AbortSignal;
  /**
   * Called as output tokens arrive, with how many and when (performance.now()): a load test's
   * per-token times. Optional for a provider; one that never calls it is timed by its Generation.
   */
  onTokens?: (count: number, at: number) => void;
}

/** One wire format or runtime behind one small interface (DESIGN §3). */
export interface Provider {
  /** The candidate-facing id, `provider:model`. */
  readonly id: string;
  generate(request: GenerateRequest, options?: GenerateOptions): Promise<Generation>;
  /** Frees what the provider holds (a loaded model, sockets). */
  close?(): Promise<void>;
}

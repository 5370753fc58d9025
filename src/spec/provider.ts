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
}

/** One wire format or runtime behind one small interface (DESIGN §3). */
export interface Provider {
  /** The candidate-facing id, `provider:model`. */
  readonly id: string;
  generate(request: GenerateRequest, options?: { signal?: AbortSignal }): Promise<Generation>;
  /** Frees what the provider holds (a loaded model, sockets). */
  close?(): Promise<void>;
}

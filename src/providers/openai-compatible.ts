import type { Provider } from '../spec/provider.ts';
import { createOpenAIChatWireProvider } from './openai-chat-wire.ts';

export interface OpenAICompatibleOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Stream the response (default true). */
  stream?: boolean;
}

/** Any server speaking OpenAI chat completions: vLLM, SGLang, TGI, Ollama, llama.cpp server, LM Studio. */
export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): Provider {
  return createOpenAIChatWireProvider({ id: `openai-compatible:${options.model}`, ...options });
}

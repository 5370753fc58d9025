import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { Provider } from '../spec/provider.ts';
import { providerFromLanguageModel } from './ai-sdk-generate.ts';

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
  const provider = createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: options.baseURL,
    // Usage arrives in the final chunk only when asked for (stream_options.include_usage).
    includeUsage: true,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  return providerFromLanguageModel(
    `openai-compatible:${options.model}`,
    provider.chatModel(options.model),
    options.stream === undefined ? {} : { stream: options.stream },
  );
}

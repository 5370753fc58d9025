// Closed frontier APIs through the AI SDK's own providers. Keys come from the environment only.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import type { Provider } from '../spec/provider.ts';
import { providerFromLanguageModel } from './ai-sdk-generate.ts';

export interface FrontierOptions {
  model: string;
  apiKey: string;
  baseURL?: string;
  headers?: Record<string, string>;
}

function settings(options: FrontierOptions) {
  return {
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

/** OpenAI chat completions (the wire format every OpenAI-compatible server copies). */
export function createOpenAIProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `openai:${options.model}`,
    createOpenAI(settings(options)).chat(options.model),
  );
}

export function createAnthropicProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `anthropic:${options.model}`,
    createAnthropic(settings(options))(options.model),
  );
}

export function createGoogleProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `google:${options.model}`,
    createGoogleGenerativeAI(settings(options))(options.model),
  );
}

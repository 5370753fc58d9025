// From a workload's candidate to a live provider. The only place that reads API keys, and only
// from the environment.
import path from 'node:path';
import { VerdictError } from '../spec/errors.ts';
import type { Provider } from '../spec/provider.ts';
import type { Candidate } from '../spec/workload.ts';
import { createAnthropicProvider, createGoogleProvider, createOpenAIProvider } from './frontier.ts';
import { createOpenAICompatibleProvider } from './openai-compatible.ts';

/** The environment variable each provider's key is read from unless the candidate names another. */
export const defaultApiKeyEnv: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
};

/** The API key values a workload's candidates may use, so logs and stored errors can redact them. */
export function secretsFor(candidates: Candidate[], env: NodeJS.ProcessEnv): string[] {
  const names = candidates.map((candidate) => candidate.apiKeyEnv ?? defaultApiKeyEnv[candidate.provider]);
  return names.flatMap((name) => (name && env[name] ? [env[name]] : []));
}

function requireKey(candidate: Candidate, env: NodeJS.ProcessEnv): string {
  const name = candidate.apiKeyEnv ?? defaultApiKeyEnv[candidate.provider];
  const key = name ? env[name] : undefined;
  if (!key) {
    throw new VerdictError(
      'PROVIDER_ERROR',
      `candidate "${candidate.id}" needs an API key: set ${name} in the environment`,
    );
  }
  return key;
}

export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  /** Directory that relative model paths resolve from (the workload's). */
  baseDir: string;
}

/** Builds the provider a candidate runs on. The embedded runtime is imported only when used. */
export async function createProvider(candidate: Candidate, context: ProviderContext): Promise<Provider> {
  const common = {
    model: candidate.modelName,
    ...(candidate.baseUrl ? { baseURL: candidate.baseUrl } : {}),
    ...(candidate.headers ? { headers: candidate.headers } : {}),
  };
  switch (candidate.provider) {
    case 'openai':
      return createOpenAIProvider({ ...common, apiKey: requireKey(candidate, context.env) });
    case 'anthropic':
      return createAnthropicProvider({ ...common, apiKey: requireKey(candidate, context.env) });
    case 'google':
      return createGoogleProvider({ ...common, apiKey: requireKey(candidate, context.env) });
    case 'openai-compatible': {
      const apiKey = candidate.apiKeyEnv ? context.env[candidate.apiKeyEnv] : undefined;
      return createOpenAICompatibleProvider({
        ...common,
        baseURL: candidate.baseUrl ?? '',
        ...(apiKey ? { apiKey } : {}),
      });
    }
    case 'llama-cpp': {
      const { createLlamaCppProvider } = await import('./llama-cpp.ts');
      return createLlamaCppProvider({
        id: candidate.model,
        modelPath: path.resolve(context.baseDir, candidate.modelName),
        ...(candidate.threads === undefined ? {} : { threads: candidate.threads }),
        ...(candidate.contextSize === undefined ? {} : { contextSize: candidate.contextSize }),
        ...(candidate.gpuLayers === undefined ? {} : { gpuLayers: candidate.gpuLayers }),
      });
    }
    default:
      throw new VerdictError(
        'PROVIDER_UNKNOWN',
        `unknown provider "${candidate.provider}" in ${candidate.model}`,
      );
  }
}

// From a workload's candidate to a live provider. The only place that reads API keys, and only
// from the environment.
import path from 'node:path';
import { VerdictError } from '../spec/errors.ts';
import type { Provider } from '../spec/provider.ts';
import type { Candidate } from '../spec/workload.ts';
import type { FrontierOptions } from './frontier.ts';

/** The environment variable each provider's key is read from unless the candidate names another. */
export const defaultApiKeyEnv: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
  mistral: 'MISTRAL_API_KEY',
  azure: 'AZURE_API_KEY',
  bedrock: 'AWS_BEARER_TOKEN_BEDROCK',
  vertex: 'GOOGLE_VERTEX_API_KEY',
};

/** Providers that can authenticate without a key variable (AWS credentials, Google ADC). */
const KEY_OPTIONAL = new Set(['bedrock', 'vertex', 'openai-compatible', 'llama-cpp']);

/** Other credentials the SDKs read from the environment themselves; redacted all the same. */
const OTHER_SECRET_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_API_KEY'];

/** The secret values a workload's candidates may use, so logs and stored errors can redact them. */
export function secretsFor(candidates: Candidate[], env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>(OTHER_SECRET_ENV);
  for (const candidate of candidates) {
    const name = candidate.apiKeyEnv ?? defaultApiKeyEnv[candidate.provider];
    if (name) names.add(name);
  }
  return [...names].flatMap((name) => (env[name] ? [env[name]] : []));
}

function keyFor(candidate: Candidate, env: NodeJS.ProcessEnv): string | undefined {
  const name = candidate.apiKeyEnv ?? defaultApiKeyEnv[candidate.provider];
  const key = name ? env[name] : undefined;
  if (!key && !KEY_OPTIONAL.has(candidate.provider)) {
    throw new VerdictError(
      'PROVIDER_ERROR',
      `candidate "${candidate.id}" needs an API key: set ${name} in the environment`,
    );
  }
  return key || undefined;
}

export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  /** Directory that relative model paths resolve from (the workload's). */
  baseDir: string;
}

type FrontierModule = typeof import('./frontier.ts');

// Each SDK is imported only when a candidate uses it: loading all of them costs start-up time.
const FRONTIER: Record<string, keyof FrontierModule> = {
  openai: 'createOpenAIProvider',
  anthropic: 'createAnthropicProvider',
  google: 'createGoogleProvider',
  mistral: 'createMistralProvider',
  azure: 'createAzureProvider',
  bedrock: 'createBedrockProvider',
  vertex: 'createVertexProvider',
};

/** Builds the provider a candidate runs on. The embedded runtime is imported only when used. */
export async function createProvider(candidate: Candidate, context: ProviderContext): Promise<Provider> {
  const stream = candidate.stream;
  const common = {
    model: candidate.modelName,
    ...(candidate.baseUrl ? { baseURL: candidate.baseUrl } : {}),
    ...(candidate.headers ? { headers: candidate.headers } : {}),
    ...(stream === undefined ? {} : { stream }),
  };
  const factory = FRONTIER[candidate.provider];
  if (factory) {
    const frontier = (await import('./frontier.ts'))[factory] as (options: FrontierOptions) => Provider;
    const apiKey = keyFor(candidate, context.env);
    const region =
      candidate.provider === 'bedrock'
        ? (context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION)
        : candidate.provider === 'vertex'
          ? context.env.GOOGLE_VERTEX_LOCATION
          : undefined;
    const project = candidate.provider === 'vertex' ? context.env.GOOGLE_VERTEX_PROJECT : undefined;
    return frontier({
      ...common,
      ...(apiKey ? { apiKey } : {}),
      ...(region ? { region } : {}),
      ...(project ? { project } : {}),
    });
  }
  switch (candidate.provider) {
    case 'openai-compatible': {
      const { createOpenAICompatibleProvider } = await import('./openai-compatible.ts');
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

// Everything verdict knows about a provider, one entry per `provider:` prefix: how it serves, where
// its key is, which wire it speaks, where its price and its compliance row are, how a judge uses
// it. Adding a provider is one entry here (and a row in test/providers-contract.test.ts). The
// module is data and lazy factories: an SDK loads only when a candidate uses it, so cost/ and
// decide/ read the table without paying for any of them.
import type { LanguageModel } from 'ai';
import type { Provider } from '../spec/provider.ts';
import type { Candidate, Serving } from '../spec/workload.ts';
import type { FrontierOptions } from './frontier.ts';

/** What a provider entry's factories are given; the key is read by `api-keys.ts`, never here. */
export interface ProviderBuild {
  candidate: Candidate;
  apiKey?: string;
  /** The candidate's base URL, else the entry's default. */
  baseURL?: string;
  env: NodeJS.ProcessEnv;
  /** Directory that relative model paths resolve from (the workload's). */
  baseDir: string;
}

export interface ProviderEntry {
  /** The `provider:` prefix of a candidate's model id. */
  prefix: string;
  serving: Serving;
  /** How it is spoken: an AI SDK provider, OpenAI chat completions directly, or the embedded runtime. */
  wire: 'ai-sdk' | 'openai-chat' | 'llama-cpp';
  /** The environment variable the key is read from unless the candidate names another. */
  keyEnv?: string;
  /** False when the provider can authenticate without a key variable (AWS credentials, Google ADC, a local server). */
  keyRequired: boolean;
  /** Other credentials the SDK reads from the environment itself; redacted all the same. */
  otherSecretEnv?: readonly string[];
  /** The base URL used when the candidate sets none (absent: the SDK derives it, or the candidate must set one). */
  defaultBaseUrl?: string;
  /** genai-prices' provider id, when it differs from the prefix; absent for self-hosted serving. */
  priceId?: string;
  /** API serving: who runs the endpoint, as the compliance catalogue names the host. */
  complianceHost?: string;
  /** Base-URL domains of that host, so an `openai-compatible` client pointed at it counts as the host's API. */
  domain?: RegExp;
  /** A judge on this provider answers with the SDK's structured output, or with text read for one JSON object. */
  judge: 'structured' | 'text';
  create(build: ProviderBuild): Promise<Provider>;
  /** The AI SDK model behind the provider (needed for `judge: 'structured'`). */
  languageModel?(build: ProviderBuild): Promise<LanguageModel>;
}

type FrontierModule = typeof import('./frontier.ts');

/** create + languageModel for a provider the AI SDK speaks, its model built by `frontier.ts`. */
function aiSdk(
  model: (frontier: FrontierModule, options: FrontierOptions, env: NodeJS.ProcessEnv) => LanguageModel,
): Pick<ProviderEntry, 'create' | 'languageModel'> {
  const languageModel = async (build: ProviderBuild) => {
    // The candidate's base URL only: without one the SDK picks its default and honours its own
    // variables (OPENAI_BASE_URL…); the entry's defaultBaseUrl records that default.
    const { candidate, apiKey } = build;
    const baseURL = candidate.baseUrl;
    const options: FrontierOptions = {
      model: candidate.modelName,
      ...(apiKey ? { apiKey } : {}),
      ...(baseURL ? { baseURL } : {}),
      ...(candidate.headers ? { headers: candidate.headers } : {}),
    };
    return model(await import('./frontier.ts'), options, build.env);
  };
  return {
    languageModel,
    async create(build) {
      const { providerFromLanguageModel } = await import('./ai-sdk-generate.ts');
      const stream = build.candidate.stream;
      return providerFromLanguageModel(
        build.candidate.model,
        await languageModel(build),
        stream === undefined ? {} : { stream },
      );
    },
  };
}

/** A provider speaking OpenAI chat completions at its base URL (every OpenAI-compatible server). */
export async function openAIChatWireProvider(build: ProviderBuild): Promise<Provider> {
  const { createOpenAIChatWireProvider } = await import('./openai-chat-wire.ts');
  const { candidate, apiKey } = build;
  return createOpenAIChatWireProvider({
    id: candidate.model,
    model: candidate.modelName,
    baseURL: build.baseURL ?? '',
    ...(apiKey ? { apiKey } : {}),
    ...(candidate.headers ? { headers: candidate.headers } : {}),
    ...(candidate.stream === undefined ? {} : { stream: candidate.stream }),
  });
}

const entries: ProviderEntry[] = [
  {
    prefix: 'openai',
    serving: 'api',
    wire: 'ai-sdk',
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: true,
    defaultBaseUrl: 'https://api.openai.com/v1',
    complianceHost: 'openai',
    domain: /(^|\.)openai\.com$/,
    judge: 'structured',
    ...aiSdk((f, o) => f.openAIModel(o)),
  },
  {
    prefix: 'anthropic',
    serving: 'api',
    wire: 'ai-sdk',
    keyEnv: 'ANTHROPIC_API_KEY',
    keyRequired: true,
    defaultBaseUrl: 'https://api.anthropic.com/v1',
    complianceHost: 'anthropic',
    domain: /(^|\.)anthropic\.com$/,
    judge: 'structured',
    ...aiSdk((f, o) => f.anthropicModel(o)),
  },
  {
    prefix: 'google',
    serving: 'api',
    wire: 'ai-sdk',
    keyEnv: 'GOOGLE_GENERATIVE_AI_API_KEY',
    keyRequired: true,
    defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    complianceHost: 'google',
    judge: 'structured',
    ...aiSdk((f, o) => f.googleModel(o)),
  },
  {
    prefix: 'mistral',
    serving: 'api',
    wire: 'ai-sdk',
    keyEnv: 'MISTRAL_API_KEY',
    keyRequired: true,
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    complianceHost: 'mistral',
    domain: /(^|\.)mistral\.ai$/,
    judge: 'text',
    ...aiSdk((f, o) => f.mistralModel(o)),
  },
  {
    // The model is the deployment name; the resource comes from base_url or AZURE_RESOURCE_NAME.
    prefix: 'azure',
    serving: 'api',
    wire: 'ai-sdk',
    keyEnv: 'AZURE_API_KEY',
    keyRequired: true,
    complianceHost: 'azure',
    domain: /(^|\.)openai\.azure\.com$/,
    judge: 'text',
    ...aiSdk((f, o) => f.azureModel(o)),
  },
  {
    // Without AWS_BEARER_TOKEN_BEDROCK the SDK signs requests with the AWS credentials in the environment.
    prefix: 'bedrock',
    serving: 'api',
    wire: 'ai-sdk',
    keyEnv: 'AWS_BEARER_TOKEN_BEDROCK',
    keyRequired: false,
    otherSecretEnv: ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
    priceId: 'aws',
    complianceHost: 'bedrock',
    domain: /(^|\.)amazonaws\.com$/,
    judge: 'text',
    ...aiSdk((f, o, env) => {
      const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
      return f.bedrockModel({ ...o, ...(region ? { region } : {}) });
    }),
  },
  {
    // Without a key: Google's application default credentials (GOOGLE_VERTEX_PROJECT, GOOGLE_VERTEX_LOCATION).
    prefix: 'vertex',
    serving: 'api',
    wire: 'ai-sdk',
    keyEnv: 'GOOGLE_VERTEX_API_KEY',
    keyRequired: false,
    priceId: 'google',
    complianceHost: 'vertex',
    domain: /(^|\.)googleapis\.com$/,
    judge: 'text',
    ...aiSdk((f, o, env) => {
      const region = env.GOOGLE_VERTEX_LOCATION;
      const project = env.GOOGLE_VERTEX_PROJECT;
      return f.vertexModel({ ...o, ...(region ? { region } : {}), ...(project ? { project } : {}) });
    }),
  },
  {
    // Its key, if any, only from the variable the candidate names (api_key_env).
    prefix: 'openai-compatible',
    serving: 'self-hosted',
    wire: 'openai-chat',
    keyRequired: false,
    judge: 'text',
    create: openAIChatWireProvider,
  },
  {
    prefix: 'llama-cpp',
    serving: 'embedded',
    wire: 'llama-cpp',
    keyRequired: false,
    judge: 'text',
    async create({ candidate, baseDir }) {
      const path = await import('node:path');
      const { createLlamaCppProvider } = await import('./llama-cpp.ts');
      return createLlamaCppProvider({
        id: candidate.model,
        modelPath: path.resolve(baseDir, candidate.modelName),
        ...(candidate.threads === undefined ? {} : { threads: candidate.threads }),
        ...(candidate.contextSize === undefined ? {} : { contextSize: candidate.contextSize }),
        ...(candidate.gpuLayers === undefined ? {} : { gpuLayers: candidate.gpuLayers }),
      });
    },
  },
];

const byPrefix = new Map(entries.map((entry) => [entry.prefix, entry]));

/** The entry for a `provider:` prefix, or undefined for an unknown one. */
export function providerEntry(prefix: string): ProviderEntry | undefined {
  return byPrefix.get(prefix);
}

/** Every entry, in the table's order. */
export function providerEntries(): readonly ProviderEntry[] {
  return [...byPrefix.values()];
}

/** The known `provider:` prefixes. */
export function providerPrefixes(): string[] {
  return [...byPrefix.keys()];
}

/** How a provider serves, or undefined for an unknown prefix. */
export function servingOf(prefix: string): Serving | undefined {
  return byPrefix.get(prefix)?.serving;
}

/**
 * Adds an entry at run time and returns the function that removes it: how a test adds a provider
 * with one entry. A prefix already in the table is refused rather than replaced.
 */
export function registerProvider(entry: ProviderEntry): () => void {
  if (byPrefix.has(entry.prefix)) throw new Error(`provider "${entry.prefix}" is already in the table`);
  byPrefix.set(entry.prefix, entry);
  return () => {
    if (byPrefix.get(entry.prefix) === entry) byPrefix.delete(entry.prefix);
  };
}

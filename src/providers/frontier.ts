// Frontier and managed APIs through the AI SDK's own providers: the language model each one builds.
// Keys come from the environment only; `api-keys.ts` reads them and the provider table passes them in.
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createVertex } from '@ai-sdk/google-vertex';
import { createMistral } from '@ai-sdk/mistral';
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModel } from 'ai';
import type { Provider } from '../spec/provider.ts';
import { providerFromLanguageModel } from './ai-sdk-generate.ts';

export interface FrontierOptions {
  model: string;
  /** Required by OpenAI, Anthropic, Google, Mistral and Azure; Bedrock and Vertex have other credentials. */
  apiKey?: string;
  baseURL?: string;
  headers?: Record<string, string>;
  /** Stream the response (default true). */
  stream?: boolean;
  /** Bedrock's AWS region, Vertex's location. */
  region?: string;
  /** Vertex's Google Cloud project. */
  project?: string;
}

function settings(options: FrontierOptions) {
  return {
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

/** OpenAI chat completions (the wire format every OpenAI-compatible server copies). */
export const openAIModel = (options: FrontierOptions): LanguageModel =>
  createOpenAI(settings(options)).chat(options.model);

export const anthropicModel = (options: FrontierOptions): LanguageModel =>
  createAnthropic(settings(options))(options.model);

/** Google's Gemini API (generativelanguage.googleapis.com). */
export const googleModel = (options: FrontierOptions): LanguageModel =>
  createGoogleGenerativeAI(settings(options))(options.model);

export const mistralModel = (options: FrontierOptions): LanguageModel =>
  createMistral(settings(options))(options.model);

/** Azure OpenAI: the model is the deployment name; the resource comes from base_url or AZURE_RESOURCE_NAME. */
export const azureModel = (options: FrontierOptions): LanguageModel =>
  createAzure(settings(options)).chat(options.model);

/**
 * Amazon Bedrock's Converse API. With an API key (AWS_BEARER_TOKEN_BEDROCK) it sends a bearer
 * token; without one the SDK signs requests with the AWS credentials in the environment.
 */
export const bedrockModel = (options: FrontierOptions): LanguageModel =>
  createAmazonBedrock({ ...settings(options), ...(options.region ? { region: options.region } : {}) })(
    options.model,
  );

/**
 * Gemini on Google Vertex. With an API key it uses Vertex express mode; without one, Google's
 * application default credentials (GOOGLE_VERTEX_PROJECT, GOOGLE_VERTEX_LOCATION).
 */
export const vertexModel = (options: FrontierOptions): LanguageModel =>
  createVertex({
    ...settings(options),
    ...(options.region ? { location: options.region } : {}),
    ...(options.project ? { project: options.project } : {}),
  })(options.model);

function frontierProvider(prefix: string, model: (options: FrontierOptions) => LanguageModel) {
  return (options: FrontierOptions): Provider =>
    providerFromLanguageModel(
      `${prefix}:${options.model}`,
      model(options),
      options.stream === undefined ? {} : { stream: options.stream },
    );
}

// A provider straight from options, as the contract suite builds them; a run goes through the table.
export const createOpenAIProvider = frontierProvider('openai', openAIModel);
export const createAnthropicProvider = frontierProvider('anthropic', anthropicModel);
export const createGoogleProvider = frontierProvider('google', googleModel);
export const createMistralProvider = frontierProvider('mistral', mistralModel);
export const createAzureProvider = frontierProvider('azure', azureModel);
export const createBedrockProvider = frontierProvider('bedrock', bedrockModel);
export const createVertexProvider = frontierProvider('vertex', vertexModel);

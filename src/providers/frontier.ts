// Frontier and managed APIs through the AI SDK's own providers. Keys come from the environment only;
// the registry reads them and passes them in.
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createVertex } from '@ai-sdk/google-vertex';
import { createMistral } from '@ai-sdk/mistral';
import { createOpenAI } from '@ai-sdk/openai';
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

const streamOption = (options: FrontierOptions) =>
  options.stream === undefined ? {} : { stream: options.stream };

/** OpenAI chat completions (the wire format every OpenAI-compatible server copies). */
export function createOpenAIProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `openai:${options.model}`,
    createOpenAI(settings(options)).chat(options.model),
    streamOption(options),
  );
}

export function createAnthropicProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `anthropic:${options.model}`,
    createAnthropic(settings(options))(options.model),
    streamOption(options),
  );
}

/** Google's Gemini API (generativelanguage.googleapis.com). */
export function createGoogleProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `google:${options.model}`,
    createGoogleGenerativeAI(settings(options))(options.model),
    streamOption(options),
  );
}

export function createMistralProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `mistral:${options.model}`,
    createMistral(settings(options))(options.model),
    streamOption(options),
  );
}

/** Azure OpenAI: the model is the deployment name; the resource comes from base_url or AZURE_RESOURCE_NAME. */
export function createAzureProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `azure:${options.model}`,
    createAzure(settings(options)).chat(options.model),
    streamOption(options),
  );
}

/**
 * Amazon Bedrock's Converse API. With an API key (AWS_BEARER_TOKEN_BEDROCK) it sends a bearer
 * token; without one the SDK signs requests with the AWS credentials in the environment.
 */
export function createBedrockProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `bedrock:${options.model}`,
    createAmazonBedrock({ ...settings(options), ...(options.region ? { region: options.region } : {}) })(
      options.model,
    ),
    streamOption(options),
  );
}

/**
 * Gemini on Google Vertex. With an API key it uses Vertex express mode; without one, Google's
 * application default credentials (GOOGLE_VERTEX_PROJECT, GOOGLE_VERTEX_LOCATION).
 */
export function createVertexProvider(options: FrontierOptions): Provider {
  return providerFromLanguageModel(
    `vertex:${options.model}`,
    createVertex({
      ...settings(options),
      ...(options.region ? { location: options.region } : {}),
      ...(options.project ? { project: options.project } : {}),
    })(options.model),
    streamOption(options),
  );
}

// The `provider:` prefixes a candidate's model may start with, and how each one serves.
import type { Serving } from '../spec/workload.ts';

export const providerServing = {
  openai: 'api',
  anthropic: 'api',
  google: 'api',
  mistral: 'api',
  azure: 'api',
  bedrock: 'api',
  vertex: 'api',
  'openai-compatible': 'self-hosted',
  'llama-cpp': 'embedded',
} as const satisfies Record<string, Serving>;

export type ProviderPrefix = keyof typeof providerServing;

export const providerPrefixes = Object.keys(providerServing) as ProviderPrefix[];

/** Splits `provider:model` at the first colon; model names may contain colons (`llama3.1:8b`). */
export function splitModelId(id: string): { provider: string; modelName: string } {
  const colon = id.indexOf(':');
  return colon < 0
    ? { provider: '', modelName: id }
    : { provider: id.slice(0, colon), modelName: id.slice(colon + 1) };
}

// From a workload's candidate to a live provider, through its entry in the provider table.
import { VerdictError } from '../spec/errors.ts';
import type { Provider } from '../spec/provider.ts';
import type { Candidate } from '../spec/workload.ts';
import { apiKeyFor } from './api-keys.ts';
import { type ProviderBuild, type ProviderEntry, providerEntry } from './provider-table.ts';

export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  /** Directory that relative model paths resolve from (the workload's). */
  baseDir: string;
}

/** The entry for a candidate's provider; PROVIDER_UNKNOWN when the table has none. */
export function entryFor(candidate: Pick<Candidate, 'provider' | 'model'>): ProviderEntry {
  const entry = providerEntry(candidate.provider);
  if (!entry)
    throw new VerdictError(
      'PROVIDER_UNKNOWN',
      `unknown provider "${candidate.provider}" in ${candidate.model}`,
    );
  return entry;
}

/** What a table entry's factories need for a candidate: its key (read here) and base URL. */
export function buildFor(
  candidate: Candidate,
  context: ProviderContext,
  role?: string,
): { entry: ProviderEntry; build: ProviderBuild } {
  const entry = entryFor(candidate);
  const apiKey = apiKeyFor(candidate, context.env, role);
  const baseURL = candidate.baseUrl ?? entry.defaultBaseUrl;
  return {
    entry,
    build: {
      candidate,
      ...(apiKey ? { apiKey } : {}),
      ...(baseURL ? { baseURL } : {}),
      env: context.env,
      baseDir: context.baseDir,
    },
  };
}

/** Builds the provider a candidate runs on. SDKs and the embedded runtime are imported only when used. */
export async function createProvider(candidate: Candidate, context: ProviderContext): Promise<Provider> {
  const { entry, build } = buildFor(candidate, context);
  return entry.create(build);
}

import type { Provenance } from '../types.ts';

// What @pydantic/genai-prices lacks and verdict needs: batch-interface discounts, and a few managed
// open-weight hosts it does not carry. Dated, with sources; the workload's own overrides win over both.

/** A batch-interface discount on every token price of a provider. */
export interface BatchDiscount {
  providerId: string;
  fraction: number;
  provenance: Provenance;
}

/** Batch discounts by genai-prices provider id. */
export const BATCH_DISCOUNTS: readonly BatchDiscount[] = [
  {
    providerId: 'openai',
    fraction: 0.5,
    provenance: {
      kind: 'catalogue',
      source: 'https://platform.openai.com/docs/guides/batch',
      asOf: '2025-06',
    },
  },
  {
    providerId: 'anthropic',
    fraction: 0.5,
    provenance: {
      kind: 'catalogue',
      source: 'https://docs.anthropic.com/en/docs/build-with-claude/batch-processing',
      asOf: '2025-06',
    },
  },
  {
    providerId: 'google',
    fraction: 0.5,
    provenance: {
      kind: 'catalogue',
      source: 'https://ai.google.dev/gemini-api/docs/batch-mode',
      asOf: '2025-06',
    },
  },
  {
    providerId: 'azure',
    fraction: 0.5,
    provenance: {
      kind: 'catalogue',
      source: 'https://learn.microsoft.com/en-us/azure/ai-services/openai/how-to/batch',
      asOf: '2025-06',
    },
  },
  {
    providerId: 'aws',
    fraction: 0.5,
    provenance: {
      kind: 'catalogue',
      source: 'https://aws.amazon.com/bedrock/pricing/',
      asOf: '2025-06',
      estimate: true,
      note: 'batch inference on selected models',
    },
  },
  {
    providerId: 'together',
    fraction: 0.5,
    provenance: {
      kind: 'catalogue',
      source: 'https://docs.together.ai/docs/batch-inference',
      asOf: '2025-06',
      estimate: true,
    },
  },
];

/** A token price genai-prices does not carry, in USD per million tokens. */
export interface TokenPriceOverride {
  providerId: string;
  modelId: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
  provenance: Provenance;
}

/** Managed open-weight prices missing from genai-prices. */
export const TOKEN_PRICE_OVERRIDES: readonly TokenPriceOverride[] = [
  {
    providerId: 'deepinfra',
    modelId: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
    inputPerMTok: 0.03,
    outputPerMTok: 0.05,
    provenance: {
      kind: 'catalogue',
      source: 'https://deepinfra.com/pricing',
      asOf: '2025-06',
      estimate: true,
    },
  },
  {
    providerId: 'deepinfra',
    modelId: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    inputPerMTok: 0.13,
    outputPerMTok: 0.39,
    provenance: {
      kind: 'catalogue',
      source: 'https://deepinfra.com/pricing',
      asOf: '2025-06',
      estimate: true,
    },
  },
];

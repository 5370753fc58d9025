import { onCatalogue } from './active-catalogue.ts';
import type { BatchDiscount, TokenPriceOverride } from './catalogue-types.ts';

// What @pydantic/genai-prices lacks and verdict needs: batch-interface discounts, and a few managed
// open-weight hosts it does not carry (catalogues/batch-discounts.json, token-price-overrides.json).
// The workload's own overrides win over both.

export type { BatchDiscount, TokenPriceOverride } from './catalogue-types.ts';

/** Batch discounts by genai-prices provider id. */
export let BATCH_DISCOUNTS: readonly BatchDiscount[] = [];
/** Managed open-weight prices missing from genai-prices. */
export let TOKEN_PRICE_OVERRIDES: readonly TokenPriceOverride[] = [];
onCatalogue((catalogue) => {
  BATCH_DISCOUNTS = catalogue.batchDiscounts;
  TOKEN_PRICE_OVERRIDES = catalogue.tokenPriceOverrides;
});

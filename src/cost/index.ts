// The cost part's public surface: catalogues, prices, capacity, TCO, break-even and sensitivity.

export * from './api-cost.ts';
export * from './break-even.ts';
export * from './capacity.ts';
export { activeCatalogue, onCatalogue, useCatalogue } from './catalogue/active-catalogue.ts';
export {
  BUNDLED_CATALOGUE_DIR,
  GENAI_PRICES_FILE,
  newestDatedCatalogue,
  readCatalogueDir,
} from './catalogue/catalogue-files.ts';
export type * from './catalogue/catalogue-types.ts';
export { COMPLIANCE, findCompliance } from './catalogue/compliance.ts';
export * as costDefaults from './catalogue/defaults.ts';
export { ASSUMED_ONE_YEAR_DISCOUNT, GPU_OFFERS, gpuOffer, gpuOffers } from './catalogue/gpu-prices.ts';
export { findGpu, GPUS } from './catalogue/gpus.ts';
export { findLicence } from './catalogue/licences.ts';
export { findOpenWeightModel, OPEN_WEIGHT_MODELS } from './catalogue/open-weight-models.ts';
export { BATCH_DISCOUNTS, TOKEN_PRICE_OVERRIDES } from './catalogue/price-overrides.ts';
export * from './caveats.ts';
export * from './cost-model.ts';
export * from './gguf-architecture.ts';
export * from './hidden-infra.ts';
export * from './levers.ts';
export * from './memory-fit.ts';
export * from './operations.ts';
export * from './options.ts';
export * from './provenance.ts';
export * from './replicas.ts';
export * from './sensitivity.ts';
export * from './tco.ts';
export * from './token-prices.ts';
export type * from './types.ts';

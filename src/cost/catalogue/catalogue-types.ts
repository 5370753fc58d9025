import type { GpuOffer, GpuSpec, LicenceTerms, OpenWeightModel, Provenance } from '../types.ts';

// The catalogues as the cost model reads them: typed rows with their provenance, plus where each
// file was read from and its version, so a decision can name the catalogue it priced from.

/** One host's compliance offer, optionally specific to one model vendor on that host. */
export interface ComplianceEntry {
  host: string;
  /** When set, the entry covers only this vendor's models on the host. */
  vendor?: string;
  baa: boolean;
  euProcessing: boolean;
  usProcessing: boolean;
  zeroRetention: boolean;
  /** What the team must do to get it (sign a BAA, apply for zero retention, pick an EU region). */
  conditions: string;
  provenance: Provenance;
}

/** A default value with its provenance. */
export interface Default {
  value: number;
  unit: string;
  provenance: Provenance;
}

/** A batch-interface discount on every token price of a provider. */
export interface BatchDiscount {
  providerId: string;
  fraction: number;
  provenance: Provenance;
}

/** A token price genai-prices does not carry, in USD per million tokens. */
export interface TokenPriceOverride {
  providerId: string;
  modelId: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
  provenance: Provenance;
}

/** The genai-prices data a catalogue prices tokens from, and where it comes from. */
export interface GenaiPricesSnapshot {
  package: string;
  version: string;
  /** npm publish date of that version: the prices are as of this date. */
  publishedAt: string;
  source: string;
}

/** One file of a catalogue: its name, version and where it was read from. */
export interface CatalogueFileInfo {
  name: string;
  version: string;
  /** `bundled` (shipped with verdict) or the file's path. */
  location: string;
  rows: number;
}

/** Every catalogue verdict prices from, loaded and checked. */
export interface Catalogue {
  files: CatalogueFileInfo[];
  licences: ReadonlyMap<string, LicenceTerms>;
  openWeightModels: OpenWeightModel[];
  gpus: GpuSpec[];
  gpuOffers: GpuOffer[];
  assumedOneYearDiscount: number;
  compliance: ComplianceEntry[];
  defaults: Record<string, Default>;
  batchDiscounts: BatchDiscount[];
  tokenPriceOverrides: TokenPriceOverride[];
  /** genai-prices provider data from a newer package; absent: the installed package's own data. */
  genaiPrices?: { snapshot: GenaiPricesSnapshot; providers: unknown[] };
}

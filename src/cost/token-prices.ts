import { createRequire } from 'node:module';
import type { ModelPrice, Provider } from '@pydantic/genai-prices';
import { providerEntry } from '../providers/provider-table.ts';
import type { Candidate } from '../spec/workload.ts';
import { onCatalogue } from './catalogue/active-catalogue.ts';
import type { GenaiPricesSnapshot } from './catalogue/catalogue-types.ts';
import { BATCH_DISCOUNTS, TOKEN_PRICE_OVERRIDES } from './catalogue/price-overrides.ts';
import { userSet } from './provenance.ts';
import type { Provenance, TokenPrice } from './types.ts';

// Token prices come from @pydantic/genai-prices' data (works offline): the installed package's own,
// or a newer package's snapshot in the active dated catalogue (`verdict prices update`); then
// verdict's dated override table for what it lacks, then the workload's per-candidate override,
// which always wins.

/** The genai-prices data verdict was built against (a test checks the installed version). */
export const INSTALLED_GENAI_PRICES: GenaiPricesSnapshot = {
  package: '@pydantic/genai-prices',
  version: '0.1.8',
  publishedAt: '2026-09-23',
  source: 'https://github.com/pydantic/genai-prices',
};

/** The genai-prices data token prices come from now: the installed package's, or the active catalogue's snapshot. */
export let GENAI_PRICES_SNAPSHOT: GenaiPricesSnapshot = INSTALLED_GENAI_PRICES;

// genai-prices is loaded at the first price looked up, not with this module: its bundled data was
// 32–49 ms of the start-up of every command that imports the cost code, most of which price nothing
// (a run of self-hosted candidates). Lookups are synchronous, so it is required (the package's
// CommonJS build, the same version and data) rather than imported.
type GenaiPrices = typeof import('@pydantic/genai-prices');
const requireHere = createRequire(import.meta.url);
let genai: GenaiPrices | null = null;
// The installed package's data, kept to switch back to after a dated catalogue's snapshot. The
// promise is already resolved when the package loads (the data is in the bundle): it is read before
// any switch can happen.
let installedProviders: Provider[] | null = null;
let installedData: Promise<Provider[] | null> = Promise.resolve(null);
// The active catalogue's snapshot, applied when the package loads if it is not loaded yet.
let snapshotProviders: Provider[] | null = null;

function genaiPrices(): GenaiPrices {
  if (genai) return genai;
  const loaded = requireHere('@pydantic/genai-prices') as GenaiPrices;
  installedData = loaded.waitForUpdate();
  void installedData.then((providers) => {
    installedProviders ??= providers;
  });
  if (snapshotProviders) {
    const providers = snapshotProviders;
    loaded.updatePrices(({ setProviderData }) => setProviderData(providers));
  }
  genai = loaded;
  return loaded;
}

/** The installed package's own provider data, whichever catalogue is active. */
export async function installedGenaiPricesData(): Promise<Provider[]> {
  genaiPrices();
  const providers = await installedData;
  if (!providers) throw new Error('the installed genai-prices data is not read yet');
  return providers;
}

onCatalogue((catalogue) => {
  const wanted = catalogue.genaiPrices;
  if (!wanted && GENAI_PRICES_SNAPSHOT === INSTALLED_GENAI_PRICES) return;
  snapshotProviders = wanted ? (wanted.providers as Provider[]) : null;
  GENAI_PRICES_SNAPSHOT = wanted ? wanted.snapshot : INSTALLED_GENAI_PRICES;
  if (!genai) return;
  const providers = snapshotProviders ?? installedProviders;
  if (!providers) throw new Error('the installed genai-prices data is not read yet');
  genai.updatePrices(({ setProviderData }) => setProviderData(providers));
});

/** Other names for a provider that genai-prices spells differently (a provider's own is in its table entry). */
const PROVIDER_ALIASES: Record<string, string> = {
  'amazon-bedrock': 'aws',
  'google-vertex': 'google',
  gemini: 'google',
  xai: 'x-ai',
};

/** A workload's override of some or all unit prices (USD per million tokens). */
export interface TokenPriceOverrideInput {
  inputPerMTok?: number;
  cachedInputPerMTok?: number;
  cacheWritePerMTok?: number;
  outputPerMTok?: number;
  reasoningPerMTok?: number;
  note?: string;
}

export interface TokenPriceQuery {
  providerId: string;
  modelId: string;
  /** The date prices apply to; defaults to the snapshot date at 12:00 UTC (peak-hour prices where they vary by time of day). */
  at?: Date;
  override?: TokenPriceOverrideInput;
  /** Where the override is set in the workload (`candidates[2].price`), named in its provenance. */
  overrideField?: string;
}

export type TokenPriceLookup = { ok: true; price: TokenPrice } | { ok: false; reason: string };

/** genai-prices' id for a verdict provider name. */
export function genaiProviderId(provider: string): string {
  const p = provider.toLowerCase();
  return providerEntry(p)?.priceId ?? PROVIDER_ALIASES[p] ?? p;
}

type Tiered = { base: number; tiers: Array<{ start: number; price: number }> };
const isTiered = (v: unknown): v is Tiered => typeof v === 'object' && v !== null && 'base' in v;
const baseOf = (v: ModelPrice[string]): number | undefined =>
  v === undefined ? undefined : isTiered(v) ? v.base : (v as number);
/** The price of a tiered entry above a threshold, or the flat/base price. */
const atTier = (v: ModelPrice[string], start: number): number | undefined => {
  if (v === undefined) return undefined;
  if (!isTiered(v)) return v as number;
  let price = v.base;
  for (const t of [...v.tiers].sort((a, b) => a.start - b.start)) if (t.start <= start) price = t.price;
  return price;
};

/** Unit prices from a genai-prices ModelPrice, with its long-context tiers kept. */
function fromModelPrice(
  mp: ModelPrice,
): Omit<TokenPrice, 'providerId' | 'modelId' | 'priceDate' | 'provenance'> | null {
  const input = baseOf(mp.input_mtok);
  const output = baseOf(mp.output_mtok);
  if (input === undefined || output === undefined) return null;
  const cached = baseOf(mp.cache_read_mtok);
  const write = baseOf(mp.cache_write_mtok);
  const starts = new Set<number>();
  for (const key of ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok'] as const) {
    const v = mp[key];
    if (isTiered(v)) for (const t of v.tiers) starts.add(t.start);
  }
  const tiers = [...starts]
    .sort((a, b) => a - b)
    .map((start) => ({
      aboveInputTokens: start,
      inputPerMTok: atTier(mp.input_mtok, start)!,
      outputPerMTok: atTier(mp.output_mtok, start)!,
      ...(cached !== undefined ? { cachedInputPerMTok: atTier(mp.cache_read_mtok, start)! } : {}),
      ...(write !== undefined ? { cacheWritePerMTok: atTier(mp.cache_write_mtok, start)! } : {}),
    }));
  return {
    inputPerMTok: input,
    outputPerMTok: output,
    ...(cached !== undefined ? { cachedInputPerMTok: cached } : {}),
    ...(write !== undefined ? { cacheWritePerMTok: write } : {}),
    ...(tiers.length > 0 ? { tiers } : {}),
  };
}

/** The catalogue price (genai-prices, then verdict's override table) before any workload override. */
function catalogueLookup(providerId: string, modelId: string, at: Date): TokenPriceLookup {
  const priceDate = at.toISOString().slice(0, 10);
  const result = genaiPrices().calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, {
    providerId,
    timestamp: at,
  });
  if (result) {
    const units = fromModelPrice(result.model_price);
    if (!units)
      return { ok: false, reason: `genai-prices has no per-token price for ${providerId}:${modelId}` };
    const url = result.provider.pricing_urls?.[0];
    const provenance: Provenance = {
      kind: 'catalogue',
      source: `${GENAI_PRICES_SNAPSHOT.package} ${GENAI_PRICES_SNAPSHOT.version}: ${result.provider.name} ${result.model.name ?? result.model.id}${url ? ` (${url})` : ''}`,
      asOf: GENAI_PRICES_SNAPSHOT.publishedAt,
    };
    return {
      ok: true,
      price: { providerId: result.provider.id, modelId: result.model.id, ...units, priceDate, provenance },
    };
  }
  const row = TOKEN_PRICE_OVERRIDES.find(
    (o) => o.providerId === providerId && o.modelId.toLowerCase() === modelId.toLowerCase(),
  );
  if (row) {
    const { provenance, providerId: p, modelId: m, ...units } = row;
    return { ok: true, price: { providerId: p, modelId: m, ...units, priceDate, provenance } };
  }
  return {
    ok: false,
    reason: `no price for ${providerId}:${modelId} in ${GENAI_PRICES_SNAPSHOT.package} ${GENAI_PRICES_SNAPSHOT.version} or verdict's override table`,
  };
}

/** Unit token prices for a model on a route: catalogue, then the workload's override, plus any batch discount. */
export function lookupTokenPrice(query: TokenPriceQuery): TokenPriceLookup {
  const providerId = genaiProviderId(query.providerId);
  const at = query.at ?? new Date(`${GENAI_PRICES_SNAPSHOT.publishedAt}T12:00:00Z`);
  const base = catalogueLookup(providerId, query.modelId, at);
  const o = query.override;
  const overridden = o ? Object.keys(o).filter((k) => k !== 'note') : [];
  let price: TokenPrice;
  if (overridden.length === 0) {
    if (!base.ok) return base;
    price = base.price;
  } else if (base.ok) {
    const { note: _note, ...units } = o!;
    // A user's price replaces the catalogue's for every request size: its tiers no longer apply.
    const { tiers: _tiers, ...rest } = base.price;
    const kept = UNIT_KEYS.filter((k) => rest[k] !== undefined && o![k] === undefined);
    price = {
      ...rest,
      ...units,
      provenance: userSet(
        kept.length === 0
          ? overrideNote(query)
          : `${overrideNote(query) ?? "the workload's price"}; it sets ${overridden.join(', ')}, the rest (${kept.join(', ')}) from ${describe(base.price.provenance)}`,
      ),
    };
  } else if (o!.inputPerMTok !== undefined && o!.outputPerMTok !== undefined) {
    const { note: _note, ...units } = o!;
    price = {
      providerId,
      modelId: query.modelId,
      ...units,
      inputPerMTok: o!.inputPerMTok,
      outputPerMTok: o!.outputPerMTok,
      priceDate: at.toISOString().slice(0, 10),
      provenance: userSet(overrideNote(query)),
    };
  } else {
    return {
      ok: false,
      reason: `${base.reason}; ${query.overrideField ?? "the workload's override"} sets ${overridden.join(', ')} but not both input and output prices`,
    };
  }
  const batch = BATCH_DISCOUNTS.find((b) => b.providerId === providerId);
  return {
    ok: true,
    price: batch
      ? { ...price, batchDiscount: { fraction: batch.fraction, provenance: batch.provenance } }
      : price,
  };
}

/** A workload candidate's token price on its route: the catalogue's, with its `candidates[i].price` winning and credited. */
export function candidateTokenPrice(
  candidate: Pick<Candidate, 'provider' | 'modelName' | 'deployment'>,
  index: number,
  options: { providerId?: string; at?: Date } = {},
): TokenPriceLookup {
  const d = candidate.deployment;
  return lookupTokenPrice({
    providerId: options.providerId ?? d?.route ?? candidate.provider,
    modelId: candidate.modelName,
    ...(options.at ? { at: options.at } : {}),
    ...(d?.price ? { override: d.price, overrideField: `candidates[${index}].price` } : {}),
  });
}

const UNIT_KEYS = [
  'inputPerMTok',
  'cachedInputPerMTok',
  'cacheWritePerMTok',
  'outputPerMTok',
  'reasoningPerMTok',
] as const;

/** Where an overridden price comes from: the workload's field, then the user's note. */
function overrideNote(query: TokenPriceQuery): string | undefined {
  const note = query.override?.note;
  if (query.overrideField === undefined) return note;
  return `${query.overrideField}${note ? `: ${note}` : ''}`;
}

function describe(p: Provenance): string {
  return p.kind === 'catalogue' ? `${p.source} as of ${p.asOf}` : p.kind;
}

import {
  activeCatalogue,
  BATCH_DISCOUNTS,
  COMPLIANCE,
  costDefaults,
  GENAI_PRICES_SNAPSHOT,
  GPU_OFFERS,
  GPUS,
  OPEN_WEIGHT_MODELS,
  TOKEN_PRICE_OVERRIDES,
} from '../cost/index.ts';
import type { Provenance } from '../cost/types.ts';

// Every catalogue a cost figure can come from, with its source and date range, so a reader can see
// what the prices rest on and how old they are (the issue's "names every catalogue's source and date").

/** One catalogue: what it holds, where it comes from, how old its rows are. */
export interface CatalogueSource {
  name: string;
  rows: number;
  sources: string[];
  /** Oldest and newest row date (YYYY-MM or YYYY-MM-DD). */
  from: string;
  to: string;
  /** The catalogue file's version (its date; genai-prices: the package version and publish date). */
  version: string;
  /** `bundled` (shipped with verdict) or the file it was read from. */
  location: string;
}

const dateOf = (p: Provenance): string | undefined =>
  p.kind === 'catalogue' ? p.asOf : p.kind === 'estimate' ? p.asOf : undefined;

const host = (source: string) => {
  const url = /https?:\/\/[^\s;)]+/.exec(source)?.[0];
  if (!url) return source;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return source;
  }
};

const sourceOf = (p: Provenance) =>
  'source' in p ? host(p.source) : p.kind === 'estimate' ? 'estimates with their basis stated' : p.kind;

function summarise(name: string, file: string, provenances: Provenance[], sourcesOf = sourceOf) {
  const info = activeCatalogue().files.find((f) => f.name === file);
  const dates = provenances
    .map(dateOf)
    .filter((d): d is string => d !== undefined)
    .sort();
  return {
    name,
    rows: provenances.length,
    sources: [...new Set(provenances.map(sourcesOf))].sort(),
    from: dates[0] ?? 'undated',
    to: dates.at(-1) ?? 'undated',
    version: info?.version ?? 'unknown',
    location: info?.location ?? 'unknown',
  };
}

/** Every catalogue verdict prices from, with sources and dates. */
export function catalogueSources(): CatalogueSource[] {
  const defaults = Object.values(costDefaults).flatMap((d) =>
    typeof d === 'object' && d !== null && 'provenance' in d
      ? [(d as { provenance: Provenance }).provenance]
      : typeof d === 'object' && d !== null
        ? Object.values(d as Record<string, { provenance?: Provenance }>)
            .map((x) => x?.provenance)
            .filter((p): p is Provenance => p !== undefined)
        : [],
  );
  const genai = activeCatalogue().files.find((f) => f.name === 'genai-prices');
  return [
    {
      name: `token prices: ${GENAI_PRICES_SNAPSHOT.package}`,
      rows: 0,
      sources: [GENAI_PRICES_SNAPSHOT.source],
      from: GENAI_PRICES_SNAPSHOT.publishedAt,
      to: GENAI_PRICES_SNAPSHOT.publishedAt,
      version: `${GENAI_PRICES_SNAPSHOT.version} of ${GENAI_PRICES_SNAPSHOT.publishedAt}`,
      location: genai?.location ?? 'installed package',
    },
    summarise(
      'token prices missing from genai-prices (verdict overrides)',
      'token-price-overrides',
      TOKEN_PRICE_OVERRIDES.map((o) => o.provenance),
    ),
    summarise(
      'batch-interface discounts',
      'batch-discounts',
      BATCH_DISCOUNTS.map((b) => b.provenance),
    ),
    summarise(
      'open-weight models (architecture, licence)',
      'open-weight-models',
      OPEN_WEIGHT_MODELS.map((m) => m.provenance),
    ),
    summarise(
      'GPU datasheets',
      'gpus',
      GPUS.map((g) => g.provenance),
    ),
    summarise(
      'GPU purchase prices (estimates)',
      'gpus',
      GPUS.map((g) => g.capexProvenance),
      () => 'reported street prices',
    ),
    summarise(
      'GPU rental prices',
      'gpu-offers',
      GPU_OFFERS.map((o) => o.provenance),
    ),
    summarise(
      'provider compliance (BAA, regions, retention)',
      'compliance',
      COMPLIANCE.map((c) => c.provenance),
    ),
    summarise('self-hosting defaults (operations, infrastructure, power)', 'defaults', defaults),
  ];
}

/** One line per catalogue, for terminals and closing notes. */
export function catalogueSourceLines(): string[] {
  return catalogueSources().map(
    (c) =>
      `${c.name}${c.rows ? `, ${c.rows} rows` : ''}: ${c.sources.join(', ')}; ${c.from === c.to ? `as of ${c.from}` : `dated ${c.from} to ${c.to}`}; version ${c.version}${c.location === 'bundled' || c.location === 'installed package' ? '' : ` (${c.location})`}.`,
  );
}

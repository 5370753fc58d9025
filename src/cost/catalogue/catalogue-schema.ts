import { z } from 'zod';
import { type CatalogueName, DEFAULT_IDS } from './catalogue-names.ts';

// The shape of every catalogue file under catalogues/ (and of a dated catalogue in the user's data
// directory; JSON, or YAML in a folder the team writes itself): a header naming the catalogue and its version, then rows, each with its source and
// date. Strict toward unknown keys, as the workload file is: a typo is an error, not a silent default.
// Built on first use (catalogueSchemas()): only a catalogue the user wrote, `verdict prices` and the
// JSON Schema export check a file against them.

const DATE = /^\d{4}-\d{2}(-\d{2})?$/;

const text = (what: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined
        ? `missing: every row needs ${what}`
        : `expected a string, got ${kindOf(issue.input)}`,
  });

const date = (what: string) => text(what).regex(DATE, { error: `expected a date YYYY-MM or YYYY-MM-DD` });

const number = () =>
  z.number({
    error: (issue) =>
      issue.input === undefined ? 'missing' : `expected a number, got ${kindOf(issue.input)}`,
  });

const price = () => number().nonnegative();

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

const header = <Name extends string>(name: Name) => ({
  /** For editors: the file's JSON Schema (schema/catalogues/<name>.schema.json). */
  $schema: z.string().optional(),
  catalogue: z.literal(name),
  /** What the catalogue holds and how its rows were gathered. */
  description: z.string().optional(),
  /** The file's version: the date it was last written. No row may be dated after it. */
  version: date('a version date (YYYY-MM-DD)'),
});

/** Builds every schema; catalogueSchemas() does it once, on first use. */
function buildCatalogueSchemas() {
  /** What every row carries: where its figures come from and as of when. */
  const provenanceFields = {
    source: text('a source (a URL, or the basis of an estimate)').min(1),
    date: date('a date (YYYY-MM or YYYY-MM-DD)'),
    /** `estimate`: a verdict estimate whose basis is `source`; `catalogue` (the default): a published figure. */
    kind: z.enum(['catalogue', 'estimate']).optional(),
    /** A published figure the maintainers were unsure of. */
    estimate: z.boolean().optional(),
    note: z.string().optional(),
  };

  const licenceRow = z.strictObject({
    id: text('an id'),
    name: text('a name'),
    url: z.url(),
    commercial_use: z.boolean(),
    monthly_active_user_cap: number().int().positive().optional(),
    attribution: z.string().optional(),
    acceptable_use_policy: z.string().optional(),
    eu_domicile_excluded: z.boolean().optional(),
    notes: z.string().optional(),
    ...provenanceFields,
  });

  const kvCache = z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('gqa'),
      kv_heads: number().int().positive(),
      head_dim: number().int().positive(),
    }),
    z.strictObject({ kind: z.literal('mla'), latent_dim: number().int().positive() }),
  ]);

  const openWeightModelRow = z.strictObject({
    id: text('an id'),
    name: text('a name'),
    family: text('a family'),
    params_total_b: number().positive(),
    params_active_b: number().positive().optional(),
    experts: z
      .strictObject({ routed: number().int().positive(), per_token: number().int().positive() })
      .optional(),
    layers: number().int().positive(),
    kv_cache: kvCache,
    context_tokens: number().int().positive(),
    native_quantisation: z.enum(['fp16', 'bf16', 'fp8', 'int8', 'int4']).optional(),
    /** An id in licences.json. */
    licence: text('a licence id'),
    managed: z
      .array(z.strictObject({ provider: text('a provider id'), model: text('a model id') }))
      .optional(),
    notes: z.string().optional(),
    ...provenanceFields,
  });

  const gpuRow = z.strictObject({
    id: text('an id'),
    name: text('a name'),
    memory_gb: number().positive(),
    bandwidth_gbps: number().positive(),
    dense_tflops: number().positive(),
    tdp_watts: number().positive(),
    system_watts_per_gpu: number().positive(),
    ...provenanceFields,
    /** The purchase price per GPU with its share of the server: always an estimate, with its basis. */
    capex: z.strictObject({
      usd_per_gpu: price(),
      source: text('a source').min(1),
      date: date('a date'),
    }),
  });

  const gpuOfferRow = z.strictObject({
    gpu: text('a GPU id from gpus.json'),
    cloud: text('a cloud'),
    instance: text('an instance type'),
    gpus_per_instance: number().int().positive(),
    region: text('a region'),
    on_demand_per_gpu_hour: price(),
    reserved_per_gpu_hour: price().optional(),
    reserved_term: z.string().optional(),
    ...provenanceFields,
  });

  const complianceRow = z.strictObject({
    host: text('a host'),
    vendor: z.string().optional(),
    baa: z.boolean(),
    eu_processing: z.boolean(),
    us_processing: z.boolean(),
    zero_retention: z.boolean(),
    conditions: text('its conditions'),
    ...provenanceFields,
  });

  const defaultRow = z.strictObject({
    id: z.enum(DEFAULT_IDS),
    value: number(),
    unit: text('a unit'),
    ...provenanceFields,
  });

  const batchDiscountRow = z.strictObject({
    provider: text('a provider id'),
    fraction: number().min(0).max(1),
    ...provenanceFields,
  });

  const tokenPriceRow = z.strictObject({
    provider: text('a provider id'),
    model: text('a model id'),
    input_per_mtok: price(),
    output_per_mtok: price(),
    cached_input_per_mtok: price().optional(),
    ...provenanceFields,
  });

  // One for each name in CATALOGUE_NAMES, no more, no fewer (the `satisfies` below).
  const files = {
    licences: z.strictObject({ ...header('licences'), rows: z.array(licenceRow) }),
    'open-weight-models': z.strictObject({
      ...header('open-weight-models'),
      rows: z.array(openWeightModelRow),
    }),
    gpus: z.strictObject({ ...header('gpus'), rows: z.array(gpuRow) }),
    'gpu-offers': z.strictObject({
      ...header('gpu-offers'),
      /** The 1-year commitment discount assumed where a vendor's reserved price is not in the snapshot. */
      assumed_one_year_discount: number().min(0).max(1),
      rows: z.array(gpuOfferRow),
    }),
    compliance: z.strictObject({ ...header('compliance'), rows: z.array(complianceRow) }),
    defaults: z.strictObject({ ...header('defaults'), rows: z.array(defaultRow) }),
    'batch-discounts': z.strictObject({ ...header('batch-discounts'), rows: z.array(batchDiscountRow) }),
    'token-price-overrides': z.strictObject({
      ...header('token-price-overrides'),
      rows: z.array(tokenPriceRow),
    }),
  } as const satisfies Record<CatalogueName, z.ZodType>;

  // A token price in genai-prices' data: a number, or a base with long-context tiers.
  const unitPrice = z.union([
    number(),
    z.looseObject({ base: number(), tiers: z.array(z.looseObject({ start: number(), price: number() })) }),
  ]);
  const modelPrice = z.record(z.string(), unitPrice);

  /**
   * A snapshot of @pydantic/genai-prices' provider data, taken from a newer package by `verdict prices
   * update`. Loose toward the package's own fields (it adds them), strict on what verdict prices from.
   */
  const genaiPrices = z.strictObject({
    catalogue: z.literal('genai-prices'),
    /** The package version the data comes from. */
    version: text('a package version'),
    package: z.literal('@pydantic/genai-prices'),
    /** The registry's publish date of that version: the prices are as of this date. */
    date: date('the publish date'),
    /** The tarball the data was read from. */
    source: text('a source').min(1),
    fetched_at: z.string(),
    providers: z.array(
      z.looseObject({
        id: text('an id'),
        name: text('a name'),
        pricing_urls: z.array(z.string()).optional(),
        models: z.array(
          z.looseObject({
            id: text('an id'),
            name: z.string().optional(),
            prices: z.union([modelPrice, z.array(z.looseObject({ prices: modelPrice }))]),
          }),
        ),
      }),
    ),
  });
  return { files, genaiPrices };
}

type CatalogueSchemas = ReturnType<typeof buildCatalogueSchemas>;
let built: CatalogueSchemas | undefined;

/**
 * The schema of every catalogue file verdict reads, by name (the file is `<name>.json`), and of a
 * genai-prices data snapshot, built on first use: a run on the bundled catalogue reads its files
 * without them (parseBundledCatalogueFile), and building them when the module loaded cost every
 * command's start-up (test/cli-startup-imports.test.ts checks that such a run calls nothing here).
 */
export function catalogueSchemas(): CatalogueSchemas {
  built ??= buildCatalogueSchemas();
  return built;
}

export type CatalogueFile<N extends CatalogueName> = z.output<CatalogueSchemas['files'][N]>;
export type GenaiPricesFile = z.output<CatalogueSchemas['genaiPrices']>;

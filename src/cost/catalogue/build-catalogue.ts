import type { LicenceTerms, OpenWeightModel, Provenance } from '../types.ts';
import { type CatalogueName, DEFAULT_IDS, type ProvenanceFields } from './catalogue-names.ts';
import type { CatalogueFile, GenaiPricesFile } from './catalogue-schema.ts';
import type { Catalogue, Default } from './catalogue-types.ts';
import { catalogueInvalid, type ParsedCatalogueFile } from './parse-catalogue.ts';

// Checked files → the typed catalogue the cost model reads. Checks that span rows or files happen
// here (a duplicate id, a licence or GPU that is not in its catalogue, a default missing), each named
// by file and line like a row's own problem.

export type ParsedCatalogue = {
  [N in CatalogueName]: ParsedCatalogueFile<CatalogueFile<N>> & { location: string };
};

/** A row's provenance: a published figure (source, date) or a verdict estimate (its basis, date). */
export function provenanceOf(row: ProvenanceFields): Provenance {
  if (row.kind === 'estimate') return { kind: 'estimate', basis: row.source, asOf: row.date };
  return {
    kind: 'catalogue',
    source: row.source,
    asOf: row.date,
    ...(row.estimate ? { estimate: true } : {}),
    ...(row.note ? { note: row.note } : {}),
  };
}

function duplicates<T>(file: ParsedCatalogueFile<{ rows: T[] }>, key: (row: T) => string, field: string) {
  const seen = new Map<string, number>();
  return file.data.rows.flatMap((row, i) => {
    const k = key(row);
    const first = seen.get(k);
    seen.set(k, first ?? i);
    return first === undefined
      ? []
      : [`${file.at(['rows', i, field])} rows[${i}].${field}: "${k}" again (first at rows[${first}])`];
  });
}

const defaultName = (id: string) => (id.startsWith('operations_hours.') ? id : id.toUpperCase());

/** The typed catalogue of checked files; throws every cross-row problem with its file and line. */
export function buildCatalogue(
  parsed: ParsedCatalogue,
  genai?: ParsedCatalogueFile<GenaiPricesFile> & { location: string },
): Catalogue {
  const { licences: lic, 'open-weight-models': owm, gpus, 'gpu-offers': offers, defaults } = parsed;
  const licenceIds = new Set(lic.data.rows.map((r) => r.id));
  const gpuIds = new Set(gpus.data.rows.map((r) => r.id));
  const defaultIds = new Set(defaults.data.rows.map((r) => r.id));
  const problems = [
    ...duplicates(lic, (r) => r.id, 'id'),
    ...duplicates(owm, (r) => r.id, 'id'),
    ...duplicates(gpus, (r) => r.id, 'id'),
    ...duplicates(defaults, (r) => r.id, 'id'),
    ...duplicates(parsed.compliance, (r) => `${r.host}${r.vendor ? `/${r.vendor}` : ''}`, 'host'),
    ...duplicates(parsed['batch-discounts'], (r) => r.provider, 'provider'),
    ...duplicates(parsed['token-price-overrides'], (r) => `${r.provider}:${r.model}`, 'model'),
    ...owm.data.rows.flatMap((r, i) =>
      licenceIds.has(r.licence)
        ? []
        : [`${owm.at(['rows', i, 'licence'])} rows[${i}].licence: "${r.licence}" is not in ${lic.file}`],
    ),
    ...offers.data.rows.flatMap((r, i) =>
      gpuIds.has(r.gpu)
        ? []
        : [`${offers.at(['rows', i, 'gpu'])} rows[${i}].gpu: "${r.gpu}" is not in ${gpus.file}`],
    ),
    ...offers.data.rows.flatMap((r, i) =>
      r.reserved_per_gpu_hour !== undefined && !r.reserved_term
        ? [`${offers.at(['rows', i])} rows[${i}]: a reserved price needs its reserved_term`]
        : [],
    ),
    ...DEFAULT_IDS.filter((id) => !defaultIds.has(id)).map(
      (id) => `${defaults.at(['rows'])} rows: no row for the default "${id}"`,
    ),
  ];
  if (problems.length > 0) throw catalogueInvalid(problems);

  const licences = new Map<string, LicenceTerms>(
    lic.data.rows.map((r) => [
      r.id,
      {
        name: r.name,
        url: r.url,
        commercialUse: r.commercial_use,
        ...(r.monthly_active_user_cap !== undefined
          ? { monthlyActiveUserCap: r.monthly_active_user_cap }
          : {}),
        ...(r.attribution ? { attribution: r.attribution } : {}),
        ...(r.acceptable_use_policy ? { acceptableUsePolicy: r.acceptable_use_policy } : {}),
        ...(r.eu_domicile_excluded ? { euDomicileExcluded: true } : {}),
        ...(r.notes ? { notes: r.notes } : {}),
      },
    ]),
  );
  const openWeightModels = owm.data.rows.map(
    (r): OpenWeightModel => ({
      id: r.id,
      name: r.name,
      family: r.family,
      paramsTotalB: r.params_total_b,
      paramsActiveB: r.params_active_b ?? r.params_total_b,
      ...(r.experts ? { experts: { routed: r.experts.routed, perToken: r.experts.per_token } } : {}),
      layers: r.layers,
      kvCache:
        r.kv_cache.kind === 'gqa'
          ? { kind: 'gqa', kvHeads: r.kv_cache.kv_heads, headDim: r.kv_cache.head_dim }
          : { kind: 'mla', latentDim: r.kv_cache.latent_dim },
      contextTokens: r.context_tokens,
      nativeQuantisation: r.native_quantisation ?? 'bf16',
      licence: licences.get(r.licence)!,
      managed: (r.managed ?? []).map((m) => ({ providerId: m.provider, modelId: m.model })),
      ...(r.notes ? { notes: r.notes } : {}),
      provenance: provenanceOf(r),
    }),
  );
  const defaultsById: Record<string, Default> = {};
  for (const r of defaults.data.rows)
    defaultsById[defaultName(r.id)] = { value: r.value, unit: r.unit, provenance: provenanceOf(r) };
  const info = (name: CatalogueName) => ({
    name,
    version: parsed[name].data.version,
    location: parsed[name].location,
    rows: parsed[name].data.rows.length,
  });
  return {
    files: [
      ...(Object.keys(parsed) as CatalogueName[]).map(info),
      ...(genai
        ? [
            {
              name: 'genai-prices',
              version: genai.data.version,
              location: genai.location,
              rows: genai.data.providers.length,
            },
          ]
        : []),
    ],
    licences,
    openWeightModels,
    gpus: gpus.data.rows.map((r) => ({
      id: r.id,
      name: r.name,
      memoryGb: r.memory_gb,
      bandwidthGbps: r.bandwidth_gbps,
      denseTflops: r.dense_tflops,
      tdpWatts: r.tdp_watts,
      systemWattsPerGpu: r.system_watts_per_gpu,
      capexUsdPerGpu: r.capex.usd_per_gpu,
      provenance: provenanceOf(r),
      capexProvenance: { kind: 'estimate', basis: r.capex.source, asOf: r.capex.date },
    })),
    gpuOffers: offers.data.rows.map((r) => ({
      gpuId: r.gpu,
      cloud: r.cloud,
      instance: r.instance,
      gpusPerInstance: r.gpus_per_instance,
      region: r.region,
      onDemandPerGpuHour: r.on_demand_per_gpu_hour,
      ...(r.reserved_per_gpu_hour !== undefined
        ? { reservedPerGpuHour: r.reserved_per_gpu_hour, reservedTerm: r.reserved_term! }
        : {}),
      provenance: provenanceOf(r),
    })),
    assumedOneYearDiscount: offers.data.assumed_one_year_discount,
    compliance: parsed.compliance.data.rows.map((r) => ({
      host: r.host,
      ...(r.vendor ? { vendor: r.vendor } : {}),
      baa: r.baa,
      euProcessing: r.eu_processing,
      usProcessing: r.us_processing,
      zeroRetention: r.zero_retention,
      conditions: r.conditions,
      provenance: provenanceOf(r),
    })),
    defaults: defaultsById,
    batchDiscounts: parsed['batch-discounts'].data.rows.map((r) => ({
      providerId: r.provider,
      fraction: r.fraction,
      provenance: provenanceOf(r),
    })),
    tokenPriceOverrides: parsed['token-price-overrides'].data.rows.map((r) => ({
      providerId: r.provider,
      modelId: r.model,
      inputPerMTok: r.input_per_mtok,
      outputPerMTok: r.output_per_mtok,
      ...(r.cached_input_per_mtok !== undefined ? { cachedInputPerMTok: r.cached_input_per_mtok } : {}),
      provenance: provenanceOf(r),
    })),
    ...(genai
      ? {
          genaiPrices: {
            snapshot: {
              package: genai.data.package,
              version: genai.data.version,
              publishedAt: genai.data.date,
              source: genai.data.source,
            },
            providers: genai.data.providers,
          },
        }
      : {}),
  };
}

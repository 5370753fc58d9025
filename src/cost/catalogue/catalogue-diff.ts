import { CATALOGUE_NAMES, type CatalogueName } from './catalogue-names.ts';

// What moved between two catalogues: token prices per model (genai-prices data), and every row of
// verdict's own files whose figures, source or date changed, was added or was removed.

/** One side of a comparison: each catalogue file's version and rows, and the genai-prices data. */
export interface CatalogueSide {
  label: string;
  files: Partial<Record<CatalogueName, { version: string; rows: Array<Record<string, unknown>> }>>;
  genai: { version: string; providers: unknown[] };
}

/** One model's token price that moved, in USD per million tokens. */
export interface TokenPriceMove {
  provider: string;
  model: string;
  /** `input`, `output`, `cached input`: before → after (null: not priced). */
  units: Array<{ unit: string; before: number | null; after: number | null }>;
}

export interface RowChange {
  key: string;
  change: 'added' | 'removed' | 'changed';
  fields: Array<{ field: string; before: unknown; after: unknown }>;
}

export interface CatalogueDiff {
  before: string;
  after: string;
  tokenPrices: {
    versionBefore: string;
    versionAfter: string;
    moved: TokenPriceMove[];
    added: string[];
    removed: string[];
  };
  files: Array<{ name: CatalogueName; versionBefore: string; versionAfter: string; rows: RowChange[] }>;
}

const ROW_KEY: Record<CatalogueName, (row: Record<string, unknown>) => string> = {
  licences: (r) => String(r.id),
  'open-weight-models': (r) => String(r.id),
  gpus: (r) => String(r.id),
  'gpu-offers': (r) => `${r.gpu} on ${r.cloud} ${r.instance}`,
  compliance: (r) => `${r.host}${r.vendor ? `/${r.vendor}` : ''}`,
  defaults: (r) => String(r.id),
  'batch-discounts': (r) => String(r.provider),
  'token-price-overrides': (r) => `${r.provider}:${r.model}`,
};

type Price = number | { base: number } | undefined;
type Model = {
  id: string;
  prices: Record<string, Price> | Array<{ constraint?: unknown; prices: Record<string, Price> }>;
};
type Provider = { id: string; models: Model[] };

const base = (p: Price) => (p === undefined ? null : typeof p === 'number' ? p : p.base);

/** The unconditional prices of a model (the first entry without a constraint, else the last one). */
function pricesOf(model: Model): Record<string, Price> {
  if (!Array.isArray(model.prices)) return model.prices;
  return (model.prices.find((p) => p.constraint === undefined) ?? model.prices.at(-1))?.prices ?? {};
}

const UNITS: Array<[string, string]> = [
  ['input_mtok', 'input'],
  ['output_mtok', 'output'],
  ['cache_read_mtok', 'cached input'],
];

function tokenPriceMoves(before: unknown[], after: unknown[]) {
  const index = (providers: unknown[]) => {
    const out = new Map<string, Record<string, Price>>();
    for (const p of providers as Provider[])
      for (const m of p.models) out.set(`${p.id} ${m.id}`, pricesOf(m));
    return out;
  };
  const a = index(before);
  const b = index(after);
  const moved: TokenPriceMove[] = [];
  for (const [key, prices] of b) {
    const old = a.get(key);
    if (!old) continue;
    const units = UNITS.map(([field, unit]) => ({
      unit,
      before: base(old[field]),
      after: base(prices[field]),
    })).filter((u) => u.before !== u.after);
    const [provider, model] = key.split(' ') as [string, string];
    if (units.length > 0) moved.push({ provider, model, units });
  }
  return {
    moved,
    added: [...b.keys()].filter((k) => !a.has(k)),
    removed: [...a.keys()].filter((k) => !b.has(k)),
  };
}

function rowChanges(
  name: CatalogueName,
  before: Array<Record<string, unknown>>,
  after: Array<Record<string, unknown>>,
) {
  const key = ROW_KEY[name];
  const a = new Map(before.map((r) => [key(r), r]));
  const b = new Map(after.map((r) => [key(r), r]));
  const changes: RowChange[] = [];
  for (const [k, row] of b) {
    const old = a.get(k);
    if (!old) {
      changes.push({ key: k, change: 'added', fields: [] });
      continue;
    }
    const fields = [...new Set([...Object.keys(old), ...Object.keys(row)])]
      .filter((f) => JSON.stringify(old[f]) !== JSON.stringify(row[f]))
      .map((f) => ({ field: f, before: old[f], after: row[f] }));
    if (fields.length > 0) changes.push({ key: k, change: 'changed', fields });
  }
  for (const k of a.keys()) if (!b.has(k)) changes.push({ key: k, change: 'removed', fields: [] });
  return changes;
}

/** What moved from `before` to `after`. */
export function diffCatalogues(before: CatalogueSide, after: CatalogueSide): CatalogueDiff {
  return {
    before: before.label,
    after: after.label,
    tokenPrices: {
      versionBefore: before.genai.version,
      versionAfter: after.genai.version,
      ...tokenPriceMoves(before.genai.providers, after.genai.providers),
    },
    files: CATALOGUE_NAMES.map((name) => ({
      name,
      versionBefore: before.files[name]?.version ?? 'absent',
      versionAfter: after.files[name]?.version ?? 'absent',
      rows: rowChanges(name, before.files[name]?.rows ?? [], after.files[name]?.rows ?? []),
    })).filter((f) => f.rows.length > 0 || f.versionBefore !== f.versionAfter),
  };
}

const usd = (v: number | null) => (v === null ? 'not priced' : `$${Number(v.toPrecision(6))}`);
const value = (v: unknown) => (v === undefined ? 'unset' : typeof v === 'string' ? v : JSON.stringify(v));

/** The diff as lines: token prices per model first (old → new), then each file's rows. */
export function renderCatalogueDiff(diff: CatalogueDiff, limit = 50): string[] {
  const t = diff.tokenPrices;
  const out: string[] = [];
  out.push(
    `Token prices (@pydantic/genai-prices ${t.versionBefore} → ${t.versionAfter}): ${t.moved.length} model${t.moved.length === 1 ? '' : 's'} moved, ${t.added.length} added, ${t.removed.length} removed`,
  );
  const shownMoves = limit > 0 ? t.moved.slice(0, limit) : t.moved;
  for (const move of shownMoves)
    out.push(
      `  ${move.provider} ${move.model}: ${move.units.map((u) => `${u.unit} ${usd(u.before)} → ${usd(u.after)}`).join(', ')} per million tokens`,
    );
  if (t.moved.length > shownMoves.length)
    out.push(`  …and ${t.moved.length - limit} more (--limit 0 for all)`);
  const list = (label: string, keys: string[]) => {
    if (keys.length === 0) return;
    const shown = limit > 0 ? keys.slice(0, limit) : keys;
    out.push(
      `  ${label}: ${shown.join(', ')}${keys.length > shown.length ? `, …and ${keys.length - shown.length} more` : ''}`,
    );
  };
  list('added', t.added);
  list('removed', t.removed);
  for (const file of diff.files) {
    out.push(
      `${file.name} (${file.versionBefore === file.versionAfter ? `version ${file.versionAfter}` : `version ${file.versionBefore} → ${file.versionAfter}`}): ${file.rows.length} row${file.rows.length === 1 ? '' : 's'} changed`,
    );
    for (const row of file.rows)
      out.push(
        row.change === 'changed'
          ? `  ${row.key}: ${row.fields.map((f) => `${f.field} ${value(f.before)} → ${value(f.after)}`).join(', ')}`
          : `  ${row.key}: ${row.change}`,
      );
  }
  return out;
}

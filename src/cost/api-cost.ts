import { computed, describeProvenance, usd } from './provenance.ts';
import type { LineItem, Provenance, TokenPrice, TokenUsage } from './types.ts';

// DESIGN §4: API cost per request = input × input price + cached input × cached price
// + output × output price (+ reasoning where billed). Monthly = mean cost per request × requests.

/** The unit prices that apply to one request: its long-context tier when its input crosses one. */
export function pricesForRequest(price: TokenPrice, inputTokens: number) {
  let units = {
    input: price.inputPerMTok,
    cached: price.cachedInputPerMTok,
    write: price.cacheWritePerMTok,
    output: price.outputPerMTok,
    tier: null as number | null,
  };
  for (const t of price.tiers ?? []) {
    if (inputTokens > t.aboveInputTokens) {
      units = {
        input: t.inputPerMTok,
        cached: t.cachedInputPerMTok,
        write: t.cacheWritePerMTok,
        output: t.outputPerMTok,
        tier: t.aboveInputTokens,
      };
    }
  }
  return units;
}

/** Per-token-type cost of one request in USD, before any batch discount. */
export interface RequestCost {
  uncachedInput: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  total: number;
}

/** Cost of one request: every token type at its unit price (cached input at input price where no cached price exists). */
export function apiCostPerRequest(
  usage: TokenUsage,
  price: TokenPrice,
  options: { batch?: boolean } = {},
): RequestCost {
  const u = pricesForRequest(price, usage.input);
  const cached = usage.cachedInput ?? 0;
  const write = usage.cacheWrite ?? 0;
  const uncached = Math.max(0, usage.input - cached - write);
  const factor = options.batch && price.batchDiscount ? 1 - price.batchDiscount.fraction : 1;
  const perM = (tokens: number, perMTok: number) => (tokens * perMTok * factor) / 1e6;
  const cost = {
    uncachedInput: perM(uncached, u.input),
    cachedInput: perM(cached, u.cached ?? u.input),
    cacheWrite: perM(write, u.write ?? u.input),
    output: perM(usage.output, u.output),
    reasoning: perM(usage.reasoning ?? 0, price.reasoningPerMTok ?? u.output),
  };
  return {
    ...cost,
    total: cost.uncachedInput + cost.cachedInput + cost.cacheWrite + cost.output + cost.reasoning,
  };
}

/** Mean token usage over requests (measured cases or one declared request). */
export function meanUsage(usages: readonly TokenUsage[]): TokenUsage {
  const n = usages.length;
  if (n === 0) return { input: 0, output: 0 };
  const sum = (f: (u: TokenUsage) => number) => usages.reduce((s, u) => s + f(u), 0) / n;
  return {
    input: sum((u) => u.input),
    cachedInput: sum((u) => u.cachedInput ?? 0),
    cacheWrite: sum((u) => u.cacheWrite ?? 0),
    output: sum((u) => u.output),
    reasoning: sum((u) => u.reasoning ?? 0),
  };
}

export interface ApiMonthlyInput {
  price: TokenPrice;
  /** Token usage per request: the run's measured cases, or one entry from the workload's declared counts. */
  usages: readonly TokenUsage[];
  /** Where the usages come from (measured run, or the workload's declaration). */
  usageProvenance: Provenance;
  requestsPerMonth: number;
  /** Only when the workload says requests can wait for a batch interface. */
  batch?: boolean;
}

export interface ApiMonthlyCost {
  monthlyUsd: number;
  costPerRequestUsd: number;
  lines: LineItem[];
}

const TYPES = [
  [
    'uncachedInput',
    'input tokens',
    (u: TokenUsage) => Math.max(0, u.input - (u.cachedInput ?? 0) - (u.cacheWrite ?? 0)),
    'inputPerMTok',
  ],
  ['cachedInput', 'cached input tokens', (u: TokenUsage) => u.cachedInput ?? 0, 'cachedInputPerMTok'],
  ['cacheWrite', 'cache-write tokens', (u: TokenUsage) => u.cacheWrite ?? 0, 'cacheWritePerMTok'],
  ['output', 'output tokens', (u: TokenUsage) => u.output, 'outputPerMTok'],
  ['reasoning', 'reasoning tokens', (u: TokenUsage) => u.reasoning ?? 0, 'reasoningPerMTok'],
] as const;

/** Monthly API cost = mean cost per request × requests per month, one line per billed token type. */
export function apiMonthlyCost(input: ApiMonthlyInput): ApiMonthlyCost {
  const { price, usages, requestsPerMonth } = input;
  const n = usages.length;
  const costs = usages.map((u) => apiCostPerRequest(u, price, { batch: input.batch ?? false }));
  const mean = (k: keyof RequestCost) => (n === 0 ? 0 : costs.reduce((s, c) => s + c[k], 0) / n);
  const discount = input.batch && price.batchDiscount ? price.batchDiscount.fraction : 0;
  const lines: LineItem[] = [];
  for (const [key, label, tokensOf, priceKey] of TYPES) {
    const perRequest = mean(key);
    const tokens = n === 0 ? 0 : usages.reduce((s, u) => s + tokensOf(u), 0) / n;
    if (tokens === 0) continue;
    const unit = price[priceKey] ?? (key === 'reasoning' ? price.outputPerMTok : price.inputPerMTok);
    const tiered = price.tiers?.length ? ' (long-context tier where a request crosses it)' : '';
    lines.push({
      id: `api.${key}`,
      label,
      usd: perRequest * requestsPerMonth,
      formula: `${fmt(requestsPerMonth)} requests × ${fmt(tokens)} tokens × ${usd(unit)}/MTok${discount ? ` × (1 − ${discount} batch discount)` : ''}${tiered}`,
      provenance: computed(
        `token usage (${describeUsage(input.usageProvenance)}) and prices (${describePrice(price)})`,
      ),
    });
  }
  const perRequest = mean('total');
  return { monthlyUsd: perRequest * requestsPerMonth, costPerRequestUsd: perRequest, lines };
}

/** A workload's price is credited to it, with its note; a catalogue's by route and date. */
function describePrice(price: TokenPrice): string {
  const route = `${price.providerId}:${price.modelId}, ${price.priceDate}`;
  return price.provenance.kind === 'user' ? `${route}, ${describeProvenance(price.provenance)}` : route;
}

function describeUsage(p: Provenance): string {
  if (p.kind === 'measured') return `measured: ${p.source}`;
  if (p.kind === 'user') return 'declared in the workload';
  if (p.kind === 'estimate') return p.basis;
  return p.kind;
}

/** Formats a count for formulas: integers with separators, fractions to three significant figures. */
export function fmt(x: number): string {
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return Number(x.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });
}

import type { Provenance } from './types.ts';

/** Hours in an average month: 8,760 h a year ÷ 12. */
export const HOURS_PER_MONTH = 730;

/** Seconds in an average month: 730 h × 3,600 s. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** A figure computed from named inputs. */
export function computed(from: string): Provenance {
  return { kind: 'computed', from };
}

/** A figure the user set in the workload (an override). */
export function userSet(note?: string): Provenance {
  return note === undefined ? { kind: 'user' } : { kind: 'user', note };
}

/** One line describing where a figure comes from, for reports. */
export function describeProvenance(p: Provenance): string {
  switch (p.kind) {
    case 'catalogue':
      return `${p.estimate ? 'estimate from ' : ''}${p.source} as of ${p.asOf}${p.note ? ` (${p.note})` : ''}`;
    case 'computed':
      return `computed from ${p.from}`;
    case 'measured':
      return `measured: ${p.source}`;
    case 'estimate':
      return `estimate: ${p.basis}${p.asOf ? ` (${p.asOf})` : ''}`;
    case 'user':
      return `set in the workload${p.note ? `: ${p.note}` : ''}`;
  }
}

/** Whole days between a catalogue date (YYYY-MM or YYYY-MM-DD) and `now`. */
export function ageInDays(asOf: string, now: Date): number {
  const date = new Date(asOf.length === 7 ? `${asOf}-01T00:00:00Z` : `${asOf}T00:00:00Z`);
  return Math.floor((now.getTime() - date.getTime()) / 86_400_000);
}

/** A caveat sentence when a dated figure is older than `maxDays`, else null. */
export function stalenessCaveat(what: string, p: Provenance, now: Date, maxDays = 180): string | null {
  const asOf = p.kind === 'catalogue' ? p.asOf : p.kind === 'estimate' ? p.asOf : undefined;
  if (asOf === undefined) return null;
  const days = ageInDays(asOf, now);
  if (days <= maxDays) return null;
  return `${what} dates from ${asOf}, ${days} days before this report; prices move, so check it against the source or override it in the workload.`;
}

/** Formats USD for formulas and sentences: two decimals above $1, four significant figures below. */
export function usd(amount: number): string {
  if (Math.abs(amount) >= 1)
    return `$${amount.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`;
  return `$${Number(amount.toPrecision(4))}`;
}

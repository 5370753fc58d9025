import type { Capacity } from '../cost/types.ts';

// How a candidate's measured capacity enters its price: a load test that ran on other hardware is
// set aside with the reason; one that met its objective at no rate caps every other figure (the
// workload's capacity_rps or the roofline estimate) at the rate where it failed.

export interface MeasuredCapacity {
  /** The capacity to price with, when a load test gave one that applies. */
  measured: Capacity | undefined;
  /** The upper bound a failed load test set, when it did. */
  bound: Capacity | undefined;
  notes: string[];
}

/** Splits the capacity input of a candidate into a usable measurement, an upper bound, and notes. */
export function measuredCapacity(candidateId: string, given: Capacity | undefined): MeasuredCapacity {
  if (!given) return { measured: undefined, bound: undefined, notes: [] };
  if (given.notUsed !== undefined)
    return {
      measured: undefined,
      bound: undefined,
      notes: [`${candidateId}: no measured capacity on its hardware — ${given.notUsed}.`],
    };
  if (given.bound === 'below') return { measured: undefined, bound: given, notes: [] };
  return { measured: given, bound: undefined, notes: [] };
}

/**
 * Caps the capacity priced (stated or estimated) at a failed load test's bound; says so, and
 * refuses a stated capacity_rps above the bound.
 */
export function capAtBound(
  candidateId: string,
  priced: Capacity,
  bound: Capacity,
  stated: { rps: number; field: string } | undefined,
): { capacity: Capacity; notes: string[] } {
  const limit = bound.requestsPerSecond;
  const source = bound.provenance.kind === 'measured' ? bound.provenance.source : 'a load test';
  const notes = [
    `${candidateId}: its capacity is below ${fmt(limit)} requests/s per replica (measured: ${source}).`,
  ];
  if (stated && stated.rps > limit)
    notes.push(
      `${candidateId}: ${stated.field} ${fmt(stated.rps)} requests/s is refused: the load test found the objective missed at ${fmt(limit)}.`,
    );
  if (priced.requestsPerSecond <= limit && !(stated && stated.rps > limit))
    return { capacity: priced, notes };
  notes.push(
    `${candidateId}: priced at ${fmt(limit)} requests/s per replica, more than it was shown to serve: its replicas and cost are lower bounds.`,
  );
  return { capacity: { ...bound, gpusPerReplica: priced.gpusPerReplica }, notes };
}

const fmt = (x: number) => Number(x.toPrecision(3)).toLocaleString('en-US');

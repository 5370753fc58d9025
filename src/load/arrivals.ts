import { VerdictError } from '../spec/errors.ts';
import type { Random } from './random.ts';
import type { Arrival } from './types.ts';

export type OpenArrival = Exclude<Arrival, { kind: 'closed' }>;

/** Checks an arrival's numbers once, at the edge, with a message a user can act on. */
export function validateArrival(arrival: Arrival): void {
  if (arrival.kind === 'closed') {
    if (!Number.isInteger(arrival.concurrency) || arrival.concurrency < 1) {
      throw new VerdictError('USAGE', `concurrency must be a whole number ≥ 1, got ${arrival.concurrency}`);
    }
    return;
  }
  if (!(arrival.rate > 0) || !Number.isFinite(arrival.rate)) {
    throw new VerdictError(
      'USAGE',
      `rate must be a positive number of requests per second, got ${arrival.rate}`,
    );
  }
  if (arrival.kind === 'gamma' && (!(arrival.burstiness > 0) || !Number.isFinite(arrival.burstiness))) {
    throw new VerdictError(
      'USAGE',
      `burstiness must be a positive number (1 = Poisson), got ${arrival.burstiness}`,
    );
  }
}

/**
 * Returns a function giving successive gaps between sends, in milliseconds, with mean 1000/rate.
 * The first request goes at time 0; gap i separates request i from request i + 1.
 */
export function interArrivalGaps(arrival: OpenArrival, random: Random): () => number {
  const meanMs = 1000 / arrival.rate;
  switch (arrival.kind) {
    case 'constant':
      return () => meanMs;
    case 'poisson':
      return () => random.exponential(arrival.rate) * 1000;
    case 'gamma': {
      // Shape 1/b and scale b·mean keep the mean at 1/rate while the variance scales with b.
      const shape = 1 / arrival.burstiness;
      const scale = meanMs * arrival.burstiness;
      return () => random.gamma(shape, scale);
    }
  }
}

/** The first `count` scheduled send times (ms from 0) of an open-loop arrival process. */
export function arrivalSchedule(arrival: OpenArrival, random: Random, count: number): number[] {
  const gap = interArrivalGaps(arrival, random);
  const times: number[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    times.push(at);
    at += gap();
  }
  return times;
}

/** A short human label: `closed 8`, `poisson 12/s`, `gamma 12/s b=2`. */
export function describeArrival(arrival: Arrival): string {
  switch (arrival.kind) {
    case 'closed':
      return `closed loop, concurrency ${arrival.concurrency}`;
    case 'constant':
      return `constant ${formatRate(arrival.rate)}/s`;
    case 'poisson':
      return `poisson ${formatRate(arrival.rate)}/s`;
    case 'gamma':
      return `gamma ${formatRate(arrival.rate)}/s, burstiness ${arrival.burstiness}`;
  }
}

function formatRate(rate: number): string {
  return Number.isInteger(rate) ? String(rate) : rate.toFixed(2);
}

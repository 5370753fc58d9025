import { SECONDS_PER_MONTH } from './provenance.ts';

// DESIGN §4: replicas = max(minimum for availability, ⌈peak rate ÷ (capacity × target utilisation)⌉),
// peak rate = mean rate × peak factor. With an hourly profile (24 relative weights for the hours of a
// day), replicas follow each hour's rate within the autoscaling bounds instead of sitting at the peak.

export interface ReplicaPlanInput {
  requestsPerMonth: number;
  peakFactor: number;
  /** Requests per second one replica sustains within the objective. */
  capacityRps: number;
  targetUtilisation: number;
  minReplicas: number;
  /** Autoscaling ceiling; a plan above it is reported as a shortfall, not silently capped. */
  maxReplicas?: number;
  /** 24 relative weights; when given, the peak factor is ignored and replicas follow the hours. */
  hourlyProfile?: readonly number[];
}

export interface ReplicaPlan {
  /** Replicas at the busiest hour: what owned hardware must buy. */
  peakReplicas: number;
  /** Mean replicas running over the day: what rented hours pay for. */
  averageReplicas: number;
  meanRps: number;
  peakRps: number;
  /** Served rate ÷ provisioned capacity, averaged over the month. */
  averageUtilisation: number;
  formula: string;
  notes: string[];
}

/** Replicas needed for a rate: at least the minimum, else enough that each runs at the target utilisation. */
export function replicasFor(
  rps: number,
  capacityRps: number,
  targetUtilisation: number,
  minReplicas: number,
): number {
  // Rounding guard: 2.0000000001 replicas of floating-point noise is still 2.
  const needed = Math.ceil(rps / (capacityRps * targetUtilisation) - 1e-9);
  return Math.max(minReplicas, needed);
}

/** The replica plan for a month of traffic. */
export function planReplicas(input: ReplicaPlanInput): ReplicaPlan {
  const { capacityRps, targetUtilisation, minReplicas } = input;
  const meanRps = input.requestsPerMonth / SECONDS_PER_MONTH;
  const notes: string[] = [];
  let peakReplicas: number;
  let averageReplicas: number;
  let peakRps: number;
  let formula: string;
  if (input.hourlyProfile && input.hourlyProfile.length > 0) {
    const w = input.hourlyProfile;
    const meanW = w.reduce((s, x) => s + x, 0) / w.length;
    const perHour = w.map((x) =>
      replicasFor((meanRps * x) / meanW, capacityRps, targetUtilisation, minReplicas),
    );
    peakReplicas = Math.max(...perHour);
    averageReplicas = perHour.reduce((s, x) => s + x, 0) / perHour.length;
    peakRps = (meanRps * Math.max(...w)) / meanW;
    formula = `hourly: max(${minReplicas}, ⌈rate(h) ÷ (${round(capacityRps)} req/s × ${targetUtilisation})⌉) over ${w.length} hours → ${perHour.join(', ')}`;
  } else {
    peakRps = meanRps * input.peakFactor;
    peakReplicas = replicasFor(peakRps, capacityRps, targetUtilisation, minReplicas);
    averageReplicas = peakReplicas;
    formula = `max(${minReplicas}, ⌈${round(meanRps)} req/s × ${input.peakFactor} peak ÷ (${round(capacityRps)} req/s × ${targetUtilisation})⌉) = ${peakReplicas}`;
  }
  if (input.maxReplicas !== undefined && peakReplicas > input.maxReplicas) {
    notes.push(
      `the peak needs ${peakReplicas} replicas, above the autoscaling maximum of ${input.maxReplicas}: requests beyond it would queue or fail`,
    );
  }
  const averageUtilisation = averageReplicas === 0 ? 0 : meanRps / (averageReplicas * capacityRps);
  return { peakReplicas, averageReplicas, meanRps, peakRps, averageUtilisation, formula, notes };
}

/** Replicas a month's volume pays for, without the plan's text: the peak (owned hardware) or the mean over the hours (rented). */
export function replicasAt(
  input: Omit<ReplicaPlanInput, 'requestsPerMonth'>,
  requestsPerMonth: number,
  peak: boolean,
): number {
  const meanRps = requestsPerMonth / SECONDS_PER_MONTH;
  const { capacityRps, targetUtilisation, minReplicas } = input;
  const w = input.hourlyProfile;
  if (!w || w.length === 0)
    return replicasFor(meanRps * input.peakFactor, capacityRps, targetUtilisation, minReplicas);
  const meanW = w.reduce((s, x) => s + x, 0) / w.length;
  const perHour = w.map((x) =>
    replicasFor((meanRps * x) / meanW, capacityRps, targetUtilisation, minReplicas),
  );
  return peak ? Math.max(...perHour) : perHour.reduce((s, x) => s + x, 0) / perHour.length;
}

/** Monthly volumes up to `maxVolume` at which the replica count steps up (where cost jumps), ascending. */
export function replicaStepVolumes(
  input: Omit<ReplicaPlanInput, 'requestsPerMonth'>,
  maxVolume: number,
  limit = 100_000,
): number[] {
  const perReplica = input.capacityRps * input.targetUtilisation * SECONDS_PER_MONTH;
  const shapes: number[] = [];
  if (input.hourlyProfile && input.hourlyProfile.length > 0) {
    const w = input.hourlyProfile;
    const meanW = w.reduce((s, x) => s + x, 0) / w.length;
    for (const x of new Set(w)) if (x > 0) shapes.push(x / meanW);
  } else {
    shapes.push(input.peakFactor);
  }
  const out = new Set<number>();
  for (const shape of shapes) {
    // Hour h needs more than k replicas once volume × shape ÷ month > k × per-replica rate.
    for (let k = input.minReplicas; out.size < limit; k++) {
      const v = (k * perReplica) / shape;
      if (v > maxVolume) break;
      out.add(v);
    }
  }
  return [...out].sort((a, b) => a - b);
}

const round = (x: number) => Number(x.toPrecision(4));

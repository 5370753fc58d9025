// The gate and the budget of a worker when the store is Postgres: over its own gate (concurrency,
// learned limits), each start also takes the next slot of its endpoint and model's shared pace (the
// configured rate, or the limit the provider's headers or 429s taught this worker), a 429 holds
// every worker, and --max-cost is one counter for the run, whichever worker spends.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimitInfo } from '../spec/provider.ts';
import type { SharedBudgetState, SharedLimits } from '../store/postgres/shared-limits.ts';
import { Budget } from './budget.ts';
import { type GateLimits, RateGate } from './rate-gate.ts';

/**
 * A learned limit is paced this much further under across workers: a slot taken from the store
 * reaches the provider after a worker's own delay, which varies from worker to worker (at 98.5%,
 * 3 workers under a stated 10 per 2 s saw 3–4 of about 40 calls refused after the first window).
 */
const TEAM_MARGIN = 0.95;

/** A query to the shared limits that fails is tried again this often, until it answers or the run stops. */
const RETRY_MS = 1000;

/** A RateGate whose configured request rate is shared by every worker through the store. */
export class SharedRateGate extends RateGate {
  readonly #shared: SharedLimits;
  readonly #key: string;
  readonly #intervalMs: number | undefined;

  constructor(limits: GateLimits, shared: SharedLimits, key: string) {
    super(limits);
    this.#shared = shared;
    this.#key = key;
    this.#intervalMs = limits.requestsPerMinute === undefined ? undefined : 60_000 / limits.requestsPerMinute;
  }

  override async permit(estimatedTokens: number, signal?: AbortSignal): Promise<void> {
    await super.permit(estimatedTokens, signal);
    // The provider's limit is the team's, whichever worker learned it: the slower of it and the
    // workload's configured rate paces every worker's starts together.
    const learned = this.learnedIntervalMs();
    const teamLearned = learned === undefined ? undefined : learned / TEAM_MARGIN;
    const intervalMs =
      teamLearned === undefined ? this.#intervalMs : Math.max(teamLearned, this.#intervalMs ?? 0);
    if (intervalMs === undefined) return;
    for (;;) {
      signal?.throwIfAborted();
      let wait: number;
      try {
        wait = await this.#shared.takeStart(this.#key, intervalMs);
      } catch {
        // Starting without the shared pace could pass the team's limit: wait for the database.
        await sleep(RETRY_MS, undefined, signal ? { signal } : {});
        continue;
      }
      if (wait > 0) await sleep(wait, undefined, signal ? { signal } : {});
      return;
    }
  }

  override onRateLimited(info: RateLimitInfo | undefined, fallbackWaitMs: number): void {
    super.onRateLimited(info, fallbackWaitMs);
    const wait = info?.retryAfterMs ?? info?.resetRequestsMs ?? info?.resetTokensMs ?? fallbackWaitMs;
    void this.#shared.pause(this.#key, wait).catch(() => {});
  }
}

/** A run's --max-cost counted in the store: a call starts only if the whole run's spend and reservations leave room. */
export class SharedBudget extends Budget {
  readonly #shared: SharedLimits;
  readonly #runId: string;
  readonly #candidateId: string;
  #projectedUsd: number;
  readonly #pending = new Set<Promise<void>>();

  constructor(shared: SharedLimits, runId: string, candidateId: string, state: SharedBudgetState) {
    super(state.maxUsd);
    this.#shared = shared;
    this.#runId = runId;
    this.#candidateId = candidateId;
    this.#projectedUsd = state.spentUsd + state.reservedUsd;
  }

  override async tryReserve(estimateUsd: number): Promise<boolean> {
    const { granted, projectedUsd } = await this.#shared.reserve(this.#runId, estimateUsd, this.#candidateId);
    this.#projectedUsd = granted ? projectedUsd : projectedUsd - estimateUsd;
    return granted;
  }

  override settle(estimateUsd: number, actualUsd: number): void {
    this.spentUsd += actualUsd;
    const write = this.#shared
      .settle(this.#runId, estimateUsd, actualUsd)
      .catch(() => {})
      .finally(() => this.#pending.delete(write));
    this.#pending.add(write);
  }

  override get projectedUsd(): number {
    return this.#projectedUsd;
  }

  /** Waits for the settlements still on their way to the store. */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }
}

// One gate per endpoint (provider, base URL, key) and model: how many calls may be in flight, how
// fast new ones may start (requests and tokens per minute), and when to hold off entirely. Adaptive:
// a 429 halves concurrency and pauses for Retry-After or the reset the headers name; sustained
// success raises concurrency again; limits the headers report are learned and paced under.
//
// The request limit's window is read, not assumed: a response saying `remaining` requests until a
// reset `T` ms away paces the next starts at T / remaining. That one rule fits a fixed window, a
// sliding window (a full one says 0 until its oldest request expires) and a token bucket (OpenAI's
// and Anthropic's "reset" is when the bucket is full again), whatever the window's length: a server
// allowing 100 per 5 s that states `limit 100` was paced as 100 per minute, 24 times too slow.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimitInfo } from '../spec/provider.ts';

export interface GateLimits {
  /** Most calls in flight at once. */
  concurrency: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

export interface GateStats {
  rateLimited: number;
  /** Times concurrency was lowered after a 429. */
  lowered: number;
  /** Current concurrency limit. */
  concurrency: number;
  /** The request rate being paced at, when known (configured or learned). */
  requestsPerMinute: number | undefined;
}

/** Learned limits are paced a little under, so clock skew and latency jitter do not trip them. */
const LEARNED_MARGIN = 0.985;
/** Successes in a row, per unit of current concurrency, before concurrency goes up by one. */
const RAISE_AFTER = 2;
/** A burst of 429s from calls already in flight lowers concurrency once, not once per call. */
const LOWER_COOLDOWN_MS = 1000;
/** An estimated limit is paced this far under the estimate. */
const ESTIMATE_MARGIN = 0.98;
/** Past a stated reset, with no response since, one start and at most this long before the next. */
const STALE_HOLD_MS = 1000;
/** Without a 429 for this long, an estimated limit is probed 5% higher. */
const PROBE_AFTER_MS = 60_000;

/** The request allowance the last response stated, and what was started since. */
interface Quota {
  remaining: number;
  resetAt: number;
  started: number;
  /** Reset ÷ remaining when stated: the spacing to keep once past the reset with nothing newer. */
  interval: number;
  lastStart: number;
}

export class RateGate {
  readonly #max: number;
  #limit: number;
  #inFlight = 0;
  #waiters: Array<() => void> = [];
  #rpm: number | undefined;
  readonly #rpmConfigured: boolean;
  #tpm: number | undefined;
  readonly #tpmConfigured: boolean;
  #tokens = 0;
  #tokensAt = 0;
  #nextStart = 0;
  #pausedUntil = 0;
  #streak = 0;
  #lastLowered = -Infinity;
  #rateLimited = 0;
  #lowered = 0;
  /** Where the request limit came from: the workload, the provider's headers, or an estimate from 429s. */
  #rpmSource: 'configured' | 'headers' | 'estimate' | undefined;
  /** Successes since the last pause ended: with the pause, they estimate a limit no header states. */
  #periodStart = Date.now();
  #periodSuccesses = 0;
  #estimatedAt = 0;
  /** What the last response said of the request allowance, and the starts since it arrived. */
  #quota: Quota | undefined;
  #longestReset = 0;
  #limitRequests = 0;

  constructor(limits: GateLimits) {
    this.#max = Math.max(1, Math.floor(limits.concurrency));
    this.#limit = this.#max;
    this.#rpm = limits.requestsPerMinute;
    this.#rpmConfigured = limits.requestsPerMinute !== undefined;
    this.#rpmSource = this.#rpmConfigured ? 'configured' : undefined;
    this.#tpm = limits.tokensPerMinute;
    this.#tpmConfigured = limits.tokensPerMinute !== undefined;
    this.#tokens = this.#tpm ?? 0;
    this.#tokensAt = Date.now();
  }

  stats(): GateStats {
    return {
      rateLimited: this.#rateLimited,
      lowered: this.#lowered,
      concurrency: this.#limit,
      requestsPerMinute: this.#rpm,
    };
  }

  /** Waits for a concurrency slot; rejects when `signal` aborts. */
  async acquire(signal?: AbortSignal): Promise<void> {
    while (this.#inFlight >= this.#limit) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#waiters.push(wake);
      });
    }
    this.#inFlight++;
  }

  release(): void {
    this.#inFlight--;
    this.#wake();
  }

  #wake(): void {
    let free = this.#limit - this.#inFlight;
    while (free-- > 0 && this.#waiters.length > 0) this.#waiters.shift()!();
  }

  #refill(now: number): void {
    if (this.#tpm === undefined) return;
    this.#tokens = Math.min(this.#tpm, this.#tokens + ((now - this.#tokensAt) * this.#tpm) / 60_000);
    this.#tokensAt = now;
  }

  /** Waits until one more call may start (pause over, request pace, token budget), then takes it. */
  async permit(estimatedTokens: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      this.#refill(now);
      const need = this.#tpm === undefined ? 0 : Math.min(estimatedTokens, this.#tpm);
      const quota = this.#rpmConfigured ? undefined : this.#quota;
      const waits = [
        this.#pausedUntil - now,
        this.#rpm === undefined || quota ? 0 : this.#nextStart - now,
        quota ? this.#quotaWait(quota, now) : 0,
      ];
      if (this.#tpm !== undefined && this.#tokens < need)
        waits.push(((need - this.#tokens) * 60_000) / this.#tpm);
      const wait = Math.max(...waits);
      if (wait <= 0) {
        if (quota) {
          quota.started++;
          quota.lastStart = now;
          // Past the reset with nothing newer heard: one start, then wait for the response that
          // says how much the reset freed (a sliding window frees one request at a time; letting
          // every waiter go at the reset drew a 429 for each one but the first).
          if (now >= quota.resetAt && quota.remaining - quota.started < 0)
            quota.resetAt = now + Math.min(STALE_HOLD_MS, Math.max(quota.interval, this.#spacing()));
        } else if (this.#rpm !== undefined) {
          // Scheduled on absolute times, so timer and event-loop lateness do not add up into a lower
          // rate; after an idle spell (late by more than two intervals) the schedule restarts
          // rather than bursting to catch up.
          const interval = 60_000 / this.#rpm;
          this.#nextStart =
            now - this.#nextStart > 2 * interval ? now + interval : this.#nextStart + interval;
        }
        this.#tokens -= need;
        return;
      }
      // Waits are re-checked at least every second: a pause or a learned limit may change meanwhile.
      await sleep(Math.min(wait, 1000), undefined, signal ? { signal } : {});
    }
  }

  /**
   * The spacing of starts the limit learned from the provider allows, when one was learned (from
   * its headers, or estimated from 429s): what a team's workers, who share the provider's limit,
   * keep between their starts together (run/shared-limits.ts).
   */
  learnedIntervalMs(): number | undefined {
    if (this.#rpmSource !== 'configured' && this.#rpm !== undefined && this.#rpm > 0)
      return 60_000 / this.#rpm;
    if (this.#limitRequests > 0 && this.#longestReset > 0) return this.#spacing() / LEARNED_MARGIN;
    return undefined;
  }

  /**
   * The average spacing the limit allows: the longest reset seen is about the window (a reset is
   * at most a window away, and an empty window's first request reports a whole one), over the limit.
   */
  #spacing(): number {
    return this.#limitRequests > 0 ? this.#longestReset / this.#limitRequests : STALE_HOLD_MS;
  }

  /** How long before the next start may go, by the allowance the last response stated. */
  #quotaWait(quota: Quota, now: number): number {
    const left = quota.remaining - quota.started;
    if (left <= 0) return quota.resetAt - now;
    const spacing = Math.max(0, quota.resetAt - now) / left / LEARNED_MARGIN;
    return quota.lastStart + spacing - now;
  }

  /** A response's statement of the request allowance: `remaining` until `reset`. */
  #readQuota(info: RateLimitInfo | undefined, now: number): void {
    if (info?.remainingRequests === undefined || info.resetRequestsMs === undefined) return;
    const remaining = Math.max(0, info.remainingRequests);
    this.#longestReset = Math.max(this.#longestReset, info.resetRequestsMs);
    if (info.limitRequests !== undefined) this.#limitRequests = info.limitRequests;
    this.#quota = {
      remaining,
      resetAt: now + info.resetRequestsMs,
      started: 0,
      interval: info.resetRequestsMs / Math.max(1, remaining),
      lastStart: this.#quota?.lastStart ?? 0,
    };
    if (!this.#rpmConfigured) this.#rpmSource = 'headers';
  }

  /** A call answered: learn the limits the headers report, settle the token estimate, maybe raise concurrency. */
  onSuccess(info: RateLimitInfo | undefined, usedTokens: number, estimatedTokens: number): void {
    const now = Date.now();
    this.#learn(info, now);
    this.#readQuota(info, now);
    if (this.#rpmConfigured && info?.remainingRequests === 0 && info.resetRequestsMs !== undefined) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + info.resetRequestsMs);
    }
    if (this.#tpm !== undefined) {
      this.#refill(now);
      this.#tokens = Math.min(this.#tpm, this.#tokens + Math.min(estimatedTokens, this.#tpm) - usedTokens);
    }
    if (info?.remainingTokens === 0 && info.resetTokensMs !== undefined) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + info.resetTokensMs);
    }
    if (now >= this.#periodStart) this.#periodSuccesses++;
    if (
      this.#rpmSource === 'estimate' &&
      this.#rpm !== undefined &&
      now - this.#estimatedAt >= PROBE_AFTER_MS
    ) {
      this.#rpm *= 1.05;
      this.#estimatedAt = now;
    }
    this.#streak++;
    if (this.#limit < this.#max && this.#streak >= this.#limit * RAISE_AFTER) {
      this.#limit++;
      this.#streak = 0;
      this.#wake();
    }
  }

  /** A 429: hold everything until the provider says, and lower concurrency (once per burst). */
  onRateLimited(info: RateLimitInfo | undefined, fallbackWaitMs: number): void {
    const now = Date.now();
    this.#rateLimited++;
    this.#streak = 0;
    this.#learn(info, now);
    this.#readQuota(info, now);
    const wait = info?.retryAfterMs ?? info?.resetRequestsMs ?? info?.resetTokensMs ?? fallbackWaitMs;
    this.#pausedUntil = Math.max(this.#pausedUntil, now + wait);
    // No header states the limit: what got through since the last pause, over that time plus this
    // pause, is about what the provider allows (a window's allowance over the window). The first
    // 429 of a burst estimates; the others of the same burst find no new period yet.
    if (
      (this.#rpmSource === undefined || this.#rpmSource === 'estimate') &&
      now >= this.#periodStart &&
      this.#periodSuccesses > 0
    ) {
      this.#rpm = ((this.#periodSuccesses * 60_000) / (now - this.#periodStart + wait)) * ESTIMATE_MARGIN;
      this.#rpmSource = 'estimate';
      this.#estimatedAt = now;
    }
    if (now >= this.#periodStart) {
      this.#periodStart = now + wait;
      this.#periodSuccesses = 0;
    }
    if (now - this.#lastLowered >= LOWER_COOLDOWN_MS && this.#limit > 1) {
      this.#limit = Math.max(1, Math.floor(this.#limit / 2));
      this.#lastLowered = now;
      this.#lowered++;
    }
  }

  #learn(info: RateLimitInfo | undefined, now: number): void {
    if (!info) return;
    // A limit with no reset beside it is taken as per minute, as OpenAI documents its own; with a
    // reset, the allowance it states paces the starts instead (#readQuota).
    if (
      !this.#rpmConfigured &&
      info.limitRequests !== undefined &&
      info.limitRequests > 0 &&
      info.resetRequestsMs === undefined
    ) {
      this.#rpm = info.limitRequests * LEARNED_MARGIN;
      this.#rpmSource = 'headers';
    }
    if (!this.#tpmConfigured && info.limitTokens !== undefined && info.limitTokens > 0) {
      const learned = info.limitTokens * LEARNED_MARGIN;
      if (this.#tpm === undefined) {
        this.#tokens = info.remainingTokens ?? learned;
        this.#tokensAt = now;
      }
      this.#tpm = learned;
    }
  }
}

// Results reach the store as they finish: the write is queued as a microtask, so it runs as soon as
// the code that handled the answer returns — answers handled together share one transaction (or a
// full batch goes at once). An answer is durable (a WAL commit survives the death of the process)
// right after it is received and graded, so a kill repeats only calls still on the wire or waiting
// for the event loop. Measured with bench/runner-crash.ts (20 SIGKILLs, 100 ms calls, concurrency
// 16, seeds 7/11/23): a 20 ms batching timer repeated 5.2 paid calls per kill at seed 7; the end of the
// turn (setImmediate) 2.7 / 1.5 / 3.5; a microtask 2.4 / 0.6 / 1.8. The cost: 4,000 instant calls took
// 2.9–3.0 s instead of 2.6–2.9 s. Fresh answers enter the response cache every few thousand results,
// in one sorted copy (and at the run's end).

import type { Result } from '../spec/result.ts';
import type { CacheEntry } from '../store/runner-store.ts';
import type { Store } from '../store/store.ts';

export class ResultWriter {
  readonly #store: Store;
  readonly #maxBatch: number;
  #results: Result[] = [];
  #entries: CacheEntry[] = [];
  #unpublished = 0;
  /** Answers queued with a cache key so far, and how many of the first of them the cache returns. */
  #keyed = 0;
  #publishedThrough = 0;
  readonly #publishEvery: number;
  #scheduled = false;
  #chain: Promise<void> = Promise.resolve();
  #failure: unknown;

  readonly #delayMs: number;

  readonly #replaceErrors: boolean;

  /** With `replaceErrors` (--retry-errors), a result replaces the error stored under its key. */
  constructor(
    store: Store,
    options: { maxBatch?: number; delayMs?: number; replaceErrors?: boolean; publishEvery?: number } = {},
  ) {
    const { maxBatch = 500, delayMs = 0, publishEvery = 5000 } = options;
    this.#publishEvery = publishEvery;
    this.#replaceErrors = options.replaceErrors ?? false;
    this.#store = store;
    this.#maxBatch = maxBatch;
    this.#delayMs = delayMs;
  }

  /**
   * Queues a result; `cacheKey` when its call was made now, so its answer enters the response cache.
   * Returns the answer's sequence number, which `publishedThrough` reaches once the cache returns it.
   */
  add(result: Result, cacheKey?: string): number {
    this.#results.push(result);
    if (cacheKey !== undefined) {
      this.#entries.push({ result, key: cacheKey });
      this.#unpublished++;
      this.#keyed++;
    }
    if (this.#results.length >= this.#maxBatch) this.#write();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      if (this.#delayMs > 0) setTimeout(() => this.#write(), this.#delayMs);
      else queueMicrotask(() => this.#write());
    }
    return this.#keyed;
  }

  /** Resolves once what was added so far is written (or failed to be: see `failure`). */
  whenWritten(): Promise<void> {
    this.#write();
    return this.#chain;
  }

  /** Answers up to this sequence number are in the response cache. */
  get publishedThrough(): number {
    return this.#publishedThrough;
  }

  #write(): void {
    this.#scheduled = false;
    if (this.#results.length === 0) return;
    const results = this.#results;
    const entries = this.#entries;
    this.#results = [];
    this.#entries = [];
    const publish = this.#unpublished >= this.#publishEvery;
    if (publish) this.#unpublished = 0;
    const through = this.#keyed;
    this.#chain = this.#chain.then(async () => {
      try {
        await this.#store.saveResults(results, entries, { replaceErrors: this.#replaceErrors });
        if (publish) {
          await this.#store.publishResponseCache();
          this.#publishedThrough = through;
        }
      } catch (error) {
        this.#failure ??= error;
      }
    });
  }

  /** Writes what is pending and publishes the fresh answers to the cache; rethrows the first store failure. */
  async flush(): Promise<void> {
    this.#write();
    await this.#chain;
    if (this.#failure) throw this.#failure;
    if (this.#unpublished > 0) {
      this.#unpublished = 0;
      const through = this.#keyed;
      await this.#store.publishResponseCache();
      this.#publishedThrough = through;
    }
  }

  /** The first store failure so far, if any (the runner stops scheduling on one). */
  get failure(): unknown {
    return this.#failure;
  }
}

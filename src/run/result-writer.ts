// Results reach the store as they finish, in batches: everything that finishes within a few
// milliseconds goes into one transaction (or a full batch goes at once), so a commit's write to the
// WAL is shared by many results. A crash loses at most those milliseconds of results. Fresh answers
// enter the response cache every few thousand results, in one sorted copy (and at the run's end).

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
    const { maxBatch = 500, delayMs = 20, publishEvery = 5000 } = options;
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
      setTimeout(() => this.#write(), this.#delayMs);
    }
    return this.#keyed;
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

// Results reach the store as they finish. The result of a call made now — an answer paid for — is
// written before add() returns: the SQLite store commits inside the call (a WAL commit survives the
// death of the process; no fsync is needed for that), so the answer is durable as soon as it is read
// and graded, before the gate lets the next call go or the progress is drawn. A write still in
// progress (an asynchronous store) makes it queue behind that one. Answers replayed from the cache
// are gathered for a microtask, so that a page of them shares one transaction. Fresh answers enter
// the response cache every few thousand results, in one sorted copy (and at the run's end).
//
// Measured with `node bench/runner-crash.ts --seed N` (20 SIGKILLs, 100 ms calls, concurrency 16,
// seeds 7/11/23/5/42; docs/runner.md has the table): 3.0 repeated paid calls per kill, of which 0.37
// were answers still unread in the socket at the kill, 0.05 answers read but not stored, and 2.6
// calls in flight that the server finished after the kill, while the kernel tore the process down
// and its sockets were still open. Before (a microtask, the next call sent from inside the answer):
// 3.3, of which 0.67 unread and 0.06 read but not stored.

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
  /** Writes (and publishes) started and not finished yet. */
  #inProgress = 0;
  #failure: unknown;

  readonly #replaceErrors: boolean;

  /** With `replaceErrors` (--retry-errors), a result replaces the error stored under its key. */
  constructor(
    store: Store,
    options: { maxBatch?: number; replaceErrors?: boolean; publishEvery?: number } = {},
  ) {
    const { maxBatch = 500, publishEvery = 5000 } = options;
    this.#publishEvery = publishEvery;
    this.#replaceErrors = options.replaceErrors ?? false;
    this.#store = store;
    this.#maxBatch = maxBatch;
  }

  /**
   * Stores a result: at once when its call was made now (not `cached`), else at the end of the
   * microtask. `cacheKey` when its call was made now, so its answer enters the response cache.
   * Returns the answer's sequence number, which `publishedThrough` reaches once the cache returns it.
   */
  add(result: Result, cacheKey?: string): number {
    this.#results.push(result);
    if (cacheKey !== undefined) {
      this.#entries.push({ result, key: cacheKey });
      this.#unpublished++;
      this.#keyed++;
    }
    if (!result.cached || this.#results.length >= this.#maxBatch) this.#write();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.#write());
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

  /** Starts writing what is pending: now when no write is in progress, else after the last one. */
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
    const step = async () => {
      try {
        await this.#store.saveResults(results, entries, { replaceErrors: this.#replaceErrors });
        if (publish) {
          await this.#store.publishResponseCache();
          this.#publishedThrough = through;
        }
      } catch (error) {
        this.#failure ??= error;
      } finally {
        this.#inProgress--;
      }
    };
    // An async function runs up to its first await at once: with nothing in progress, the store's
    // write starts (and SQLite's commits) before this returns.
    this.#chain = this.#inProgress++ === 0 ? step() : this.#chain.then(step);
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

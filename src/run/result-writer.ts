// Results reach the store as they finish. The result of a call made now — an answer paid for — is
// durable before add() returns, so a kill right after its read costs nothing: a store that logs
// (SQLite: one append to a journal beside it) logs it at once and takes it into its tables in a
// batch at most BATCH_MS later; any other store is given it at once. Answers replayed from the cache
// are gathered for a microtask, so that a page of them shares one transaction. Fresh answers enter
// the response cache every few thousand results, in one sorted copy (and at the run's end).
//
// Measured with `node bench/runner-crash.ts --seed N` (20 SIGKILLs, 100 ms calls, concurrency 16;
// docs/runner.md has the table): repeated paid calls per kill are mostly calls in flight that the
// server finished after the kill, while the kernel tore the process down. And with
// `node bench/runner-vs-promptfoo.ts`: a commit per answer cost a third of a fast run's main thread
// (the runner's share of its wire client's rate 0.58); logged and batched, see docs/runner.md.

import type { Result } from '../spec/result.ts';
import type { CacheEntry } from '../store/runner-store.ts';
import type { Store } from '../store/store.ts';

/** How long a logged answer may wait for its batch: what a reader of the tables (the dashboard) lags by. */
const BATCH_MS = 50;

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
  #batchTimer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  /** Writes (and publishes) started or queued, and not finished yet. */
  #inProgress = 0;
  /** A write is queued behind the one in progress: it takes whatever is pending when it starts. */
  #nextWriteQueued = false;
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
   * Stores a result: one whose call was made now (not `cached`) is durable before this returns
   * (logged, or given to the store), one replayed from the cache is written at the end of the
   * microtask. `cacheKey` when its call was made now, so its answer enters the response cache.
   * Returns the answer's sequence number, which `publishedThrough` reaches once the cache returns it.
   */
  add(result: Result, cacheKey?: string): number {
    this.#results.push(result);
    const entry = cacheKey === undefined ? undefined : { result, key: cacheKey };
    if (entry) {
      this.#entries.push(entry);
      this.#unpublished++;
      this.#keyed++;
    }
    if (result.cached) {
      if (this.#results.length >= this.#maxBatch) this.#write();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(() => this.#write());
      }
    } else if (this.#log(result, entry)) {
      if (this.#results.length >= this.#maxBatch) this.#write();
      else this.#batchTimer ??= setTimeout(() => this.#write(), BATCH_MS);
    } else {
      this.#write();
    }
    return this.#keyed;
  }

  /** Logs a fresh answer where the store can; false when it cannot (then it is written at once). */
  #log(result: Result, entry: CacheEntry | undefined): boolean {
    if (!this.#store.logResults || this.#failure) return false;
    try {
      this.#store.logResults([result], entry ? [entry] : [], { replaceErrors: this.#replaceErrors });
      return true;
    } catch (error) {
      this.#failure ??= error;
      return false;
    }
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

  /**
   * Starts writing what is pending: now when no write is in progress, else once it is done — then
   * with every result added in between, in one batch (one commit for all that came meanwhile).
   */
  #write(): void {
    this.#scheduled = false;
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    if (this.#results.length === 0 || this.#nextWriteQueued) return;
    const step = async () => {
      this.#nextWriteQueued = false;
      const results = this.#results;
      const entries = this.#entries;
      this.#results = [];
      this.#entries = [];
      const publish = this.#unpublished >= this.#publishEvery;
      if (publish) this.#unpublished = 0;
      const through = this.#keyed;
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
    // write starts (a SQLite store commits) before this returns.
    if (this.#inProgress++ === 0) {
      this.#chain = step();
    } else {
      this.#nextWriteQueued = true;
      this.#chain = this.#chain.then(step);
    }
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

// Results reach the store as they finish, in batches: everything that finishes within a few
// milliseconds goes into one transaction (or a full batch goes at once), so a commit's write to the
// WAL is shared by many results. A crash loses at most those milliseconds of results.

import type { Result } from '../spec/result.ts';
import type { CacheEntry } from '../store/runner-store.ts';
import type { Store } from '../store/store.ts';

export class ResultWriter {
  readonly #store: Store;
  readonly #maxBatch: number;
  #results: Result[] = [];
  #entries: CacheEntry[] = [];
  #scheduled = false;
  #chain: Promise<void> = Promise.resolve();
  #failure: unknown;

  readonly #delayMs: number;

  readonly #replaceErrors: boolean;

  /** With `replaceErrors` (--retry-errors), a result replaces the error stored under its key. */
  constructor(store: Store, options: { maxBatch?: number; delayMs?: number; replaceErrors?: boolean } = {}) {
    const { maxBatch = 500, delayMs = 20 } = options;
    this.#replaceErrors = options.replaceErrors ?? false;
    this.#store = store;
    this.#maxBatch = maxBatch;
    this.#delayMs = delayMs;
  }

  add(result: Result, entry?: CacheEntry): void {
    this.#results.push(result);
    if (entry) this.#entries.push(entry);
    if (this.#results.length >= this.#maxBatch) this.#write();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setTimeout(() => this.#write(), this.#delayMs);
    }
  }

  #write(): void {
    this.#scheduled = false;
    if (this.#results.length === 0) return;
    const results = this.#results;
    const entries = this.#entries;
    this.#results = [];
    this.#entries = [];
    this.#chain = this.#chain.then(() =>
      this.#store
        .saveResults(results, entries, { replaceErrors: this.#replaceErrors })
        .catch((error: unknown) => {
          this.#failure ??= error;
        }),
    );
  }

  /** Writes what is pending; rethrows the first store failure. */
  async flush(): Promise<void> {
    this.#write();
    await this.#chain;
    if (this.#failure) throw this.#failure;
  }

  /** The first store failure so far, if any (the runner stops scheduling on one). */
  get failure(): unknown {
    return this.#failure;
  }
}

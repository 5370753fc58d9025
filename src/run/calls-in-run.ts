// Calls made in this invocation whose answers the response cache cannot return yet: in flight, or
// answered but not yet published to the cache (that happens every few thousand results). A case
// whose call has the same content address as one of these waits for that answer instead of paying
// for the same call again, as a re-run would answer it from the cache. Entries leave once their
// answer is published, so the map stays as small as the publishing interval.
import type { Generation } from '../spec/provider.ts';

interface Entry {
  /** Resolves to the answer, or to undefined when the call failed or was interrupted. */
  answer: Promise<Generation | undefined>;
  /** The writer's sequence number of the stored answer, once stored. */
  storedAs?: number;
}

/** How the caller reports the end of a call it began. */
export interface BegunCall {
  answered(generation: Generation, storedAs: number): void;
  /** Failed or interrupted: waiting cases make their own calls. */
  failed(): void;
}

export class CallsInRun {
  readonly #entries = new Map<string, Entry>();

  /** The answer of an earlier call with this key, if one is in flight or unpublished. */
  find(key: string): Promise<Generation | undefined> | undefined {
    return this.#entries.get(key)?.answer;
  }

  /** Records that a call with this key starts now. */
  begin(key: string): BegunCall {
    let settle!: (generation: Generation | undefined) => void;
    const entry: Entry = { answer: new Promise((resolve) => (settle = resolve)) };
    this.#entries.set(key, entry);
    return {
      answered: (generation, storedAs) => {
        entry.storedAs = storedAs;
        settle(generation);
      },
      failed: () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
        settle(undefined);
      },
    };
  }

  /** Drops the answers the response cache now returns: those stored as `publishedThrough` or before. */
  forgetPublished(publishedThrough: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.storedAs !== undefined && entry.storedAs <= publishedThrough) this.#entries.delete(key);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

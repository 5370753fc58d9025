// One call per content key across a team's workers. Within one process, CallsInRun makes a case
// wait for an identical call in flight; across processes a worker first claims the keys it is about
// to call in the store (one atomic statement a page), and a worker refused a key waits for the
// holder's answer to reach the response cache instead of paying for it again. A claim lives as long
// as its holder's page lease: a killed worker's claims lapse with its page, and a waiting worker
// then claims the key and calls it itself.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CachedGeneration } from '../store/runner-store.ts';
import type { Store } from '../store/store.ts';

export interface CallClaims {
  /** Claims keys for this worker; resolves to those granted (free, or held by a lapsed worker). */
  claim(keys: readonly string[]): Promise<Set<string>>;
  /** Lets keys go: their answers are stored, their calls failed, or they were never called. */
  release(keys: readonly string[]): Promise<void>;
}

/** Another worker's call with the same key: its stored answer, or the claim when that worker let go. */
export type OtherCall =
  | { kind: 'answered'; generation: CachedGeneration }
  | { kind: 'claimed' }
  | { kind: 'stopped' };

/**
 * Claims keys for this worker. A key's holder lets go once its answer is stored, which the cache
 * returns only after a publish: a key granted is looked up once more (after a publish), and one
 * whose answer is there is let go again and returned as answered instead of granted.
 */
export async function claimUnanswered(
  store: Store,
  claims: CallClaims,
  keys: readonly string[],
): Promise<{ granted: Set<string>; answered: Map<string, CachedGeneration> }> {
  const granted = keys.length > 0 ? await claims.claim(keys) : new Set<string>();
  if (granted.size === 0) return { granted, answered: new Map() };
  await store.publishResponseCache();
  const answered = await store.cachedGenerations([...granted]);
  if (answered.size === 0) return { granted, answered };
  await claims.release([...answered.keys()]);
  for (const key of answered.keys()) granted.delete(key);
  return { granted, answered };
}

/** How often a waiting worker looks for the answers it waits for. */
const POLL_MS = 200;

/**
 * The keys one lane waits for, looked up together: every poll publishes what is stored (any
 * worker's answers enter the cache), reads the cache for the keys, and claims those still missing
 * whose holder let go (through claimUnanswered, which looks a granted key up once more).
 */
export class OtherWorkersCalls {
  readonly #store: Store;
  readonly #claims: CallClaims;
  readonly #signal: AbortSignal;
  readonly #waiting = new Map<string, Array<(call: OtherCall) => void>>();
  #polling = false;

  constructor(store: Store, claims: CallClaims, signal: AbortSignal) {
    this.#store = store;
    this.#claims = claims;
    this.#signal = signal;
  }

  /** Waits for the answer of the worker holding `key`, or for the claim once it lets go. */
  wait(key: string): Promise<OtherCall> {
    return new Promise((resolve) => {
      const waiters = this.#waiting.get(key);
      if (waiters) waiters.push(resolve);
      else this.#waiting.set(key, [resolve]);
      if (!this.#polling) void this.#poll();
    });
  }

  async #poll(): Promise<void> {
    this.#polling = true;
    try {
      while (this.#waiting.size > 0) {
        if (this.#signal.aborted) {
          for (const key of [...this.#waiting.keys()]) this.#settle(key, { kind: 'stopped' });
          break;
        }
        await sleep(POLL_MS);
        try {
          await this.#lookUp();
        } catch {
          // A store that does not answer now is asked again at the next poll.
        }
      }
    } finally {
      this.#polling = false;
    }
  }

  async #lookUp(): Promise<void> {
    await this.#store.publishResponseCache();
    const keys = [...this.#waiting.keys()];
    const answered = await this.#store.cachedGenerations(keys);
    for (const [key, generation] of answered) this.#settle(key, { kind: 'answered', generation });
    const missing = keys.filter((key) => !answered.has(key));
    if (missing.length === 0) return;
    const { granted, answered: late } = await claimUnanswered(this.#store, this.#claims, missing);
    for (const [key, generation] of late) this.#settle(key, { kind: 'answered', generation });
    for (const key of granted) this.#settle(key, { kind: 'claimed' });
  }

  #settle(key: string, call: OtherCall): void {
    // The lane waits once per key (its other cases with the key wait on that one, in CallsInRun).
    for (const resolve of this.#waiting.get(key) ?? []) resolve(call);
    this.#waiting.delete(key);
  }
}

// `--max-cost` for one invocation: a call starts only if what was spent, what calls in flight are
// expected to cost and its own estimate stay under the cap. The team's shared budget
// (run/shared-limits.ts) keeps the same shape with its counter in the store.

export class Budget {
  readonly maxUsd: number;
  spentUsd = 0;
  #reservedUsd = 0;
  constructor(maxUsd: number) {
    this.maxUsd = maxUsd;
  }
  /** May answer later: the budget shared by a team's workers asks the store (run/shared-limits.ts). */
  tryReserve(estimateUsd: number): boolean | Promise<boolean> {
    if (this.spentUsd + this.#reservedUsd + estimateUsd > this.maxUsd) return false;
    this.#reservedUsd += estimateUsd;
    return true;
  }
  settle(estimateUsd: number, actualUsd: number): void {
    this.#reservedUsd -= estimateUsd;
    this.spentUsd += actualUsd;
  }
  get projectedUsd(): number {
    return this.spentUsd + this.#reservedUsd;
  }
}

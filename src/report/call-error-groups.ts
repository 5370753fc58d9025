// A candidate's failed calls grouped by what went wrong, so a report can say "4 × HTTP 404 The
// model 'open-8B' does not exist" instead of "4 of 4 calls failed" (issue 16: the error was in the
// CSV only). Errors are data (CONVENTIONS): counted here, never thrown.
import type { CallErrorGroup } from '../spec/decision.ts';
import type { ResultError } from '../spec/result.ts';

/** Distinct errors kept per candidate; the rest are counted in `omitted`. */
const MAX_GROUPS = 5;

// Messages of the same failure differ in request ids and waits ("req_8f2c…", "retry in 12.5s"):
// grouping on them verbatim would list every call apart. The example keeps the message whole.
function groupKey(error: ResultError): string {
  const message = error.message
    .replace(/\b(?=[\w-]*\d)[\w-]{12,}\b/g, '…')
    .replace(/\d+(\.\d+)?\s*(ms|s)\b/g, '#$2');
  return `${error.code}\u0000${message}`;
}

/** Counts one candidate's errors as results stream past. */
export class CallErrorTally {
  readonly #groups = new Map<string, CallErrorGroup>();

  add(error: ResultError, caseId: string): void {
    const key = groupKey(error);
    const group = this.#groups.get(key);
    if (group) group.count++;
    else this.#groups.set(key, { code: error.code, message: error.message, count: 1, exampleCaseId: caseId });
  }

  /** The most frequent groups first (first seen first among equals), and how many groups were left out. */
  summary(): { groups: CallErrorGroup[]; omitted: number } {
    const all = [...this.#groups.values()].sort((a, b) => b.count - a.count);
    return { groups: all.slice(0, MAX_GROUPS), omitted: Math.max(0, all.length - MAX_GROUPS) };
  }
}

// An answer paid for must survive the death of the process from the moment it is read. A SQLite
// commit per answer gave that, but cost ~0.1 ms of CPU each (the row, four index entries, its
// grades, the WAL frames) — a third of a fast run's main thread. So a SQLite store first appends
// the answer to a journal file beside it (one JSON line, one write(2): in the kernel's page cache,
// which outlives the process as a WAL commit does, at a tenth of the cost), and commits results to
// the tables in batches. Once the tables hold every result appended, the journal is emptied.
//
// A journal whose process is gone (killed, crashed) is replayed into the tables by the next
// opening of the store — before a resume plans its calls — and removed. Replay is idempotent: a
// result already in the tables (committed before the death, not yet emptied from the journal) is
// left as it is.
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Result } from '../../spec/result.ts';
import type { CacheEntry } from '../runner-store.ts';
import { processAlive } from './process-alive.ts';
import { createResultInserts } from './result-inserts.ts';

/** `<store file>.answers-<pid>-<token>.jsonl`, beside the store. */
const INFIX = '.answers-';
const SUFFIX = '.jsonl';

/** Journals this process is writing: another opening of the same store here leaves them alone. */
const writingHere = new Set<string>();

interface JournalLine {
  result: Result;
  key?: string;
  replaceErrors?: true;
}

export class ResultJournal {
  readonly #file: string;
  #fd: number | undefined;
  /** Results appended and not yet in the tables. */
  readonly #outstanding = new Set<Result>();
  #written = false;

  constructor(storeFile: string) {
    this.#file = `${storeFile}${INFIX}${process.pid}-${randomUUID().slice(0, 8)}${SUFFIX}`;
  }

  /** Makes the results durable now; they are in the tables once `committed` is told so. */
  append(results: readonly Result[], entries: readonly CacheEntry[], replaceErrors: boolean): void {
    const keys = new Map(entries.map((entry) => [entry.result, entry.key]));
    let text = '';
    for (const result of results) {
      const key = keys.get(result);
      const line: JournalLine = {
        result,
        ...(key ? { key } : {}),
        ...(replaceErrors ? { replaceErrors } : {}),
      };
      text += `${JSON.stringify(line)}\n`;
      this.#outstanding.add(result);
    }
    if (this.#fd === undefined) {
      this.#fd = openSync(this.#file, 'a');
      writingHere.add(this.#file);
    }
    const bytes = Buffer.from(text);
    for (let offset = 0; offset < bytes.length; )
      offset += writeSync(this.#fd, bytes, offset, bytes.length - offset);
    this.#written = true;
  }

  /** The tables now hold these results; with none outstanding, the journal is emptied. */
  committed(results: readonly Result[]): void {
    if (this.#fd === undefined) return;
    for (const result of results) this.#outstanding.delete(result);
    if (this.#outstanding.size === 0 && this.#written) {
      ftruncateSync(this.#fd, 0);
      this.#written = false;
    }
  }

  /** Closes the journal; removes it unless results in it are not in the tables (the next opening replays them). */
  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
    writingHere.delete(this.#file);
    if (this.#outstanding.size === 0) removeIfThere(this.#file);
  }
}

/**
 * Replays into the tables the journals beside `storeFile` whose process is gone, then removes them.
 * Returns how many results entered the tables.
 */
export function replayJournals(db: Database.Database, storeFile: string): number {
  const dir = path.dirname(storeFile);
  const prefix = `${path.basename(storeFile)}${INFIX}`;
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith(SUFFIX));
  } catch {
    return 0;
  }
  let inserted = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (writingHere.has(file) || (pid !== process.pid && processAlive(pid))) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // replayed and removed by another opening meanwhile
    }
    const replay = createResultInserts(db, { keepStored: true });
    for (const { replaceErrors, lines } of segmentsOf(text)) {
      inserted += replay(
        lines.map((line) => line.result),
        lines.flatMap((line) => (line.key ? [{ result: line.result, key: line.key }] : [])),
        replaceErrors,
      );
    }
    // Another opening may have replayed and removed it too (its inserts then changed nothing).
    removeIfThere(file);
  }
  return inserted;
}

function removeIfThere(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The journal's lines in order, in runs of one replaceErrors flag; a line cut short by its writer's death is skipped. */
function segmentsOf(text: string): Array<{ replaceErrors: boolean; lines: JournalLine[] }> {
  const segments: Array<{ replaceErrors: boolean; lines: JournalLine[] }> = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    let line: JournalLine;
    try {
      line = JSON.parse(raw) as JournalLine;
    } catch {
      continue;
    }
    const replaceErrors = line.replaceErrors === true;
    const last = segments.at(-1);
    if (last?.replaceErrors === replaceErrors) last.lines.push(line);
    else segments.push({ replaceErrors, lines: [line] });
  }
  return segments;
}

// Reads the files of a promptfoo suite keeping where each item came from (file and line), so every
// item the import cannot convert is named where it is: the config (YAML or JSON), tests from YAML,
// JSON, JSONL and CSV files, and prompts and vars from `file://` references.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { VerdictError } from '../../spec/errors.ts';

/** A value with the place it was read from (`suite/promptfooconfig.yaml:14`). */
export interface Located<T = unknown> {
  value: T;
  at: string;
}

/** A YAML or JSON file whose values can be located by path. */
export interface LocatedDocument {
  value: unknown;
  /** `file:line` of the node at a path (the file alone when the path is not found). */
  at(pathInDoc: Array<string | number>): string;
}

export interface SuiteFiles {
  /** Directory `file://` references resolve against (the config's). */
  dir: string;
  /** How a file is named in messages: relative to where the command runs. */
  shown(file: string): string;
}

export function readText(file: string, at: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new VerdictError('USAGE', `${at}: cannot read ${file}`);
  }
}

/** Parses a YAML (or JSON) file with line positions. */
export function readDocument(file: string, suite: SuiteFiles, at = suite.shown(file)): LocatedDocument {
  const text = readText(file, at);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const line = error.linePos?.[0]?.line;
    throw new VerdictError(
      'USAGE',
      `${suite.shown(file)}${line ? `:${line}` : ''}: ${error.message.split('\n')[0]}`,
    );
  }
  return {
    value: doc.toJS(),
    at(pathInDoc) {
      let node: unknown = doc.contents;
      let found: unknown = node;
      for (const key of pathInDoc) {
        if (isMap(node) || isSeq(node)) {
          const next = (node as { get(k: unknown, keep: true): unknown }).get(key, true);
          if (next === undefined) break;
          node = next;
          found = next;
        } else break;
      }
      const range = (found as { range?: [number, number, number] } | undefined)?.range;
      return range ? `${suite.shown(file)}:${lineCounter.linePos(range[0]).line}` : suite.shown(file);
    },
  };
}

/** The path a `file://` reference names, resolved against the suite's directory. */
export function referencedFile(reference: string, suite: SuiteFiles): string {
  return path.resolve(suite.dir, reference.slice('file://'.length));
}

/** Tests from a CSV file: one test per row, located at the row's line. */
export function readCsvTests(file: string, suite: SuiteFiles): Located<Record<string, string>>[] {
  const text = readText(file, suite.shown(file));
  const rows = parseCsv(text, { columns: true, info: true, skip_empty_lines: true, bom: true }) as Array<{
    record: Record<string, string>;
    info: { lines: number };
  }>;
  return rows.map((row) => ({ value: row.record, at: `${suite.shown(file)}:${row.info.lines}` }));
}

/** Tests from a JSONL file: one test object per line. */
export function readJsonlTests(file: string, suite: SuiteFiles): Located<unknown>[] {
  const lines = readText(file, suite.shown(file)).split(/\r?\n/);
  const tests: Located<unknown>[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const at = `${suite.shown(file)}:${index + 1}`;
    try {
      tests.push({ value: JSON.parse(line), at });
    } catch (error) {
      throw new VerdictError('USAGE', `${at}: not JSON: ${(error as Error).message}`);
    }
  });
  return tests;
}

// Reads the files of a promptfoo suite keeping where each item came from (file and line), so every
// item the import cannot convert is named where it is: the config (YAML or JSON), tests from YAML,
// JSON, JSONL and CSV files, and prompts and vars from `file://` references.
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isSeq } from 'yaml';
import { VerdictError } from '../../spec/errors.ts';
import { formatBytes, type InputLimits, limitFlags } from '../../workload/input-limits.ts';
import { readTextFileSync } from '../../workload/read-text-file.ts';
import { parseYamlText } from '../../workload/yaml-data.ts';

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
  /** How much of each file is read (`--max-file-bytes`, `--max-line-bytes`, `--max-aliases`). */
  limits: InputLimits;
}

/** A file of the suite as text, read as verdict reads its own inputs; `at` is where it is named. */
export function readText(file: string, at: string, suite: SuiteFiles): string {
  const shown = suite.shown(file);
  try {
    return readTextFileSync({ file, shown, code: 'USAGE' }, suite.limits);
  } catch (error) {
    // A file another one names is blamed there too: `promptfooconfig.yaml:5: prompts/a.txt: no such file`.
    if (VerdictError.isInstance(error) && at !== shown)
      throw new VerdictError('USAGE', `${at}: ${error.message}`);
    throw error;
  }
}

/** Parses a YAML (or JSON) file with line positions. */
export function readDocument(file: string, suite: SuiteFiles, at = suite.shown(file)): LocatedDocument {
  const text = readText(file, at, suite);
  const {
    document: doc,
    lineCounter,
    data,
  } = parseYamlText(
    text,
    suite.shown(file),
    suite.limits,
    (problems) => new VerdictError('USAGE', problems[0]!),
  );
  return {
    value: data,
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
  const shown = suite.shown(file);
  const text = readText(file, shown, suite);
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    rows = parseCsv(text, {
      columns: true,
      info: true,
      skip_empty_lines: true,
      max_record_size: suite.limits.maxLineBytes,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    const tooLong = (error as { code?: string }).code === 'CSV_MAX_RECORD_SIZE';
    throw new VerdictError(
      'USAGE',
      `${shown}${line ? `:${line}` : ''}: ${tooLong ? `record is longer than the limit of ${formatBytes(suite.limits.maxLineBytes)}; ${limitFlags.maxLineBytes} raises it` : (error as Error).message}`,
    );
  }
  return rows.map((row) => ({ value: row.record, at: `${shown}:${row.info.lines}` }));
}

/** Tests from a JSONL file: one test object per line. */
export function readJsonlTests(file: string, suite: SuiteFiles): Located<unknown>[] {
  const shown = suite.shown(file);
  const lines = readText(file, shown, suite).split(/\r?\n/);
  const tests: Located<unknown>[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const at = `${shown}:${index + 1}`;
    if (Buffer.byteLength(line) > suite.limits.maxLineBytes)
      throw new VerdictError(
        'USAGE',
        `${at}: line is longer than the limit of ${formatBytes(suite.limits.maxLineBytes)}; ${limitFlags.maxLineBytes} raises it`,
      );
    try {
      tests.push({ value: JSON.parse(line), at });
    } catch (error) {
      throw new VerdictError('USAGE', `${at}: not JSON: ${(error as Error).message}`);
    }
  });
  return tests;
}

// promptfoo's test cases, from wherever the config takes them (inline, YAML/JSON/JSONL/CSV files,
// lists of files), as plain test objects each with its place; CSV rows' `__expected` columns become
// assertions the way promptfoo reads them.
import path from 'node:path';
import {
  type Located,
  type LocatedDocument,
  readCsvTests,
  readDocument,
  readJsonlTests,
  referencedFile,
  type SuiteFiles,
} from './read-promptfoo.ts';

/** One promptfoo test with where it and each of its assertions are. */
export interface SuiteTest {
  test: Record<string, unknown>;
  at: string;
  assertAt(index: number): string;
}

export interface UnreadTests {
  at: string;
  what: string;
  reason: string;
}

// `__expected` shorthands: "contains: x", "not-icontains: x", "similar(0.8): x", "grade: rubric"…
const EXPECTED = /^(not-)?([a-z][a-z-]*)(?:\((\d*\.?\d+)\))?\s*:\s*([\s\S]*)$/;
const SHORTHAND_TYPES: Record<string, string> = { grade: 'llm-rubric', fn: 'javascript', eval: 'javascript' };

/** The assertion a CSV `__expected` cell stands for. */
export function expectedCell(cell: string): Record<string, unknown> {
  const trimmed = cell.trim();
  if (trimmed === 'is-json' || trimmed === 'contains-json') return { type: trimmed };
  const match = EXPECTED.exec(trimmed);
  if (match) {
    const [, not, name, threshold, value] = match;
    const type = `${not ?? ''}${SHORTHAND_TYPES[name!] ?? name}`;
    return { type, value, ...(threshold ? { threshold: Number(threshold) } : {}) };
  }
  return { type: 'equals', value: cell };
}

function fromCsvRow(row: Record<string, string>): Record<string, unknown> {
  const vars: Record<string, string> = {};
  const assert: Record<string, unknown>[] = [];
  const test: Record<string, unknown> = { vars, assert };
  for (const [column, cell] of Object.entries(row)) {
    if (/^__expected\d*$/.test(column)) {
      if (cell.trim() !== '') assert.push(expectedCell(cell));
    } else if (column === '__description') test.description = cell;
    else if (column === '__threshold') test.threshold = Number(cell);
    else if (column.startsWith('__')) test[column] = cell;
    else vars[column] = cell;
  }
  return test;
}

function fromDocument(doc: LocatedDocument, prefix: Array<string | number>): SuiteTest[] {
  const value = prefix.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], doc.value);
  const list = Array.isArray(value) ? value : [value];
  return list.map((test, index) => {
    const at = [...prefix, ...(Array.isArray(value) ? [index] : [])];
    return {
      test: (test ?? {}) as Record<string, unknown>,
      at: doc.at(at),
      assertAt: (j: number) => doc.at([...at, 'assert', j]),
    };
  });
}

/** Reads one `file://` test reference. */
function fromFile(reference: string, at: string, suite: SuiteFiles, unread: UnreadTests[]): SuiteTest[] {
  if (/[*?[]/.test(reference)) {
    unread.push({ at, what: reference, reason: 'a glob of test files is not expanded: list the files' });
    return [];
  }
  const file = referencedFile(reference, suite);
  const ext = path.extname(file).toLowerCase();
  const located = (rows: Located<unknown>[], map: (v: unknown) => Record<string, unknown>) =>
    rows.map((row) => ({ test: map(row.value), at: row.at, assertAt: () => row.at }));
  if (ext === '.csv')
    return located(readCsvTests(file, suite), (row) => fromCsvRow(row as Record<string, string>));
  if (ext === '.jsonl')
    return located(readJsonlTests(file, suite), (v) => (v ?? {}) as Record<string, unknown>);
  if (['.yaml', '.yml', '.json'].includes(ext)) return fromDocument(readDocument(file, suite), []);
  unread.push({
    at,
    what: reference,
    reason: `tests from ${ext || 'this kind of'} file are not read (CSV, JSONL, YAML and JSON are; scripts and sheets are not)`,
  });
  return [];
}

/** Every test of the config, in promptfoo's order. */
export function suiteTests(config: LocatedDocument, suite: SuiteFiles, unread: UnreadTests[]): SuiteTest[] {
  const tests = (config.value as Record<string, unknown>).tests;
  if (tests === undefined) return [];
  if (typeof tests === 'string') return fromFile(tests, config.at(['tests']), suite, unread);
  if (!Array.isArray(tests)) return fromDocument(config, ['tests']);
  return tests.flatMap((test, index) =>
    typeof test === 'string'
      ? fromFile(test, config.at(['tests', index]), suite, unread)
      : [
          {
            test: (test ?? {}) as Record<string, unknown>,
            at: config.at(['tests', index]),
            assertAt: (j: number) => config.at(['tests', index, 'assert', j]),
          },
        ],
  );
}

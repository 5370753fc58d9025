import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { VerdictError } from '../../spec/errors.ts';
import { positionOf, positionOfKey } from '../../yaml/source-positions.ts';
import type { CatalogueName } from './catalogue-names.ts';
import { type CatalogueFile, catalogueSchemas, type GenaiPricesFile } from './catalogue-schema.ts';

// Reads one catalogue file's text (YAML, or JSON, which is YAML) and checks it against its schema.
// A refused row is named by file, line and field: `gpu-offers.json:27:29 rows[3].on_demand_per_gpu_hour:
// expected a number, got a string ("2.99")`.

/** A checked catalogue file, with a way to name the line of any of its fields. */
export interface ParsedCatalogueFile<T> {
  data: T;
  /** The path shown in messages. */
  file: string;
  /** `file:line:column` of a field path (of its key with `atKey`). */
  at(path: readonly PropertyKey[], atKey?: boolean): string;
}

/** `rows[3].source`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path)
    text += typeof segment === 'number' ? `[${segment}]` : `${text ? '.' : ''}${String(segment)}`;
  return text || '(top level)';
}

/** A catalogue problem, thrown with every located problem of the file, one a line. */
export function catalogueInvalid(problems: string[]): VerdictError {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? [`…and ${problems.length - shown.length} more`] : [];
  return new VerdictError('CATALOGUE_INVALID', `invalid catalogue:\n  ${[...shown, ...more].join('\n  ')}`);
}

function locator(text: string, file: string) {
  let parsed: { document: ReturnType<typeof parseDocument>; lines: LineCounter } | undefined;
  return (path: readonly PropertyKey[], atKey = false) => {
    if (!parsed) {
      const lines = new LineCounter();
      parsed = { document: parseDocument(text, { lineCounter: lines }), lines };
    }
    const { document, lines } = parsed;
    const { line, column } =
      atKey && path.length > 0
        ? positionOfKey(document, lines, path.slice(0, -1), String(path.at(-1)))
        : positionOf(document, lines, path);
    return `${file}:${line}:${column}`;
  };
}

function readText(text: string, file: string): unknown {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw catalogueInvalid([`${file}: not JSON: ${(error as Error).message}`]);
    }
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0)
    throw catalogueInvalid(
      document.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return `${file}:${line}:${col}: ${e.message.split('\n')[0]}`;
      }),
    );
  return document.toJS();
}

function issueLines(
  issues: readonly z.core.$ZodIssue[],
  at: (path: readonly PropertyKey[], atKey?: boolean) => string,
) {
  return issues.map((issue) => {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys')
      return issue.keys
        .map((key) => `${at([...path, key], true)} ${fieldPath([...path, key])}: unknown field`)
        .join('\n  ');
    if (issue.code === 'invalid_union') return `${at(path)} ${fieldPath(path)}: ${unionMessage(issue)}`;
    return `${at(path)} ${fieldPath(path)}: ${issue.message}`;
  });
}

function unionMessage(issue: z.core.$ZodIssueInvalidUnion): string {
  // The branch that got furthest says the most: a tiered price with a wrong tier, not "no branch matched".
  const first = issue.errors.flat()[0];
  return first ? `${fieldPath(first.path as PropertyKey[])}: ${first.message}` : issue.message;
}

/** Parses and checks one verdict catalogue file; throws every problem with its file and line. */
export function parseCatalogueFile<N extends CatalogueName>(
  name: N,
  text: string,
  file: string,
): ParsedCatalogueFile<CatalogueFile<N>> {
  const raw = readText(text, file);
  const at = locator(text, file);
  const result = catalogueSchemas().files[name].safeParse(raw, { reportInput: true });
  if (!result.success) throw catalogueInvalid(issueLines(result.error.issues, at));
  const data = result.data as CatalogueFile<N>;
  const late = (data.rows as Array<{ date: string }>).flatMap((row, i) =>
    row.date > data.version
      ? [
          `${at(['rows', i, 'date'])} rows[${i}].date: ${row.date} is after the file's version ${data.version}`,
        ]
      : [],
  );
  if (late.length > 0) throw catalogueInvalid(late);
  return { data, file, at };
}

/**
 * Parses one of the catalogue files shipped with verdict without the schema check: a test
 * (test/catalogue-files.test.ts) checks every bundled file with parseCatalogueFile, and the check
 * took ≈30 ms of every command's start-up. The schemas neither default nor transform, so a file
 * that passes them is its own parsed data.
 */
export function parseBundledCatalogueFile<N extends CatalogueName>(
  _name: N,
  text: string,
  file: string,
): ParsedCatalogueFile<CatalogueFile<N>> {
  return { data: readText(text, file) as CatalogueFile<N>, file, at: locator(text, file) };
}

/** Parses and checks a genai-prices data snapshot (a JSON file written by `verdict prices update`). */
export function parseGenaiPricesFile(text: string, file: string): ParsedCatalogueFile<GenaiPricesFile> {
  const raw = readText(text, file);
  const at = locator(text, file);
  const result = catalogueSchemas().genaiPrices.safeParse(raw, { reportInput: true });
  if (!result.success) throw catalogueInvalid(issueLines(result.error.issues, at));
  return { data: result.data, file, at };
}

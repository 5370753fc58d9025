// Streams a workload's cases from JSONL, CSV, YAML or the inline list, one at a time, so a
// million-line file never sits in memory. Every bad record is an error naming file:line and field.
import path from 'node:path';
import { Readable } from 'node:stream';
import { caseGradersOf, resolveGraderFiles } from '../grade/case-graders.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Case, CaseSource, HumanLabel } from '../spec/workload.ts';
import { formatBytes, limitFlags, resolveLimits } from './input-limits.ts';
import { readTextFile, type TextFileSubject, textLines } from './read-text-file.ts';
import { parseYamlText } from './yaml-data.ts';

type FileSource = Extract<CaseSource, { kind: 'file' }>;

function caseError(where: string, message: string): VerdictError {
  return new VerdictError('CASES_INVALID', `${where} ${message}`);
}

function asText(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    // JSON.parse reads nesting of any depth; JSON.stringify recurses and overflows the stack.
    throw caseError(where, 'has a value nested too deeply to use as text');
  }
}

/** A record's own field: `{{constructor}}` must not find Object's constructor on any record. */
function fieldOf(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Builds a case from one record of a file, applying the workload's field mapping. */
function recordToCase(
  record: Record<string, unknown>,
  source: FileSource,
  where: string,
  position: number,
): Case {
  const reserved = new Set(
    [
      source.expected,
      source.id,
      source.tags,
      source.graders,
      source.human?.output,
      source.human?.label,
    ].filter(Boolean) as string[],
  );
  const mapping =
    source.vars ??
    Object.fromEntries(
      Object.keys(record)
        .filter((k) => !reserved.has(k))
        .map((k) => [k, k]),
    );
  // Defined, not assigned: a variable named __proto__ stays a variable.
  const vars: Record<string, string> = {};
  for (const [variable, field] of Object.entries(mapping)) {
    const value = asText(fieldOf(record, field), where);
    if (value === undefined) {
      const fields = Object.keys(record).join(', ') || 'none';
      throw caseError(where, `field "${field}" (for {{${variable}}}) is missing; this record has: ${fields}`);
    }
    Object.defineProperty(vars, variable, { value, enumerable: true, writable: true, configurable: true });
  }
  let expected: string | undefined;
  if (source.expected) {
    expected = asText(fieldOf(record, source.expected), where);
    if (expected === undefined)
      throw caseError(where, `field "${source.expected}" (the expected answer) is missing`);
  }
  const id = source.id ? asText(fieldOf(record, source.id), where) : undefined;
  if (source.id && id === undefined) throw caseError(where, `field "${source.id}" (the case id) is missing`);
  const rawTags = source.tags ? fieldOf(record, source.tags) : undefined;
  const tags = Array.isArray(rawTags)
    ? rawTags.map(String)
    : typeof rawTags === 'string' && rawTags
      ? rawTags.split(/[,;]\s*/)
      : [];
  const graders = source.graders ? caseGradersOf(fieldOf(record, source.graders)) : [];
  if (typeof graders === 'string')
    throw caseError(where, `field "${source.graders}" (the case's graders): ${graders}`);
  const human = source.human ? humanLabelOf(record, source.human, where) : undefined;
  return {
    id: id ?? String(position),
    vars,
    tags,
    source: where,
    ...(expected === undefined ? {} : { expected }),
    ...(graders.length > 0 ? { graders } : {}),
    ...(human ? { human } : {}),
  };
}

const LABELS = new Map<unknown, boolean>([
  ['pass', true],
  ['fail', false],
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  [true, true],
  [false, false],
  [1, true],
  [0, false],
]);

/** A record's labelled output, or none when its label field is empty (not every case need be labelled). */
function humanLabelOf(
  record: Record<string, unknown>,
  fields: { output: string; label: string },
  where: string,
): HumanLabel | undefined {
  const raw = fieldOf(record, fields.label);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const pass = LABELS.get(typeof raw === 'string' ? raw.trim().toLowerCase() : raw);
  if (pass === undefined)
    throw caseError(
      where,
      `field "${fields.label}" (the human label): expected pass or fail, got ${JSON.stringify(raw)}`,
    );
  const output = asText(fieldOf(record, fields.output), where);
  if (output === undefined)
    throw caseError(where, `field "${fields.output}" (the labelled output) is missing`);
  return { output, pass };
}

async function* readJsonl(source: FileSource, file: string): AsyncGenerator<Case> {
  let position = 0;
  for await (const { number, text } of textLines(subjectOf(source, file), resolveLimits(source.limits))) {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() === '') continue;
    const where = `${source.path}:${number}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw caseError(where, `is not valid JSON: ${(error as Error).message}`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw caseError(where, 'expected a JSON object per line');
    }
    yield recordToCase(record as Record<string, unknown>, source, where, ++position);
  }
}

function subjectOf(source: FileSource, file: string): TextFileSubject {
  return { file, shown: source.path, code: 'CASES_INVALID' };
}

/** The first column name that appears twice in a CSV header, with both column numbers. */
function duplicateColumn(header: string[]): string | undefined {
  const first = new Map<string, number>();
  for (const [index, name] of header.entries()) {
    const earlier = first.get(name);
    if (earlier !== undefined)
      return `column "${name}" appears twice in the header (columns ${earlier + 1} and ${index + 1}); rename one`;
    first.set(name, index);
  }
  return undefined;
}

async function* readCsv(source: FileSource, file: string): AsyncGenerator<Case> {
  // csv-parse loads only when a workload reads a CSV file, not with every workload.
  const { parse: parseCsv } = await import('csv-parse');
  const limits = resolveLimits(source.limits);
  // Lines come through textLines (UTF-8 checked, BOM dropped, capped) and are joined again for the
  // CSV parser, whose line count then matches the file's.
  let headerLine = 0;
  const lines = textLines(subjectOf(source, file), limits);
  const text = Readable.from(
    (async function* () {
      for await (const line of lines) {
        if (headerLine === 0 && line.text.trim() !== '') headerLine = line.number;
        yield `${line.text}\n`;
      }
    })(),
  );
  const parser = parseCsv({
    columns: (header: string[]) => {
      const problem = duplicateColumn(header);
      if (problem) throw caseError(`${source.path}:${headerLine || 1}`, problem);
      return header;
    },
    skip_empty_lines: true,
    info: true,
    max_record_size: limits.maxLineBytes,
  });
  text.on('error', (error) => parser.destroy(error));
  text.pipe(parser);
  let position = 0;
  try {
    for await (const row of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield recordToCase(row.record, source, `${source.path}:${row.info.lines}`, ++position);
    }
  } catch (error) {
    if (VerdictError.isInstance(error)) throw error;
    const csvError = error as Error & { lines?: number; code?: string };
    if (csvError.code === 'CSV_MAX_RECORD_SIZE')
      throw caseError(
        `${source.path}:${csvError.lines ?? headerLine}`,
        `record is longer than the limit of ${formatBytes(limits.maxLineBytes)}; ${limitFlags.maxLineBytes} raises it`,
      );
    throw caseError(`${source.path}:${csvError.lines ?? '?'}`, `is not valid CSV: ${csvError.message}`);
  } finally {
    text.destroy();
  }
}

async function* readYaml(source: FileSource, file: string): AsyncGenerator<Case> {
  const limits = resolveLimits(source.limits);
  const text = await readTextFile(subjectOf(source, file), limits);
  const records = parseYamlText(
    text,
    source.path,
    limits,
    (problems) => new VerdictError('CASES_INVALID', problems[0]!),
  ).data;
  if (!Array.isArray(records)) throw caseError(`${source.path}:1`, 'expected a YAML list of cases');
  let position = 0;
  for (const record of records) {
    position++;
    const where = `${source.path}[${position - 1}]`;
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw caseError(where, 'expected a mapping');
    yield recordToCase(record as Record<string, unknown>, source, where, position);
  }
}

/** The cases of a workload, in file order. `baseDir` is the workload file's directory. */
export async function* readCases(source: CaseSource, baseDir: string): AsyncGenerator<Case> {
  if (source.kind === 'inline') {
    yield* source.cases;
    return;
  }
  const file = path.resolve(baseDir, source.path);
  try {
    const reader = source.format === 'csv' ? readCsv : source.format === 'yaml' ? readYaml : readJsonl;
    for await (const testCase of reader(source, file)) {
      yield testCase.graders
        ? { ...testCase, graders: resolveGraderFiles(testCase.graders, baseDir) }
        : testCase;
    }
  } catch (error) {
    if (VerdictError.isInstance(error) && error.message === `${source.path}: no such file`) {
      throw new VerdictError('CASES_INVALID', `cases file not found: ${source.path} (looked in ${baseDir})`);
    }
    throw error;
  }
}

/** Picks the case-file format from its extension when the workload does not say. */
export function formatFromExtension(file: string): 'jsonl' | 'csv' | 'yaml' | undefined {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.csv') return 'csv';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return undefined;
}

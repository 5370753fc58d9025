// Streams a workload's cases from JSONL, CSV, YAML or the inline list, one at a time, so a
// million-line file never sits in memory. Every bad record is an error naming file:line and field.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import { parse as parseYaml } from 'yaml';
import { caseGradersOf, resolveGraderFiles } from '../grade/case-graders.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Case, CaseSource } from '../spec/workload.ts';

type FileSource = Extract<CaseSource, { kind: 'file' }>;

function caseError(where: string, message: string): VerdictError {
  return new VerdictError('CASES_INVALID', `${where} ${message}`);
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Builds a case from one record of a file, applying the workload's field mapping. */
function recordToCase(
  record: Record<string, unknown>,
  source: FileSource,
  where: string,
  position: number,
): Case {
  const reserved = new Set(
    [source.expected, source.id, source.tags, source.graders].filter(Boolean) as string[],
  );
  const mapping =
    source.vars ??
    Object.fromEntries(
      Object.keys(record)
        .filter((k) => !reserved.has(k))
        .map((k) => [k, k]),
    );
  const vars: Record<string, string> = {};
  for (const [variable, field] of Object.entries(mapping)) {
    const value = asText(record[field]);
    if (value === undefined) {
      const fields = Object.keys(record).join(', ') || 'none';
      throw caseError(where, `field "${field}" (for {{${variable}}}) is missing; this record has: ${fields}`);
    }
    vars[variable] = value;
  }
  let expected: string | undefined;
  if (source.expected) {
    expected = asText(record[source.expected]);
    if (expected === undefined)
      throw caseError(where, `field "${source.expected}" (the expected answer) is missing`);
  }
  const id = source.id ? asText(record[source.id]) : undefined;
  if (source.id && id === undefined) throw caseError(where, `field "${source.id}" (the case id) is missing`);
  const rawTags = source.tags ? record[source.tags] : undefined;
  const tags = Array.isArray(rawTags)
    ? rawTags.map(String)
    : typeof rawTags === 'string' && rawTags
      ? rawTags.split(/[,;]\s*/)
      : [];
  const graders = source.graders ? caseGradersOf(record[source.graders]) : [];
  if (typeof graders === 'string')
    throw caseError(where, `field "${source.graders}" (the case's graders): ${graders}`);
  return {
    id: id ?? String(position),
    vars,
    tags,
    source: where,
    ...(expected === undefined ? {} : { expected }),
    ...(graders.length > 0 ? { graders } : {}),
  };
}

/**
 * Lines of a text file, split at \n only (a trailing \r is dropped). Not node:readline: it also
 * breaks lines at U+2028 and U+2029, which JSON allows unescaped inside strings.
 */
async function* textLines(file: string): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of createReadStream(file, 'utf8')) {
    const parts = (pending + (chunk as string)).split('\n');
    pending = parts.pop()!;
    for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
  }
  if (pending !== '') yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}

async function* readJsonl(source: FileSource, file: string): AsyncGenerator<Case> {
  const lines = textLines(file);
  let lineNumber = 0;
  let position = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const where = `${source.path}:${lineNumber}`;
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

async function* readCsv(source: FileSource, file: string): AsyncGenerator<Case> {
  const parser = createReadStream(file).pipe(
    parseCsv({ columns: true, skip_empty_lines: true, bom: true, info: true }),
  );
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
    const csvError = error as Error & { lines?: number };
    throw caseError(`${source.path}:${csvError.lines ?? '?'}`, `is not valid CSV: ${csvError.message}`);
  }
}

async function* readYaml(source: FileSource, file: string): AsyncGenerator<Case> {
  let records: unknown;
  try {
    records = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw caseError(source.path, `is not valid YAML: ${(error as Error).message}`);
  }
  if (!Array.isArray(records)) throw caseError(source.path, 'expected a YAML list of cases');
  let position = 0;
  for (const record of records) {
    position++;
    const where = `${source.path}[${position - 1}]`;
    if (record === null || typeof record !== 'object') throw caseError(where, 'expected a mapping');
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
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
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

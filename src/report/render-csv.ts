// Per-case results as CSV (RFC 4180), one row per (case, candidate, repeat), streamed page by page.
// Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a leading
// apostrophe: untrusted text stays text in Excel and LibreOffice too (OWASP "CSV injection").
import type { CaseRow } from '../store/store.ts';

export const csvColumns = [
  'run_id',
  'case_id',
  'position',
  'candidate_id',
  'repeat',
  'status',
  'output',
  'expected',
  'vars',
  'tags',
  'grades',
  'error',
  'ttft_ms',
  'duration_ms',
  'input_tokens',
  'output_tokens',
  'token_source',
] as const;

/** One text cell, quoted when needed and defused when a spreadsheet would evaluate it. */
export function csvText(value: string | null | undefined): string {
  return csvCell(value);
}

function csvCell(value: string | null | undefined, cell?: CsvCellText): string {
  if (value === null || value === undefined) return '';
  if (cell) value = cell(value);
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}

const csvNumber = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : String(Math.round(value * 1000) / 1000);

/** A cell's text before quoting: as is for a file or a pipe, escaped for a terminal. */
export type CsvCellText = (text: string) => string;

/** The CSV lines of one case (one per result), each ending in CRLF. */
export function caseCsvLines(runId: string, row: CaseRow, cell?: CsvCellText): string {
  const csvText = cell ? (value: string | null | undefined) => csvCell(value, cell) : csvCell;
  return row.results
    .map((result) =>
      [
        csvText(runId),
        csvText(row.caseId),
        String(row.position),
        csvText(result.candidateId),
        String(result.repeat),
        result.error ? 'error' : result.pass ? 'pass' : 'fail',
        csvText(result.output),
        csvText(row.expected),
        csvText(JSON.stringify(row.vars)),
        csvText(row.tags.join(';')),
        csvText(
          result.grades.map((g) => `${g.grader}: ${g.pass ? 'pass' : 'fail'} (${g.reason})`).join('; '),
        ),
        csvText(result.error ? `${result.error.code}: ${result.error.message}` : null),
        csvNumber(result.ttftMs),
        csvNumber(result.durationMs),
        csvNumber(result.usage?.inputTokens),
        csvNumber(result.usage?.outputTokens),
        csvText(result.usage?.source),
      ].join(','),
    )
    .map((line) => `${line}\r\n`)
    .join('');
}

/**
 * Streams the whole CSV: the header, then every case's rows. `cell` rewrites each cell's text
 * first: the report command passes the terminal escaping when the CSV goes to a terminal, where a
 * case's `\x1b]0;…\x07` would retitle the window and `\x1b[2J` clear the screen.
 */
export async function* renderCsv(
  runId: string,
  cases: AsyncIterable<CaseRow>,
  cell?: CsvCellText,
): AsyncGenerator<string> {
  yield `${csvColumns.join(',')}\r\n`;
  for await (const row of cases) yield caseCsvLines(runId, row, cell);
}

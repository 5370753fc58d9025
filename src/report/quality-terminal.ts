// The quality block of the terminal report: pass rates and scores with intervals, the pairwise
// table against the best with one sentence per comparison, slices by grader and tag, repeats, and
// the judge's calls counted apart.
import type { QualityReport, QualitySlice } from '../spec/quality.ts';
import { renderJudgeReliability } from './judge-reliability-terminal.ts';

/** The colour functions the terminal renderer passes in (picocolors' shape). */
export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
}

const pct = (value: number) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)}%`);
const bare = (value: number) => (Number.isNaN(value) ? '–' : (value * 100).toFixed(1));
const score = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(2));
const signed = (value: number) => {
  const text = (value * 100).toFixed(1);
  return value > 0 && text !== '0.0' ? `+${text}` : text === '-0.0' ? '0.0' : text;
};
const pValue = (p: number) =>
  Number.isNaN(p) ? '–' : p < 0.001 ? '<0.001' : p < 0.1 ? p.toPrecision(2) : p.toFixed(2);
const tokens = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(0)}k` : String(value));

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Lays out rows as padded columns; the first column left-aligned, the rest right-aligned. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), ...rows.map(line)];
}

function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let current = '';
  let prefix = first;
  for (const word of text.split(/\s+/)) {
    if (current && prefix.length + current.length + word.length + 1 > width) {
      lines.push(prefix + current);
      prefix = rest;
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(prefix + current);
  return lines;
}

function sliceTable(
  title: string,
  slices: QualitySlice[],
  candidateIds: string[],
  paint: Paint,
  width: number,
): string[] {
  if (slices.length === 0) return [];
  const cell = (slice: QualitySlice, id: string) => {
    const value = slice.cells[id];
    if (!value || value.total === 0) return '–';
    const errors = value.gradingErrors > 0 ? ` ${value.gradingErrors}err` : '';
    return `${value.passed}/${value.total} ${pct(value.passed / value.total)}${errors}`;
  };
  // As many candidates as fit the width per table; more candidates make more tables, none cut off.
  const nameWidth = Math.min(24, Math.max(title.length, ...slices.map((slice) => slice.name.length)));
  const groups: string[][] = [];
  let used = width;
  for (const id of candidateIds) {
    const column = Math.max(Math.min(id.length, 14), ...slices.map((slice) => cell(slice, id).length)) + 2;
    if (used + column > width || groups.length === 0) {
      groups.push([]);
      used = nameWidth;
    }
    groups.at(-1)!.push(id);
    used += column;
  }
  const out: string[] = [];
  for (const shown of groups) {
    const rows = slices
      .slice(0, 20)
      .map((slice) => [cut(slice.name, nameWidth), ...shown.map((id) => cell(slice, id))]);
    const lines = table([title, ...shown.map((id) => cut(id, 14))], rows);
    out.push('', paint.bold(lines[0]!), ...lines.slice(1));
  }
  if (slices.length > 20)
    out.push(paint.dim(`… ${slices.length - 20} more rows: verdict report --format html lists them all`));
  return out;
}

/** Renders the quality section as terminal lines, none wider than `width`. */
export function renderQualityBlock(quality: QualityReport, paint: Paint, width: number): string[] {
  const out: string[] = [];
  const ids = quality.candidates.map((candidate) => candidate.candidateId);
  const fit = (lines: string[]) => lines.map((line) => cut(line, width));
  out.push(
    paint.bold('Quality') + paint.dim(' · first attempt per case · 95% CI: Wilson; scores: bootstrap'),
  );
  const main = fit(
    table(
      ['candidate', 'pass', 'rate [95% CI]', 'score [95% CI]', 'fail', 'gr.err'],
      quality.candidates.map((candidate) => [
        cut(candidate.candidateId, 16),
        `${candidate.passed}/${candidate.cases}`,
        `${pct(candidate.passRate.estimate)} [${bare(candidate.passRate.low)}–${bare(candidate.passRate.high)}]`,
        `${score(candidate.meanScore.estimate)} [${score(candidate.meanScore.low)}–${score(candidate.meanScore.high)}]`,
        String(candidate.modelFailures),
        String(candidate.gradingErrors),
      ]),
    ),
  );
  out.push(paint.bold(main[0]!), ...main.slice(1));
  out.push(paint.dim('fail: failed calls · gr.err: a grader or its judge could not judge'));
  if (quality.floor !== null) out.push(paint.dim(`quality floor: ${pct(quality.floor)} pass rate`));

  if (quality.best && quality.comparisons.length > 0) {
    const margin = `${Number((quality.margin * 100).toFixed(1))} points${quality.marginSource === 'default' ? ' (default)' : ''}`;
    out.push('', paint.bold(`Against the best: ${cut(quality.best, 40)}`));
    out.push(paint.dim(`paired · exact McNemar, Holm-adjusted · Newcombe CI · margin ${margin}`));
    const pairs = fit(
      table(
        ['candidate', 'both', 'it/best', 'diff pts [95% CI]', 'p', 'p Holm', 'verdict'],
        quality.comparisons.map((row) => [
          cut(row.a, 14),
          String(row.counts.bothPass),
          `${row.counts.onlyA}/${row.counts.onlyB}`,
          `${signed(row.difference.estimate)} [${signed(row.difference.low)},${signed(row.difference.high)}]`,
          pValue(row.pValue),
          pValue(row.adjustedPValue),
          row.conclusion === 'undecided'
            ? `≈${Number.isFinite(row.casesNeeded) ? row.casesNeeded : '?'} needed`
            : row.conclusion,
        ]),
      ),
    );
    out.push(paint.bold(pairs[0]!), ...pairs.slice(1));
    out.push(paint.dim("it/best: cases only it / only the best passed · diff: its rate − the best's"));
    for (const sentence of quality.sentences) out.push(...wrap(sentence, width, '• ', '  '));
  }

  out.push(...sliceTable('by grader', quality.byGrader, ids, paint, width));
  out.push(...sliceTable('by tag', quality.byTag, ids, paint, width));

  if (quality.repeats) {
    const k = Math.max(...quality.repeats.map((row) => row.k));
    const rows = fit(
      table(
        ['repeats', 'n', 'consistency', 'pass@1', `pass@${k}`, 'flaky cases'],
        quality.repeats.map((row) => [
          cut(row.candidateId, 16),
          String(row.repeats),
          pct(row.meanConsistency),
          pct(row.passAt1),
          pct(row.passAtK),
          row.flakyCases.length === 0
            ? '0'
            : `${row.flakyCases.length}: ${cut(row.flakyCases.join(', '), 20)}`,
        ]),
      ),
    );
    out.push('', paint.bold(rows[0]!), ...rows.slice(1));
  }

  if (quality.judge) {
    out.push('', paint.bold('Judge') + paint.dim(' · counted apart from the candidates'));
    for (const prompt of quality.judge.prompts) {
      out.push(
        ...wrap(
          `prompt ${prompt.id} v${prompt.version} (${prompt.file}, sha256 ${prompt.sha256})`,
          width,
          '',
          '  ',
        ),
      );
    }
    for (const usage of quality.judge.usage) {
      const cost =
        usage.costUsd === null ? usage.priceNote : `$${usage.costUsd.toFixed(4)} (${usage.priceNote})`;
      const unusable = usage.errors > 0 ? `, ${usage.errors} unusable replies` : '';
      out.push(
        ...wrap(
          `${usage.judge}: ${usage.calls} calls (${usage.cachedCalls} from cache), ${tokens(usage.inputTokens)} in / ${tokens(usage.outputTokens)} out tokens, ${cost}${unusable}`,
          width,
          '',
          '  ',
        ),
      );
    }
    if (quality.judge.usage.length === 0)
      out.push(paint.dim('no judge calls recorded (the judge pass has not run)'));
    if (quality.judge.reliability)
      out.push('', ...renderJudgeReliability(quality.judge.reliability, paint, width));
  }
  return out;
}

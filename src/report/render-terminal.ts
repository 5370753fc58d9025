// The report as a terminal screen: the memo first (src/report/memo.ts), then the details, in 80
// columns: candidates, quality, cost, the rest of the reasons and caveats, load tests. Colour only
// when the caller says the terminal takes it (TTY and no NO_COLOR).
import pc from 'picocolors';
import type { CandidateSummary, Report } from '../spec/decision.ts';
import { renderCostBlock, renderDecisionExtras } from './cost-terminal.ts';
import { memoOf, plural } from './memo.ts';
import { renderMemoLines, renderMemoRest } from './memo-terminal.ts';
import { renderQualityBlock } from './quality-terminal.ts';
import { terminalSafeReport } from './terminal-safe.ts';

export interface TerminalOptions {
  color: boolean;
  width?: number;
}

const pct = (value: number) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)}%`);
const ms = (value: number | null) =>
  value === null ? '–' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
const count = (value: number) =>
  value >= 1_000_000
    ? `${(value / 1e6).toFixed(1)}M`
    : value >= 10_000
      ? `${(value / 1e3).toFixed(0)}k`
      : String(value);

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Lays out rows as padded columns; the first column is left-aligned, the rest right-aligned. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), ...rows.map(line)];
}

function candidateRow(candidate: CandidateSummary): string[] {
  return [
    truncate(candidate.candidateId, 18),
    `${candidate.passed}/${candidate.total}`,
    pct(candidate.passRate.estimate),
    `${pct(candidate.passRate.low)}–${pct(candidate.passRate.high)}`,
    ms(candidate.ttftMs.p50),
    ms(candidate.durationMs.p50),
    `${count(candidate.inputTokens)}/${count(candidate.outputTokens)}`,
    String(candidate.errors),
  ];
}

/** Renders a report for a terminal: the memo first, then the details it rests on. */
export function renderTerminal(untrusted: Report, options: TerminalOptions): string {
  const report = terminalSafeReport(untrusted);
  const c = pc.createColors(options.color);
  const width = Math.min(options.width ?? 80, 100);
  const out: string[] = [];
  const { decision } = report;
  const memo = memoOf(report);
  out.push(c.bold(`verdict · ${report.workload}`));
  out.push(
    c.dim(
      `run ${report.runId} · ${plural(report.cases, 'case')} · ${plural(report.candidates.length, 'candidate')}`,
    ),
  );
  out.push('', ...renderMemoLines(memo, c, width));

  out.push('', c.dim('─'.repeat(Math.min(width, 60))), c.bold('Details'));
  const record = report.decisionRecord;
  if (record)
    out.push(
      c.dim(
        record.version === 0
          ? 'provisional decision: the run is still running, so none is stored yet'
          : `decision version ${record.version}, made ${record.createdAt} by verdict ${record.verdictVersion}`,
      ),
    );
  out.push('');
  const table = formatTable(
    ['candidate', 'pass', 'rate', '95% CI', 'ttft p50', 'e2e p50', 'tok in/out', 'err'],
    report.candidates.map(candidateRow),
  );
  out.push(c.bold(table[0]!), ...table.slice(1));
  const sources = report.candidates.filter(
    (candidate) => candidate.tokenSource === 'tokenizer' || candidate.tokenSource === 'mixed',
  );
  if (sources.length > 0) {
    out.push(
      c.dim(
        `token counts for ${sources.map((s) => s.candidateId).join(', ')} come from the model's tokenizer, not a server`,
      ),
    );
  }
  if (report.quality) out.push('', ...renderQualityBlock(report.quality, c, width));
  if (report.cost)
    out.push('', ...renderCostBlock(report.cost, c, width, memo.costMissing ? [memo.costMissing] : []));
  const extras = renderDecisionExtras(decision, c, width);
  if (extras.length > 0) out.push('', ...extras);
  out.push(...renderMemoRest(memo, { flips: decision.flips ?? [] }, c, width));
  if (report.loadTests && report.loadTests.length > 0) {
    const loadMs = (value: number | null) => (value === null ? '–' : `${Math.round(value)}`);
    const table = formatTable(
      ['load test', 'load', 'req/s', 'ttft p50', 'p99 ms', 'e2e p99', 'slo'],
      report.loadTests.map((test) => [
        truncate(test.model, 22),
        `${test.load}${test.loadKind === 'rate' ? '/s' : ' conc'}`,
        test.requestsPerSec.toFixed(1),
        loadMs(test.ttftP50Ms),
        loadMs(test.ttftP99Ms),
        loadMs(test.e2eP99Ms),
        test.sloMet === undefined ? '–' : test.sloMet ? 'met' : 'missed',
      ]),
    );
    out.push('', c.bold(table[0]!), ...table.slice(1));
  }
  return `${out.join('\n')}\n`;
}

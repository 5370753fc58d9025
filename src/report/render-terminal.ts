// The report as a terminal screen: one table that fits 80 columns, the decision, its reasons and
// caveats. Colour only when the caller says the terminal takes it (TTY and no NO_COLOR).
import pc from 'picocolors';
import type { CandidateSummary, Report } from '../spec/decision.ts';
import { renderCostBlock, renderDecisionExtras } from './cost-terminal.ts';
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

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && current.length + word.length + 1 > width - indent.length) {
      lines.push(indent + current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(indent + current);
  return lines;
}

/** Renders a report for a terminal. */
export function renderTerminal(untrusted: Report, options: TerminalOptions): string {
  const report = terminalSafeReport(untrusted);
  const c = pc.createColors(options.color);
  const width = Math.min(options.width ?? 80, 100);
  const out: string[] = [];
  out.push(c.bold(`verdict · ${report.workload}`));
  out.push(c.dim(`run ${report.runId} · ${report.cases} cases · ${report.candidates.length} candidates`));
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
  if (report.cost) out.push('', ...renderCostBlock(report.cost, c, width));
  out.push('');
  const { decision } = report;
  const via = (id: string, option: string | undefined) =>
    option && option !== id ? `${id} via ${option}` : id;
  out.push(
    decision.winner
      ? c.bold(c.green(`Decision: ${via(decision.winner, decision.winnerOption)}`))
      : c.bold(c.yellow('Decision: none')),
  );
  if (decision.runnerUp) out.push(`Runner-up: ${via(decision.runnerUp, decision.runnerUpOption)}`);
  else if (decision.winner) out.push('Runner-up: none');
  const record = report.decisionRecord;
  if (record)
    out.push(
      c.dim(
        record.version === 0
          ? 'provisional decision: the run is still running, so none is stored yet'
          : `decision version ${record.version}, made ${record.createdAt} by verdict ${record.verdictVersion}`,
      ),
    );
  for (const reason of decision.reasons)
    out.push(...wrap(`• ${reason}`, width - 2, '  ').map((line, i) => (i === 0 ? line : `  ${line}`)));
  const extras = renderDecisionExtras(decision, c, width);
  if (extras.length > 0) out.push('', ...extras);
  if (decision.caveats.length > 0) {
    out.push('', c.yellow('Caveats'));
    for (const caveat of decision.caveats)
      out.push(...wrap(`! ${caveat}`, width - 2, '  ').map((line, i) => (i === 0 ? line : `  ${line}`)));
  }
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

// The terminal's "Call errors" block: per candidate with failed calls, each distinct error with
// its count and one case it happened on, so a wrong model id or a server that is down is named on
// the screen, not only in the CSV and the dashboard.
import pc from 'picocolors';
import type { Report } from '../spec/decision.ts';
import { callErrorBlocks } from './call-errors.ts';
import { terminalText } from './terminal-safe.ts';

/** The block's lines, or none when every call succeeded. */
export function renderCallErrors(report: Report, options: { color: boolean; width?: number }): string[] {
  const c = pc.createColors(options.color);
  const width = Math.min(options.width ?? 80, 100);
  const blocks = callErrorBlocks(report);
  if (blocks.length === 0) return [];
  const out = ['', c.yellow('Call errors')];
  for (const block of blocks) {
    out.push(`${terminalText(block.candidateId)}: ${block.summary}`);
    for (const error of block.errors) {
      const line = `  ${error.count} × ${terminalText(error.message)} (e.g. case ${terminalText(error.exampleCaseId)})`;
      out.push(line.length > width * 3 ? `${line.slice(0, width * 3 - 1)}…` : line);
    }
    if (block.omitted)
      out.push(c.dim(`  and ${block.omitted} other distinct errors: verdict report --format csv`));
  }
  return out;
}

/** The terminal report followed by its call errors. */
export function withCallErrors(
  text: string,
  report: Report,
  options: { color: boolean; width?: number },
): string {
  const lines = renderCallErrors(report, options);
  return lines.length === 0 ? text : `${text}${lines.join('\n')}\n`;
}

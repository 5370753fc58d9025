// The memo as the terminal's first screen: the pick, the runner-up, three reasons with figures, the
// cost at the team's volume, what would change the pick, when to look again and the caveats that
// matter. What the memo leaves out is listed after the details line, said once.
import {
  type Memo,
  memoCostBasis,
  memoCostLines,
  memoPick,
  memoReevaluate,
  memoRunnerUp,
  plural,
} from './memo.ts';
import { wrapText } from './terminal-text.ts';

export interface MemoPaint {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

/** The memo as terminal lines, none wider than `width`. */
export function renderMemoLines(memo: Memo, c: MemoPaint, width: number): string[] {
  const out: string[] = [];
  const decision = `Decision: ${memoPick(memo)}`;
  out.push(c.bold(memo.kind === 'pick' ? c.green(decision) : c.yellow(decision)));
  const runnerUp = memoRunnerUp(memo);
  if (runnerUp !== null) out.push(`Runner-up: ${runnerUp}`);
  if (memo.provisional) out.push(...wrapText(memo.provisional, width, '', '  ').map(c.yellow));
  if (memo.reasons.length > 0) {
    out.push('', c.bold('Why'));
    for (const reason of memo.reasons) out.push(...wrapText(reason, width, '• ', '  '));
  }
  const basis = memoCostBasis(memo);
  const heading = wrapText(`Cost ${basis ?? ''}`, width, '', '  ');
  out.push('', c.bold(heading[0]!), ...heading.slice(1).map(c.dim));
  for (const line of memoCostLines(memo)) out.push(...wrapText(line, width, '• ', '  '));
  if (memo.costMissing) out.push(...wrapText(memo.costMissing, width, '• ', '  '));
  if (memo.flips.length > 0) {
    out.push('', c.bold('What would change the pick'));
    for (const flip of memo.flips) out.push(...wrapText(flip, width, '• ', '  '));
  }
  const again = memoReevaluate(memo);
  if (again) out.push('', ...wrapText(again, width, '', '  '));
  if (memo.caveats.length > 0) {
    out.push('', c.yellow('Caveats'));
    for (const caveat of memo.caveats) out.push(...wrapText(caveat, width, '! ', '  '));
  }
  const folded = [
    memo.otherReasons.length ? plural(memo.otherReasons.length, 'more reason') : '',
    memo.otherFlips ? plural(memo.otherFlips, 'more flip') : '',
    memo.otherCaveats.length ? plural(memo.otherCaveats.length, 'more caveat') : '',
  ].filter(Boolean);
  if (folded.length > 0) out.push(c.dim(`(${folded.join(', ')} in the details below)`));
  return out;
}

/** What the memo left out, for the details: the other reasons, flips and caveats, each said once. */
export function renderMemoRest(memo: Memo, all: { flips: string[] }, c: MemoPaint, width: number): string[] {
  const out: string[] = [];
  if (memo.otherReasons.length > 0) {
    out.push('', c.bold('More reasons'));
    for (const reason of memo.otherReasons) out.push(...wrapText(reason, width, '• ', '  '));
  }
  const otherFlips = all.flips.slice(memo.flips.length);
  if (otherFlips.length > 0) {
    out.push('', c.bold('Other changes that would flip it'));
    for (const flip of otherFlips) out.push(...wrapText(flip, width, '• ', '  '));
  }
  if (memo.otherCaveats.length > 0) {
    out.push('', c.yellow('More caveats'));
    for (const caveat of memo.otherCaveats) out.push(...wrapText(caveat, width, '! ', '  '));
  }
  return out;
}

// The cost section and the decision's extras (route, what would flip it, when to look again) as
// terminal lines that fit the width (80 columns by default).
import type { Decision, ReportCost } from '../spec/decision.ts';
import { memoOf } from './memo.ts';
import { renderMemoLines, renderMemoRest } from './memo-terminal.ts';
import { wrapText } from './terminal-text.ts';

interface Colors {
  bold: (text: string) => string;
  dim: (text: string) => string;
}

const FAMILY: Record<string, string> = {
  'closed-api': 'closed API',
  'open-managed-api': 'open, managed API',
  'self-hosted-cloud': 'self-hosted, cloud',
  'self-hosted-owned': 'self-hosted, owned',
  hybrid: 'hybrid (routed split)',
};

/** Dollars for a table: whole dollars from $100, cents below, significant figures under a cent. */
export function money(amount: number): string {
  if (!Number.isFinite(amount)) return '–';
  if (Math.abs(amount) >= 100) return `$${Math.round(amount).toLocaleString('en-US')}`;
  if (Math.abs(amount) >= 0.01) return `$${amount.toFixed(2)}`;
  return `$${Number(amount.toPrecision(2))}`;
}

export { wrapText };

function volume(v: number): string {
  for (const [size, suffix] of [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const)
    if (v >= size) return `${Number((v / size).toPrecision(3))}${suffix}`;
  return String(Math.round(v));
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** The cost section: every option at the workload's volume, what is unpriced and why, break-evens. */
export function renderCostBlock(
  cost: ReportCost,
  c: Colors,
  width: number,
  /** Sentences the memo already says (the pick's missing price), not repeated here. */
  said: string[] = [],
): string[] {
  const out: string[] = [];
  const source =
    cost.usageSource === 'declared'
      ? 'declared tokens per request: estimates'
      : cost.usageSource === 'measured'
        ? 'tokens measured by the run'
        : cost.usageSource === 'estimated'
          ? 'tokens per request estimated from the cases: estimates'
          : '';
  const heading = `Cost at ${Math.round(cost.requestsPerMonth).toLocaleString('en-US')} requests a month`;
  out.push(c.bold(heading));
  const sub = [source, cost.priceDate ? `token prices as of ${cost.priceDate}` : '']
    .filter(Boolean)
    .join('; ');
  if (sub) out.push(...wrapText(`(${sub})`, width, '', ' ').map(c.dim));
  if (cost.options.length > 0) {
    // Each distinct reason an option is not in the running gets a footnote number, said once below.
    const statuses = [...new Set(cost.options.flatMap((o) => (o.status ? [o.status] : [])))];
    const mark = (status: string | undefined) => (status ? `[${statuses.indexOf(status) + 1}]` : '');
    const nameWidth = Math.max(10, Math.min(26, width - 54));
    const rows = cost.options.map((o) => [
      cut(o.optionId, nameWidth),
      FAMILY[o.family] ?? o.family,
      money(o.monthlyUsd),
      money(o.costPerRequestUsd),
      o.replicas === undefined ? '' : `${o.replicas} (${Math.round((o.averageUtilisation ?? 0) * 100)}%)`,
      mark(o.status),
    ]);
    const header = ['option', 'family', 'monthly', 'per request', 'replicas', ''];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (cells: string[]) =>
      cells
        .map((cell, i) => (i <= 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd();
    out.push(c.bold(fmt(header)), ...rows.map(fmt));
    for (const [i, status] of statuses.entries())
      out.push(...wrapText(`[${i + 1}] ${status}; priced for comparison`, width, '', '    ').map(c.dim));
  }
  for (const b of cost.breakEvens ?? [])
    out.push(
      ...wrapText(
        `Break-even of ${b.selfHostedOptionId} against ${b.apiOptionId}: ${b.volume === null ? 'none up to 10B requests a month' : b.volume === 0 ? 'cheaper at every volume' : `from ${volume(b.volume)} requests a month`}.`,
        width,
        '• ',
        '  ',
      ),
    );
  const unpriced = (cost.unpriced ?? []).filter((u) => !said.includes(u));
  if (unpriced.length > 0) {
    out.push(c.bold('Not priced'));
    for (const u of unpriced) out.push(...wrapText(u, width, '• ', '  '));
  } else if (cost.unpriced?.length)
    out.push(c.dim(`Not priced: ${cost.unpriced.map((u) => u.split(' ')[0]).join(', ')} (why: see above)`));
  if (cost.facts?.length) {
    out.push(c.bold('Read from model files'));
    for (const f of cost.facts) out.push(...wrapText(f, width, '• ', '  '));
  }
  return out;
}

/** What the memo does not say about the decision: the split when it is not the pick, and what the constraints removed. */
export function renderDecisionExtras(decision: Decision, c: Colors, width: number): string[] {
  const out: string[] = [];
  // The split is the pick only when the decision names it; otherwise it is shown as a comparison.
  if (decision.hybrid && decision.winner !== decision.hybrid.id)
    out.push(
      ...wrapText(
        `Hybrid ${decision.hybrid.id} (oracle upper bound): ${(decision.hybrid.oracle.passRate * 100).toFixed(1)}% pass for ${money(decision.hybrid.oracle.monthlyUsd)} a month; measured router: ${(decision.hybrid.router.passRate * 100).toFixed(1)}% for ${money(decision.hybrid.router.monthlyUsd)}.`,
        width,
        '',
        '  ',
      ).map(c.dim),
    );
  const removed = (decision.removed ?? []).filter((r) => !decision.reasons.includes(r));
  if (removed.length > 0) {
    out.push(c.bold('Removed by the constraints'));
    for (const r of removed) out.push(...wrapText(r, width, '• ', '  '));
  }
  return out;
}

/** A screen of its own for `verdict cost` and `verdict decide`: the memo first, then the cost section and the rest. */
export function renderDecisionScreen(
  input: { title: string; subtitle: string; decision: Decision; cost?: ReportCost; sources?: string[] },
  c: Colors & { green: (t: string) => string; yellow: (t: string) => string },
  width = 80,
): string {
  const { decision } = input;
  const memo = memoOf({ decision, ...(input.cost ? { cost: input.cost } : {}) });
  const out: string[] = [c.bold(input.title), c.dim(input.subtitle), ''];
  out.push(...renderMemoLines(memo, c, width));
  out.push('', c.dim('─'.repeat(Math.min(width, 60))), c.bold('Details'), '');
  if (input.cost)
    out.push(...renderCostBlock(input.cost, c, width, memo.costMissing ? [memo.costMissing] : []));
  const extras = renderDecisionExtras(decision, c, width);
  if (extras.length > 0) out.push('', ...extras);
  out.push(...renderMemoRest(memo, { flips: decision.flips ?? [] }, c, width));
  if (input.sources?.length) {
    out.push('', c.bold('Catalogues'));
    for (const s of input.sources) out.push(...wrapText(s, width, '• ', '  '));
  }
  return `${out.join('\n')}\n`;
}

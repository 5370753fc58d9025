// The memo as the first screen of the HTML report and of the dashboard's run overview, and the
// folded sections below it. Everything is read from the stored decision (src/report/memo.ts picks and
// words it); untrusted text goes through escapeHtml only.

import type { Report } from '../spec/decision.ts';
import { callErrorBlocks } from './call-errors.ts';
import { escapeHtml, usd } from './html-page.ts';
import {
  type Memo,
  memoCostBasis,
  memoCostLines,
  memoOf,
  memoPick,
  memoReevaluate,
  memoRunnerUp,
  plural,
} from './memo.ts';

const list = (cls: string, items: string[]) =>
  items.length > 0 ? `<ul class="${cls}">${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : '';

/** The memo: pick and runner-up, why, cost at the volume, what would change it, when to look again, caveats. */
export function memoSection(report: Report, memo: Memo = memoOf(report)): string {
  const runnerUp = memoRunnerUp(memo);
  const basis = memoCostBasis(memo);
  const again = memoReevaluate(memo);
  const folded = [
    memo.otherReasons.length ? plural(memo.otherReasons.length, 'more reason') : '',
    memo.otherFlips ? plural(memo.otherFlips, 'more flip') : '',
    memo.otherCaveats.length ? plural(memo.otherCaveats.length, 'more caveat') : '',
  ].filter(Boolean);
  return `<section class="decision memo${memo.kind === 'pick' ? '' : ' none'}" id="memo" aria-label="decision">
<div class="memo-head"><div class="winner">Decision: ${escapeHtml(memoPick(memo))}</div>
${runnerUp === null ? '' : `<div class="runner-up">Runner-up: ${escapeHtml(runnerUp)}</div>`}</div>
${memo.provisional ? `<p class="provisional">${escapeHtml(memo.provisional)}</p>` : ''}
<div class="memo-grid"><div>
${memo.reasons.length > 0 ? `<h3>Why</h3>${list('reasons', memo.reasons)}` : ''}
${memo.flips.length > 0 ? `<h3>What would change the pick</h3>${list('flips', memo.flips)}` : ''}
</div><div>
<h3>Cost${basis ? ` <span class="muted">${escapeHtml(basis)}</span>` : ''}</h3>
${list('costs', [...memoCostLines(memo), ...(memo.costMissing ? [memo.costMissing] : [])])}
${again ? `<p class="reevaluate">${escapeHtml(again)}</p>` : '<p class="reevaluate muted">Re-evaluation date: not set yet.</p>'}
${memo.caveats.length > 0 ? `<h3>Caveats</h3>${list('caveats', memo.caveats)}` : ''}
${callErrorsHtml(report)}
</div></div>
${folded.length > 0 ? `<p class="muted folded">${escapeHtml(folded.join(', '))} in the details below.</p>` : ''}
</section>`;
}

/** Each candidate's distinct call errors, escaped; empty when every call succeeded. */
function callErrorsHtml(report: Report): string {
  const blocks = callErrorBlocks(report);
  if (blocks.length === 0) return '';
  const items = blocks
    .map(
      (block) =>
        `<li>${escapeHtml(block.candidateId)}: ${escapeHtml(block.summary)}<ul>${block.errors
          .map(
            (error) =>
              `<li>${error.count} × <code>${escapeHtml(error.message)}</code> (e.g. case ${escapeHtml(error.exampleCaseId)})</li>`,
          )
          .join(
            '',
          )}${block.omitted ? `<li>and ${block.omitted} other distinct errors (CSV report)</li>` : ''}</ul></li>`,
    )
    .join('');
  return `<h3>Call errors</h3><ul class="call-errors">${items}</ul>`;
}

const pct = (value: number) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)}%`);

/** What the memo leaves out of the decision, each said once: other reasons, the split, other flips, removals, more caveats. */
export function memoRestSection(report: Report, memo: Memo = memoOf(report)): string {
  const { decision } = report;
  const record = report.decisionRecord;
  const hybrid = decision.hybrid;
  const otherFlips = (decision.flips ?? []).slice(memo.flips.length);
  const removed = (decision.removed ?? []).filter((r) => !decision.reasons.includes(r));
  const parts = [
    record
      ? `<p class="muted decided">${
          record.version === 0
            ? 'Provisional decision: the run is still running, so none is stored yet.'
            : `Decision version ${record.version}, made ${escapeHtml(record.createdAt)} by verdict ${escapeHtml(record.verdictVersion)}.`
        }</p>`
      : '',
    list('reasons', memo.otherReasons),
    // The split is the pick only when the decision names it: its own `wins` flag is not read here.
    hybrid
      ? `<p>Hybrid ${escapeHtml(hybrid.cheap)} first, escalating to ${escapeHtml(hybrid.strong)}: with the router, ${(hybrid.router.escalated * 100).toFixed(0)}% escalated, pass rate ${pct(hybrid.router.passRate)}, ${usd(hybrid.router.monthlyUsd)} a month (oracle upper bound: ${pct(hybrid.oracle.passRate)} at ${usd(hybrid.oracle.monthlyUsd)}) — ${decision.winner === hybrid.id ? 'it is the pick' : 'it is not the pick'}.</p>`
      : '',
    otherFlips.length > 0 ? `<h3>Other changes that would flip it</h3>${list('flips', otherFlips)}` : '',
    removed.length > 0 ? `<h3>Removed by constraints</h3>${list('removed', removed)}` : '',
    memo.otherCaveats.length > 0 ? `<h3>More caveats</h3>${list('caveats', memo.otherCaveats)}` : '',
  ].filter(Boolean);
  return parts.join('\n');
}

/** A folded section; `open` for the ones a reader looks at rather than reads (charts). */
export function fold(id: string, summary: string, body: string, open = false): string {
  return `<details class="section" id="${escapeHtml(id)}"${open ? ' open' : ''}><summary>${escapeHtml(summary)}</summary>
${body}
</details>`;
}

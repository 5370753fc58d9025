// Pieces the HTML report and the dashboard share: escaping, the stylesheet, the Content-Security-
// Policy with hashes, and the report's sections as HTML. Untrusted text (outputs, case data, ids,
// workload names) only ever reaches a page through `escapeHtml` or a JSON data block.
import { createHash } from 'node:crypto';
import type { CandidateSummary, Report } from '../spec/decision.ts';
import type { CompiledChart } from './charts/compile-charts.ts';

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text → HTML text or attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => entities[char]!);
}

/** JSON safe inside `<script type="application/json">`: no `</script>`, no `<!--`, no line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** `'sha256-…'` of an inline script or style, for the CSP. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export const stylesheet = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6474; --line: #d9dde5; --pass: #1a7f37; --fail: #b42318; --warn: #9a6700; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "DejaVu Sans", system-ui, sans-serif; color: var(--fg); margin: 0; background: #fafbfc; }
header.top { background: #1d2330; color: #fff; padding: 10px 24px; display: flex; gap: 20px; align-items: baseline; flex-wrap: wrap; }
header.top a { color: #cfe0ff; text-decoration: none; }
header.top nav { display: flex; gap: 18px; }
header.top .brand { font-weight: bold; letter-spacing: .02em; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); }
.decision { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--pass); padding: 12px 16px; border-radius: 4px; }
.decision.none { border-left-color: var(--warn); }
.decision .winner { font-size: 18px; font-weight: bold; overflow-wrap: anywhere; }
ul.caveats li { color: var(--warn); }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
pre.text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 12px/1.4 "DejaVu Sans Mono", monospace; max-height: 16em; overflow: auto; }
.pass { color: var(--pass); font-weight: 600; }
.fail { color: var(--fail); font-weight: 600; }
.error { color: var(--warn); font-weight: 600; }
figure { margin: 16px 0; background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 12px; }
figure figcaption { font-weight: 600; margin-bottom: 6px; }
figure .chart { overflow-x: auto; }
figure .about { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
tr.lines > td { background: #fafbfc; padding: 2px 8px 6px 24px; }
table.lines td { border: none; padding: 1px 8px; font-size: 12px; }
.empty { color: var(--muted); font-style: italic; padding: 18px 8px; }
.toolbar { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
.toolbar input[type=search] { min-width: 240px; }
input, select, button { font: inherit; padding: 3px 6px; }
nav.pages { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; }
.badge.pass { background: #dafbe1; } .badge.fail { background: #ffebe9; } .badge.error { background: #fff8c5; }
`;

const pct = (value: number) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)}%`);
const ms = (value: number | null) =>
  value === null ? '–' : `${Math.round(value).toLocaleString('en-US')} ms`;
export const usd = (value: number) =>
  `$${value.toLocaleString('en-US', { maximumFractionDigits: value < 0.01 ? 6 : value < 10 ? 2 : 0 })}`;

function candidateRow(candidate: CandidateSummary): string {
  return `<tr><td>${escapeHtml(candidate.candidateId)}<div class="muted">${escapeHtml(candidate.model)}</div></td>
<td class="num">${candidate.passed}/${candidate.total}</td><td class="num">${pct(candidate.passRate.estimate)}</td>
<td class="num">${pct(candidate.passRate.low)}–${pct(candidate.passRate.high)}</td>
<td class="num">${ms(candidate.ttftMs.p50)}</td><td class="num">${ms(candidate.durationMs.p50)}</td>
<td class="num">${ms(candidate.durationMs.p99)}</td>
<td class="num">${candidate.inputTokens.toLocaleString('en-US')} / ${candidate.outputTokens.toLocaleString('en-US')}</td>
<td class="num">${candidate.errors}</td></tr>`;
}

const list = (cls: string, items: string[] | undefined) =>
  items && items.length > 0
    ? `<ul class="${cls}">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`
    : '';

/** Which stored version of the decision this is, and when and by which verdict it was made. */
function decidedLine(report: Report): string {
  const record = report.decisionRecord;
  if (!record) return '';
  return `<p class="muted decided">${
    record.version === 0
      ? 'Provisional decision: the run is still running, so none is stored yet.'
      : `Decision version ${record.version}, made ${escapeHtml(record.createdAt)} by verdict ${escapeHtml(record.verdictVersion)}.`
  }</p>`;
}

/** The decision, its reasons, what would flip it, the re-evaluation date and the caveats. */
export function decisionSection(report: Report): string {
  const { decision } = report;
  const route =
    decision.winnerOption && decision.winnerOption !== decision.winner
      ? ` <span class="muted">(${escapeHtml(decision.winnerOption)})</span>`
      : '';
  const hybrid = decision.hybrid;
  // The split is the pick only when the decision names it: its own `wins` flag is not read here.
  return `<section class="decision${decision.winner ? '' : ' none'}" aria-label="decision">
<div class="winner">Decision: ${escapeHtml(decision.winner ?? 'none')}${route}</div>
${decision.runnerUp ? `<div class="runner-up">Runner-up: ${escapeHtml(decision.runnerUp)}${decision.runnerUpOption && decision.runnerUpOption !== decision.runnerUp ? ` <span class="muted">(${escapeHtml(decision.runnerUpOption)})</span>` : ''}</div>` : decision.winner ? '<div class="runner-up">Runner-up: none</div>' : ''}
${decidedLine(report)}
${list('reasons', decision.reasons)}
${
  hybrid
    ? `<p>Hybrid ${escapeHtml(hybrid.cheap)} first, escalating to ${escapeHtml(hybrid.strong)}: with the router, ${(hybrid.router.escalated * 100).toFixed(0)}% escalated, pass rate ${(hybrid.router.passRate * 100).toFixed(1)}%, ${usd(hybrid.router.monthlyUsd)} a month (oracle upper bound: ${(hybrid.oracle.passRate * 100).toFixed(1)}% at ${usd(hybrid.oracle.monthlyUsd)}) — ${decision.winner === hybrid.id ? 'it is the pick' : 'it is not the pick'}.</p>`
    : ''
}
${decision.flips && decision.flips.length > 0 ? `<div class="muted">What would change the pick:</div>${list('flips', decision.flips)}` : ''}
${decision.removed && decision.removed.length > 0 ? `<div class="muted">Removed by constraints:</div>${list('removed', decision.removed)}` : ''}
${
  decision.reevaluate
    ? `<p class="reevaluate">Re-evaluate by <strong>${escapeHtml(decision.reevaluate.date)}</strong>, or sooner on: ${escapeHtml(decision.reevaluate.triggers.map((t) => t.replace(/\.$/, '')).join('; '))}.</p>`
    : '<p class="reevaluate muted">Re-evaluation date: not set yet.</p>'
}
${list('caveats', decision.caveats)}
</section>`;
}

/** Paired comparisons against the best, and pass rates by grader and by tag (from the quality section). */
export function qualitySection(report: Report): string {
  const quality = report.quality;
  if (!quality) return '';
  const slices = [
    ...quality.byGrader.map((slice) => ({ kind: 'grader', slice })),
    ...quality.byTag.map((slice) => ({ kind: 'tag', slice })),
  ];
  const ids = report.candidates.map((candidate) => candidate.candidateId);
  const sliceRows = slices
    .map(
      ({ kind, slice }) =>
        `<tr><td>${kind} ${escapeHtml(slice.name)}</td>${ids
          .map((id) => {
            const cell = slice.cells[id];
            return `<td class="num">${cell && cell.total > 0 ? `${cell.passed}/${cell.total} (${pct(cell.passed / cell.total)})` : '–'}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  const flaky = (quality.repeats ?? []).filter((repeat) => repeat.flakyCases.length > 0);
  return `${list('comparisons', quality.sentences)}
<p class="muted">Non-inferiority margin ${pct(quality.margin)} (${quality.marginSource === 'workload' ? 'set in the workload' : "verdict's default"})${quality.floor === null ? '' : ` · quality floor ${pct(quality.floor)}`}.</p>
${
  sliceRows
    ? `<table class="slices"><thead><tr><th>slice</th>${ids.map((id) => `<th class="num">${escapeHtml(id)}</th>`).join('')}</tr></thead><tbody>${sliceRows}</tbody></table>`
    : ''
}
${
  flaky.length > 0
    ? list(
        'flaky',
        flaky.map(
          (repeat) =>
            `${repeat.candidateId}: ${repeat.flakyCases.length} flaky cases across ${repeat.repeats} repeats (pass@1 ${pct(repeat.passAt1)}, pass@${repeat.k} ${pct(repeat.passAtK)})`,
        ),
      )
    : ''
}`;
}

/** Pass rates, intervals, latency and tokens per candidate. */
export function candidatesTable(report: Report): string {
  return `<table class="candidates"><thead><tr><th>candidate</th><th class="num">pass</th><th class="num">rate</th>
<th class="num">95% interval</th><th class="num">TTFT p50</th><th class="num">E2E p50</th><th class="num">E2E p99</th>
<th class="num">tokens in / out</th><th class="num">errors</th></tr></thead>
<tbody>${report.candidates.map(candidateRow).join('\n')}</tbody></table>`;
}

/** The priced options at the workload volume with every line item, or the "not measured yet" state. */
export function costSection(report: Report): string {
  const cost = report.cost;
  if (!cost || cost.options.length === 0) {
    return `<p class="empty">Cost not measured yet.</p>${list('unpriced', cost?.unpriced)}`;
  }
  const rows = [...cost.options]
    .sort((a, b) => a.monthlyUsd - b.monthlyUsd)
    .map(
      (
        option,
      ) => `<tr><td>${escapeHtml(option.optionId)}${option.status ? `<div class="muted">${escapeHtml(option.status)}</div>` : ''}</td><td>${escapeHtml(option.family)}</td>
<td class="num">${usd(option.monthlyUsd)}</td><td class="num">${usd(option.costPerRequestUsd)}</td>
<td class="num">${option.replicas ?? '–'}</td><td class="num">${option.averageUtilisation === undefined ? '–' : pct(option.averageUtilisation)}</td></tr>${
        option.lines && option.lines.length > 0
          ? `<tr class="lines"><td colspan="6"><table class="lines"><tbody>${option.lines
              .map(
                (line) =>
                  `<tr><td>${escapeHtml(line.label)}</td><td class="num">${usd(line.usd)}</td><td class="muted">${escapeHtml(line.formula)}</td><td class="muted">${escapeHtml(line.source)}</td></tr>`,
              )
              .join('')}</tbody></table>${list('notes', option.notes)}</td></tr>`
          : ''
      }`,
    )
    .join('\n');
  const breakEvens = (cost.breakEvens ?? []).map((b) => b.sentence);
  return `<p>At ${Math.round(cost.requestsPerMonth).toLocaleString('en-US')} requests a month${
    cost.priceDate ? ` (prices as of ${escapeHtml(cost.priceDate)})` : ''
  }${cost.usageSource ? `, tokens per request ${cost.usageSource === 'measured' ? 'measured by this run' : 'as declared in the workload (an estimate)'}` : ''}:</p>
<table class="cost"><thead><tr><th>option</th><th>family</th><th class="num">monthly</th><th class="num">per request</th>
<th class="num">replicas</th><th class="num">utilisation</th></tr></thead><tbody>${rows}</tbody></table>
${list('break-evens', breakEvens)}${list('unpriced', cost.unpriced)}${list('facts', cost.facts)}`;
}

/** One figure per chart; a chart without data shows why. */
export function chartFigures(charts: CompiledChart[]): string {
  return charts
    .map((chart) =>
      chart.vega
        ? `<figure data-chart="${escapeHtml(chart.id)}" id="chart-${escapeHtml(chart.id)}"><figcaption>${escapeHtml(chart.title)}</figcaption>
<div class="chart" role="img" aria-label="${escapeHtml(chart.description)}"></div><p class="about">${escapeHtml(chart.description)}</p></figure>`
        : `<figure id="chart-${escapeHtml(chart.id)}"><figcaption>${escapeHtml(chart.title)}</figcaption>
<p class="empty">${escapeHtml(chart.missing ?? 'not measured yet')} — ${escapeHtml(chart.description)}</p></figure>`,
    )
    .join('\n');
}

/** `{ id: vegaSpec }` for the charts that have data. */
export function chartSpecs(charts: CompiledChart[]): Record<string, unknown> {
  return Object.fromEntries(charts.filter((chart) => chart.vega).map((chart) => [chart.id, chart.vega]));
}

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
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); }
.decision { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--pass); padding: 12px 16px; border-radius: 4px; }
.decision.none { border-left-color: var(--warn); }
.decision .winner { font-size: 18px; font-weight: bold; overflow-wrap: anywhere; }
ul.caveats li { color: var(--warn); }
.memo { padding: 10px 16px 8px; }
.memo .memo-head { display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
.memo h3 { font-size: 14px; margin: 10px 0 2px; }
.memo h3 .muted { font-weight: normal; font-size: 12px; }
.memo ul { margin: 2px 0; padding-left: 20px; }
.memo li { margin: 1px 0; }
.memo p { margin: 6px 0; }
.memo .provisional { color: var(--warn); }
.memo-grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 0 28px; }
@media (max-width: 900px) { .memo-grid { grid-template-columns: minmax(0, 1fr); } }
details.section { margin: 14px 0; }
details.section > summary { font-size: 17px; font-weight: 600; cursor: pointer; border-bottom: 1px solid var(--line); padding: 4px 0; }
tr.out td { color: var(--muted); }
ol.statuses { font-size: 12px; padding-left: 22px; }
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

/** Every priced option at the workload volume: one table, each reason an option is out of the running and each note said once, line items of the options in the running. */
export function costSection(report: Report, said: string | null = null): string {
  const cost = report.cost;
  const unpriced = (cost?.unpriced ?? []).filter((u) => u !== said);
  if (!cost || cost.options.length === 0) {
    return `<p class="empty">No option priced: <code>verdict cost WORKLOAD</code> prices them once the workload declares traffic.requests_per_month.</p>${list('unpriced', unpriced)}`;
  }
  const statuses = [...new Set(cost.options.flatMap((o) => (o.status ? [o.status] : [])))];
  const mark = (status: string | undefined) =>
    status ? ` <sup class="muted">[${statuses.indexOf(status) + 1}]</sup>` : '';
  const rows = [...cost.options]
    .sort((a, b) => Number(Boolean(a.status)) - Number(Boolean(b.status)) || a.monthlyUsd - b.monthlyUsd)
    .map(
      (
        option,
      ) => `<tr${option.status ? ' class="out"' : ''}><td>${escapeHtml(option.optionId)}${mark(option.status)}</td><td>${escapeHtml(option.family)}</td>
<td class="num">${usd(option.monthlyUsd)}</td><td class="num">${usd(option.costPerRequestUsd)}</td>
<td class="num">${option.replicas ?? '–'}</td><td class="num">${option.averageUtilisation === undefined ? '–' : pct(option.averageUtilisation)}</td></tr>${
        !option.status && option.lines && option.lines.length > 0
          ? `<tr class="lines"><td colspan="6"><table class="lines"><tbody>${option.lines
              .map(
                (line) =>
                  `<tr><td>${escapeHtml(line.label)}</td><td class="num">${usd(line.usd)}</td><td class="muted">${escapeHtml(line.formula)}</td><td class="muted">${escapeHtml(line.source)}</td></tr>`,
              )
              .join('')}</tbody></table></td></tr>`
          : ''
      }`,
    )
    .join('\n');
  const breakEvens = (cost.breakEvens ?? []).map((b) => b.sentence);
  const notes = [...new Set(cost.options.flatMap((o) => o.notes ?? []))];
  const usage =
    cost.usageSource === 'measured'
      ? ', tokens per request measured by this run'
      : cost.usageSource === 'declared'
        ? ', tokens per request as declared in the workload (an estimate)'
        : cost.usageSource === 'estimated'
          ? ', tokens per request estimated from the cases'
          : '';
  return `<p>At ${Math.round(cost.requestsPerMonth).toLocaleString('en-US')} requests a month${
    cost.priceDate ? ` (prices as of ${escapeHtml(cost.priceDate)})` : ''
  }${usage}:</p>
<table class="cost"><thead><tr><th>option</th><th>family</th><th class="num">monthly</th><th class="num">per request</th>
<th class="num">replicas</th><th class="num">utilisation</th></tr></thead><tbody>${rows}</tbody></table>
${statuses.length > 0 ? `<ol class="statuses muted">${statuses.map((s) => `<li>${escapeHtml(s)}; priced for comparison</li>`).join('')}</ol>` : ''}
${list('break-evens', breakEvens)}${list('notes', notes)}${list('unpriced', unpriced)}${list('facts', cost.facts)}`;
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

// The dashboard's pages: runs, run overview, case explorer, compare two runs, load tests.

import { compileCharts } from '../report/charts/compile-charts.ts';
import { reportCharts } from '../report/charts/report-charts.ts';
import {
  candidatesTable,
  chartFigures,
  chartSpecs,
  costSection,
  escapeHtml,
  jsonForScript,
  qualitySection,
} from '../report/html-page.ts';
import { memoOf, plural } from '../report/memo.ts';
import { fold, memoRestSection, memoSection } from '../report/memo-html.ts';
import type { RunDiff } from '../report/run-diff.ts';
import { pairName, qualitySentence } from '../report/run-diff-render.ts';
import type { Report, ReportLoadTest } from '../spec/decision.ts';
import type { RunRecord } from '../spec/result.ts';
import type { CaseFacets, CasePage, CaseQuery, RunComparison } from '../store/store.ts';
import { href, page, query } from './layout.ts';

const statusLabel = (result: { pass: boolean; error: unknown }) =>
  result.error ? 'error' : result.pass ? 'pass' : 'fail';

/** The runs list; `decision` is the run's latest stored pick as the memo words it (absent: none stored yet). */
export function runsPage(runs: Array<RunRecord & { results: number; decision?: string }>): string {
  const rows = runs
    .map(
      (run) => `<tr><td><a href="${escapeHtml(href('runs', run.id))}">${escapeHtml(run.id)}</a></td>
<td>${escapeHtml(run.workloadName)}</td><td>${escapeHtml(run.status)}</td><td>${escapeHtml(run.startedAt)}</td>
<td class="num">${run.results.toLocaleString('en-US')} / ${run.plannedResults.toLocaleString('en-US')}</td>
<td>${run.decision === undefined ? '<span class="muted">not decided yet</span>' : escapeHtml(run.decision)}</td>
<td><a href="${escapeHtml(href('runs', run.id, 'cases'))}">cases</a></td></tr>`,
    )
    .join('\n');
  return page({
    title: 'Runs',
    body: `<h1>Runs</h1>${
      runs.length === 0
        ? '<p class="empty">No runs in this store yet: run <code>verdict run WORKLOAD</code> or <code>verdict demo</code>.</p>'
        : `<table class="runs"><thead><tr><th>run</th><th>workload</th><th>status</th><th>started</th><th class="num">results</th><th>decision</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    }`,
  });
}

export function overviewPage(run: RunRecord, report: Report): string {
  const charts = compileCharts(reportCharts(report));
  const memo = memoOf(report);
  return page({
    title: report.workload,
    runId: run.id,
    charts: true,
    body: `<h1>${escapeHtml(report.workload)}</h1>
<p class="muted">run ${escapeHtml(run.id)} · ${escapeHtml(run.status)} · started ${escapeHtml(run.startedAt)} · ${plural(report.cases, 'case')} · ${plural(report.candidates.length, 'candidate')} · <a href="${escapeHtml(href('runs', run.id, 'cases'))}">every case</a></p>
${memoSection(report, memo)}
${fold('charts', 'Charts', chartFigures(charts), true)}
${fold('quality', 'Quality, latency and tokens', `${candidatesTable(report)}\n${qualitySection(report)}`)}
${fold('cost', 'Cost of every option', costSection(report, memo.costMissing))}
${fold('more', 'More reasons, flips and caveats', memoRestSection(report, memo))}
<script type="application/json" id="chart-specs">${jsonForScript(chartSpecs(charts))}</script>`,
  });
}

export interface CasesView {
  run: RunRecord;
  query: CaseQuery;
  facets: CaseFacets;
  page: CasePage;
  elapsedMs: number;
}

function select(
  name: string,
  label: string,
  current: string | undefined,
  options: Array<[string, string]>,
): string {
  return `<label>${escapeHtml(label)} <select name="${name}">${options
    .map(
      ([value, text]) =>
        `<option value="${escapeHtml(value)}"${value === (current ?? '') ? ' selected' : ''}>${escapeHtml(text)}</option>`,
    )
    .join('')}</select></label>`;
}

export function casesPage(view: CasesView): string {
  const { run, query: q, facets } = view;
  const candidates = facets.candidates;
  const pageNumber = Math.floor(q.offset / q.limit) + 1;
  const pages = Math.max(1, Math.ceil(view.page.total / q.limit));
  const filters = {
    status: q.status,
    candidate: q.candidateId,
    grader: q.grader,
    tag: q.tag,
    disagree: q.disagreement ? '1' : undefined,
    q: q.search,
  };
  const link = (n: number) => escapeHtml(`${href('runs', run.id, 'cases')}${query({ ...filters, page: n })}`);
  const rows = view.page.rows
    .map((row) => {
      const cells = candidates
        .map((candidate) => {
          const results = row.results.filter((result) => result.candidateId === candidate);
          return `<td>${results
            .map(
              (result) => `<span class="badge ${statusLabel(result)}">${statusLabel(result)}</span>
<pre class="text">${escapeHtml(result.error ? `${result.error.code}: ${result.error.message}` : (result.output ?? ''))}</pre>
${result.grades.map((grade) => `<div class="muted">${grade.pass ? '✓' : '✗'} ${escapeHtml(grade.grader)}: ${escapeHtml(grade.reason)}</div>`).join('')}`,
            )
            .join('')}</td>`;
        })
        .join('');
      const vars = Object.entries(row.vars)
        .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join('\n');
      return `<tr><td><div>${escapeHtml(row.caseId)}</div>${row.tags.length ? `<div class="muted">${escapeHtml(row.tags.join(', '))}</div>` : ''}<pre class="text">${escapeHtml(vars)}</pre></td>
<td><pre class="text">${escapeHtml(row.expected ?? '–')}</pre></td>${cells}</tr>`;
    })
    .join('\n');
  return page({
    title: `Cases · ${run.workloadName}`,
    runId: run.id,
    body: `<h1>Cases · ${escapeHtml(run.workloadName)}</h1>
<form class="toolbar" method="get" action="${escapeHtml(href('runs', run.id, 'cases'))}">
<input type="search" name="q" value="${escapeHtml(q.search ?? '')}" placeholder="search ids, inputs, outputs" aria-label="search">
${select('status', 'status', q.status, [
  ['', 'any'],
  ['fail', 'failed'],
  ['pass', 'passed'],
  ['error', 'call failed'],
])}
${select('candidate', 'candidate', q.candidateId, [['', 'any'], ...candidates.map((c): [string, string] => [c, c])])}
${select('grader', 'grader failed', q.grader, [['', 'any'], ...facets.graders.map((g): [string, string] => [g, g])])}
${facets.tags.length ? select('tag', 'tag', q.tag, [['', 'any'], ...facets.tags.map((t): [string, string] => [t, t])]) : ''}
<label><input type="checkbox" name="disagree" value="1"${q.disagreement ? ' checked' : ''}> candidates disagree</label>
<button type="submit">filter</button></form>
<p class="muted" id="cases-info">${view.page.total.toLocaleString('en-US')} cases · page ${pageNumber} of ${pages} · answered in ${view.elapsedMs.toFixed(0)} ms</p>
<nav class="pages">${pageNumber > 1 ? `<a href="${link(pageNumber - 1)}" rel="prev">previous</a>` : '<span class="muted">previous</span>'}
${pageNumber < pages ? `<a href="${link(pageNumber + 1)}" rel="next">next</a>` : '<span class="muted">next</span>'}</nav>
${
  view.page.rows.length === 0
    ? '<p class="empty">No case matches these filters.</p>'
    : `<table class="cases"><thead><tr><th>case</th><th>expected</th>${candidates.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`
}`,
  });
}

export interface CompareView {
  runs: RunRecord[];
  before?: string;
  after?: string;
  comparison?: RunComparison;
  /** What `verdict diff` says of the two runs: the same object, rendered here. */
  diff?: RunDiff;
  offset: number;
  limit: number;
}

/** The diff's verdict per candidate and on the decision, as `verdict diff` computes it. */
function diffSummary(diff: RunDiff): string {
  const dec = diff.decision;
  const decision = dec.changed
    ? `<p><strong>Decision changed:</strong> ${escapeHtml(dec.before ?? 'none')} → ${escapeHtml(dec.after ?? 'none')}</p>`
    : `<p><strong>Decision unchanged:</strong> ${escapeHtml(dec.after ?? 'none')}</p>`;
  const rows = diff.candidates
    .map(
      (c) =>
        `<tr><td>${escapeHtml(pairName(c))}</td><td>${escapeHtml(qualitySentence(c, diff.alpha))}</td></tr>`,
    )
    .join('');
  return `<h2>What changed</h2>${decision}<table class="summary"><thead><tr><th>candidate</th><th>pass rate, paired on the shared cases</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function comparePage(view: CompareView): string {
  const options = (current: string | undefined) =>
    view.runs
      .map(
        (run) =>
          `<option value="${escapeHtml(run.id)}"${run.id === current ? ' selected' : ''}>${escapeHtml(`${run.workloadName} · ${run.startedAt} · ${run.id}`)}</option>`,
      )
      .join('');
  const comparison = view.comparison;
  let result = '<p class="empty">Choose two runs of the same workload to see what changed per case.</p>';
  if (comparison) {
    const pages = Math.max(1, Math.ceil(comparison.total / view.limit));
    const pageNumber = Math.floor(view.offset / view.limit) + 1;
    const link = (n: number) =>
      escapeHtml(`/compare${query({ before: view.before, after: view.after, page: n })}`);
    result = `${view.diff ? diffSummary(view.diff) : ''}<h2>Per candidate</h2><table class="summary"><thead><tr><th>candidate</th><th class="num">fixed (fail → pass)</th><th class="num">broken (pass → fail)</th><th class="num">unchanged</th></tr></thead><tbody>${comparison.summary
      .map(
        (row) =>
          `<tr><td>${escapeHtml(row.candidateId)}</td><td class="num">${row.fixed}</td><td class="num">${row.broken}</td><td class="num">${row.unchanged}</td></tr>`,
      )
      .join('')}</tbody></table>
<h2>Changed results</h2><p class="muted">${comparison.total.toLocaleString('en-US')} changed · page ${pageNumber} of ${pages}</p>
<nav class="pages">${pageNumber > 1 ? `<a href="${link(pageNumber - 1)}">previous</a>` : ''} ${pageNumber < pages ? `<a href="${link(pageNumber + 1)}">next</a>` : ''}</nav>
${
  comparison.rows.length === 0
    ? '<p class="empty">No case changed between these runs.</p>'
    : `<table class="changes"><thead><tr><th>case</th><th>candidate</th><th>before</th><th>after</th></tr></thead><tbody>${comparison.rows
        .map(
          (row) => `<tr><td>${escapeHtml(row.caseId)}</td><td>${escapeHtml(row.candidateId)}</td>
<td><span class="badge ${row.beforePass ? 'pass' : 'fail'}">${row.beforePass ? 'pass' : 'fail'}</span><pre class="text">${escapeHtml(row.beforeOutput ?? row.beforeError ?? '')}</pre></td>
<td><span class="badge ${row.afterPass ? 'pass' : 'fail'}">${row.afterPass ? 'pass' : 'fail'}</span><pre class="text">${escapeHtml(row.afterOutput ?? row.afterError ?? '')}</pre></td></tr>`,
        )
        .join('')}</tbody></table>`
}`;
  }
  return page({
    title: 'Compare runs',
    ...(view.after ? { runId: view.after } : {}),
    body: `<h1>Compare two runs</h1>
<form class="toolbar" method="get" action="/compare">
<label>before <select name="before"><option value="">choose…</option>${options(view.before)}</select></label>
<label>after <select name="after"><option value="">choose…</option>${options(view.after)}</select></label>
<button type="submit">compare</button></form>
${result}`,
  });
}

export function loadPage(run: RunRecord | undefined, source: Report | ReportLoadTest[]): string {
  const report = Array.isArray(source) ? undefined : source;
  const tests = Array.isArray(source) ? source : (source.loadTests ?? []);
  const charts = compileCharts(
    reportCharts(report ?? ({ candidates: [], loadTests: tests } as unknown as Report)),
  ).filter((chart) => chart.id === 'load-sweep');
  const body =
    tests.length === 0
      ? `<p class="empty">No load test measured yet${run ? ' for this run' : ''}. <code>verdict load --workload FILE --candidate ID</code> measures a self-hosted endpoint's throughput and latency against offered load; stored load tests show here and replace the capacity estimates.</p>`
      : `${chartFigures(charts)}
<table class="load"><thead><tr><th>model</th><th class="num">load</th><th class="num">req/s</th><th class="num">output tok/s</th><th class="num">TTFT p50</th><th class="num">TTFT p99</th><th class="num">E2E p99</th><th>SLO</th></tr></thead><tbody>${tests
          .map(
            (
              test,
            ) => `<tr><td>${escapeHtml(test.model)}</td><td class="num">${test.load} ${test.loadKind === 'rate' ? 'req/s' : 'in flight'}</td>
<td class="num">${test.requestsPerSec.toFixed(2)}</td><td class="num">${test.outputTokensPerSec.toFixed(0)}</td>
<td class="num">${test.ttftP50Ms === null ? '–' : Math.round(test.ttftP50Ms)}</td><td class="num">${test.ttftP99Ms === null ? '–' : Math.round(test.ttftP99Ms)}</td>
<td class="num">${test.e2eP99Ms === null ? '–' : Math.round(test.e2eP99Ms)}</td><td>${test.sloMet === undefined ? '–' : test.sloMet ? 'met' : 'missed'}</td></tr>`,
          )
          .join('')}</tbody></table>
<script type="application/json" id="chart-specs">${jsonForScript(chartSpecs(charts))}</script>`;
  return page({
    title: 'Load tests',
    ...(run ? { runId: run.id } : {}),
    charts: tests.length > 0,
    body: `<h1>Load tests${run ? ` · ${escapeHtml(run.workloadName)}` : ''}</h1>${body}`,
  });
}

export function notFoundPage(message: string): string {
  return page({ title: 'Not found', body: `<h1>Not found</h1><p>${escapeHtml(message)}</p>` });
}

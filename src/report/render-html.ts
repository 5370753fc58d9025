// The report as one self-contained HTML file: styles, Vega runtime and data inlined, nothing fetched
// when opened. Scripts run only by hash (CSP); data travels in JSON blocks and reaches the page
// through textContent, never innerHTML.
import type { Report } from '../spec/decision.ts';
import type { CaseRow } from '../store/store.ts';
import { compileCharts } from './charts/compile-charts.ts';
import { reportCharts } from './charts/report-charts.ts';
import { drawChartsScript, vegaRuntimeScript } from './charts/vega-runtime.ts';
import {
  candidatesTable,
  chartFigures,
  chartSpecs,
  costSection,
  cspHash,
  escapeHtml,
  jsonForScript,
  qualitySection,
  stylesheet,
} from './html-page.ts';
import { memoOf, plural } from './memo.ts';
import { fold, memoRestSection, memoSection } from './memo-html.ts';

/** A case as the page's table needs it: [id, vars text, expected, tags, results]. */
type CaseEntry = [
  string,
  string,
  string | null,
  string[],
  Array<[string, number, string | null, string, string]>,
];

/** Result status codes in the page data: 1 pass, 0 fail, 2 error. */
function caseEntry(row: CaseRow): CaseEntry {
  const vars = Object.entries(row.vars)
    .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n');
  return [
    row.caseId,
    vars,
    row.expected,
    row.tags,
    row.results.map((result) => [
      result.candidateId,
      result.error ? 2 : result.pass ? 1 : 0,
      result.error ? null : result.output,
      result.error ? `${result.error.code}: ${result.error.message}` : '',
      result.grades.map((grade) => `${grade.pass ? '✓' : '✗'} ${grade.grader}: ${grade.reason}`).join('\n'),
    ]),
  ];
}

/** Paged, searchable per-case table with candidates' outputs side by side; text only via textContent. */
export const caseTableScript = `(function () {
  var data = JSON.parse(document.getElementById('case-data').textContent);
  var candidates = data.candidates, cases = data.cases, size = 50, page = 0, shown = cases;
  var body = document.getElementById('cases-body'), info = document.getElementById('cases-info');
  var search = document.getElementById('cases-search'), status = document.getElementById('cases-status');
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function pre(text) { return el('pre', 'text', text); }
  var labels = ['fail', 'pass', 'error'];
  function filter() {
    var q = search.value.toLowerCase(), s = status.value;
    shown = cases.filter(function (c) {
      var codes = c[4].map(function (r) { return r[1]; });
      if (s === 'fail' && codes.every(function (x) { return x === 1; })) return false;
      if (s === 'pass' && !codes.every(function (x) { return x === 1; })) return false;
      if (s === 'disagree' && !(codes.indexOf(1) >= 0 && codes.some(function (x) { return x !== 1; }))) return false;
      if (!q) return true;
      if ((c[0] + '\\n' + c[1] + '\\n' + (c[2] || '')).toLowerCase().indexOf(q) >= 0) return true;
      return c[4].some(function (r) { return (r[2] || r[3]).toLowerCase().indexOf(q) >= 0; });
    });
    page = 0; draw();
  }
  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / size));
    page = Math.min(page, pages - 1);
    body.replaceChildren();
    shown.slice(page * size, page * size + size).forEach(function (c) {
      var tr = el('tr');
      var first = el('td'); first.appendChild(el('div', null, c[0]));
      if (c[3].length) first.appendChild(el('div', 'muted', c[3].join(', ')));
      first.appendChild(pre(c[1])); tr.appendChild(first);
      var expected = el('td'); expected.appendChild(pre(c[2] == null ? '–' : c[2])); tr.appendChild(expected);
      candidates.forEach(function (id) {
        var td = el('td');
        c[4].filter(function (r) { return r[0] === id; }).forEach(function (r) {
          td.appendChild(el('span', 'badge ' + labels[r[1]], labels[r[1]]));
          td.appendChild(pre(r[1] === 2 ? r[3] : r[2] || ''));
          if (r[4]) td.appendChild(el('div', 'muted', r[4]));
        });
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    info.textContent = shown.length + ' of ' + cases.length + ' cases · page ' + (page + 1) + ' of ' + pages;
    document.getElementById('cases-prev').disabled = page === 0;
    document.getElementById('cases-next').disabled = page >= pages - 1;
  }
  search.addEventListener('input', filter);
  status.addEventListener('change', filter);
  document.getElementById('cases-prev').addEventListener('click', function () { page--; draw(); });
  document.getElementById('cases-next').addEventListener('click', function () { page++; draw(); });
  filter();
})();
`;

export interface HtmlReportOptions {
  /** Every case with its results, in order (the store's queryCases pages). */
  cases?: AsyncIterable<CaseRow> | Iterable<CaseRow>;
  /** When the report was rendered, shown in the footer. */
  generatedAt?: string;
}

/** Renders the report as one HTML file that needs no network when opened. */
export async function renderHtml(report: Report, options: HtmlReportOptions = {}): Promise<string> {
  const charts = compileCharts(reportCharts(report));
  const memo = memoOf(report);
  const entries: CaseEntry[] = [];
  for await (const row of options.cases ?? []) entries.push(caseEntry(row));
  const candidateIds = report.candidates.map((candidate) => candidate.candidateId);
  const runtime = vegaRuntimeScript();
  // Charts first: the case data (megabytes for a large run) is parsed after they have started.
  const scripts = [runtime, drawChartsScript, caseTableScript];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(cspHash).join(' ')}`,
    `style-src ${cspHash(stylesheet)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `verdict · ${report.workload}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${stylesheet}</style>
</head><body>
<header class="top"><span class="brand">verdict</span><span>report</span></header>
<main>
<h1>${escapeHtml(report.workload)}</h1>
<p class="muted">run ${escapeHtml(report.runId)} · started ${escapeHtml(report.startedAt)} · ${plural(report.cases, 'case')} · ${plural(report.candidates.length, 'candidate')} · report schemaVersion ${report.schemaVersion}</p>
${memoSection(report, memo)}
${fold('charts', 'Charts', chartFigures(charts), true)}
${fold('quality', 'Quality, latency and tokens', `${candidatesTable(report)}\n${qualitySection(report)}`)}
${fold('cost', 'Cost of every option', costSection(report, memo.costMissing))}
${fold('more', 'More reasons, flips and caveats', memoRestSection(report, memo))}
<details class="section" id="cases"><summary>Cases</summary>
<div class="toolbar"><input type="search" id="cases-search" placeholder="search ids, inputs, outputs" aria-label="search cases">
<select id="cases-status" aria-label="filter cases"><option value="all">all cases</option><option value="fail">some candidate failed</option><option value="pass">every candidate passed</option><option value="disagree">candidates disagree</option></select>
<span id="cases-info" class="muted"></span></div>
<nav class="pages"><button id="cases-prev" type="button">previous</button><button id="cases-next" type="button">next</button></nav>
<table class="cases"><thead><tr><th>case</th><th>expected</th>${candidateIds.map((id) => `<th>${escapeHtml(id)}</th>`).join('')}</tr></thead>
<tbody id="cases-body"></tbody></table>
<noscript><p class="empty">The case table needs JavaScript; the CSV export (verdict report --format csv) has the same rows.</p></noscript>
</details>
<p class="muted">Generated by verdict${options.generatedAt ? ` at ${escapeHtml(options.generatedAt)}` : ''}. Self-contained: opening it fetches nothing.</p>
</main>
<script type="application/json" id="chart-specs">${jsonForScript(chartSpecs(charts))}</script>
<script>${runtime}</script>
<script>${drawChartsScript}</script>
<script type="application/json" id="case-data">${jsonForScript({ candidates: candidateIds, cases: entries })}</script>
<script>${caseTableScript}</script>
</body></html>
`;
}

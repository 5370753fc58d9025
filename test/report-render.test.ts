import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { buildReport } from '../src/report/build-report.ts';
import { allCaseRows } from '../src/report/case-rows.ts';
import { cspHash } from '../src/report/html-page.ts';
import { csvColumns, csvText, renderCsv } from '../src/report/render-csv.ts';
import { renderHtml } from '../src/report/render-html.ts';
import { escapeMarkdown, renderMarkdown } from '../src/report/render-markdown.ts';
import { renderTerminal } from '../src/report/render-terminal.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun, withSampleSections, xssPayloads } from './report-fixture-run.ts';

async function hostileStore() {
  const store = openSqliteStore(path.join(tempDir(), 'v.db'));
  await seedSyntheticRun(store, {
    runId: 'r',
    workloadName: '<script>alert(1)</script>',
    cases: xssPayloads.length,
    texts: xssPayloads,
    candidates: [
      { id: '[x](javascript:alert(1))', model: 'openai:<b>m</b>', passRate: 0.7 },
      { id: 'plain', model: 'openai:gpt-4o-mini', passRate: 0.9 },
    ],
  });
  return store;
}

test('the Markdown memo puts the decision first and renders hostile text as text', async () => {
  const store = await hostileStore();
  const report = await buildReport(store, 'r');
  const memo = renderMarkdown(report);
  const summary = memo.indexOf('## Summary');
  const details = memo.indexOf('<details>');
  assert.ok(summary > 0 && summary < details);
  assert.ok(memo.indexOf('**Decision:**') < details);
  assert.ok(details < memo.indexOf('<summary>Quality, latency and tokens</summary>'));
  assert.match(memo, /^\*\*Cost\*\*/m);
  assert.match(memo, /^\*\*Look again by \d{4}-\d\d-\d\d\*\*, or sooner if: /m);
  assert.equal(memo.slice(memo.indexOf('<summary>Charts</summary>')).match(/^- \*\*/gm)?.length, 5);
  assert.match(memo, /Load test: throughput and latency vs offered load\*\*: no load test measured yet/);
  assert.doesNotMatch(memo, /<script|<b>|(?<!\\)\]\(javascript/);
  assert.ok(memo.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(memo.includes('\\[x\\](javascript:alert(1))'));
  const full = renderMarkdown(withSampleSections(report));
  assert.match(full, /^- Pick plain: \$9,100 a month \(\$0\.003 a request, 2 replicas\)$/m);
  assert.doesNotMatch(full, /not measured yet/);
  assert.match(full, /\| plain \| self-hosted-cloud \| \$9,100 \| \$0\.00303 \|/);
  assert.match(full, /costs less than/);
  await store.close();
});

test('escapeMarkdown keeps table cells in one cell and links inert', () => {
  assert.equal(escapeMarkdown('a|b\nc'), 'a\\|b c');
  assert.equal(escapeMarkdown('[t](u) *e* `c` <i>'), '\\[t\\](u) \\*e\\* \\`c\\` &lt;i&gt;');
});

test('CSV: one row per result, round-trips through a CSV parser, formulas defused', async () => {
  const store = await hostileStore();
  let text = '';
  for await (const chunk of renderCsv('r', allCaseRows(store, 'r', 7))) text += chunk;
  const rows = parse(text, { columns: true, relax_quotes: false }) as Array<Record<string, string>>;
  assert.equal(rows.length, xssPayloads.length * 2);
  assert.deepEqual(Object.keys(rows[0]!), [...csvColumns]);
  const formula = rows.find((row) => row.case_id!.includes('HYPERLINK'))!;
  assert.ok(formula.case_id!.startsWith("'="), 'a formula is defused with an apostrophe');
  assert.ok(rows.some((row) => row.case_id === '<script>alert(1)</script> #0'));
  assert.ok(rows.every((row) => ['pass', 'fail', 'error'].includes(row.status!)));
  assert.equal(csvText('a,"b"\nc'), '"a,""b""\nc"');
  assert.equal(csvText('-1+2'), "'-1+2");
  await store.close();
});

test('the HTML report: CSP hashes match its scripts, data only in JSON blocks, nothing remote', async () => {
  const store = await hostileStore();
  const report = withSampleSections(await buildReport(store, 'r'));
  const html = await renderHtml(report, { cases: allCaseRows(store, 'r') });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#39;/g, "'");
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  assert.equal(scripts.length, 3);
  for (const script of scripts) assert.ok(csp.includes(cspHash(script)));
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  assert.ok(csp.includes(cspHash(style)));
  // Outside the inlined scripts, no payload survives as markup.
  const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '');
  assert.doesNotMatch(markup, /<script>alert|<img src=x|<svg onload|javascript:alert\(1\)">/i);
  assert.doesNotMatch(markup, /src="http|href="http/);
  const blocks = [...markup.matchAll(/<script type="application\/json" id="([^"]+)">([\s\S]*?)<\/script>/g)];
  assert.deepEqual(
    blocks.map((b) => b[1]),
    ['chart-specs', 'case-data'],
  );
  for (const block of blocks) {
    assert.doesNotMatch(block[2]!, /</, 'no "<" inside a JSON block');
    JSON.parse(block[2]!);
  }
  const data = JSON.parse(blocks[1]![2]!);
  assert.equal(data.cases.length, xssPayloads.length);
  assert.ok(data.cases.some((c: [string]) => c[0] === '</script><script>alert(1)</script> #2'));
  await store.close();
});

test('the terminal report shows escape sequences and bidi overrides as text, and lists load tests', async () => {
  const store = openSqliteStore(path.join(tempDir(), 'v.db'));
  await seedSyntheticRun(store, {
    runId: 'r',
    workloadName: 'triage\u001b[2J\u001b]0;pwned\u0007 \u202eevil',
    cases: 12,
    candidates: [
      { id: 'a', model: 'openai:\u001b[31mred', passRate: 0.9 },
      { id: 'b', model: 'openai:gpt-4o-mini', passRate: 0.8 },
    ],
  });
  const report = withSampleSections(await buildReport(store, 'r'));
  const text = renderTerminal(report, { color: false, width: 80 });
  assert.doesNotMatch(text, /[\u001b\u0007\u202e]/);
  assert.match(text, /triage\\u001b\[2J\\u001b\]0;pwned\\u0007 \\u202eevil/);
  assert.match(text, /load test +load +req\/s/);
  const colored = renderTerminal(report, { color: true, width: 80 });
  assert.doesNotMatch(
    colored.replace(/\u001b\[\d+(;\d+)*m/g, ''),
    /\u001b/,
    'only colour codes are raw escapes',
  );
  await store.close();
});

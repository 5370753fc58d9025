// The HTML report of a 10,000-case run (two candidates, 20,000 results) in Debian's chromium: how
// long from navigation to every chart drawn (issue 7 asks < 1.5 s). The peer, measured in the same
// run and the same browser: the naive page — the same report with its 10,000 cases as one static
// HTML table and no scripts. Rounds alternate between the two, and medians are printed. Run on
// demand, not in the tests:
//
//   node bench/report-html.ts [--cases 10000] [--rounds 5]
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildReport } from '../src/report/build-report.ts';
import { allCaseRows } from '../src/report/case-rows.ts';
import { escapeHtml } from '../src/report/html-page.ts';
import { renderHtml } from '../src/report/render-html.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { launchChromium } from '../test/browser-chromium.ts';
import { seedSyntheticRun, withSampleSections } from '../test/report-fixture-run.ts';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '5' } },
});
const cases = Number(values.cases);
const rounds = Number(values.rounds);
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-report-'));
const store = openSqliteStore(path.join(dir, 'v.db'));
let started = performance.now();
await seedSyntheticRun(store, { runId: 'bench', cases, tags: ['a', 'b', 'c'] });
console.log(`seeded ${cases} cases × 2 candidates in ${((performance.now() - started) / 1000).toFixed(1)} s`);

started = performance.now();
const report = withSampleSections(await buildReport(store, 'bench'));
const built = performance.now() - started;
started = performance.now();
const html = await renderHtml(report, { cases: allCaseRows(store, 'bench') });
const rendered = performance.now() - started;
const file = path.join(dir, 'report.html');
writeFileSync(file, html);
// The peer: every case as a static table row, no scripts at all.
let rows = '';
for await (const row of allCaseRows(store, 'bench')) {
  rows += `<tr><td>${escapeHtml(row.caseId)}</td><td><pre>${escapeHtml(JSON.stringify(row.vars))}</pre></td><td>${escapeHtml(row.expected)}</td>${row.results
    .map((r) => `<td>${r.pass ? 'pass' : 'fail'}<pre>${escapeHtml(r.output ?? r.error?.message)}</pre></td>`)
    .join('')}</tr>\n`;
}
const peerFile = path.join(dir, 'static.html');
writeFileSync(
  peerFile,
  html
    .replace(/<script[\s\S]*<\/script>\n/, '')
    .replace('<tbody id="cases-body"></tbody>', `<tbody>${rows}</tbody>`),
);
await store.close();
console.log(
  `report object built in ${built.toFixed(0)} ms; HTML rendered in ${rendered.toFixed(0)} ms; ${(statSync(file).size / 1e6).toFixed(1)} MB (static peer ${(statSync(peerFile).size / 1e6).toFixed(1)} MB)`,
);

const browser = await launchChromium();
// Navigation start → charts drawn (ours) or load event (the static peer), from the page's own clock.
async function measure(target: string, charts: boolean): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`file://${target}`, { waitUntil: 'load' });
  let ms: number;
  if (charts) {
    await page.waitForSelector('html[data-charts="drawn"]', { timeout: 30_000 });
    ms = await page.evaluate(`performance.getEntriesByName('verdict-charts-drawn')[0].startTime`);
  } else {
    ms = await page.evaluate(`performance.getEntriesByType('navigation')[0].loadEventEnd`);
  }
  await page.close();
  return ms;
}
await measure(file, true); // warm the browser's caches once, for both
await measure(peerFile, false);
const ours: number[] = [];
const peer: number[] = [];
for (let round = 0; round < rounds; round++) {
  ours.push(await measure(file, true));
  peer.push(await measure(peerFile, false));
}
await browser.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  `verdict HTML report, navigation → 5 charts drawn: median ${median(ours).toFixed(0)} ms (${ours.map((x) => x.toFixed(0)).join(', ')})`,
);
console.log(
  `static-table peer, navigation → load event:      median ${median(peer).toFixed(0)} ms (${peer.map((x) => x.toFixed(0)).join(', ')})`,
);
console.log(
  `ratio verdict / peer: ${(median(ours) / median(peer)).toFixed(2)} · target < 1500 ms: ${median(ours) < 1500 ? 'met' : 'missed'}`,
);

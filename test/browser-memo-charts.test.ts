// What the CTO sees, measured in a real browser at 1366×900: the memo fits the first screen of the
// HTML report and of the dashboard's overview, no two text marks of a chart overlap, every dashboard
// page opens without a console line, and each page leaves a screenshot (paths printed).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildReport } from '../src/report/build-report.ts';
import { allCaseRows } from '../src/report/case-rows.ts';
import { renderHtml } from '../src/report/render-html.ts';
import { type Dashboard, startDashboard } from '../src/server/dashboard.ts';
import { DECISION_RECORD_SCHEMA_VERSION } from '../src/spec/decision-record.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import {
  haveChromium,
  launchChromium,
  overlappingChartText,
  screenshot,
  watchPage,
} from './browser-chromium.ts';
import { quiet } from './browser-xss-fixture.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun, withSampleSections } from './report-fixture-run.ts';
import { decidedReport } from './report-memo-fixture.ts';

const skip = haveChromium
  ? false
  : 'chromium is not installed (apt-get install -y chromium fonts-dejavu-core)';
const SCREEN = { width: 1366, height: 900 };
const dir = tempDir();
const runId = 'run-memo';
let browser: Browser;
let store: Store;
let dashboard: Dashboard;

before(async () => {
  if (skip) return;
  store = openSqliteStore(path.join(dir, 'v.db'));
  const fixture = decidedReport();
  await seedSyntheticRun(store, {
    runId,
    workloadName: fixture.workload,
    cases: 200,
    candidates: fixture.candidates.map((c) => ({
      id: c.candidateId,
      model: c.model,
      passRate: c.passed / c.total,
    })),
  });
  // The stored decision every format renders: the fixture's, with a tornado and load tests' chart data.
  const sample = withSampleSections(fixture);
  await store.saveDecision({
    schemaVersion: DECISION_RECORD_SCHEMA_VERSION,
    runId,
    createdAt: '2026-11-24T10:06:00.000Z',
    verdictVersion: 'test',
    catalogues: [],
    inputs: { asOf: '2026-11-24', caveats: [], loadTestFiles: [], capacities: {}, storedLoadTests: [] },
    decision: fixture.decision,
    cost: {
      ...fixture.cost!,
      sensitivity: {
        baseVolume: 17_100_000,
        inputs: [
          { input: 'open-8b GPU price per hour', low: 9e6, high: 2.6e7 },
          { input: 'frontier token prices (every token type moves together)', low: 4.1e7, high: 1.1e7 },
          { input: 'open-8b engineer-hours per month', low: 1.2e7, high: 2.3e7 },
          { input: 'tokens per request', low: 3.4e7, high: 1.2e7 },
        ],
      },
    },
  });
  dashboard = await startDashboard(store, { loadTests: sample.loadTests ?? [] });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await dashboard?.close();
  await store?.close();
});

async function memoFits(page: Page, what: string): Promise<void> {
  const box = await page.locator('#memo').boundingBox();
  assert.ok(box, `${what}: the memo is on the page`);
  assert.ok(
    box.y + box.height <= SCREEN.height,
    `${what}: the memo ends at ${Math.round(box.y + box.height)} px, below the ${SCREEN.height} px screen`,
  );
  assert.ok(box.x + box.width <= SCREEN.width, `${what}: the memo is wider than the screen`);
}

async function chartsReadable(page: Page, what: string, charts: number): Promise<void> {
  await page.waitForSelector('html[data-charts]');
  assert.equal(await page.getAttribute('html', 'data-charts'), 'drawn', what);
  assert.equal(await page.locator('figure[data-chart] svg').count(), charts, `${what}: charts drawn`);
  const { texts, overlaps } = await overlappingChartText(page);
  assert.ok(texts > 20, `${what}: ${texts} text marks measured`);
  assert.deepEqual(overlaps, [], `${what}: overlapping text marks`);
  // Full width: each single-view chart spans its figure (no 600 px chart on a 1366 px page).
  for (const id of ['quality-cost', 'break-even', 'tornado']) {
    const figure = await page.locator(`figure[data-chart="${id}"]`).boundingBox();
    const svg = await page.locator(`figure[data-chart="${id}"] svg`).boundingBox();
    assert.ok(figure && svg && svg.width >= figure.width - 40, `${what}: ${id} is as wide as its figure`);
  }
}

test('the HTML report: the memo fits 1366×900, every chart drawn full width with no overlapping text', {
  skip,
}, async () => {
  const report = await buildReport(store, runId);
  const file = path.join(dir, 'report.html');
  writeFileSync(file, await renderHtml(withSampleSections(report), { cases: allCaseRows(store, runId) }));
  const page = await browser.newPage({ viewport: SCREEN });
  const watch = watchPage(page, null);
  await page.goto(`file://${file}`);
  await memoFits(page, 'HTML report');
  await chartsReadable(page, 'HTML report', 5);
  await screenshot(page, 'decided-report-first-screen.png', { fullPage: false });
  await screenshot(page, 'decided-report-full.png');
  assert.deepEqual(quiet(watch), [], 'no console line, page error or request');
  await page.close();
});

test('every dashboard page opens with zero console errors; the overview memo fits 1366×900', {
  skip,
}, async () => {
  const page = await browser.newPage({ viewport: SCREEN });
  const watch = watchPage(page, dashboard.url.replace(/\/$/, ''));
  const run = encodeURIComponent(runId);
  const pages: Array<[string, string, (() => Promise<void>)?]> = [
    ['', 'decided-dashboard-runs.png'],
    [
      `runs/${run}`,
      'decided-dashboard-overview.png',
      async () => {
        await memoFits(page, 'overview');
        await chartsReadable(page, 'overview', 4);
        await screenshot(page, 'decided-dashboard-overview-first-screen.png', { fullPage: false });
      },
    ],
    [`runs/${run}/cases`, 'decided-dashboard-cases.png'],
    [`compare?after=${run}&before=${run}`, 'decided-dashboard-compare.png'],
    [
      `runs/${run}/load`,
      'decided-dashboard-run-load.png',
      async () => {
        await page.waitForSelector('html[data-charts]');
        const { overlaps } = await overlappingChartText(page);
        assert.deepEqual(overlaps, [], 'load sweep: overlapping text marks');
      },
    ],
    ['load', 'decided-dashboard-load.png'],
  ];
  for (const [url, name, check] of pages) {
    await page.goto(`${dashboard.url}${url}`);
    await page.waitForLoadState('load');
    if (check) await check();
    await screenshot(page, name);
    assert.deepEqual(quiet(watch), [], `/${url}: console lines, page errors or stray requests`);
  }
  assert.match(
    (await page.goto(dashboard.url).then(() => page.textContent('table.runs')))!,
    /open-8b via llama-3\.1-8b@together/,
  );
  await page.close();
});

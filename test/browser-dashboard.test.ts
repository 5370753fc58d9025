import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Dashboard, startDashboard } from '../src/server/dashboard.ts';
import type { Report } from '../src/spec/decision.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { haveChromium, launchChromium, type PageWatch, screenshot, watchPage } from './browser-chromium.ts';
import { type HostileRuns, injectedMarkup, quiet, seedHostileRuns } from './browser-xss-fixture.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { withSampleSections, xssPayloads } from './report-fixture-run.ts';

const skip = haveChromium
  ? false
  : 'chromium is not installed (apt-get install -y chromium fonts-dejavu-core)';
const dir = tempDir();
let browser: Browser;
let store: Store;
let dashboard: Dashboard;
let runs: HostileRuns;

before(async () => {
  if (skip) return;
  mkdirSync(path.join(dir, 'run'));
  store = openSqliteStore(path.join(dir, 'v.db'));
  runs = await seedHostileRuns(store, path.join(dir, 'run'));
  // Load tests as `verdict view --load-test` passes them, with hostile model names.
  const loadTests = (withSampleSections({ candidates: [] } as unknown as Report).loadTests ?? []).map(
    (test, index) => ({ ...test, model: xssPayloads[index * 3]! }),
  );
  dashboard = await startDashboard(store, { loadTests });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await dashboard?.close();
  await store?.close();
});

async function check(page: Page, watch: PageWatch, what: string): Promise<void> {
  assert.deepEqual(await injectedMarkup(page), [], what);
  assert.deepEqual(quiet(watch), [], what);
}

test('clicking through every dashboard page: runs, overview, cases, compare, load tests', {
  skip,
}, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const watch = watchPage(page, dashboard.url.replace(/\/$/, ''));
  await page.goto(dashboard.url);
  assert.equal(await page.locator('table.runs tbody tr').count(), 2);
  await check(page, watch, 'runs');
  await screenshot(page, 'dashboard-runs.png');

  for (const runId of [runs.realRunId, runs.syntheticRunId]) {
    // Overview: reached by clicking the run's link (its id is hostile in the synthetic run).
    await page.goto(dashboard.url);
    await page.locator('table.runs a', { hasText: runId }).first().click();
    await page.waitForSelector('html[data-charts]');
    assert.equal(await page.getAttribute('html', 'data-charts'), 'drawn');
    assert.ok(
      (await page.locator('figure[data-chart] svg').count()) >= 2,
      'quality and latency charts drawn',
    );
    assert.match((await page.textContent('#chart-break-even'))!, /not measured yet/);
    await check(page, watch, `overview ${runId}`);
    if (runId === runs.realRunId) await screenshot(page, 'dashboard-overview.png');

    // Case explorer: side by side, next page, filters, a search for a payload.
    await page.click('header nav >> text=cases');
    await page.waitForSelector('table.cases');
    assert.match((await page.textContent('#cases-info'))!, /page 1 of \d+/);
    const headers = await page.locator('table.cases thead th').allTextContents();
    assert.equal(headers.length, 4, 'case, expected and two candidates side by side');
    await page.click('a[rel=next]');
    assert.match((await page.textContent('#cases-info'))!, /page 2 of/);
    await page.selectOption('select[name=status]', 'fail');
    await page.check('input[name=disagree]');
    await page.click('form.toolbar button');
    await page.waitForSelector('#cases-info');
    await check(page, watch, `cases filtered ${runId}`);
    await page.fill('input[name=q]', '<svg onload=alert(1)>');
    await page.selectOption('select[name=status]', '');
    await page.uncheck('input[name=disagree]');
    await page.click('form.toolbar button');
    await page.waitForSelector('#cases-info');
    assert.match((await page.textContent('#cases-info'))!, /^[1-9]\d* cases/);
    assert.ok((await page.textContent('table.cases'))!.includes('<svg onload=alert(1)>'));
    await check(page, watch, `cases searched ${runId}`);
    if (runId === runs.syntheticRunId) await screenshot(page, 'dashboard-cases-hostile.png');
    else {
      await page.fill('input[name=q]', '');
      await page.click('form.toolbar button');
      await page.waitForSelector('table.cases');
      await screenshot(page, 'dashboard-cases.png');
    }

    // Load tests: the sweep chart and table of the load tests given to the dashboard.
    await page.click('header nav >> text=load tests');
    await page.waitForSelector('html[data-charts]');
    assert.equal(await page.locator('table.load tbody tr').count(), 5);
    await check(page, watch, `load ${runId}`);
    if (runId === runs.realRunId) await screenshot(page, 'dashboard-load.png');
  }

  // Compare: choose two runs in the form.
  await page.goto(`${dashboard.url}compare`);
  await page.selectOption('select[name=before]', runs.realRunId);
  await page.selectOption('select[name=after]', runs.syntheticRunId);
  await page.click('form.toolbar button');
  await page.waitForSelector('table.summary');
  await check(page, watch, 'compare');
  await page.goto(
    `${dashboard.url}compare?before=${encodeURIComponent(runs.realRunId)}&after=${encodeURIComponent(runs.realRunId)}`,
  );
  assert.match((await page.textContent('main'))!, /No case changed/);
  await screenshot(page, 'dashboard-compare.png');
  await check(page, watch, 'compare same');
  await page.goto(`${dashboard.url}load`);
  await check(page, watch, 'load');
  await page.close();
});

test('every payload typed into the case explorer search stays text', { skip }, async () => {
  const page = await browser.newPage();
  const watch = watchPage(page, dashboard.url.replace(/\/$/, ''));
  const base = `${dashboard.url}runs/${encodeURIComponent(runs.realRunId)}/cases`;
  let matched = 0;
  for (const [index, payload] of xssPayloads.entries()) {
    const extra =
      index % 4 === 0 ? `&tag=${encodeURIComponent(payload)}&candidate=${encodeURIComponent(payload)}` : '';
    await page.goto(`${base}?q=${encodeURIComponent(payload)}${extra}`);
    if (extra) continue;
    if ((await page.locator('table.cases tbody tr').count()) > 0) matched++;
    assert.equal(
      await page.inputValue('input[name=q]'),
      payload
        .replace(/\u0000/g, '\ufffd')
        .trim()
        .slice(0, 500),
    );
  }
  assert.ok(matched >= 45, `${matched} payloads found by search`);
  await check(page, watch, 'search payloads');
  await page.close();
});

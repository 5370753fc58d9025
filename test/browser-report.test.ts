import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildReport } from '../src/report/build-report.ts';
import { allCaseRows } from '../src/report/case-rows.ts';
import { renderHtml } from '../src/report/render-html.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { haveChromium, launchChromium, screenshot, watchPage } from './browser-chromium.ts';
import { type HostileRuns, injectedMarkup, quiet, seedHostileRuns } from './browser-xss-fixture.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { withSampleSections, xssPayloads } from './report-fixture-run.ts';

const skip = haveChromium
  ? false
  : 'chromium is not installed (apt-get install -y chromium fonts-dejavu-core)';
let browser: Browser;
let store: Store;
let runs: HostileRuns;
const dir = tempDir();

before(async () => {
  if (skip) return;
  mkdirSync(path.join(dir, 'run'));
  store = openSqliteStore(path.join(dir, 'v.db'));
  runs = await seedHostileRuns(store, path.join(dir, 'run'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await store?.close();
});

async function writeReport(runId: string, name: string, sections: boolean): Promise<string> {
  const report = await buildReport(store, runId);
  const html = await renderHtml(sections ? withSampleSections(report) : report, {
    cases: allCaseRows(store, runId),
  });
  const file = path.join(dir, name);
  writeFileSync(file, html);
  return file;
}

test('the HTML report opens offline, draws every chart and keeps ≥50 XSS payloads as text', {
  skip,
}, async () => {
  assert.ok(xssPayloads.length >= 50);
  for (const [runId, name, sections] of [
    [runs.realRunId, 'real.html', true],
    // Hostile candidate ids, and no cost or load sections: the charts say "not measured yet".
    [runs.syntheticRunId, 'synthetic.html', false],
  ] as const) {
    const file = await writeReport(runId, name, sections);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page, null);
    await page.goto(`file://${file}`);
    await page.waitForSelector('html[data-charts]');
    assert.equal(await page.getAttribute('html', 'data-charts'), 'drawn', name);
    const drawn = await page.locator('figure[data-chart] svg').count();
    assert.equal(drawn, sections ? 5 : 2, `${name}: charts drawn`);
    if (!sections) assert.match((await page.textContent('#chart-break-even'))!, /not measured yet/);
    // Exercise the case table (folded under the memo): every page, a search, a filter.
    await page.click('#cases > summary');
    const info = page.locator('#cases-info');
    assert.match((await info.textContent())!, /page 1 of/);
    await page.click('#cases-next');
    assert.match((await info.textContent())!, /page 2 of/);
    await page.fill('#cases-search', 'onerror');
    await page.selectOption('#cases-status', 'fail');
    await page.fill('#cases-search', '');
    await page.selectOption('#cases-status', 'all');
    const text = (await page.textContent('body'))!;
    assert.ok(text.includes('<script>alert(1)</script>'), `${name}: payloads shown as text`);
    assert.deepEqual(await injectedMarkup(page), [], name);
    assert.equal(await page.locator('script').count(), 5, `${name}: only our scripts`);
    if (name === 'real.html') await screenshot(page, 'report-html.png');
    if (name === 'synthetic.html') await screenshot(page, 'report-html-hostile-ids.png');
    assert.deepEqual(quiet(watch), [], name);
    await page.close();
  }
});

test('every payload shown through the case table stays text (all pages, searched one by one)', {
  skip,
}, async () => {
  const file = await writeReport(runs.realRunId, 'search.html', false);
  const page = await browser.newPage();
  const watch = watchPage(page, null);
  await page.goto(`file://${file}`);
  await page.waitForSelector('html[data-charts]');
  await page.click('#cases > summary');
  let found = 0;
  for (const payload of xssPayloads.slice(0, 60)) {
    await page.fill('#cases-search', payload.slice(0, 24));
    const rows = await page.locator('#cases-body tr').count();
    if (rows > 0) found++;
  }
  assert.ok(found >= 50, `found ${found} payloads by search`);
  assert.deepEqual(await injectedMarkup(page), []);
  assert.deepEqual(quiet(watch), []);
  await page.close();
});

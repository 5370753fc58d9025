// Debian's chromium driven by playwright-core (Playwright's own browser download cannot run here).
// Each page visit records what would betray executed untrusted text: dialogs, console lines,
// requests leaving for anywhere but the page's origin, CSP violations and page errors.
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const chromiumPath = process.env.VERDICT_CHROMIUM ?? '/usr/bin/chromium';
/** CI sets VERDICT_REQUIRE_CHROMIUM=1: a missing chromium then fails the browser tests instead of skipping them. */
export const requireChromium = process.env.VERDICT_REQUIRE_CHROMIUM === '1';
export const haveChromium = existsSync(chromiumPath) || requireChromium;
/** Where the screenshots go: $VERDICT_SCREENSHOTS, else verdict-screenshots under the OS temp dir. */
export const artifactsDir = process.env.VERDICT_SCREENSHOTS ?? path.join(os.tmpdir(), 'verdict-screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `chromium is required (VERDICT_REQUIRE_CHROMIUM=1) but ${chromiumPath} is missing: apt-get install -y chromium fonts-dejavu-core`,
    );
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--no-first-run',
    ],
  });
}

export interface PageWatch {
  dialogs: string[];
  console: string[];
  pageErrors: string[];
  /** Requests to anything but `allowedOrigin` (or any request at all for file:// pages). */
  strayRequests: string[];
}

/** Watches a page for signs of script execution or data leaving. Dialogs are dismissed. */
export function watchPage(page: Page, allowedOrigin: string | null): PageWatch {
  const watch: PageWatch = { dialogs: [], console: [], pageErrors: [], strayRequests: [] };
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => watch.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:')) return;
    if (allowedOrigin === null ? !url.startsWith('file:') : !url.startsWith(allowedOrigin)) {
      watch.strayRequests.push(url);
    }
  });
  return watch;
}

/** Writes a screenshot (the whole page unless `fullPage: false`) and prints its path. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, name);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  process.stdout.write(`screenshot: ${file}\n`);
  return file;
}

export interface TextOverlap {
  chart: string;
  a: string;
  b: string;
}

/**
 * Pairs of visible text marks that overlap inside each drawn chart, measured from the rendered SVG's
 * bounding boxes (Vega hides labels it thins out with opacity 0: those are not drawn, so not counted).
 */
export async function overlappingChartText(page: Page): Promise<{ texts: number; overlaps: TextOverlap[] }> {
  return page.evaluate(findOverlappingText);
}

// Runs in the page (a string: the test code is type-checked without DOM types).
const findOverlappingText = `(() => {
  const hidden = (element) => {
    for (let e = element; e && e.tagName !== 'svg'; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (e.getAttribute('opacity') === '0' || style.opacity === '0' || style.display === 'none') return true;
      if (style.visibility === 'hidden') return true;
    }
    return false;
  };
  let texts = 0;
  const overlaps = [];
  for (const figure of document.querySelectorAll('figure[data-chart]')) {
    const chart = figure.getAttribute('data-chart') || '';
    const marks = [...figure.querySelectorAll('svg text')]
      .filter((t) => (t.textContent || '').trim() !== '' && !hidden(t))
      .map((t) => ({ text: t.textContent || '', box: t.getBoundingClientRect() }))
      .filter((m) => m.box.width > 0 && m.box.height > 0);
    texts += marks.length;
    for (let i = 0; i < marks.length; i++)
      for (let j = i + 1; j < marks.length; j++) {
        const a = marks[i].box;
        const b = marks[j].box;
        // A pixel of tolerance: glyph boxes of neighbouring lines touch without the ink overlapping.
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) overlaps.push({ chart, a: marks[i].text, b: marks[j].text });
      }
  }
  return { texts, overlaps };
})()`;

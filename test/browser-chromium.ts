// Debian's chromium driven by playwright-core (Playwright's own browser download cannot run here).
// Each page visit records what would betray executed untrusted text: dialogs, console lines,
// requests leaving for anywhere but the page's origin, CSP violations and page errors.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const chromiumPath = process.env.VERDICT_CHROMIUM ?? '/usr/bin/chromium';
/** CI sets VERDICT_REQUIRE_CHROMIUM=1: a missing chromium then fails the browser tests instead of skipping them. */
export const requireChromium = process.env.VERDICT_REQUIRE_CHROMIUM === '1';
export const haveChromium = existsSync(chromiumPath) || requireChromium;
export const artifactsDir = path.join(import.meta.dirname, '..', 'test-artifacts');

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

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

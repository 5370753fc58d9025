// The dashboard's page shell. Pages are rendered on the server with every untrusted string escaped;
// the only scripts are same-origin files (CSP `script-src 'self'`), and chart data travels in JSON
// blocks they read with textContent.
import { escapeHtml } from '../report/html-page.ts';

export const dashboardCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Builds a query string from the given parameters, leaving out empty ones. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A path with each segment percent-encoded (ids are untrusted). */
export function href(...segments: string[]): string {
  return `/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
}

export interface PageOptions {
  title: string;
  /** Already-escaped HTML of the page body. */
  body: string;
  /** Whether the page has charts (loads the Vega runtime). */
  charts?: boolean;
  runId?: string;
}

/** The whole HTML document of a dashboard page. */
export function page(options: PageOptions): string {
  const run = options.runId;
  const nav = [
    '<a href="/">runs</a>',
    ...(run
      ? [
          `<a href="${escapeHtml(href('runs', run))}">overview</a>`,
          `<a href="${escapeHtml(href('runs', run, 'cases'))}">cases</a>`,
          `<a href="${escapeHtml(`/compare${query({ after: run })}`)}">compare</a>`,
          `<a href="${escapeHtml(href('runs', run, 'load'))}">load tests</a>`,
        ]
      : ['<a href="/compare">compare</a>', '<a href="/load">load tests</a>']),
  ].join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · verdict</title>
<link rel="stylesheet" href="/assets/style.css">
</head><body>
<header class="top"><span class="brand">verdict</span><nav>${nav}</nav></header>
<main>
${options.body}
</main>
${options.charts ? '<script src="/assets/vega.js"></script><script src="/assets/charts.js"></script>' : ''}
</body></html>
`;
}

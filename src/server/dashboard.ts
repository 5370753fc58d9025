// `verdict view`: a hono app over the store, served by @hono/node-server on 127.0.0.1 by default.
// Every response carries a strict CSP; requests whose Host is not the address we listen on are
// refused (DNS rebinding would otherwise let any web page read a loopback dashboard). Shared on a
// network (--host), it asks for a token on every request and serves reads only.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { buildReport } from '../report/build-report.ts';
import { drawChartsScript, vegaRuntimeScript } from '../report/charts/vega-runtime.ts';
import { stylesheet } from '../report/html-page.ts';
import { storedLoadTests } from '../report/load-tests.ts';
import { memoOf, memoPick } from '../report/memo.ts';
import { diffSnapshots } from '../report/run-diff.ts';
import { runSnapshot } from '../report/run-snapshot.ts';
import type { Report, ReportLoadTest } from '../spec/decision.ts';
import type { CaseFacets, CaseQuery, Store } from '../store/store.ts';
import { dashboardCsp } from './layout.ts';
import { casesPage, comparePage, loadPage, notFoundPage, overviewPage, runsPage } from './pages.ts';

export const CASES_PER_PAGE = 50;

/** The `page` of a URL, 1 to 1,000,000: `page=1e300` made an offset SQLite refused (a 500). */
export function pageNumberFrom(params: URLSearchParams): number {
  return Math.max(1, Math.min(1_000_000, Math.floor(Number(params.get('page')) || 1)));
}

/** Reads the case explorer's filters from the URL; anything unknown is ignored. */
export function caseQueryFrom(params: URLSearchParams, limit = CASES_PER_PAGE): CaseQuery {
  const text = (name: string) => {
    const value = params.get(name)?.trim();
    return value ? value.slice(0, 500) : undefined;
  };
  const status = text('status');
  const pageNumber = pageNumberFrom(params);
  return {
    ...(status === 'pass' || status === 'fail' || status === 'error' ? { status } : {}),
    ...(text('candidate') ? { candidateId: text('candidate')! } : {}),
    ...(text('grader') ? { grader: text('grader')! } : {}),
    ...(text('tag') ? { tag: text('tag')! } : {}),
    ...(params.get('disagree') === '1' ? { disagreement: true } : {}),
    ...(text('q') ? { search: text('q')! } : {}),
    offset: (pageNumber - 1) * limit,
    limit,
  };
}

/** The dashboard as a hono app; `allowedHosts` guards against DNS rebinding (empty: any). */
export interface DashboardOptions {
  allowedHosts?: () => string[];
  /** Load tests read from files (verdict view --load-test), shown on the load-test pages. */
  loadTests?: ReportLoadTest[];
  /** When set, every request must carry it: `Authorization: Bearer …`, the cookie, or `?token=` once. */
  token?: string;
}

const TOKEN_COOKIE = 'verdict_view_token';

/** Compares in constant time: both sides hashed first, so neither length nor prefix leaks. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

export function createDashboardApp(store: Store, options: DashboardOptions = {}) {
  const app = new Hono();
  // Reports are cached until what they show moves: a running run's result count, a new decision
  // version (verdict decide), or new judge calls (verdict judge rewrites grades in place).
  const reports = new Map<string, { key: string; report: Report }>();
  async function reportOf(runId: string): Promise<Report> {
    const run = await store.getRun(runId);
    const judged = (await store.judgeUsage(runId)).reduce((sum, usage) => sum + usage.calls, 0);
    const key = [
      run?.status,
      await store.countResults(runId),
      await store.latestDecisionVersion(runId),
      judged,
    ].join(':');
    const cached = reports.get(runId);
    if (cached && cached.key === key) return cached.report;
    const report = await buildReport(store, runId);
    reports.set(runId, { key, report });
    return report;
  }

  // Facets (graders, tags, candidates) scan a whole run: cached like reports.
  const facets = new Map<string, { key: string; facets: CaseFacets }>();
  async function facetsOf(runId: string, status: string): Promise<CaseFacets> {
    const key = `${status}:${await store.countResults(runId)}`;
    const cached = facets.get(runId);
    if (cached && cached.key === key) return cached.facets;
    const fresh = await store.caseFacets(runId);
    facets.set(runId, { key, facets: fresh });
    return fresh;
  }

  app.use('*', async (c, next) => {
    const hosts = options.allowedHosts?.() ?? [];
    const host = c.req.header('host') ?? '';
    if (hosts.length > 0 && !hosts.includes(host.toLowerCase())) {
      return c.text(`verdict view: refusing Host "${host}"`, 421);
    }
    // Read-only whatever routes are added later: nothing but reads reaches a handler.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return c.text('verdict view: the dashboard is read-only', 405, { Allow: 'GET, HEAD' });
    }
    if (options.token !== undefined) {
      const url = new URL(c.req.url);
      const fromQuery = url.searchParams.get('token') ?? undefined;
      const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (fromQuery !== undefined && tokenMatches(fromQuery, options.token)) {
        // The link with the token is used once: a cookie keeps it, and the URL loses it (history,
        // screenshots, proxies' access logs see no token after this).
        url.searchParams.delete('token');
        return c.body(null, 303, {
          Location: url.pathname + url.search,
          'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`,
          'Cache-Control': 'no-store',
          'Referrer-Policy': 'no-referrer',
        });
      }
      const cookie = cookieValue(c.req.header('cookie'), TOKEN_COOKIE);
      if (!tokenMatches(bearer, options.token) && !tokenMatches(cookie, options.token)) {
        return c.text(
          'verdict view: this dashboard needs its token: send "Authorization: Bearer TOKEN" or open /?token=TOKEN once\n',
          401,
          { 'WWW-Authenticate': 'Bearer realm="verdict"', 'Cache-Control': 'no-store' },
        );
      }
    }
    await next();
    c.header('Content-Security-Policy', dashboardCsp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
  });

  app.get('/assets/style.css', (c) => c.body(stylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/assets/vega.js', (c) =>
    c.body(vegaRuntimeScript(), 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/assets/charts.js', (c) =>
    c.body(drawChartsScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );

  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/', async (c) => {
    const runs = await store.listRuns(200);
    const withCounts = await Promise.all(
      runs.map(async (run) => {
        const record = await store.latestDecision(run.id);
        return {
          ...run,
          results: await store.countResults(run.id),
          ...(record ? { decision: memoPick(memoOf({ decision: record.decision })) } : {}),
        };
      }),
    );
    return c.html(runsPage(withCounts));
  });

  app.get('/runs/:id', async (c) => {
    const run = await store.getRun(c.req.param('id'));
    if (!run) return c.html(notFoundPage(`No run "${c.req.param('id')}" in this store.`), 404);
    return c.html(overviewPage(run, await reportOf(run.id)));
  });

  app.get('/runs/:id/report.json', async (c) => {
    const run = await store.getRun(c.req.param('id'));
    if (!run) return c.json({ error: 'no such run' }, 404);
    return c.json(await reportOf(run.id));
  });

  app.get('/runs/:id/cases', async (c) => {
    const run = await store.getRun(c.req.param('id'));
    if (!run) return c.html(notFoundPage(`No run "${c.req.param('id')}" in this store.`), 404);
    const started = performance.now();
    const query = caseQueryFrom(new URL(c.req.url).searchParams);
    const page = await store.queryCases(run.id, query);
    const choices = await facetsOf(run.id, run.status);
    return c.html(casesPage({ run, query, facets: choices, page, elapsedMs: performance.now() - started }));
  });

  app.get('/runs/:id/load', async (c) => {
    const run = await store.getRun(c.req.param('id'));
    if (!run) return c.html(notFoundPage(`No run "${c.req.param('id')}" in this store.`), 404);
    const report = await reportOf(run.id);
    const loadTests = [...(report.loadTests ?? []), ...(options.loadTests ?? [])];
    return c.html(loadPage(run, { ...report, loadTests }));
  });

  app.get('/load', async (c) =>
    c.html(loadPage(undefined, [...(await storedLoadTests(store, 100)), ...(options.loadTests ?? [])])),
  );

  app.get('/compare', async (c) => {
    const params = new URL(c.req.url).searchParams;
    const runs = await store.listRuns(200);
    const before = params.get('before') || undefined;
    const after = params.get('after') || undefined;
    const limit = CASES_PER_PAGE;
    const offset = (pageNumberFrom(params) - 1) * limit;
    const known = async (id: string | undefined) => (id ? Boolean(await store.getRun(id)) : false);
    const both = before && after && (await known(before)) && (await known(after));
    const comparison = both ? await store.compareRuns(before, after, { offset, limit }) : undefined;
    // The same diff object `verdict diff --json` prints: the page renders it, computes nothing of its own.
    const diff = both
      ? diffSnapshots(await runSnapshot(store, before), await runSnapshot(store, after), { limit: 0 })
      : undefined;
    return c.html(
      comparePage({
        runs,
        ...(before ? { before } : {}),
        ...(after ? { after } : {}),
        ...(comparison ? { comparison } : {}),
        ...(diff ? { diff } : {}),
        offset,
        limit,
      }),
    );
  });

  app.notFound((c) => c.html(notFoundPage('No such page.'), 404));
  app.onError((error, c) => c.text(`verdict view: ${error.message}`, 500));
  return app;
}

export interface Dashboard {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether a host name is only reachable from this machine. */
export function isLoopback(host: string): boolean {
  return loopback.has(host.toLowerCase()) || host.startsWith('127.');
}

/** Serves the dashboard; port 0 picks a free port. Resolves once it listens. */
export async function startDashboard(
  store: Store,
  options: { host?: string; port?: number; loadTests?: ReportLoadTest[]; token?: string } = {},
): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  let port = options.port ?? 0;
  // Guard Host only on loopback: exposed with --host, the user chose who may reach it by name.
  const allowedHosts = () =>
    isLoopback(host) ? [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`] : [];
  const app = createDashboardApp(store, {
    allowedHosts,
    ...(options.loadTests ? { loadTests: options.loadTests } : {}),
    ...(options.token === undefined ? {} : { token: options.token }),
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { escapeHtml } from '../src/report/html-page.ts';
import { diffSnapshots } from '../src/report/run-diff.ts';
import { qualitySentence } from '../src/report/run-diff-render.ts';
import { runSnapshot } from '../src/report/run-snapshot.ts';
import { type Dashboard, startDashboard } from '../src/server/dashboard.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun } from './report-fixture-run.ts';

let store: Store;
let dashboard: Dashboard;

before(async () => {
  store = openSqliteStore(path.join(tempDir(), 'v.db'));
  await seedSyntheticRun(store, { runId: 'run-a', cases: 120, tags: ['vip', 'eu'] });
  await seedSyntheticRun(store, {
    runId: 'run-b',
    cases: 120,
    tags: ['vip', 'eu'],
    startedAt: '2026-11-24T11:00:00.000Z',
    candidates: [
      { id: 'frontier', model: 'openai:gpt-4o-mini', passRate: 0.7 },
      { id: 'open-8b', model: 'openai-compatible:llama-3.1-8b', passRate: 0.9 },
    ],
  });
  dashboard = await startDashboard(store);
});
after(async () => {
  await dashboard.close();
  await store.close();
});

const get = (url: string, init?: RequestInit) => fetch(new URL(url, dashboard.url), init);

test('listens on 127.0.0.1 on a free port and sends a strict CSP on every page', async () => {
  assert.match(dashboard.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  for (const url of ['/', '/runs/run-a', '/runs/run-a/cases', '/compare', '/runs/run-a/load', '/load']) {
    const response = await get(url);
    assert.equal(response.status, 200, url);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/, url);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  }
});

test('the runs list links every run, newest first', async () => {
  const html = await (await get('/')).text();
  assert.ok(html.indexOf('run-b') < html.indexOf('run-a'));
  assert.match(html, /href="\/runs\/run-a"/);
});

test('the case explorer pages, filters and searches in SQL', async () => {
  const first = await (await get('/runs/run-a/cases')).text();
  assert.match(first, /120 cases · page 1 of 3/);
  const third = await (await get('/runs/run-a/cases?page=3')).text();
  assert.match(third, /page 3 of 3/);
  assert.match(third, />case-120</);
  const vip = await (await get('/runs/run-a/cases?tag=vip')).text();
  assert.match(vip, /60 cases/);
  const search = await (await get('/runs/run-a/cases?q=dark%20mode')).text();
  assert.match(search, /40 cases/);
  const none = await (await get('/runs/run-a/cases?q=zzzz-nothing')).text();
  assert.match(none, /No case matches/);
});

test('compare shows per-candidate changes between two runs', async () => {
  const html = await (await get('/compare?before=run-a&after=run-b')).text();
  assert.match(html, /fixed \(fail → pass\)/);
  assert.match(html, /changed · page 1 of/);
  // The page renders the diff object `verdict diff --json` prints: its sentence per candidate, verbatim.
  const diff = diffSnapshots(await runSnapshot(store, 'run-a'), await runSnapshot(store, 'run-b'), {
    limit: 0,
  });
  assert.match(html, /<h2>What changed<\/h2><p><strong>Decision (un)?changed/);
  for (const c of diff.candidates)
    assert.ok(html.includes(escapeHtml(qualitySentence(c, diff.alpha))), `${c.candidateId}'s sentence`);
});

test('unknown runs are 404 pages, not errors', async () => {
  const response = await get('/runs/nope');
  assert.equal(response.status, 404);
  assert.match(await response.text(), /No run &quot;nope&quot;/);
});

test('a request naming another Host is refused (DNS rebinding)', async () => {
  const { request } = await import('node:http');
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(new URL('/', dashboard.url), { headers: { host: 'evil.example:80' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 421);
});

test('the load-test pages show the load tests given to the dashboard, or say none was measured', async () => {
  const empty = await (await get('/load')).text();
  assert.match(empty, /No load test measured yet/);
  const withTests = await startDashboard(store, {
    loadTests: [
      {
        id: 'step-1',
        model: 'llama-8b',
        loadKind: 'concurrency',
        load: 4,
        requestsPerSec: 12.5,
        outputTokensPerSec: 800,
        ttftP50Ms: 90,
        ttftP99Ms: 200,
        e2eP50Ms: 700,
        e2eP99Ms: 1200,
      },
    ],
  });
  try {
    const html = await (await fetch(new URL('/load', withTests.url))).text();
    assert.match(html, /data-chart="load-sweep"/);
    assert.match(html, /<td>llama-8b<\/td><td class="num">4 in flight/);
    const perRun = await (await fetch(new URL('/runs/run-a/load', withTests.url))).text();
    assert.match(perRun, /12\.50/);
  } finally {
    await withTests.close();
  }
});

// A real sweep from the load generator (against the timed SSE server) in the report: the sweep
// chart draws from it, the Markdown lists its steps, `verdict report --load-test` attaches it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runSweep } from '../src/load/sweep.ts';
import { buildReport } from '../src/report/build-report.ts';
import { reportCharts } from '../src/report/charts/report-charts.ts';
import { reportLoadTestsFrom } from '../src/report/load-tests.ts';
import { renderMarkdown } from '../src/report/render-markdown.ts';
import { startDashboard } from '../src/server/dashboard.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { verdictChildSync } from './helpers/cli-child.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun } from './report-fixture-run.ts';
import { startTimedSseServer } from './servers/timed-sse-server.ts';

test('a measured concurrency sweep becomes report rows, a sweep chart and a Markdown table', async () => {
  const server = await startTimedSseServer({ ttftMs: 20, tokenDelayMs: 5, concurrencyLimit: 4 });
  const dir = tempDir();
  try {
    const sweep = await runSweep({
      base: {
        target: { baseUrl: server.baseUrl, model: 'timed-<b>model</b>' },
        prompts: { kind: 'synthetic', inputTokens: { kind: 'fixed', value: 16 } },
        outputTokens: { kind: 'fixed', value: 5 },
        durationMs: 400,
        maxRequests: 200,
      },
      axis: 'concurrency',
      values: [1, 2, 4],
    });
    const rows = reportLoadTestsFrom(JSON.parse(JSON.stringify(sweep)), 'sweep.json');
    assert.equal(rows.length, sweep.steps.length);
    assert.deepEqual(
      rows.map((row) => [row.loadKind, row.load]),
      sweep.steps.map((step) => ['concurrency', step.value]),
    );
    assert.ok(rows.every((row) => row.requestsPerSec > 0 && row.ttftP50Ms !== null));
    assert.throws(() => reportLoadTestsFrom({ kind: 'nope' }, 'x.json'), /x\.json: not a load-test result/);

    const store = openSqliteStore(path.join(dir, 'v.db'));
    await seedSyntheticRun(store, { runId: 'r', cases: 10 });
    const report = { ...(await buildReport(store, 'r')), loadTests: rows };
    // Kept in the store (as verdict load keeps it), the sweep shows on the dashboard's load page.
    await store.saveLoadTest({
      id: 'lt-1',
      runId: null,
      target: server.baseUrl,
      model: 'timed-<b>model</b>',
      candidateId: null,
      mode: 'sweep',
      slo: null,
      startedAt: sweep.steps[0]!.result.startedAt,
      finishedAt: sweep.steps.at(-1)!.result.finishedAt,
      maxRateWithinSlo: null,
      resultJson: JSON.stringify(sweep),
    });
    const dashboard = await startDashboard(store);
    const page = await (await fetch(new URL('/load', dashboard.url))).text();
    await dashboard.close();
    assert.equal(page.match(/<td>timed-&lt;b&gt;model&lt;\/b&gt;<\/td>/g)?.length, rows.length);
    assert.match(page, /data-chart="load-sweep"/);
    await store.close();
    const chart = reportCharts(report).find((c) => c.id === 'load-sweep')!;
    assert.ok(chart.spec, 'the sweep chart has data');
    const memo = renderMarkdown(report);
    assert.match(memo, /\| timed-&lt;b&gt;model&lt;\/b&gt; \| 1 in flight \|/);

    const file = path.join(dir, 'sweep.json');
    writeFileSync(file, JSON.stringify(sweep));
    const cli = verdictChildSync(
      ['report', '--format', 'json', '--store', path.join(dir, 'v.db'), '--load-test', file],
      { timeoutMs: 60_000 },
    );
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).loadTests.length, rows.length);
  } finally {
    await server.close();
  }
});

// Page numbers in dashboard URLs are clamped (issue 20: `/compare?…&page=1e300` answered 500).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { createDashboardApp } from '../src/server/dashboard.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun } from './report-fixture-run.ts';

test('any page number, however large, odd or negative, answers a page, never 500', async () => {
  const store = openSqliteStore(path.join(tempDir(), 'v.db'));
  await seedSyntheticRun(store, { runId: 'run-a', cases: 60 });
  await seedSyntheticRun(store, { runId: 'run-b', cases: 60, startedAt: '2026-11-24T11:00:00.000Z' });
  const app = createDashboardApp(store);
  try {
    for (const page of ['1e300', '-1e300', 'Infinity', 'NaN', '1e6', '9007199254740993', '2', '0x10', '']) {
      for (const url of [
        `/compare?before=run-a&after=run-b&page=${page}`,
        `/runs/run-a/cases?page=${page}`,
      ]) {
        const response = await app.request(`http://127.0.0.1${url}`, { headers: { host: '127.0.0.1' } });
        assert.equal(response.status, 200, `${url}: ${response.status}`);
      }
    }
  } finally {
    await store.close();
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildReport } from '../src/report/build-report.ts';
import { parseReportJson, reportJsonSchema } from '../src/report/report-schema.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { makeRealRun, seedSyntheticRun, withSampleSections } from './report-fixture-run.ts';

const committed = JSON.parse(
  readFileSync(new URL('../schema/report.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(committed);

test('schema/report.schema.json is the schema the code generates', () => {
  assert.deepEqual(
    committed,
    reportJsonSchema(),
    'schema/ is stale: regenerate it from src/report/report-schema.ts (see test/report-schema.test.ts)',
  );
});

test('a real run’s report, and one with cost and load sections, validate against the committed schema', async () => {
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  const runId = await makeRealRun(store, dir, {
    name: 'schema check',
    cases: Array.from({ length: 6 }, (_, n) => ({
      id: `c${n}`,
      text: `ticket ${n}`,
      expected: n % 2 ? 'bug' : 'billing',
    })),
    answer: (text) => (Number(/\d+/.exec(text)?.[0]) % 3 === 0 ? 'billing' : 'bug'),
  });
  const report = JSON.parse(JSON.stringify(await buildReport(store, runId)));
  assert.equal(validate(report), true, JSON.stringify(validate.errors));
  assert.equal(report.candidates.length, 2);
  assert.ok(report.latency.length > 0);
  const full = JSON.parse(JSON.stringify(withSampleSections(report)));
  assert.equal(validate(full), true, JSON.stringify(validate.errors));
  assert.equal(parseReportJson(full, 'report.json').cost?.options.length, 2);
  await store.close();
});

test('a synthetic run with odd ids validates; sections a newer verdict adds are accepted', async () => {
  const store = openSqliteStore(path.join(tempDir(), 'v.db'));
  await seedSyntheticRun(store, {
    runId: 'r"1',
    cases: 20,
    candidates: [{ id: '<b>x</b>', model: 'a:"b"', passRate: 0.5 }],
  });
  const report = JSON.parse(JSON.stringify(await buildReport(store, 'r"1')));
  assert.equal(
    validate({ ...report, futureSection: { anything: [1, 2] } }),
    true,
    JSON.stringify(validate.errors),
  );
  await store.close();
});

test('another schemaVersion or a malformed field is refused with a clear message', async () => {
  const store = openSqliteStore(path.join(tempDir(), 'v.db'));
  await seedSyntheticRun(store, { runId: 'r', cases: 5 });
  const report = JSON.parse(JSON.stringify(await buildReport(store, 'r')));
  assert.equal(validate({ ...report, schemaVersion: 2 }), false);
  assert.throws(
    () => parseReportJson({ ...report, schemaVersion: 2 }, 'old.json'),
    /old\.json: report schemaVersion 2 is not 1/,
  );
  assert.throws(() => parseReportJson({ foo: 1 }, 'x.json'), /schemaVersion undefined is not 1/);
  const broken = { ...report, candidates: [{ ...report.candidates[0], total: -1 }] };
  assert.equal(validate(broken), false);
  assert.throws(() => parseReportJson(broken, 'b.json'), /b\.json: candidates\.0\.total/);
  await store.close();
});

// Stored decisions in a real SQLite file: versions count up per run, the record comes back whole,
// and a record of an unknown schema is refused rather than rendered wrongly.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { DecisionRecord } from '../src/spec/decision-record.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { tempDir } from './helpers/temp-dir.ts';

const record = (runId: string, winner: string): Omit<DecisionRecord, 'version'> => ({
  schemaVersion: 1,
  runId,
  createdAt: '2026-11-24T10:00:00.000Z',
  verdictVersion: '0.1.0',
  catalogues: [
    { name: 'GPU rental prices', rows: 3, sources: ['example.com'], from: '2026-01', to: '2026-09' },
  ],
  inputs: {
    asOf: '2026-11-24T10:00:00.000Z',
    caveats: [],
    loadTestFiles: [],
    capacities: {},
    storedLoadTests: [],
  },
  decision: { winner, runnerUp: null, reasons: [`${winner} is cheapest.`], caveats: [] },
  cost: {
    requestsPerMonth: 1000,
    options: [{ optionId: winner, family: 'closed-api', monthlyUsd: 1, costPerRequestUsd: 0.001 }],
  },
});

async function storeWithRuns(file: string) {
  const store = openSqliteStore(file);
  for (const id of ['r1', 'r2'])
    await store.createRun({
      id,
      workloadName: 'w',
      workloadFile: '/w.yaml',
      workloadJson: '{}',
      status: 'completed',
      startedAt: '2026-11-24T09:00:00.000Z',
      finishedAt: null,
      plannedResults: 0,
    });
  return store;
}

test('decision versions count up per run, and the latest comes back whole', async () => {
  const store = await storeWithRuns(path.join(tempDir(), 'v.db'));
  assert.equal(await store.latestDecisionVersion('r1'), 0);
  assert.equal(await store.latestDecision('r1'), undefined);
  assert.equal((await store.saveDecision(record('r1', 'a'))).version, 1);
  assert.equal((await store.saveDecision(record('r2', 'x'))).version, 1);
  assert.equal((await store.saveDecision(record('r1', 'b'))).version, 2);
  assert.equal(await store.latestDecisionVersion('r1'), 2);
  assert.deepEqual(await store.latestDecision('r1'), { ...record('r1', 'b'), version: 2 });
  assert.equal((await store.getDecision('r1', 1))!.decision.winner, 'a');
  assert.equal((await store.latestDecision('r2'))!.decision.winner, 'x');
  await store.close();
});

test('a decision record of a schema this verdict does not know is refused with its version', async () => {
  const file = path.join(tempDir(), 'v.db');
  const store = await storeWithRuns(file);
  await store.saveDecision(record('r1', 'a'));
  const db = new Database(file);
  db.prepare('UPDATE decisions SET schema_version = 2').run();
  db.close();
  await assert.rejects(
    store.latestDecision('r1'),
    /decision 1 of run r1 has record schema 2, not 1; upgrade verdict/,
  );
  await store.close();
});

// Stored decisions on every store (a SQLite file, a Postgres server): versions count up per run, the record comes back whole,
// and a record of an unknown schema is refused rather than rendered wrongly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecisionRecord } from '../src/spec/decision-record.ts';
import { openStore } from '../src/store/open-store.ts';
import { storeSubjects } from './helpers/store-subjects.ts';

const subjects = storeSubjects();

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

async function storeWithRuns(location: string) {
  const store = await openStore(location);
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

for (const subject of subjects) {
  test(`${subject.name}: decision versions count up per run, and the latest comes back whole`, {
    skip: subject.skip,
  }, async () => {
    const store = await storeWithRuns(await subject.newLocation());
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

  test(`${subject.name}: a decision record of a schema this verdict does not know is refused with its version`, {
    skip: subject.skip,
  }, async () => {
    const location = await subject.newLocation();
    const store = await storeWithRuns(location);
    await store.saveDecision(record('r1', 'a'));
    await subject.exec(location, 'UPDATE decisions SET schema_version = 2');
    await assert.rejects(
      store.latestDecision('r1'),
      /decision 1 of run r1 has record schema 2, not 1; upgrade verdict/,
    );
    await store.close();
  });

  test(`${subject.name}: two writers of one run's decisions at once never share a version`, {
    skip: subject.skip,
  }, async () => {
    const location = await subject.newLocation();
    const first = await storeWithRuns(location);
    const second = await openStore(location);
    const saved = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? first : second).saveDecision(record('r1', `w${i}`))),
    );
    assert.deepEqual(
      saved.map((decision) => decision.version).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    await Promise.all([first.close(), second.close()]);
  });
}

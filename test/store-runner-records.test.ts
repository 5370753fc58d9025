// The runner's part of the store contract, on every store: batched writes with cache entries,
// replacing errors only when asked, cases paged with their graders, result states and the response cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Result } from '../src/spec/result.ts';
import { resultStateKey } from '../src/store/runner-store.ts';
import { resultFixture, runFixture } from './helpers/result-fixture.ts';
import { freshStore, storeSubjects } from './helpers/store-subjects.ts';

const subjects = storeSubjects();

function result(caseId: string, overrides: Partial<Result> = {}): Result {
  return resultFixture(caseId, { output: 'ok', createdAt: '2026-11-24T10:00:00.000Z', ...overrides });
}

for (const subject of subjects) {
  test(`${subject.name}: results, cache entries, case pages and result states round-trip`, {
    skip: subject.skip,
  }, async () => {
    const store = await freshStore(subject);
    await store.createRun(runFixture({ startedAt: '2026-11-24T10:00:00.000Z', plannedResults: 0 }));
    await store.updateRun('r', { repeats: 2, plannedResults: 6 });
    assert.equal(await store.runRepeats('r'), 2);
    assert.equal((await store.getRun('r'))!.plannedResults, 6);
    await store.saveRunCases(
      'r',
      [
        { id: 'a', vars: { q: '1' }, tags: ['x'], source: 'cases[0]', expected: 'ok' },
        {
          id: 'b',
          vars: { q: '2' },
          tags: [],
          source: 'cases[1]',
          graders: [{ type: 'contains', options: { value: 'o' } }],
        },
        { id: 'c', vars: { q: '3' }, tags: [], source: 'cases[2]' },
      ],
      1,
    );
    const first = await store.runCasePage('r', 0, 2);
    assert.deepEqual(
      first.map((testCase) => [testCase.id, testCase.position]),
      [
        ['a', 1],
        ['b', 2],
      ],
    );
    assert.deepEqual(first[1]!.graders, [{ type: 'contains', options: { value: 'o' } }]);
    assert.deepEqual(
      (await store.runCasePage('r', 2, 10)).map((testCase) => testCase.id),
      ['c'],
    );

    const answer = result('a', {
      cached: false,
      attempts: 2,
      requestId: 'req_1',
      httpStatus: 200,
      responseModel: 'm',
      costUsd: 0.001,
    });
    await store.saveResults(
      [
        answer,
        result('b', {
          output: null,
          usage: null,
          error: { code: 'PROVIDER_ERROR', message: 'HTTP 500' },
          pass: false,
          grades: [],
        }),
      ],
      [{ result: answer, key: 'k1' }],
    );
    const states = await store.resultStates('r', 'c', ['a', 'b', 'c']);
    assert.equal(states.get(resultStateKey('a', 0)), 'ok');
    assert.equal(states.get(resultStateKey('b', 0)), 'error');
    assert.equal(states.has(resultStateKey('c', 0)), false);

    // A fresh answer enters the cache when published, rebuilt from its result row.
    assert.equal((await store.cachedGenerations(['k1'])).size, 0);
    assert.equal(await store.publishResponseCache(), 1);
    assert.equal(await store.publishResponseCache(), 0);
    assert.deepEqual(
      [...(await store.cachedGenerations(['k1', 'k2'])).entries()],
      [
        [
          'k1',
          {
            text: 'ok',
            usage: { inputTokens: 3, outputTokens: 1, source: 'server' },
            ttftMs: 1,
            durationMs: 2,
            finishReason: 'stop',
            responseModel: 'm',
            httpStatus: 200,
            requestId: 'req_1',
            // The run whose call measured it: a run answered from the cache names it (issue 16).
            measuredInRun: 'r',
          },
        ],
      ],
    );

    // The tally a coordinator of workers reads: calls (retries included) and spend of calls made, errors apart.
    assert.deepEqual(
      [...(await store.runTally('r')).entries()],
      [['c', { results: 2, errors: 1, cached: 0, calls: 3, costUsd: 0.001 }]],
    );

    // Without replaceErrors a second result for the same key is refused; with it, it replaces the error.
    await assert.rejects(store.saveResults([result('b')]), /UNIQUE|duplicate key/);
    await store.saveResults([result('b', { cached: true, attempts: 0 })], [], { replaceErrors: true });
    assert.deepEqual(
      [...(await store.runTally('r')).entries()],
      [['c', { results: 2, errors: 0, cached: 1, calls: 2, costUsd: 0.001 }]],
    );
    const stored: Result[] = [];
    for await (const row of store.results('r')) stored.push(row);
    assert.equal(stored.length, 2);
    const a = stored.find((row) => row.caseId === 'a')!;
    assert.deepEqual(
      [a.attempts, a.requestId, a.httpStatus, a.responseModel, a.costUsd, a.cached],
      [2, 'req_1', 200, 'm', 0.001, undefined],
    );
    const b = stored.find((row) => row.caseId === 'b')!;
    assert.equal(b.error, null);
    assert.equal(b.cached, true);
    assert.equal(b.grades.length, 1);
    await store.close();
  });
}

// Repeated calls inside one run: the registry of calls whose answers the cache cannot return yet,
// and the writer's count of answers it has published, which lets the registry forget them.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { CallsInRun } from '../src/run/calls-in-run.ts';
import { ResultWriter } from '../src/run/result-writer.ts';
import type { Generation } from '../src/spec/provider.ts';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { resultFixture, runFixture } from './helpers/result-fixture.ts';
import { tempDir } from './helpers/temp-dir.ts';

const generation = (text: string): Generation => ({
  text,
  usage: { inputTokens: 3, outputTokens: 1, source: 'server' },
  ttftMs: 1,
  durationMs: 2,
  finishReason: 'stop',
});

test('a call in flight is found by its key, and its answer reaches whoever waits', async () => {
  const calls = new CallsInRun();
  assert.equal(calls.find('k'), undefined);
  const begun = calls.begin('k');
  const waiting = calls.find('k');
  assert.ok(waiting);
  begun.answered(generation('yes'), 1);
  assert.equal((await waiting)?.text, 'yes');
  assert.equal((await calls.find('k'))?.text, 'yes', 'still found until published');
});

test('a failed call is forgotten at once and its waiters get nothing, so they call themselves', async () => {
  const calls = new CallsInRun();
  const begun = calls.begin('k');
  const waiting = calls.find('k')!;
  begun.failed();
  assert.equal(await waiting, undefined);
  assert.equal(calls.find('k'), undefined);
  // A later call with the same key is not forgotten by the old one's failure.
  const again = calls.begin('k');
  begun.failed();
  assert.ok(calls.find('k'));
  again.answered(generation('second'), 1);
});

test('answers are forgotten once published, and not before', () => {
  const calls = new CallsInRun();
  calls.begin('a').answered(generation('a'), 1);
  calls.begin('b').answered(generation('b'), 2);
  calls.begin('c'); // still in flight
  calls.forgetPublished(1);
  assert.equal(calls.find('a'), undefined);
  assert.ok(calls.find('b'));
  assert.ok(calls.find('c'));
  calls.forgetPublished(10);
  assert.equal(calls.size, 1, 'the call in flight stays whatever was published');
});

test('the writer counts the answers it published to the response cache', async () => {
  const store = openSqliteStore(path.join(tempDir(), 'v.db'));
  await store.createRun(runFixture({ plannedResults: 3 }));
  const result = (caseId: string): Result => resultFixture(caseId, { grades: [] });
  const writer = new ResultWriter(store, { maxBatch: 1, publishEvery: 2 });
  assert.equal(writer.add(result('a'), 'key-a'), 1);
  assert.equal(writer.add(result('b')), 1, 'a cached result has no answer of its own to publish');
  assert.equal(writer.add(result('c'), 'key-c'), 2);
  await writer.flush();
  assert.equal(writer.publishedThrough, 2);
  const found = await store.cachedGenerations(['key-a', 'key-c']);
  assert.deepEqual([...found.keys()].sort(), ['key-a', 'key-c']);
  store.close();
});

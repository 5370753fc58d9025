// The workload a run stores is read back in one place, checked, with its format version.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { VerdictError } from '../src/spec/errors.ts';
import { loadWorkload } from '../src/workload/load-workload.ts';
import { readStoredWorkload, STORED_WORKLOAD_VERSION } from '../src/workload/stored-workload.ts';

const example = path.join(import.meta.dirname, '..', 'examples', 'support-at-scale', 'workload.yaml');

test('a stored workload reads back as the workload that ran', async () => {
  const workload = await loadWorkload(example);
  assert.equal(workload.version, STORED_WORKLOAD_VERSION);
  assert.deepEqual(readStoredWorkload(JSON.stringify(workload), 'r1'), JSON.parse(JSON.stringify(workload)));
});

test('a stored workload of another version, or not a workload, is a located store error', async () => {
  const workload = await loadWorkload(example);
  const refused = (json: string): string => {
    try {
      readStoredWorkload(json, 'r1');
    } catch (error) {
      assert.ok(VerdictError.isInstance(error) && error.code === 'STORE_ERROR', String(error));
      return error.message;
    }
    assert.fail(`accepted ${json.slice(0, 60)}`);
  };
  assert.equal(
    refused(JSON.stringify({ ...workload, version: 2 })),
    'run r1: its stored workload has format version 2; this verdict reads version 1: use the verdict that ran it',
  );
  assert.equal(refused('{"name": '), `run r1: its stored workload is not JSON (${jsonError('{"name": ')})`);
  assert.equal(
    refused('{}'),
    'run r1: its stored workload is not a workload: version: Invalid input: expected 1',
  );
  const { provider: _, ...withoutProvider } = workload.candidates[0]!;
  assert.match(
    refused(JSON.stringify({ ...workload, candidates: [withoutProvider] })),
    /^run r1: its stored workload is not a workload: candidates\.0\.provider: /,
  );
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

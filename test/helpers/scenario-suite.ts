// The harness of a scenario test file: one scenario server for the file, one temp dir, runs started
// at once (two at a time: the box has two cores) so the file takes about its slowest half.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { pool, runScenario, type ScenarioRun } from './scenario-cli.ts';
import { type Expected, mismatches, premises } from './scenario-expect.ts';
import { startScenarioServer } from './scenario-server.ts';
import { type ScenarioSpec, scenarioWorkload } from './scenario-workload.ts';
import { tempDir } from './temp-dir.ts';

/** Declares scenarios; each becomes a test that checks the hand-worked expectation. */
export async function scenarioSuite(concurrency = 2) {
  const server = await startScenarioServer();
  after(() => server.close());
  const dir = tempDir('verdict-scenarios-');
  const limit = pool(concurrency);
  return function scenario(
    name: string,
    spec: ScenarioSpec,
    /** The hand-worked pick, runner-up and figures; null when the scenario checks only `extra`. */
    expected: Expected | null,
    /** Checks of this scenario beyond the common ones; returns mismatches. */
    extra?: (run: ScenarioRun) => string[],
  ): void {
    const run = limit(() => runScenario(dir, name, scenarioWorkload(name, spec, server.urls.openai)));
    run.catch(() => {});
    test(name, async () => {
      const done = await run;
      assert.deepEqual(
        [...(expected ? mismatches(done, expected) : premises(done)), ...(extra?.(done) ?? [])],
        [],
      );
    });
  };
}

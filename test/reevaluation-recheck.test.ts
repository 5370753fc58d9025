// `verdict recheck` (issue 17): quiet and 0 when nothing changed; when the team's workload file
// raises a price override the stored decision flips and recheck says so, with the price trigger,
// the stored decision beside the new one, and exit 6; the date, volume and flip triggers are data
// on the stored decision and are tested as such. Nothing is stored.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { type Drift, defaultPrices, startDriftServer, writeDriftWorkload } from './helpers/drift-server.ts';
import { verdictInProcess } from './helpers/in-process-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';
import type { WireServer } from './servers/wire-server.ts';

const dir = tempDir();
const drift: Drift = { worse: false, slower: false };
let server: WireServer;
const db = path.join(dir, 'recheck.db');
let older: string;
let newest: string;
let file: string;

/** The CLI in process, as `bin/` runs it, with its output captured. */
const verdict = (args: string[]) => verdictInProcess(args, { cwd: dir });

before(async () => {
  server = await startDriftServer(drift);
  file = writeDriftWorkload(dir, server.urls.openai);
  for (const _ of [1, 2]) {
    const run = await verdict(['run', file, '--store', db, '--json', '--no-cache', '--concurrency', '8']);
    assert.equal(run.code, 0, run.stderr);
    [older, newest] = [newest!, JSON.parse(run.stdout).runId];
  }
});
after(() => server.close());

test('nothing changed: no output, exit 0; --verbose names the newest run of the workload only', async () => {
  const quiet = await verdict(['recheck', '--store', db]);
  assert.equal(quiet.code, 0, quiet.stdout);
  assert.equal(quiet.stdout, '');
  const verbose = await verdict(['recheck', '--store', db, '--verbose']);
  assert.equal(verbose.stdout, `drift-watch · run ${newest}: unchanged, drifty\n`);
  const all = await verdict(['recheck', '--store', db, '--verbose', '--all']);
  assert.equal(all.stdout.trim().split('\n').length, 2);
});

test('a price raised in the workload file flips the pick: reported beside the stored decision, exit 6, nothing stored', async () => {
  writeDriftWorkload(dir, server.urls.openai, { ...defaultPrices, drifty: [5, 20] });
  try {
    const { code, stdout } = await verdict(['recheck', '--store', db]);
    assert.equal(code, 6);
    assert.match(stdout, /^verdict recheck: 1 of 1 decision to look at again/);
    assert.match(stdout, /Pick changed: drifty → steady/);
    assert.match(stdout, /The price of drifty moved: \$0\.000023 → \$0\.00023 a request \(\+900%\)/);
    assert.match(stdout, /pick\s+drifty\s+steady/);
    assert.match(stdout, /runner-up\s+steady\s+slow/);
    assert.match(stdout, new RegExp(`verdict decide ${newest} stores today.s decision`));
    // The run's own settings still decide drifty.
    assert.equal((await verdict(['recheck', '--store', db, '--no-workload-file'])).code, 0);
    const json = JSON.parse((await verdict(['recheck', '--store', db, '--json'])).stdout);
    assert.equal(json.changed, 1);
    assert.deepEqual(
      json.runs[0].crossed.map((x: { kind: string }) => x.kind),
      ['price'],
    );
    const store = openSqliteStore(db);
    assert.equal(await store.latestDecisionVersion(newest), 1, 'recheck stores nothing');
    await store.close();
  } finally {
    writeDriftWorkload(dir, server.urls.openai);
  }
});

test('the stored decision keeps its triggers as data: date, volume band, price', async () => {
  const store = openSqliteStore(db);
  const record = (await store.latestDecision(older))!;
  await store.close();
  const checks = record.decision.reevaluate!.checks!;
  assert.deepEqual(
    checks.map((c) => c.kind),
    ['date', 'volume', 'price', ...(checks.some((c) => c.kind === 'flip') ? ['flip'] : [])],
  );
  assert.deepEqual(checks[1], { kind: 'volume', volume: 1_000_000, below: 500_000, above: 2_000_000 });
  const date = (checks[0] as { date: string }).date;
  assert.equal(date, record.decision.reevaluate!.date);

  const later = await verdict(['recheck', '--store', db, '--as-of', '2099-01-01']);
  assert.equal(later.code, 6);
  assert.match(
    later.stdout,
    new RegExp(`The re-evaluation date ${date} has passed \\(today is 2099-01-01\\)`),
  );
  assert.match(later.stdout, /Pick unchanged: drifty/);

  const busier = await verdict(['recheck', '--store', db, '--volume', '5000000', '--json']);
  assert.equal(busier.code, 6);
  const crossed = JSON.parse(busier.stdout).runs[0].crossed as Array<{ kind: string; sentence: string }>;
  assert.ok(
    crossed.some(
      (x) =>
        x.kind === 'volume' &&
        x.sentence ===
          'Volume is now 5M requests a month; the decision was made at 1M and holds between 500k and 2M.',
    ),
    JSON.stringify(crossed),
  );
});

test('bad flags are usage errors', async () => {
  assert.equal((await verdict(['recheck', '--store', db, '--as-of', 'tomorrow'])).code, 2);
  assert.equal((await verdict(['recheck', '--store', db, '--volume', '-3'])).code, 2);
  assert.equal((await verdict(['recheck', 'nope', '--store', db])).code, 2);
});

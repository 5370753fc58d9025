// `verdict gate` against a local server whose models change between runs (issue 17): zero when
// nothing significant changed, 6 with the right one-line reason when a model got worse on a tag (the
// decision changes with it), when one's latency quadrupled, when a price override raised a cost per
// request; JUnit XML and GitHub annotations say the same; thresholds come from flags over the
// workload's `gate:` section.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gateThresholds } from '../src/cli/commands/gate.ts';
import { main } from '../src/cli/main.ts';
import type { GateResult } from '../src/report/gate.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { type Drift, defaultPrices, startDriftServer, writeDriftWorkload } from './helpers/drift-server.ts';
import { tempDir } from './helpers/temp-dir.ts';
import type { WireServer } from './servers/wire-server.ts';

const dir = tempDir();
const drift: Drift = { worse: false, slower: false };
let server: WireServer;
const db = path.join(dir, 'gate.db');
const runs: Record<'baseline' | 'same' | 'worse' | 'slower' | 'dearer', string> = {
  baseline: '',
  same: '',
  worse: '',
  slower: '',
  dearer: '',
};
// Latency on a loaded two-core box wanders by tens of milliseconds; the steady runs' comparisons
// give the floor room, and the slow model's rise (150 → 600 ms) clears it either way.
const floor = ['--latency-floor-ms', '250'];

async function verdict(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text), columns: 100 },
    stderr: { write: (text: string) => (stderr += text) },
    env: { NO_COLOR: '1', ...env },
    cwd: dir,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

async function runOnce(prices = defaultPrices): Promise<string> {
  const file = writeDriftWorkload(dir, server.urls.openai, prices);
  const run = await verdict(['run', file, '--store', db, '--json', '--no-cache', '--concurrency', '8']);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout).runId;
}

before(async () => {
  server = await startDriftServer(drift);
  runs.baseline = await runOnce();
  runs.same = await runOnce();
  // drifty's price override rises 60%: still the cheapest, so only the cost check fails.
  runs.dearer = await runOnce({ ...defaultPrices, drifty: [0.8, 3.2] });
  drift.slower = true;
  runs.slower = await runOnce();
  drift.slower = false;
  drift.worse = true;
  runs.worse = await runOnce();
});
after(() => server.close());

test('a committed baseline file and a run where nothing significant changed: exit 0, one pass line', async () => {
  const wrote = await verdict(['gate', runs.baseline, '--write-baseline', 'ci/baseline.json', '--store', db]);
  assert.equal(wrote.code, 0, wrote.stderr);
  assert.match(wrote.stdout, /wrote the baseline of run .* \(3 candidates, 40 cases, decision drifty\)/);
  const file = JSON.parse(readFileSync(path.join(dir, 'ci/baseline.json'), 'utf8'));
  assert.equal(file.kind, 'verdict-baseline');
  assert.equal(Object.keys(file.candidates[0].passes).length, 40);
  const { code, stdout } = await verdict([
    'gate',
    runs.same,
    '--baseline',
    'ci/baseline.json',
    '--store',
    db,
    ...floor,
  ]);
  assert.equal(code, 0, stdout);
  assert.match(
    stdout.split('\n')[0]!,
    /^verdict gate: pass — 3 candidates within thresholds against run .*; decision unchanged: drifty$/,
  );
});

test('a model worse on a tag fails the gate with its paired test as the reason; the decision change is listed', async () => {
  const { code, stdout } = await verdict([
    'gate',
    runs.worse,
    '--baseline',
    runs.baseline,
    '--store',
    db,
    ...floor,
  ]);
  assert.equal(code, 6);
  const [first, ...rest] = stdout.split('\n');
  assert.match(
    first!,
    /^verdict gate: FAIL — drifty: pass rate fell 100\.0% → 75\.0% \(−25\.0 points, 95% CI −40\.2 to −11\.1; exact McNemar p = 0\.0020 on 40 shared cases, 10 broken, 0 fixed\), significantly and beyond the 5-point margin \(and 1 more\)$/,
  );
  assert.ok(
    rest.some((line) =>
      /✗ decision changed: drifty → steady \(drifty drops out: its pass rate 75\.0%/.test(line),
    ),
  );
  const json = JSON.parse(
    (await verdict(['gate', runs.worse, '--baseline', runs.baseline, '--store', db, '--json', ...floor]))
      .stdout,
  ) as GateResult;
  assert.deepEqual(
    json.checks.filter((c) => !c.passed).map((c) => `${c.kind} ${c.candidateId}`),
    ['quality drifty', 'decision null'],
  );
  // A margin wider than the drop and an allowed decision change pass the same run.
  const wide = await verdict([
    'gate',
    runs.worse,
    '--baseline',
    runs.baseline,
    '--store',
    db,
    '--margin',
    '0.3',
    '--allow-decision-change',
    ...floor,
  ]);
  assert.equal(wide.code, 0, wide.stdout);
});

test('latency p90 more than doubled fails with the latency reason, and nothing else does', async () => {
  const { code, stdout } = await verdict(['gate', runs.slower, '--baseline', runs.baseline, '--store', db]);
  assert.equal(code, 6);
  assert.match(
    stdout.split('\n')[0]!,
    /^verdict gate: FAIL — slow: end-to-end p90 rose \d+ ms → \d+ ms \(\+\d+%\), beyond \+25% and 100 ms/,
  );
  const json = JSON.parse(
    (await verdict(['gate', runs.slower, '--baseline', runs.baseline, '--store', db, '--json'])).stdout,
  ) as GateResult;
  assert.deepEqual(
    [...new Set(json.checks.filter((c) => !c.passed).map((c) => c.candidateId))],
    ['slow'],
    JSON.stringify(json.checks.filter((c) => !c.passed)),
  );
});

test('a price override that raises a cost per request by 60% fails the cost check only', async () => {
  const { code, stdout } = await verdict([
    'gate',
    runs.dearer,
    '--baseline',
    runs.baseline,
    '--store',
    db,
    ...floor,
  ]);
  assert.equal(code, 6, stdout);
  assert.equal(
    stdout.split('\n')[0],
    'verdict gate: FAIL — drifty: cost per request rose $0.000023 → $0.000037 (+60%), beyond +10%',
  );
});

test('JUnit XML and GitHub annotations carry the failures', async () => {
  const junit = path.join(dir, 'out', 'gate.xml');
  const { code, stdout } = await verdict(
    ['gate', runs.worse, '--baseline', runs.baseline, '--store', db, '--junit', junit, ...floor],
    { GITHUB_ACTIONS: 'true' },
  );
  assert.equal(code, 6);
  const xml = readFileSync(junit, 'utf8');
  assert.match(xml, /<testsuites name="verdict gate" tests="13" failures="2">/);
  assert.match(
    xml,
    /<testcase classname="verdict\.gate\.drift-watch" name="quality drifty">\n\s+<failure message="drifty: pass rate fell 100\.0% → 75\.0%/,
  );
  assert.match(xml, /<testcase classname="verdict\.gate\.drift-watch" name="cost steady"><system-out>/);
  const annotations = stdout.split('\n').filter((line) => line.startsWith('::'));
  assert.equal(annotations.length, 2);
  assert.match(
    annotations[0]!,
    /^::error file=.*drift\.yaml,title=verdict gate%3A quality drifty::drifty: pass rate fell/,
  );
});

test('thresholds: flags over the workload gate section over the defaults; a typo in the section is located', async () => {
  const workload = { gate: { margin: 0.3, max_cost_rise: 0.5, fail_on_decision_change: false } };
  assert.deepEqual(gateThresholds({}, workload), {
    margin: 0.3,
    alpha: 0.05,
    latencyRise: 0.25,
    latencyFloorMs: 100,
    costRise: 0.5,
    failOnDecisionChange: false,
  });
  assert.equal(gateThresholds({ margin: '0.02' }, workload).margin, 0.02);
  assert.throws(() => gateThresholds({ margin: '5' }, workload), /--margin 5: expected a number from 0 to 1/);
  const file = writeDriftWorkload(
    dir,
    'http://127.0.0.1:1/v1',
    defaultPrices,
    { gate: { margn: 0.1 } },
    'typo.yaml',
  );
  await assert.rejects(
    parseWorkload(readFileSync(file, 'utf8'), file),
    /typo\.yaml:\d+:\d+ gate\.margn: unknown key "margn" \(did you mean "margin"\?\)/,
  );
});

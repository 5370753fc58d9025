// `verdict canary` (issue 17): the subset is stratified by tag, chosen once and kept; its cost is
// shown before any call; against a baseline run it reports no drift while the models behave, and
// drift for the changed model only (answers changed at temperature 0 on its refund cases) with exit 6.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type CanaryReport, chooseCanaryCases } from '../src/report/canary.ts';
import type { Case } from '../src/spec/workload.ts';
import { type Drift, isRefund, startDriftServer, writeDriftWorkload } from './helpers/drift-server.ts';
import { verdictInProcess } from './helpers/in-process-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';
import type { WireServer } from './servers/wire-server.ts';

const dir = tempDir();
const drift: Drift = { worse: false, slower: false };
let server: WireServer;
const db = path.join(dir, 'canary.db');
let file: string;
let baseline: string;

/** The CLI in process, as `bin/` runs it, with its output captured. */
const verdict = (args: string[]) => verdictInProcess(args, { cwd: dir });

before(async () => {
  server = await startDriftServer(drift);
  file = writeDriftWorkload(dir, server.urls.openai);
  const run = await verdict(['run', file, '--store', db, '--json', '--no-cache', '--concurrency', '8']);
  assert.equal(run.code, 0, run.stderr);
  baseline = JSON.parse(run.stdout).runId;
});
after(() => server.close());

test('the subset is stratified by tag in proportion, the same every time, every stratum present', () => {
  const cases: Case[] = Array.from({ length: 40 }, (_, n) => ({
    id: `c${n}`,
    vars: {},
    tags: [isRefund(n) ? 'refund' : 'billing'],
    source: `inline:${n}`,
  }));
  const chosen = chooseCanaryCases(cases, 12);
  assert.equal(chosen.length, 12);
  assert.equal(chosen.filter((c) => c.stratum === 'refund').length, 3);
  assert.equal(chosen.filter((c) => c.stratum === 'billing').length, 9);
  assert.deepEqual(
    chooseCanaryCases([...cases].reverse(), 12)
      .map((c) => c.id)
      .sort(),
    chosen.map((c) => c.id).sort(),
  );
  // A rare tag still gets its case.
  const rare = [...cases, { id: 'odd', vars: {}, tags: ['rare'], source: 'inline:41' }];
  assert.ok(chooseCanaryCases(rare, 12).some((c) => c.stratum === 'rare'));
});

test('the first canary chooses and keeps the subset, shows its cost before calling, and finds no drift', async () => {
  const dry = await verdict(['canary', file, '--store', db, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(
    dry.stdout,
    new RegExp(`chose 12 cases from 2 tags \\(billing, refund\\) against baseline run ${baseline}`),
  );
  // (10 × in + 9 × out) ÷ 10⁶ a call: steady 46, drifty 23, slow 92 millionths; × 12 cases.
  assert.match(
    dry.stdout,
    /12 cases × 3 candidates = 36 calls, about \$0\.0019 at the baseline run's cost per request/,
  );
  const calls = server.calls.length;
  const refused = await verdict(['canary', file, '--store', db, '--max-cost', '0.001']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /estimated at \$0\.0019, above --max-cost \$0\.001; nothing was called/);
  assert.equal(server.calls.length, calls, 'nothing was called');

  const kept = JSON.parse(readFileSync(path.join(dir, 'canaries', 'drift-watch.json'), 'utf8'));
  assert.equal(kept.baselineRunId, baseline);
  const { code, stdout } = await verdict(['canary', file, '--store', db, '--json']);
  assert.equal(code, 0, stdout);
  const report = JSON.parse(stdout) as CanaryReport;
  assert.equal(report.drift, false);
  assert.equal(server.calls.length, calls + 36, 'the canary calls every candidate on every case, uncached');
  for (const c of report.candidates) assert.equal(c.changedAnswers, 0, c.candidateId);
  assert.ok(existsSync(path.join(dir, 'canaries', 'drift-watch.db')), 'canary runs have their own store');
  // The main store's newest run is still the baseline.
  const recheck = await verdict(['recheck', '--store', db, '--verbose']);
  assert.match(recheck.stdout, new RegExp(`run ${baseline}: unchanged`));
});

test('a model worse on a tag drifts, the others do not: exit 6, the changed answers listed', async () => {
  drift.worse = true;
  drift.slower = true;
  try {
    const { code, stdout } = await verdict(['canary', file, '--store', db]);
    assert.equal(code, 6, stdout);
    assert.match(
      stdout,
      /^canary: 12 cases × 3 candidates = 36 calls, about \$0\.0019.*\nverdict canary · drift-watch: DRIFT\n/,
    );
    assert.match(
      stdout,
      /✗ drifty drifted: 3 of 12 answers changed at a deterministic setting \(more than 10%\); pass rate 100% → 75% on 12 canary cases \(exact McNemar p = 0\.2500\)\./,
    );
    assert.match(stdout, /✓ steady: no drift — 0 of 12 answers changed/);
    assert.match(stdout, /✓ slow: no drift — 0 of 12 answers changed/);
    assert.match(stdout, /c\d+ \[refund\]: pass \{"answer": "\d+"\} → fail \{"answer": "x"\}/);
    // The subset was kept: the same cases as the first time.
    const json = JSON.parse(
      (await verdict(['canary', file, '--store', db, '--json'])).stdout,
    ) as CanaryReport;
    assert.deepEqual(
      json.candidates.filter((c) => c.drift).map((c) => c.candidateId),
      ['drifty'],
    );
    assert.ok(json.candidates[1]!.changed.every((c) => c.stratum === 'refund'));
  } finally {
    drift.worse = false;
    drift.slower = false;
  }
});

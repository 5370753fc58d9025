// The 300-case labelled set (examples/labelled) against a local server whose per-model correctness
// is a fixed function of model and case: the report's counts must equal the known counts exactly,
// and its McNemar and non-inferiority conclusions must match the hand computation below.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { answerFor, CASES, isCorrect } from '../examples/labelled/labelled-set.ts';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { buildReport } from '../src/report/build-report.ts';
import { renderTerminal } from '../src/report/render-terminal.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import { nonInferiorityCasesNeeded } from '../src/stats/sample-size.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

const exampleDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'labelled');
const exampleText = readFileSync(path.join(exampleDir, 'workload.yaml'), 'utf8');

// Exact two-sided McNemar p from the discordant counts, by hand: 2 · P(X ≤ min(b, c)), X ~ Bin(b + c, ½).
function mcnemarByHand(b: number, c: number): number {
  const n = b + c;
  let tail = 0n;
  let choose = 1n;
  for (let k = 0; k <= Math.min(b, c); k++) {
    tail += choose;
    choose = (choose * BigInt(n - k)) / BigInt(k + 1);
  }
  return Math.min(1, (2 * Number(tail)) / 2 ** n);
}

// Newcombe's method 10 written out once more, from the paper (Stat Med 1998;17:2635, eq. for method 10).
function newcombeByHand(a: number, b: number, c: number, d: number): { low: number; high: number } {
  const n = a + b + c + d;
  const z = 1.959963984540054;
  const wilson = (x: number) => {
    const p = x / n;
    const centre = (2 * n * p + z * z) / (2 * (n + z * z));
    const half = (z * Math.sqrt(z * z + 4 * n * p * (1 - p))) / (2 * (n + z * z));
    return { p, low: centre - half, high: centre + half };
  };
  const one = wilson(a + b);
  const two = wilson(a + c);
  const cross = a * d - b * c;
  const phi =
    (cross > n / 2 ? cross - n / 2 : Math.min(cross, 0)) / Math.sqrt((a + b) * (c + d) * (a + c) * (b + d));
  const theta = (b - c) / n;
  const dl = Math.sqrt(
    (one.p - one.low) ** 2 - 2 * phi * (one.p - one.low) * (two.high - two.p) + (two.high - two.p) ** 2,
  );
  const du = Math.sqrt(
    (one.high - one.p) ** 2 - 2 * phi * (one.high - one.p) * (two.p - two.low) + (two.p - two.low) ** 2,
  );
  return { low: theta - dl, high: theta + du };
}

async function runLabelled(workloadText: string, dir: string) {
  const server = await startStandInServer({
    answer: (messages, model) => answerFor(model, messages.at(-1)!.content),
  });
  after(() => server.close());
  const workload = await parseWorkload(
    workloadText.replaceAll('http://127.0.0.1:18787/v1', server.url),
    path.join(dir, 'workload.yaml'),
  );
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const { runId } = await runWorkload(workload, { store, concurrency: 8 });
  return buildReport(store, runId);
}

test('the 300-case labelled set: pass counts, paired tables and conclusions match the known answers', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'cases.jsonl'), readFileSync(path.join(exampleDir, 'cases.jsonl')));
  const report = await runLabelled(exampleText, dir);
  const quality = report.quality!;

  const known = (model: string) => Array.from({ length: CASES }, (_, i) => isCorrect(model, i + 1));
  for (const candidate of quality.candidates) {
    assert.equal(candidate.cases, 300);
    assert.equal(
      candidate.passed,
      known(candidate.candidateId).filter(Boolean).length,
      candidate.candidateId,
    );
    assert.equal(candidate.modelFailures, 0);
    assert.equal(candidate.gradingErrors, 0);
  }
  // The counts written out, so a change to the labelled set cannot pass silently.
  assert.deepEqual(
    quality.candidates.map((c) => [c.candidateId, c.passed]),
    [
      ['frontier-large', 264],
      ['open-70b', 262],
      ['small-8b', 213],
    ],
  );
  assert.equal(quality.best, 'frontier-large');

  const [open, small] = quality.comparisons;
  assert.deepEqual(open!.counts, { n: 300, bothPass: 254, onlyA: 8, onlyB: 10, bothFail: 28 });
  assert.deepEqual(small!.counts, { n: 300, bothPass: 213, onlyA: 0, onlyB: 51, bothFail: 36 });

  // McNemar by hand: 8 vs 10 discordant → p = 2·P(X ≤ 8 | n = 18) = 0.8145; 0 vs 51 → 2/2^51.
  assert.ok(Math.abs(open!.pValue - mcnemarByHand(8, 10)) < 1e-12);
  assert.ok(Math.abs(open!.pValue - 0.8145294189453125) < 1e-12);
  assert.ok(Math.abs(small!.pValue - 2 / 2 ** 51) < 1e-25);
  // Holm over the two: the smaller p doubled, the larger kept (it is not below the other's adjusted value).
  assert.ok(Math.abs(small!.adjustedPValue - 4 / 2 ** 51) < 1e-25);
  assert.ok(Math.abs(open!.adjustedPValue - 0.8145294189453125) < 1e-12);

  // Non-inferiority at the workload's 5-point margin, by hand from Newcombe's interval.
  const openCi = newcombeByHand(254, 8, 10, 28);
  const smallCi = newcombeByHand(213, 0, 51, 36);
  assert.ok(
    Math.abs(open!.difference.low - openCi.low) < 1e-12 &&
      Math.abs(open!.difference.high - openCi.high) < 1e-12,
  );
  assert.ok(Math.abs(small!.difference.low - smallCi.low) < 1e-12);
  assert.ok(openCi.low > -0.05, `open-70b lower bound ${openCi.low} is above −5 points`);
  assert.ok(smallCi.high < -0.05, `small-8b upper bound ${smallCi.high} is below −5 points`);
  assert.equal(open!.conclusion, 'non-inferior');
  assert.equal(small!.conclusion, 'inferior');
  assert.match(
    quality.sentences[0]!,
    /^open-70b is non-inferior to frontier-large at a 5-point margin: 262\/300/,
  );

  // Slices: by tag, the passes add up to the candidate's; the weight-0 format grader passes everything.
  for (const candidate of quality.candidates) {
    const byTag = quality.byTag.reduce((sum, slice) => sum + slice.cells[candidate.candidateId]!.passed, 0);
    assert.equal(byTag, candidate.passed);
  }
  assert.deepEqual(
    quality.byGrader.map((slice) => [slice.name, slice.cells['small-8b']!.passed]),
    [
      ['equals', 213],
      ['regex /^-?\\d+$/', 300],
    ],
  );

  // The decision: small-8b is below the 80% floor; open-70b stays as non-inferior; frontier-large is best.
  assert.equal(report.decision.winner, 'frontier-large');
  assert.equal(report.decision.runnerUp, 'open-70b');
  assert.ok(
    report.decision.reasons.some((r) =>
      /^small-8b drops out: its pass rate 71\.0% .* below the quality floor of 80\.0%/.test(r),
    ),
  );
  const text = renderTerminal(report, { color: false, width: 80 });
  assert.match(text, /open-70b\s+254\s+8\/10\s+-0\.7 \[-3\.7,\+2\.3\]\s+0\.81\s+0\.81\s+non-inferior/);
  for (const line of text.split('\n')) assert.ok([...line].length <= 80, `line over 80 columns: ${line}`);
});

test('on 40 cases at a 3-point margin the report says too few cases to tell, and names no winner', async () => {
  const dir = tempDir();
  const lines = readFileSync(path.join(exampleDir, 'cases.jsonl'), 'utf8').split('\n').slice(0, 40);
  writeFileSync(path.join(dir, 'cases.jsonl'), `${lines.join('\n')}\n`);
  const text = exampleText
    .replace('non_inferiority_margin: 0.05', 'non_inferiority_margin: 0.03')
    .replace('floor: 0.8', 'floor: 0.5');
  const report = await runLabelled(text, dir);
  const quality = report.quality!;
  const undecided = quality.comparisons.filter((c) => c.conclusion === 'undecided');
  assert.ok(undecided.length > 0);
  assert.equal(report.decision.winner, null);
  // The question asked is non-inferiority at the 3-point margin, planned from each observed table.
  const planned = undecided.map((c) => nonInferiorityCasesNeeded(c.counts, quality.margin));
  const needed = planned.some((n) => !Number.isFinite(n)) ? null : Math.max(...planned);
  assert.ok(needed === null || needed > 40);
  assert.equal(
    report.decision.reasons[0],
    `Too few cases to tell ${[quality.best, ...undecided.map((c) => c.a)].join(', ')} apart at the non-inferiority margin, so no winner is named on noise.`,
  );
  // open-70b against frontier-large: 1 and 1 discordant of 40, d = 0, ψ = 0.05, δ = 0 + 0.03:
  // n = (1.96·√0.05 + 0.8416·√(0.05 − 0.0009))² ÷ 0.0009 = (0.4383 + 0.1865)² ÷ 0.0009 = 433.5 → 434.
  assert.equal(needed, 434);
  // No traffic section to price a provisional pick: the decision still says what settling it needs.
  assert.equal(report.decision.provisional, undefined);
  assert.equal(
    report.decision.reasons[1],
    'Settling it needs ≈434 cases per candidate for a paired non-inferiority test at the margin.',
  );
  for (const comparison of undecided)
    assert.match(comparison.sentence, /^Too few cases to tell .* need ≈\d+ to detect/);
});

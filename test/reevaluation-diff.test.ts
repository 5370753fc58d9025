// `verdict diff` against a local server whose models change between runs (issue 17): a model that
// gets worse on one tag is found significantly worse with its flipped cases, answers side by side;
// a model whose latency more than doubles shows it; the decision that changes says so and why.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RunDiff } from '../src/report/run-diff.ts';
import { type Drift, startDriftServer, writeDriftWorkload } from './helpers/drift-server.ts';
import { verdictInProcess } from './helpers/in-process-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';
import type { WireServer } from './servers/wire-server.ts';

const dir = tempDir();
const drift: Drift = { worse: false, slower: false };
let server: WireServer;
const db = path.join(dir, 'diff.db');
let first: string;
let second: string;
let third: string;

/** The CLI in process, as `bin/` runs it, with its output captured. */
const verdict = (args: string[]) => verdictInProcess(args, { cwd: dir });

async function runOnce(): Promise<string> {
  const file = writeDriftWorkload(dir, server.urls.openai);
  const run = await verdict(['run', file, '--store', db, '--json', '--no-cache', '--concurrency', '8']);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout).runId;
}

before(async () => {
  server = await startDriftServer(drift);
  first = await runOnce();
  third = await runOnce();
  drift.worse = true;
  drift.slower = true;
  second = await runOnce();
});
after(() => server.close());

test('diff finds the model worse on a tag: significant, its flipped cases with both answers', async () => {
  const { code, stdout } = await verdict(['diff', first, second, '--store', db, '--json', '--limit', '0']);
  assert.equal(code, 0);
  const diff = JSON.parse(stdout) as RunDiff;
  const drifty = diff.candidates.find((c) => c.candidateId === 'drifty')!;
  assert.equal(drifty.shared, 40);
  assert.equal(drifty.broken, 10);
  assert.equal(drifty.fixed, 0);
  assert.equal(drifty.significant, true);
  // Exact McNemar on 10 discordant pairs all one way: 2 × 0.5¹⁰.
  assert.ok(Math.abs(drifty.paired.pValue - 2 * 0.5 ** 10) < 1e-12);
  assert.equal(drifty.paired.difference.estimate, -0.25);
  assert.deepEqual(drifty.tags, [{ tag: 'refund', cases: 10, before: 1, after: 0 }]);
  assert.equal(drifty.flipped.length, 10);
  const c0 = drifty.flipped.find((f) => f.caseId === 'c0')!;
  assert.deepEqual(c0.before, { pass: true, output: '{"answer": "0"}', error: null });
  assert.deepEqual(c0.after, { pass: false, output: '{"answer": "x"}', error: null });
  assert.deepEqual(c0.tags, ['refund']);
  assert.equal(c0.expected, '{"answer": "0"}');
  for (const id of ['steady', 'slow']) {
    const other = diff.candidates.find((c) => c.candidateId === id)!;
    assert.equal(other.broken + other.fixed, 0, id);
    assert.equal(other.significant, false, id);
  }
  const slow = diff.candidates.find((c) => c.candidateId === 'slow')!;
  assert.ok(slow.e2eP90Ms.relative! > 0.5, `slow p90 ${slow.e2eP90Ms.before} → ${slow.e2eP90Ms.after}`);
  // drifty was the cheapest at 100%; below the 80% floor it drops out and steady is picked.
  assert.equal(diff.decision.before, 'drifty');
  assert.equal(diff.decision.after, 'steady');
  assert.equal(diff.decision.changed, true);
  assert.ok(diff.decision.changes.reasonsAdded.some((r) => r.includes('drifty')));
});

test('diff of two runs where nothing changed: no flips, nothing significant, decision unchanged', async () => {
  const { stdout } = await verdict(['diff', first, third, '--store', db, '--json']);
  const diff = JSON.parse(stdout) as RunDiff;
  for (const c of diff.candidates) {
    assert.equal(c.broken + c.fixed, 0, c.candidateId);
    assert.equal(c.significant, false);
  }
  assert.equal(diff.decision.changed, false);
});

test('the terminal and Markdown diffs name the change, the cases and the decision', async () => {
  const terminal = (await verdict(['diff', first, second, '--store', db])).stdout;
  assert.match(terminal, /Decision changed: drifty → steady/);
  assert.match(terminal, /drifty: worse/);
  assert.match(terminal, /100\.0% → 75\.0% on 40 shared cases, −25\.0 points/);
  assert.match(terminal, /tag refund: 100\.0% → 0\.0% \(10 cases\)/);
  assert.match(terminal, /✗ broken c0 \[refund\]/);
  assert.match(terminal, /pass: \{"answer": "0"\}\s+fail: \{"answer": "x"\}/);
  const md = (await verdict(['diff', first, second, '--store', db, '--format', 'md'])).stdout;
  assert.match(md, /\*\*Decision changed:\*\* drifty → steady/);
  assert.match(md, /\| ✗ c0 \| refund \|/);
  assert.match(md, /\| drifty \| 100\.0% → 75\.0% \| −25\.0/);
});

test('RUN:CANDIDATE compares one candidate across runs; an unknown one is a usage error', async () => {
  const one = JSON.parse(
    (await verdict(['diff', `${first}:steady`, `${second}:drifty`, '--store', db, '--json'])).stdout,
  ) as RunDiff;
  assert.equal(one.candidates.length, 1);
  assert.equal(one.candidates[0]!.beforeCandidateId, 'steady');
  assert.equal(one.candidates[0]!.candidateId, 'drifty');
  assert.equal(one.candidates[0]!.broken, 10);
  const bad = await verdict(['diff', `${first}:nope`, second, '--store', db]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /has no candidate "nope" \(it has steady, drifty, slow\)/);
});

test('answers are untrusted: escape sequences and bidi overrides are shown escaped, Markdown is inert', async () => {
  const { stdout } = await verdict(['diff', first, second, '--store', db, '--json']);
  const diff = JSON.parse(stdout) as RunDiff;
  const flip = diff.candidates.find((c) => c.candidateId === 'drifty')!.flipped[0]!;
  flip.after.output = '\u001b[2J\u202eevil | <script>x</script> *bold*';
  const { renderDiffTerminal, renderDiffMarkdown } = await import('../src/report/run-diff-render.ts');
  const plain = { bold: String, dim: String, red: String, green: String } as const;
  const terminal = renderDiffTerminal(diff, plain, 200);
  assert.doesNotMatch(terminal, /\u001b|\u202e/);
  assert.match(terminal, /\\u001b\[2J\\u202eevil/);
  const md = renderDiffMarkdown(diff);
  assert.doesNotMatch(md, /<script>/);
  assert.match(md, /evil \\\| &lt;script&gt;x&lt;\/script&gt; \\\*bold\\\*/);
});

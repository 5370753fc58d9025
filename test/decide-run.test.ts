// A decision on a real run: one local OpenAI-compatible server answers as four "models" by a
// deterministic rule, so every pass rate is known; the pick must follow DESIGN §5 step by step.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { buildReport } from '../src/report/build-report.ts';
import type { Report } from '../src/spec/decision.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { answer, runDecisionWorkload } from './helpers/decision-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

let report: Report;
let close: () => Promise<void>;

before(async () => {
  const server = await startStandInServer({
    answer: (messages, model) => answer(model, Number(/\d+/.exec(messages.at(-1)!.content)?.[0])),
  });
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  close = async () => {
    await store.close();
    await server.close();
  };
  const runId = await runDecisionWorkload(store, dir, server.url);
  report = await buildReport(store, runId, { now: new Date('2026-11-24T00:00:00Z') });
});
after(() => close());

test('the run has the pass rates the rule implies', () => {
  const passed = Object.fromEntries(report.candidates.map((c) => [c.candidateId, c.passed]));
  assert.deepEqual(passed, { frontier: 39, mid: 39, weak: 24, acme: 40 });
});

test('constraints remove acme with its sentence, before quality or cost', () => {
  assert.deepEqual(report.decision.removed, [
    "acme is removed: the workload requires that the provider keeps no prompts or outputs (constraints.zero_retention), and verdict's compliance catalogue has no record of zero data retention from acme; add the host's terms to keep it.",
  ]);
  // Priced beside the rest, so the report shows what the constraint gives up, and marked removed.
  const acme = report.cost!.options.filter((o) => o.candidateId === 'acme');
  assert.deepEqual(
    acme.map((o) => o.status),
    ['removed by the hard constraints (see the reasons)'],
  );
  assert.notEqual(report.decision.winner, 'acme');
  assert.ok(
    report.decision.caveats.some((c) =>
      c.startsWith('frontier is kept only with zero data retention in place with openai'),
    ),
  );
});

test('quality: weak drops below the floor; mid is non-inferior to frontier at the 15-point margin', () => {
  const reasons = report.decision.reasons;
  assert.ok(
    reasons.some((r) => /^weak drops out: its pass rate 60\.0% .* below the quality floor of 80\.0%/.test(r)),
  );
  assert.ok(
    reasons.some((r) => /^mid is non-inferior to frontier/.test(r)),
    reasons.join('\n'),
  );
  const weak = report.cost!.options.find((o) => o.optionId === 'weak')!;
  assert.equal(weak.status, 'below the quality bar');
});

test('cost: mid is cheaper than frontier by the hand computation from measured tokens', () => {
  const byId = (id: string) => report.candidates.find((c) => c.candidateId === id)!;
  // Monthly = mean input tokens × input price + mean output tokens × output price, × 1M requests.
  const hand = (id: string, input: number, output: number) => {
    const c = byId(id);
    return (((c.inputTokens / c.total) * input + (c.outputTokens / c.total) * output) / 1e6) * 1e6;
  };
  const cost = (id: string) => report.cost!.options.find((o) => o.optionId === id)!.monthlyUsd;
  assert.ok(Math.abs(cost('mid') - hand('mid', 1.5, 4.5)) < 1e-6);
  assert.ok(Math.abs(cost('frontier') - hand('frontier', 2, 6)) < 1e-6);
  assert.ok(cost('mid') < cost('frontier') / (1 + 0.1), 'not a near-tie');
  assert.equal(report.cost!.usageSource, 'measured');
  assert.equal(report.cost!.options.find((o) => o.optionId === 'mid')!.family, 'closed-api');
});

test('hybrid: weak first, escalating what its reference-free grader flags to frontier, wins; mid is runner-up', () => {
  const h = report.decision.hybrid!;
  assert.equal(h.id, 'weak→frontier');
  assert.equal(h.oracle.escalated, 16 / 40);
  // Case 13 fails on both sides: weak answers in plain text, frontier with the wrong label.
  assert.equal(h.oracle.passRate, 39 / 40);
  // is-json flags exactly weak's plain-text answers, so the router escalates its failures.
  assert.equal(h.router.escalated, 16 / 40);
  assert.equal(h.router.passRate, 39 / 40);
  const cost = (id: string) => report.cost!.options.find((o) => o.optionId === id)!.monthlyUsd;
  const weakPerRequest = cost('weak') / 1e6;
  const frontierPerRequest = cost('frontier') / 1e6;
  // weak pays for every request, frontier for the 40% escalated ones (they pay twice).
  assert.ok(Math.abs(h.router.monthlyUsd - (weakPerRequest * 1e6 + frontierPerRequest * 0.4e6)) < 1e-6);
  assert.ok(h.router.monthlyUsd < cost('mid'));
  assert.equal(h.wins, true);
  const row = report.cost!.options[0]!;
  assert.deepEqual(
    [row.optionId, row.family, row.monthlyUsd],
    ['weak→frontier', 'hybrid', h.router.monthlyUsd],
  );
  assert.equal(report.decision.winner, 'weak→frontier');
  assert.equal(report.decision.runnerUp, 'mid');
  assert.ok(report.decision.reasons.some((r) => r.includes('an upper bound no real router reaches')));
});

test('the decision says what would flip it and when to look again', () => {
  assert.ok(report.decision.flips!.length > 0);
  assert.match(report.decision.flips![0]!, /^The pick changes from /);
  assert.ok(report.decision.reevaluate!.date >= '2027-02-24');
  assert.ok(report.decision.reevaluate!.triggers.some((t) => t.includes('2M requests a month (×2)')));
});

test('when the constraints remove the best, the rest are compared with the best of the rest', () => {
  assert.equal(report.quality!.best, 'acme');
  assert.ok(
    report.decision.caveats.some((c) =>
      c.startsWith(
        'acme has the highest pass rate, but the hard constraints remove it: the other candidates are compared with frontier',
      ),
    ),
  );
  assert.ok(report.decision.reasons.some((r) => r.startsWith('frontier has the highest pass rate: 39/40')));
});

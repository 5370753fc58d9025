// The memo: the first screen of every format, drawn from the stored decision alone, with each fact
// said once in the folded details below it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakEvenCurve, tornado } from '../src/report/charts/cost-charts.ts';
import { qualityCost } from '../src/report/charts/quality-cost-chart.ts';
import { memoOf, plural } from '../src/report/memo.ts';
import { renderHtml } from '../src/report/render-html.ts';
import { renderMarkdown } from '../src/report/render-markdown.ts';
import { renderTerminal } from '../src/report/render-terminal.ts';
import { loadPage, overviewPage, runsPage } from '../src/server/pages.ts';
import type { Report } from '../src/spec/decision.ts';
import type { RunRecord } from '../src/spec/result.ts';
import { decidedReport } from './report-memo-fixture.ts';

const run: RunRecord = {
  id: 'run-1',
  workloadName: 'invoice-extraction',
  workloadFile: '/w.yaml',
  workloadJson: '{}',
  status: 'completed',
  startedAt: '2026-11-24T10:00:00.000Z',
  finishedAt: '2026-11-24T10:05:00.000Z',
  plannedResults: 1000,
};

const count = (text: string, part: string) => text.split(part).length - 1;

test('the memo picks three reasons with figures, the pick and runner-up costs, and folds the rest', () => {
  const memo = memoOf(decidedReport());
  assert.equal(memo.kind, 'pick');
  assert.equal(memo.pickRoute, 'llama-3.1-8b@together');
  assert.deepEqual(memo.reasons, [
    'At 3M requests a month, llama-3.1-8b@together costs $130 a month, the cheapest of 5 priced options still in the running.',
    'Runner-up frontier costs $1,350 a month ($1,220 more).',
    'frontier has the highest pass rate: 188/200 (94.0%).',
  ]);
  assert.equal(memo.otherReasons.length, 2);
  assert.deepEqual(
    memo.costs.map((c) => [c.role, c.optionId, c.monthlyUsd]),
    [
      ['pick', 'llama-3.1-8b@together', 130],
      ['runner-up', 'frontier', 1350],
    ],
  );
  assert.equal(memo.caveats.length, 3);
  assert.deepEqual(memo.otherCaveats, ['Caveat four.']);
});

test('a pick without a price says why, never "not measured" above a measured cost table', () => {
  const report = decidedReport();
  report.decision = { ...report.decision, winner: 'claude-haiku', winnerOption: 'claude-haiku' };
  const memo = memoOf(report);
  assert.equal(memo.costMissing, report.cost!.unpriced![0]);
  const md = renderMarkdown(report);
  assert.doesNotMatch(md.slice(0, md.indexOf('<details>')), /not measured yet/);
  assert.equal(count(md, 'claude-haiku cannot be priced'), 1, 'said once, in the memo');
  const text = renderTerminal(report, { color: false });
  assert.equal(count(text, 'claude-haiku cannot be priced'), 1);
});

test('terminal, Markdown, HTML and the dashboard open with the same memo', async () => {
  const report = decidedReport();
  const text = renderTerminal(report, { color: false, width: 80 });
  const md = renderMarkdown(report);
  const html = await renderHtml(report);
  const page = overviewPage(run, report);
  const firstScreen = {
    terminal: text.slice(0, text.indexOf('Details')),
    md: md.slice(0, md.indexOf('<details>')),
    html: html.slice(html.indexOf('id="memo"'), html.indexOf('<details')),
    dashboard: page.slice(page.indexOf('id="memo"'), page.indexOf('<details')),
  };
  for (const [format, screen] of Object.entries(firstScreen)) {
    for (const part of [
      'open-8b via llama-3.1-8b@together',
      'Runner-up: frontier',
      'the cheapest of 5 priced options',
      '188/200 (94.0%)',
      'Pick llama-3.1-8b@together: $130 a month',
      'Runner-up frontier: $1,350 a month',
      'The pick changes from llama-3.1-8b@together to frontier',
      'Look again by 2027-05-24, or sooner if: Volume reaches 6M requests a month (×2)',
      'Latency of the managed routes was not measured.',
    ])
      assert.ok(
        screen
          .replace(/\\|\*\*/g, '')
          .replace(/\s+/g, ' ')
          .includes(part),
        `${format}: ${part}`,
      );
    assert.ok(!screen.includes('mistral-small drops out'), `${format}: the fourth reason is folded`);
  }
  // The terminal's first screen fits a terminal: 80 columns, and no more than 40 lines.
  assert.ok(firstScreen.terminal.split('\n').length <= 40, firstScreen.terminal);
  for (const line of text.split('\n')) assert.ok(line.length <= 80, line);
});

test('each fact is said once: a note shared by routes, a reason an option is out, replicas', async () => {
  const report = decidedReport();
  const md = renderMarkdown(report);
  const html = await renderHtml(report);
  const text = renderTerminal(report, { color: false });
  for (const [format, body] of Object.entries({ md, html })) {
    assert.equal(count(body, 'so they carry its measured quality'), 1, format);
    assert.equal(count(body, 'below the quality bar'), 1, format);
  }
  assert.match(md, /^\| open-8b \| self-hosted-cloud \| \$6,400 \| \$0\.0021 \| 2 \| 6\.0% \|$/m);
  assert.match(text, /^open-8b +self-hosted, cloud +\$6,400 +\$0\.0021 +2 \(6%\)$/m);
  assert.match(md, /1 case, 1 candidate|200 cases, 5 candidates/);
  assert.doesNotMatch(`${md}${html}${text}`, /\b1 (cases|candidates|graders)\b/);
});

test('the terminal shows every candidate in its slice tables, in as many tables as the width needs', () => {
  const report = decidedReport();
  report.quality = {
    candidates: report.candidates.map((c) => ({
      candidateId: c.candidateId,
      passed: c.passed,
      cases: c.total,
      passRate: c.passRate,
      meanScore: c.passRate,
      modelFailures: 0,
      gradingErrors: 0,
    })),
    best: null,
    margin: 0.05,
    marginSource: 'default',
    floor: null,
    comparisons: [],
    sentences: [],
    byGrader: [
      {
        name: 'json-field',
        cells: Object.fromEntries(
          report.candidates.map((c) => [
            c.candidateId,
            { passed: c.passed, total: c.total, gradingErrors: 0 },
          ]),
        ),
      },
    ],
    byTag: [],
  } as unknown as NonNullable<Report['quality']>;
  const text = renderTerminal(report, { color: false, width: 80 });
  assert.doesNotMatch(text, /more candidates/);
  const slices = text.slice(text.indexOf('by grader'));
  for (const c of report.candidates) assert.ok(slices.includes(c.candidateId), c.candidateId);
});

test('charts draw only the options still in the running, named by a legend, one colour family per weights', () => {
  const report = decidedReport();
  const curve = breakEvenCurve(report).spec as {
    layer: Array<{
      data: { values: Array<{ option?: string }> };
      encoding: Record<string, { scale?: { domain: string[]; range: string[] } }>;
    }>;
  };
  const lines = new Set(curve.layer[0]!.data.values.map((v) => v.option));
  assert.deepEqual([...lines].sort(), ['frontier', 'llama-3.1-8b@groq', 'llama-3.1-8b@together', 'open-8b']);
  const scale = curve.layer[0]!.encoding.color!.scale!;
  assert.deepEqual(
    scale.domain,
    ['llama-3.1-8b@together', 'llama-3.1-8b@groq', 'open-8b', 'frontier'].sort(
      (a, b) => scale.domain.indexOf(a) - scale.domain.indexOf(b),
    ),
  );
  // open-8b and its managed routes share a family (blue shades); frontier has another (orange).
  const colour = (id: string) => scale.range[scale.domain.indexOf(id)]!;
  assert.notEqual(colour('open-8b'), colour('llama-3.1-8b@together'));
  assert.ok(
    ['open-8b', 'llama-3.1-8b@together', 'llama-3.1-8b@groq'].every((id) => colour(id).startsWith('#')),
  );
  assert.equal(scale.domain[0], 'open-8b', "the candidate's own route takes its family's first shade");
  const quality = JSON.stringify(qualityCost(report).spec);
  assert.doesNotMatch(quality, /"type":"text"/, 'a legend names the points: no labels to collide');
  assert.doesNotMatch(quality, /mistral-small/);
});

test('the tornado says why it is missing, with what to do', () => {
  const report = decidedReport();
  assert.match(tornado(report).missing!, /verdict decide RUN/);
  report.cost!.breakEvens = [{ ...report.cost!.breakEvens![0]!, volume: null }];
  assert.match(tornado(report).missing!, /never costs less/);
  delete report.cost!.breakEvens;
  assert.match(tornado(report).missing!, /needs a self-hosted option and an API option/);
  const full = decidedReport();
  full.cost!.sensitivity = {
    baseVolume: 17_100_000,
    inputs: [
      { input: 'GPU $/hour', low: 9e6, high: 2.6e7 },
      { input: 'a price that does not move it', low: 17_100_000, high: 17_100_000 },
      { input: 'frontier token prices', low: null, high: 8e6 },
    ],
  };
  const values = (
    tornado(full).spec as {
      layer: Array<{ data: { values: Array<{ input: string; from: number; to: number }> } }>;
    }
  ).layer[0]!.data.values;
  assert.deepEqual(
    values.map((v) => [v.input, v.from, v.to]),
    [
      ['GPU $/hour', 9e6, 2.6e7],
      ['frontier token prices', 8e6, 17_100_000],
    ],
  );
});

test('the runs list has a decision column; the empty load page names verdict load', () => {
  const list = runsPage([
    { ...run, results: 1000, decision: 'open-8b via llama-3.1-8b@together' },
    { ...run, id: 'run-2', results: 3 },
  ]);
  assert.match(list, /<th>decision<\/th>/);
  assert.match(list, /<td>open-8b via llama-3\.1-8b@together<\/td>/);
  assert.match(list, /not decided yet/);
  assert.match(loadPage(run, []), /<code>verdict load --workload FILE --candidate ID<\/code>/);
});

test('an undecided decision says so first, with its provisional pick', () => {
  const report = decidedReport();
  report.decision = {
    ...report.decision,
    winner: null,
    winnerOption: undefined,
    runnerUp: null,
    provisional: {
      winner: 'open-8b',
      winnerOption: 'llama-3.1-8b@together',
      runnerUp: 'frontier',
      casesNeeded: 900,
      sentence:
        'Provisional pick: open-8b, the cheapest of those not told apart; settling it needs ≈900 cases.',
    },
  };
  const text = renderTerminal(report, { color: false });
  assert.match(text, /^Decision: none yet · provisional pick open-8b via llama-3\.1-8b@together$/m);
  assert.match(text, /^Runner-up: none yet · provisional runner-up frontier$/m);
  assert.equal(count(text.replace(/\s+/g, ' '), 'settling it needs ≈900 cases'), 1);
  assert.match(renderMarkdown(report), /^\*\*Decision:\*\* none yet · provisional pick open-8b/m);
});

test('plural groups thousands and says one without an s, whichever way it formats the count', () => {
  assert.equal(plural(1, 'grader'), '1 grader');
  assert.equal(plural(0, 'case'), '0 cases');
  assert.equal(plural(999, 'case'), '999 cases');
  assert.equal(plural(1000, 'case'), '1,000 cases');
  assert.equal(plural(-1500, 'case'), '-1,500 cases');
  assert.equal(plural(2.5, 'replica'), '2.5 replicas');
  assert.equal(plural(2, 'candidate', 'candidates at once'), '2 candidates at once');
});

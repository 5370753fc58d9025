// The report as a Markdown memo: the memo first (src/report/memo.ts: decision, reasons, cost at the
// volume, what would change it, when to look again, caveats), every other section folded after it —
// to paste into a pull request or a document. Every
// untrusted string is escaped so it renders as the text it is, never as links, HTML or tables.

import type { Report, ReportCost } from '../spec/decision.ts';
import { callErrorBlocks } from './call-errors.ts';
import { reportCharts } from './charts/report-charts.ts';
import {
  memoCostBasis,
  memoCostLines,
  memoOf,
  memoPick,
  memoReevaluate,
  memoRunnerUp,
  plural,
} from './memo.ts';

/**
 * Text → Markdown that renders as that text: entities for <>& (no HTML), backslashes before what
 * opens inline syntax (links, emphasis, code, tables). Text is always placed after a marker (a list
 * dash, a heading, a table pipe), so line-start syntax cannot open; newlines become spaces.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/\r?\n|\r|\u2028|\u2029/g, ' ');
}

const pct = (value: number) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)}%`);
const ms = (value: number | null) =>
  value === null ? '–' : `${Math.round(value).toLocaleString('en-US')} ms`;
const usd = (value: number) =>
  `$${value.toLocaleString('en-US', { maximumFractionDigits: value < 0.01 ? 6 : value < 10 ? 2 : 0 })}`;

function table(header: string[], rows: string[][], right: boolean[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${right.map((r) => (r ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

/** Renders the report as a Markdown memo: the memo first, every other section folded in `<details>`. */
export function renderMarkdown(report: Report): string {
  const { decision, cost } = report;
  const memo = memoOf(report);
  const out: string[] = [];
  const e = escapeMarkdown;
  out.push(`# ${e(report.workload)}: ${memo.kind === 'pick' ? e(memo.pick) : 'no decision yet'}`);
  out.push('');
  out.push(
    `*Run ${e(report.runId)}, started ${e(report.startedAt)}: ${plural(report.cases, 'case')}, ${plural(report.candidates.length, 'candidate')}.*`,
  );
  out.push('', '## Summary', '');
  out.push(`**Decision:** ${e(memoPick(memo))}  `);
  const runnerUp = memoRunnerUp(memo);
  if (runnerUp !== null) out.push(`**Runner-up:** ${e(runnerUp)}`);
  if (memo.provisional) out.push('', `*${e(memo.provisional)}*`);
  if (memo.reasons.length > 0) {
    out.push('', '**Why**', '');
    for (const reason of memo.reasons) out.push(`- ${e(reason)}`);
  }
  const basis = memoCostBasis(memo);
  out.push('', `**Cost**${basis ? ` ${e(basis)}` : ''}`, '');
  for (const line of memoCostLines(memo)) out.push(`- ${e(line)}`);
  if (memo.costMissing) out.push(`- ${e(memo.costMissing)}`);
  if (memo.flips.length > 0) {
    out.push('', '**What would change the pick**', '');
    for (const flip of memo.flips) out.push(`- ${e(flip)}`);
  }
  const again = memoReevaluate(memo);
  if (again)
    out.push('', `**${e(again.replace(/,.*$/s, ''))}**${e(again.slice(again.replace(/,.*$/s, '').length))}`);
  if (memo.caveats.length > 0) {
    out.push('', '**Caveats**', '');
    for (const caveat of memo.caveats) out.push(`- ${e(caveat)}`);
  }
  const failures = callErrorBlocks(report);
  if (failures.length > 0) {
    out.push('', '**Call errors**', '');
    for (const block of failures) {
      out.push(`- ${e(block.candidateId)}: ${block.summary}`);
      for (const error of block.errors)
        out.push(`  - ${error.count} × ${e(error.message)} (e.g. case ${e(error.exampleCaseId)})`);
      if (block.omitted) out.push(`  - and ${block.omitted} other distinct errors (CSV report)`);
    }
  }

  const fold = (summary: string, body: string[]) =>
    body.length > 0 ? ['', '<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'] : [];
  const more: string[] = [];
  const record = report.decisionRecord;
  if (record)
    more.push(
      record.version === 0
        ? '*Provisional decision: the run is still running, so none is stored yet.*'
        : `*Decision version ${record.version}, made ${e(record.createdAt)} by verdict ${e(record.verdictVersion)}.*`,
      '',
    );
  for (const reason of memo.otherReasons) more.push(`- ${e(reason)}`);
  const hybrid = decision.hybrid;
  if (hybrid) {
    more.push(
      '',
      `**Hybrid** ${e(hybrid.cheap)} first, escalating to ${e(hybrid.strong)}: ${pct(hybrid.router.escalated)} escalated, pass rate ${pct(hybrid.router.passRate)}, ${usd(hybrid.router.monthlyUsd)} a month (oracle upper bound ${pct(hybrid.oracle.passRate)} at ${usd(hybrid.oracle.monthlyUsd)}); ${decision.winner === hybrid.id ? 'it is the pick' : 'it is not the pick'}.`,
    );
  }
  const otherFlips = (decision.flips ?? []).slice(memo.flips.length);
  if (otherFlips.length > 0) {
    more.push('', '**Other changes that would flip it**', '');
    for (const flip of otherFlips) more.push(`- ${e(flip)}`);
  }
  const removed = (decision.removed ?? []).filter((r) => !decision.reasons.includes(r));
  if (removed.length > 0) {
    more.push('', '**Removed by constraints**', '');
    for (const r of removed) more.push(`- ${e(r)}`);
  }
  if (memo.otherCaveats.length > 0) {
    more.push('', '**More caveats**', '');
    for (const caveat of memo.otherCaveats) more.push(`- ${e(caveat)}`);
  }
  out.push(...fold('More reasons, flips and caveats', more));

  const quality: string[] = [
    ...table(
      [
        'candidate',
        'model',
        'pass',
        'rate',
        '95% interval',
        'TTFT p50',
        'E2E p50',
        'E2E p99',
        'tokens in / out',
        'errors',
      ],
      report.candidates.map((c) => [
        e(c.candidateId),
        e(c.model),
        `${c.passed}/${c.total}`,
        pct(c.passRate.estimate),
        `${pct(c.passRate.low)}–${pct(c.passRate.high)}`,
        ms(c.ttftMs.p50),
        ms(c.durationMs.p50),
        ms(c.durationMs.p99),
        `${c.inputTokens.toLocaleString('en-US')} / ${c.outputTokens.toLocaleString('en-US')}`,
        String(c.errors),
      ]),
      [false, false, true, true, true, true, true, true, true, true],
    ),
  ];
  const tokenizer = report.candidates.filter(
    (c) => c.tokenSource === 'tokenizer' || c.tokenSource === 'mixed',
  );
  if (tokenizer.length > 0)
    quality.push(
      '',
      `Token counts for ${tokenizer.map((c) => e(c.candidateId)).join(', ')} come from a tokenizer, not the server.`,
    );
  if (report.quality && report.quality.sentences.length > 0) {
    quality.push('');
    for (const sentence of report.quality.sentences) quality.push(`- ${e(sentence)}`);
  }
  out.push(...fold('Quality, latency and tokens', quality));
  out.push(...fold('Cost of every option', costDetails(cost, memo.costMissing)));
  const load =
    report.loadTests && report.loadTests.length > 0
      ? table(
          ['model', 'load', 'req/s', 'output tok/s', 'TTFT p50', 'TTFT p99', 'E2E p99', 'SLO'],
          report.loadTests.map((t) => [
            e(t.model),
            `${t.load} ${t.loadKind === 'rate' ? 'req/s' : 'in flight'}`,
            t.requestsPerSec.toFixed(2),
            t.outputTokensPerSec.toFixed(0),
            ms(t.ttftP50Ms),
            ms(t.ttftP99Ms),
            ms(t.e2eP99Ms),
            t.sloMet === undefined ? '–' : t.sloMet ? 'met' : 'missed',
          ]),
          [false, true, true, true, true, true, true, false],
        )
      : [
          'No load test measured yet: `verdict load --workload FILE --candidate ID` measures a self-hosted endpoint.',
        ];
  out.push(...fold('Load tests', load));
  out.push(
    ...fold('Charts', [
      ...reportCharts(report).map(
        (chart) =>
          `- **${chart.title}**: ${chart.spec ? chart.description : `${chart.missing ?? 'not measured yet'}.`}`,
      ),
      '',
      'The HTML report (`verdict report --format html`) draws these charts and lists every case.',
    ]),
  );
  out.push('');
  return out.join('\n');
}

/** The cost of every option: one table, each reason an option is out of the running and each note said once, then the line items. */
function costDetails(cost: ReportCost | undefined, said: string | null): string[] {
  const e = escapeMarkdown;
  if (!cost || cost.options.length === 0) {
    return [
      'No option priced: `verdict cost WORKLOAD` prices them once the workload declares traffic.requests_per_month.',
      ...(cost?.unpriced ?? []).filter((u) => u !== said).map((u) => `- ${e(u)}`),
    ];
  }
  const statuses = [...new Set(cost.options.flatMap((o) => (o.status ? [o.status] : [])))];
  const mark = (status: string | undefined) => (status ? ` [${statuses.indexOf(status) + 1}]` : '');
  const out = [
    `At ${Math.round(cost.requestsPerMonth).toLocaleString('en-US')} requests a month${cost.priceDate ? `, prices as of ${e(cost.priceDate)}` : ''}.`,
    '',
    ...table(
      ['option', 'family', 'monthly', 'per request', 'replicas', 'utilisation'],
      [...cost.options]
        .sort((a, b) => Number(Boolean(a.status)) - Number(Boolean(b.status)) || a.monthlyUsd - b.monthlyUsd)
        .map((o) => [
          `${e(o.optionId)}${mark(o.status)}`,
          e(o.family),
          usd(o.monthlyUsd),
          usd(o.costPerRequestUsd),
          o.replicas === undefined ? '–' : String(o.replicas),
          o.averageUtilisation === undefined ? '–' : pct(o.averageUtilisation),
        ]),
      [false, false, true, true, true, true],
    ),
  ];
  if (statuses.length > 0) {
    out.push('');
    for (const [i, status] of statuses.entries()) out.push(`${i + 1}. ${e(status)}; priced for comparison.`);
  }
  for (const b of cost.breakEvens ?? []) out.push('', `- ${e(b.sentence)}`);
  const notes = [...new Set(cost.options.flatMap((o) => o.notes ?? []))];
  const rest = [...notes, ...(cost.unpriced ?? []).filter((u) => u !== said), ...(cost.facts ?? [])];
  if (rest.length > 0) {
    out.push('', '**Notes**', '');
    for (const text of rest) out.push(`- ${e(text)}`);
  }
  for (const option of cost.options.filter((o) => !o.status && o.lines && o.lines.length > 0)) {
    out.push('', `**${e(option.optionId)}**: ${usd(option.monthlyUsd)} a month`, '');
    for (const line of option.lines!)
      out.push(`- ${e(line.label)}: ${usd(line.usd)} = ${e(line.formula)} (${e(line.source)})`);
  }
  return out;
}

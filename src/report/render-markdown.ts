// The report as a Markdown memo: the executive summary first (decision, reasons, cost at volume,
// what is not measured yet), details after — to paste into a pull request or a document. Every
// untrusted string is escaped so it renders as the text it is, never as links, HTML or tables.
import type { Report } from '../spec/decision.ts';
import { reportCharts } from './charts/report-charts.ts';

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

/** Renders the report as a Markdown memo. */
export function renderMarkdown(report: Report): string {
  const { decision, cost } = report;
  const out: string[] = [];
  out.push(
    `# ${escapeMarkdown(report.workload)}: ${decision.winner ? escapeMarkdown(decision.winner) : 'no decision yet'}`,
  );
  out.push('');
  out.push(
    `*Run ${escapeMarkdown(report.runId)}, started ${escapeMarkdown(report.startedAt)}: ${report.cases} cases, ${report.candidates.length} candidates.*`,
  );
  out.push('', '## Summary', '');
  const route =
    decision.winnerOption && decision.winnerOption !== decision.winner
      ? ` (${escapeMarkdown(decision.winnerOption)})`
      : '';
  out.push(`**Decision:** ${decision.winner ? escapeMarkdown(decision.winner) : 'none'}${route}  `);
  const runnerRoute =
    decision.runnerUpOption && decision.runnerUpOption !== decision.runnerUp
      ? ` (${escapeMarkdown(decision.runnerUpOption)})`
      : '';
  if (decision.runnerUp) out.push(`**Runner-up:** ${escapeMarkdown(decision.runnerUp)}${runnerRoute}`);
  else if (decision.winner) out.push('**Runner-up:** none');
  const record = report.decisionRecord;
  if (record)
    out.push(
      '',
      record.version === 0
        ? '*Provisional decision: the run is still running, so none is stored yet.*'
        : `*Decision version ${record.version}, made ${escapeMarkdown(record.createdAt)} by verdict ${escapeMarkdown(record.verdictVersion)}.*`,
    );
  out.push('');
  for (const reason of decision.reasons) out.push(`- ${escapeMarkdown(reason)}`);
  const winnerOption = decision.winnerOption ?? decision.winner;
  const winner = cost?.options.find(
    (o) => o.optionId === winnerOption || (o.candidateId ?? o.optionId) === winnerOption,
  );
  out.push('');
  if (cost && winner) {
    out.push(
      `**Cost at volume:** ${usd(winner.monthlyUsd)} a month at ${Math.round(cost.requestsPerMonth).toLocaleString('en-US')} requests${
        cost.priceDate ? ` (prices as of ${escapeMarkdown(cost.priceDate)})` : ''
      }.`,
    );
  } else out.push('**Cost at volume:** not measured yet.');
  for (const breakEven of cost?.breakEvens ?? []) out.push(`- ${escapeMarkdown(breakEven.sentence)}`);
  const hybrid = decision.hybrid;
  if (hybrid) {
    out.push(
      '',
      `**Hybrid** ${escapeMarkdown(hybrid.cheap)} first, escalating to ${escapeMarkdown(hybrid.strong)}: ${pct(hybrid.router.escalated)} escalated, pass rate ${pct(hybrid.router.passRate)}, ${usd(hybrid.router.monthlyUsd)} a month (oracle upper bound ${pct(hybrid.oracle.passRate)} at ${usd(hybrid.oracle.monthlyUsd)}); ${decision.winner === hybrid.id ? 'it is the pick' : 'it is not the pick'}.`,
    );
  }
  out.push('');
  out.push(
    decision.reevaluate
      ? `**Re-evaluate by:** ${escapeMarkdown(decision.reevaluate.date)}, or sooner on: ${decision.reevaluate.triggers.map((t) => escapeMarkdown(t.replace(/\.$/, ''))).join('; ')}.`
      : '**Re-evaluate by:** not set yet.',
  );
  if (decision.flips && decision.flips.length > 0) {
    out.push('', '**What would change the pick**', '');
    for (const flip of decision.flips) out.push(`- ${escapeMarkdown(flip)}`);
  }
  if (decision.removed && decision.removed.length > 0) {
    out.push('', '**Removed by constraints**', '');
    for (const removed of decision.removed) out.push(`- ${escapeMarkdown(removed)}`);
  }
  if (decision.caveats.length > 0) {
    out.push('', '**Caveats**', '');
    for (const caveat of decision.caveats) out.push(`- ${escapeMarkdown(caveat)}`);
  }
  out.push('', '## Quality, latency and tokens', '');
  out.push(
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
        escapeMarkdown(c.candidateId),
        escapeMarkdown(c.model),
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
  );
  const tokenizer = report.candidates.filter(
    (c) => c.tokenSource === 'tokenizer' || c.tokenSource === 'mixed',
  );
  if (tokenizer.length > 0) {
    out.push(
      '',
      `Token counts for ${tokenizer.map((c) => escapeMarkdown(c.candidateId)).join(', ')} come from a tokenizer, not the server.`,
    );
  }
  if (report.quality && report.quality.sentences.length > 0) {
    out.push('');
    for (const sentence of report.quality.sentences) out.push(`- ${escapeMarkdown(sentence)}`);
  }
  out.push('', '## Cost', '');
  if (cost && cost.options.length > 0) {
    out.push(
      ...table(
        ['option', 'family', 'monthly', 'per request', 'replicas', 'utilisation'],
        [...cost.options]
          .sort((a, b) => a.monthlyUsd - b.monthlyUsd)
          .map((o) => [
            escapeMarkdown(o.optionId),
            escapeMarkdown(o.family),
            usd(o.monthlyUsd),
            usd(o.costPerRequestUsd),
            o.replicas === undefined ? '–' : String(o.replicas),
            o.averageUtilisation === undefined ? '–' : pct(o.averageUtilisation),
          ]),
        [false, false, true, true, true, true],
      ),
    );
    for (const option of cost.options.filter((o) => o.lines && o.lines.length > 0)) {
      out.push(
        '',
        `**${escapeMarkdown(option.optionId)}**${option.status ? ` (${escapeMarkdown(option.status)})` : ''}`,
        '',
      );
      for (const line of option.lines!) {
        out.push(
          `- ${escapeMarkdown(line.label)}: ${usd(line.usd)} = ${escapeMarkdown(line.formula)} (${escapeMarkdown(line.source)})`,
        );
      }
    }
    for (const text of [...(cost.unpriced ?? []), ...(cost.facts ?? [])])
      out.push(`- ${escapeMarkdown(text)}`);
  } else out.push('Not measured yet.');
  out.push('', '## Load tests', '');
  if (report.loadTests && report.loadTests.length > 0) {
    out.push(
      ...table(
        ['model', 'load', 'req/s', 'output tok/s', 'TTFT p50', 'TTFT p99', 'E2E p99', 'SLO'],
        report.loadTests.map((t) => [
          escapeMarkdown(t.model),
          `${t.load} ${t.loadKind === 'rate' ? 'req/s' : 'in flight'}`,
          t.requestsPerSec.toFixed(2),
          t.outputTokensPerSec.toFixed(0),
          ms(t.ttftP50Ms),
          ms(t.ttftP99Ms),
          ms(t.e2eP99Ms),
          t.sloMet === undefined ? '–' : t.sloMet ? 'met' : 'missed',
        ]),
        [false, true, true, true, true, true, true, false],
      ),
    );
  } else out.push('No load test measured yet.');
  out.push('', '## Charts', '');
  for (const chart of reportCharts(report)) {
    out.push(
      `- **${chart.title}**: ${chart.spec ? chart.description : `${chart.missing ?? 'not measured yet'}.`}`,
    );
  }
  out.push(
    '',
    'The HTML report (`verdict report --format html`) draws these charts and lists every case.',
    '',
  );
  return out.join('\n');
}

// A run diff as terminal text and as Markdown. Answers, case ids, inputs and reasons are untrusted:
// on a terminal they pass through terminalText (no escape sequences, no bidi overrides), in Markdown
// through escapeMarkdown. Nothing is computed here.
import { money } from './cost-terminal.ts';
import { renderDecisionChanges } from './decision-changes.ts';
import { escapeMarkdown } from './render-markdown.ts';
import type { CandidateDiff, Change, FlipSide, RunDiff } from './run-diff.ts';
import { terminalText as t } from './terminal-safe.ts';
import { wrapText } from './terminal-text.ts';

interface Colors {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
}

const pct = (v: number) => (Number.isNaN(v) ? '–' : `${(v * 100).toFixed(1)}%`);
const points = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v * 100).toFixed(1)}`;
const pValue = (p: number) => (p < 0.0001 ? '<0.0001' : p.toFixed(4));
const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v).toLocaleString('en-US')} ms`);
const usd = (v: number | null) => (v === null ? '–' : money(v));
const rel = (c: Change) =>
  c.relative === null ? '' : ` (${c.relative >= 0 ? '+' : '−'}${Math.abs(c.relative * 100).toFixed(0)}%)`;
const moved = (c: Change, show: (v: number | null) => string) =>
  c.before === c.after ? show(c.after) : `${show(c.before)} → ${show(c.after)}${rel(c)}`;

/** The candidate's name in the diff: `id`, or `before-id → after-id` across candidates. */
export function pairName(c: CandidateDiff): string {
  return c.beforeCandidateId === c.candidateId ? c.candidateId : `${c.beforeCandidateId} → ${c.candidateId}`;
}

/** One sentence of the quality change, as the gate and the renderings say it. */
export function qualitySentence(c: CandidateDiff, alpha: number): string {
  const d = c.paired.difference;
  return `${pct(c.passRateBefore.estimate)} → ${pct(c.passRateAfter.estimate)} on ${c.shared} shared cases, ${points(d.estimate)} points (95% CI ${points(d.low)} to ${points(d.high)}), exact McNemar p = ${pValue(c.paired.pValue)} (${c.broken} broken, ${c.fixed} fixed)${c.significant ? `: significant at ${alpha}` : ': not significant'}`;
}

const side = (s: FlipSide, baselineFile: boolean) =>
  s.output !== null
    ? s.output
    : s.error !== null
      ? `[error] ${s.error}`
      : baselineFile
        ? '(not kept)'
        : '(no answer)';

function cut(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** The diff as terminal lines. `baselineFile`: the before side is a file, which keeps no answers. */
export function renderDiffTerminal(diff: RunDiff, c: Colors, width: number, baselineFile = false): string {
  const out: string[] = [];
  out.push(c.bold(`verdict diff · ${t(diff.after.workload)}`));
  out.push(
    c.dim(
      `before: run ${t(diff.before.runId)} (${diff.before.startedAt.slice(0, 16).replace('T', ' ')}, decision v${diff.before.decisionVersion})${baselineFile ? ' from a baseline file' : ''}`,
    ),
  );
  out.push(
    c.dim(
      `after:  run ${t(diff.after.runId)} (${diff.after.startedAt.slice(0, 16).replace('T', ' ')}, decision v${diff.after.decisionVersion})`,
    ),
  );
  out.push('');
  const dec = diff.decision;
  out.push(
    dec.changed
      ? c.bold(`Decision changed: ${t(dec.before ?? 'none')} → ${t(dec.after ?? 'none')}`)
      : `Decision unchanged: ${t(dec.after ?? 'none')}`,
  );
  const why = renderDecisionChanges(dec.changes, c, width)
    .slice(1)
    .filter((line) => !line.startsWith('Pick:'));
  out.push(...why.map((line) => `  ${t(line)}`));
  out.push('');
  for (const cand of diff.candidates) {
    const mark = cand.significant
      ? cand.paired.difference.estimate < 0
        ? c.red('worse')
        : c.green('better')
      : 'no significant change';
    out.push(`${c.bold(t(pairName(cand)))}: ${mark}`);
    if (cand.beforeModel !== cand.afterModel)
      out.push(`  model ${t(cand.beforeModel)} → ${t(cand.afterModel)}`);
    out.push(...wrapText(`pass rate ${qualitySentence(cand, diff.alpha)}`, width, '  ', '    '));
    if (cand.onlyBefore + cand.onlyAfter > 0)
      out.push(
        c.dim(`  cases in one run only: ${cand.onlyBefore} before, ${cand.onlyAfter} after (not paired)`),
      );
    for (const tag of cand.tags.slice(0, 5))
      out.push(`  tag ${t(tag.tag)}: ${pct(tag.before)} → ${pct(tag.after)} (${tag.cases} cases)`);
    out.push(`  TTFT p90 ${moved(cand.ttftP90Ms, ms)} · end-to-end p90 ${moved(cand.e2eP90Ms, ms)}`);
    out.push(`  cost per request ${moved(cand.costPerRequestUsd, usd)}`);
    if (cand.flipped.length > 0) {
      const col = Math.max(12, Math.floor((width - 6) / 2));
      out.push(c.dim(`    ${cut('before', col)}  after`));
      for (const flip of cand.flipped) {
        const head = `  ${flip.direction === 'broken' ? c.red('✗ broken') : c.green('✓ fixed')} ${t(flip.caseId)}${flip.tags.length ? ` [${t(flip.tags.join(', '))}]` : ''}${flip.expected !== undefined ? ` · expected ${t(flip.expected)}` : ''}`;
        out.push(head.length > width + 20 ? `${head.slice(0, width + 19)}…` : head);
        out.push(
          `    ${cut(`${flip.before.pass ? 'pass' : 'fail'}: ${t(side(flip.before, baselineFile))}`, col)}  ${cut(`${flip.after.pass ? 'pass' : 'fail'}: ${t(side(flip.after, false))}`, col).trimEnd()}`,
        );
      }
      if (cand.flippedOmitted > 0)
        out.push(c.dim(`  … ${cand.flippedOmitted} more flipped cases (--limit to see them)`));
    }
    out.push('');
  }
  if (diff.onlyBefore.length > 0) out.push(`Only in the before run: ${t(diff.onlyBefore.join(', '))}`);
  if (diff.onlyAfter.length > 0) out.push(`Only in the after run: ${t(diff.onlyAfter.join(', '))}`);
  return `${out.join('\n').trimEnd()}\n`;
}

/** The diff as a Markdown section. */
export function renderDiffMarkdown(diff: RunDiff, baselineFile = false): string {
  const m = escapeMarkdown;
  const out: string[] = [];
  out.push(`# What changed: ${m(diff.after.workload)}`, '');
  out.push(
    `Before: run \`${m(diff.before.runId)}\` (${diff.before.startedAt.slice(0, 10)}, decision v${diff.before.decisionVersion})${baselineFile ? ', a baseline file' : ''} · after: run \`${m(diff.after.runId)}\` (${diff.after.startedAt.slice(0, 10)}, decision v${diff.after.decisionVersion})`,
    '',
  );
  const dec = diff.decision;
  out.push(
    dec.changed
      ? `**Decision changed:** ${m(dec.before ?? 'none')} → ${m(dec.after ?? 'none')}`
      : `**Decision unchanged:** ${m(dec.after ?? 'none')}`,
    '',
  );
  const ch = dec.changes;
  const lines = [
    ...(ch.runnerUp
      ? [`Runner-up: ${m(ch.runnerUp.before ?? 'none')} → ${m(ch.runnerUp.after ?? 'none')}`]
      : []),
    ...ch.costs.map(
      (x) =>
        `${m(x.optionId)}: ${x.before === null ? 'not priced' : money(x.before)} → ${x.after === null ? 'not priced' : money(x.after)} a month`,
    ),
    ...ch.reasonsAdded.map((r) => `added: ${m(r)}`),
    ...ch.reasonsRemoved.map((r) => `removed: ${m(r)}`),
  ];
  if (lines.length > 0) out.push(...lines.map((l) => `- ${l}`), '');
  out.push(
    '| candidate | pass rate | change (95% CI) | McNemar p | broken / fixed | TTFT p90 | E2E p90 | cost / request |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const c of diff.candidates) {
    const d = c.paired.difference;
    out.push(
      `| ${m(pairName(c))} | ${pct(c.passRateBefore.estimate)} → ${pct(c.passRateAfter.estimate)} | ${points(d.estimate)} (${points(d.low)}, ${points(d.high)}) | ${pValue(c.paired.pValue)}${c.significant ? ' **significant**' : ''} | ${c.broken} / ${c.fixed} | ${m(moved(c.ttftP90Ms, ms))} | ${m(moved(c.e2eP90Ms, ms))} | ${m(moved(c.costPerRequestUsd, usd))} |`,
    );
  }
  out.push('');
  for (const c of diff.candidates) {
    if (c.flipped.length === 0) continue;
    out.push(`## ${m(pairName(c))}: flipped cases`, '');
    if (c.tags.length > 0)
      out.push(
        `Tags: ${c.tags.map((x) => `${m(x.tag)} ${pct(x.before)} → ${pct(x.after)} (${x.cases} cases)`).join('; ')}`,
        '',
      );
    out.push('| case | tags | expected | before | after |', '| --- | --- | --- | --- | --- |');
    for (const f of c.flipped)
      out.push(
        `| ${f.direction === 'broken' ? '✗' : '✓'} ${m(f.caseId)} | ${m(f.tags.join(', '))} | ${m(f.expected ?? '')} | ${f.before.pass ? 'pass' : 'fail'}: ${m(side(f.before, baselineFile))} | ${f.after.pass ? 'pass' : 'fail'}: ${m(side(f.after, false))} |`,
      );
    if (c.flippedOmitted > 0) out.push('', `… and ${c.flippedOmitted} more.`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

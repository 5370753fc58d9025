// The judge-reliability lines of the terminal report: per grader, the judge's spread over repeated
// asks and the cases whose asks fall on both sides of the threshold; the agreement with a second
// judge, people's labels and re-judgings as Cohen's kappa with its interval and both pass rates, the
// results they disagree on, and a flag when it is low.
import { HUMAN_LABELLED } from '../spec/grade.ts';
import type { JudgeAgreement, JudgeReliability } from '../spec/quality.ts';

interface Paint {
  bold(text: string): string;
  dim(text: string): string;
}

const SHOWN = 5;
const two = (x: number) => String(Math.round(x * 100) / 100);
const verdict = (pass: boolean) => (pass ? 'pass' : 'fail');
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Wraps `text` at spaces to `width`, continuing lines with `indent`. */
function wrap(text: string, width: number, indent: string): string[] {
  const lead = /^ */.exec(text)![0];
  const out: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    if (line.trim() && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line.trim() ? `${line} ${word}` : line + word;
  }
  if (line.trim()) out.push(line);
  return out;
}

/** The block's lines, none wider than `width` (a single unbreakable word excepted). */
export function renderJudgeReliability(r: JudgeReliability, paint: Paint, width: number): string[] {
  const second = r.graders.find((g) => g.agreement)?.agreement?.second;
  const heading = [
    r.repeat > 1 ? `${r.repeat} asks per output` : '',
    second ? `second judge ${second}` : '',
  ].filter(Boolean);
  const out = [
    '',
    paint.bold('Judge reliability') + (heading.length > 0 ? paint.dim(` · ${heading.join(' · ')}`) : ''),
  ];
  for (const g of r.graders) {
    const parts = [`${g.judged} results judged`];
    if (g.meanSpread !== null) parts.push(`mean spread ${two(g.meanSpread)}`);
    if (r.repeat > 1)
      parts.push(
        g.straddlingCount === 0
          ? 'none straddles the threshold'
          : `${g.straddlingCount} straddle the threshold`,
      );
    out.push(...wrap(`${g.grader} (${g.judge}): ${parts.join(', ')}`, width, '  '));
    if (g.straddlingCount > 0) {
      const cases = g.straddling
        .slice(0, SHOWN)
        .map(
          (s) =>
            `${s.candidateId}/${s.caseId}${s.repeat ? `#${s.repeat}` : ''} ${s.scores.map(two).join(', ')} → ${verdict(s.pass)}`,
        );
      const more = g.straddlingCount > SHOWN ? `; ${g.straddlingCount - SHOWN} more in the JSON report` : '';
      out.push(...wrap(`  straddling: ${cases.join('; ')}${more}`, width, '    '));
    }
    if (g.agreement)
      out.push(...agreementLines(g.agreement, `agreement with ${g.agreement.second}`, r, width));
    if (g.human) out.push(...agreementLines(g.human, 'agreement with people', r, width));
    for (const again of g.rejudges ?? []) {
      const label = `re-judged by ${again.second} (prompt v${again.prompt})`;
      out.push(...agreementLines(again, label, r, width));
      if (again.human) out.push(...agreementLines(again.human, `  ${again.second} with people`, r, width));
    }
  }
  return out;
}

/** One agreement: both raters' pass rates, kappa with its interval, a flag when low, the disagreeing results. */
function agreementLines(a: JudgeAgreement, label: string, r: JudgeReliability, width: number): string[] {
  const kappa =
    a.kappa === null
      ? 'κ undefined: each gave one verdict to every result'
      : `κ = ${two(a.kappa)}, 95% CI ${two(a.interval!.low)} to ${two(a.interval!.high)}`;
  const rates = `pass ${pct(a.passRates.first)} vs ${pct(a.passRates.second)}`;
  const flag = a.low
    ? ` — LOW (below ${r.lowKappa}): read this grader's pass rates as less certain than their intervals; the decision does not call a candidate non-inferior on them`
    : '';
  const out = wrap(`  ${label}: ${a.agreed} of ${a.n} (${rates}; ${kappa})${flag}`, width, '    ');
  if (a.disagreementCount > 0) {
    const cases = a.disagreements
      .slice(0, SHOWN)
      .map(
        (d) =>
          `${d.candidateId === HUMAN_LABELLED ? '' : `${d.candidateId}/`}${d.caseId}${d.repeat ? `#${d.repeat}` : ''} (${verdict(d.first)} vs ${verdict(d.second)})`,
      );
    const more =
      a.disagreementCount > SHOWN ? `; ${a.disagreementCount - SHOWN} more in the JSON report` : '';
    out.push(...wrap(`  disagree: ${cases.join('; ')}${more}`, width, '    '));
  }
  return out;
}

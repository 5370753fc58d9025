// The judge-reliability lines of the terminal report: per grader, the judge's spread over repeated
// asks and the cases whose asks fall on both sides of the threshold; the agreement with a second
// judge as Cohen's kappa with its interval, the results they disagree on, and a flag when it is low.
import type { JudgeReliability } from '../spec/quality.ts';

interface Paint {
  bold(text: string): string;
  dim(text: string): string;
}

const SHOWN = 5;
const two = (x: number) => String(Math.round(x * 100) / 100);
const verdict = (pass: boolean) => (pass ? 'pass' : 'fail');

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
  const out = ['', paint.bold('Judge reliability') + paint.dim(` · ${heading.join(' · ')}`)];
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
    const a = g.agreement;
    if (a) {
      const kappa =
        a.kappa === null
          ? 'κ undefined: each judge gave one verdict to every result'
          : `κ = ${two(a.kappa)}, 95% CI ${two(a.interval!.low)} to ${two(a.interval!.high)}`;
      const flag = a.low
        ? ` — LOW (below ${r.lowKappa}): the judges disagree; read this grader's pass rates as less certain than their intervals`
        : '';
      out.push(
        ...wrap(`  agreement with ${a.second}: ${a.agreed} of ${a.n} (${kappa})${flag}`, width, '    '),
      );
      if (a.disagreementCount > 0) {
        const cases = a.disagreements
          .slice(0, SHOWN)
          .map(
            (d) =>
              `${d.candidateId}/${d.caseId}${d.repeat ? `#${d.repeat}` : ''} (${verdict(d.first)} vs ${verdict(d.second)})`,
          );
        const more =
          a.disagreementCount > SHOWN ? `; ${a.disagreementCount - SHOWN} more in the JSON report` : '';
        out.push(...wrap(`  disagree: ${cases.join('; ')}${more}`, width, '    '));
      }
    }
  }
  return out;
}

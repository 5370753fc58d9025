// What every decision scenario checks, collected as a list of mismatches so one failing scenario
// says everything that is off (pick, runner-up, cost, break-even, and each format), not only the first.
import type { Report } from '../../src/spec/decision.ts';
import type { ScenarioRun } from './scenario-cli.ts';
import { INPUT_TOKENS, OUTPUT_TOKENS, rightAnswer, scenarioAnswer } from './scenario-server.ts';

export interface Expected {
  /** `decision.winner`: a candidate id, a split `cheap→strong`, or null when undecided. */
  winner: string | null;
  /** `decision.winnerOption` when the pick is a route other than the candidate's own (a managed API). */
  winnerOption?: string;
  runnerUp: string | null;
  runnerUpOption?: string;
  /** Monthly cost of the pick (of the provisional pick when undecided), within ±0.5%. */
  monthlyUsd: number;
  /** A break-even between an API option and a self-hosted option, within ±1% (null: never). */
  breakEven?: { api: string; self: string; volume: number | null };
  /** `decision.provisional.winner` when undecided. */
  provisional?: string;
}

const within = (actual: number, expected: number, tolerance: number) =>
  Math.abs(actual - expected) <= Math.abs(expected) * tolerance;

const money = (x: number | undefined) =>
  x === undefined ? 'none' : `$${Number(x.toFixed(4)).toLocaleString('en-US')}`;

/** The pick and runner-up a rendered format names, as a reader would read them. */
export function namedIn(
  format: 'md' | 'html' | 'terminal' | 'dashboard',
  text: string,
): { pick: string; runnerUp: string } {
  const clean = (s: string | undefined) =>
    (s ?? 'none')
      .replace(/<[^>]*>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&gt;/g, '>')
      .replace(/&lt;/g, '<')
      .replace(/\\(.)/g, '$1')
      .trim()
      .split(/\s+/)[0]!;
  const patterns = {
    md: [/\*\*Decision:\*\*\s*(.*)$/m, /\*\*Runner-up:\*\*\s*(.*)$/m],
    html: [/class="winner">\s*Decision:\s*(.*?)<\/div>/, /Runner-up:\s*(.*?)<\/div>/],
    terminal: [/^Decision:\s*(.*)$/m, /^Runner-up:\s*(.*)$/m],
    dashboard: [/class="winner">\s*Decision:\s*(.*?)<\/div>/, /Runner-up:\s*(.*?)<\/div>/],
  }[format];
  const decision = patterns[0]!.exec(text);
  // No decision line at all is not "none": say so rather than match an undecided expectation.
  return {
    pick: decision ? clean(decision[1]) : '(no decision line)',
    runnerUp: clean(patterns[1]!.exec(text)?.[1]),
  };
}

/** The first candidate named after the word "provisional" on a line that names one. */
function provisionalIn(text: string, ids: string[]): string {
  for (const [, line] of text.replace(/\\(.)/g, '$1').matchAll(/rovisional([^\n]*)/g)) {
    const at = ids
      .map((id) => ({ id, i: line!.search(new RegExp(`(^|[^\\w-])${id}($|[^\\w-])`)) }))
      .filter((x) => x.i >= 0)
      .sort((a, b) => a.i - b.i);
    if (at[0]) return at[0].id;
  }
  return 'none';
}

/** The option row of the cost table the decision's pick refers to. */
function pickedOption(report: Report, optionId: string | null | undefined) {
  if (!optionId) return undefined;
  return report.cost?.options.find((o) => o.optionId === optionId);
}

/** What the hand arithmetic rests on: each candidate's pass count follows its rule, and every request measured 10 + 9 tokens. */
export function premises(run: ScenarioRun): string[] {
  const out: string[] = [];
  for (const c of run.report.candidates) {
    const model = c.model.replace(/^openai-compatible:/, '');
    let right = 0;
    for (let n = 0; n < c.total; n++) if (scenarioAnswer(model, n) === rightAnswer(n)) right++;
    if (c.passed !== right)
      out.push(`premise: ${c.candidateId} passed ${c.passed}/${c.total}, its rule says ${right}`);
    if (c.errors > 0) out.push(`premise: ${c.candidateId} has ${c.errors} failed calls`);
    if (c.inputTokens !== INPUT_TOKENS * c.total || c.outputTokens !== OUTPUT_TOKENS * c.total)
      out.push(
        `premise: ${c.candidateId} measured ${c.inputTokens} + ${c.outputTokens} tokens over ${c.total} requests, not ${INPUT_TOKENS} + ${OUTPUT_TOKENS} each`,
      );
  }
  return out;
}

/** Every way the run's outcome differs from the hand-worked expectation; empty when all agree. */
export function mismatches(run: ScenarioRun, e: Expected): string[] {
  const out: string[] = premises(run);
  const d = run.report.decision;
  if (d.winner !== e.winner) out.push(`winner: expected ${e.winner}, got ${d.winner}`);
  if (e.winnerOption !== undefined && d.winnerOption !== e.winnerOption)
    out.push(`winnerOption: expected ${e.winnerOption}, got ${d.winnerOption}`);
  if (d.runnerUp !== e.runnerUp) out.push(`runnerUp: expected ${e.runnerUp}, got ${d.runnerUp}`);
  if (e.runnerUpOption !== undefined && d.runnerUpOption !== e.runnerUpOption)
    out.push(`runnerUpOption: expected ${e.runnerUpOption}, got ${d.runnerUpOption}`);
  if (e.provisional !== undefined && d.provisional?.winner !== e.provisional)
    out.push(
      `provisional: expected ${e.provisional}, got ${d.provisional?.winner ?? 'no decision.provisional'}`,
    );

  const pickId =
    e.winner === null ? (d.provisional?.winnerOption ?? d.provisional?.winner) : (e.winnerOption ?? e.winner);
  const row = pickedOption(run.report, pickId);
  if (!row) out.push(`cost: no row ${pickId} in cost.options (expected ${money(e.monthlyUsd)})`);
  else if (!within(row.monthlyUsd, e.monthlyUsd, 0.005))
    out.push(`cost of ${pickId}: expected ${money(e.monthlyUsd)}, got ${money(row.monthlyUsd)}`);

  if (e.breakEven) {
    const be = run.report.cost?.breakEvens?.find(
      (b) => b.apiOptionId === e.breakEven!.api && b.selfHostedOptionId === e.breakEven!.self,
    );
    const want = e.breakEven.volume;
    if (!be) out.push(`break-even ${e.breakEven.api}/${e.breakEven.self}: missing`);
    else if (want === null ? be.volume !== null : be.volume === null || !within(be.volume, want, 0.01))
      out.push(
        `break-even ${e.breakEven.api}/${e.breakEven.self}: expected ${want?.toLocaleString('en-US')}, got ${be.volume?.toLocaleString('en-US') ?? String(be.volume)}`,
      );
  }

  out.push(...formatsDisagree(run, e.winner, e.runnerUp, e.provisional));
  return out;
}

/** Where the formats differ from the pick, runner-up (and provisional pick) expected; empty when all agree. */
export function formatsDisagree(
  run: ScenarioRun,
  winner: string | null,
  runnerUp: string | null,
  provisional?: string,
): string[] {
  const out: string[] = [];
  const d = run.report.decision;
  const stored = run.formats.json.decision;
  if (stored.winner !== d.winner || stored.runnerUp !== d.runnerUp)
    out.push(
      `report --format json: ${stored.winner} / ${stored.runnerUp}, run --json: ${d.winner} / ${d.runnerUp}`,
    );
  const pick = winner ?? 'none';
  const ids = run.report.candidates.map((c) => c.candidateId);
  for (const format of ['md', 'html', 'terminal', 'dashboard'] as const) {
    const named = namedIn(format, run.formats[format]);
    if (named.pick !== pick) out.push(`report --format ${format} names the pick ${named.pick}, not ${pick}`);
    if (winner !== null && named.runnerUp !== (runnerUp ?? 'none'))
      out.push(`report --format ${format} names the runner-up ${named.runnerUp}, not ${runnerUp}`);
    // A figure that reads NaN (scripts aside: the HTML carries the chart runtime, which says NaN).
    if (/\bNaN\b/.test(run.formats[format].replace(/<script[\s\S]*?<\/script>/g, '')))
      out.push(`report --format ${format} shows NaN`);
    if (provisional) {
      const named = provisionalIn(run.formats[format], ids);
      if (named !== provisional)
        out.push(`report --format ${format} names the provisional pick ${named}, not ${provisional}`);
    }
  }
  return out;
}

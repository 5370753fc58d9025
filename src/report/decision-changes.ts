// What changed between two versions of a run's decision: the pick, the runner-up, each option's
// monthly cost, reasons added and removed, and what the decision rested on (catalogues, verdict).

import type { Decision } from '../spec/decision.ts';
import type { DecisionRecord } from '../spec/decision-record.ts';
import { money, wrapText } from './cost-terminal.ts';

type Decided = Pick<DecisionRecord, 'decision' | 'cost'>;

/** `winner via route`, or null: what a reader calls the pick. */
export function pickLabel(id: string | null, option: string | undefined): string | null {
  return id === null ? null : option && option !== id ? `${id} via ${option}` : id;
}

// The re-evaluation date and the age of prices move with the day a decision is made; neither is a
// change of the decision, so they are left out when comparing (digits in caveats are age counts).
function substance({ decision, cost }: Decided): string {
  const { reevaluate, caveats, ...rest } = decision;
  return JSON.stringify({
    ...rest,
    caveats: caveats.map((c) => c.replace(/\d+/g, '#')),
    triggers: reevaluate?.triggers ?? null,
    cost: cost ?? null,
  });
}

/** Whether two decisions say the same thing (ignoring the day they were made). */
export function sameDecision(a: Decided, b: Decided): boolean {
  return substance(a) === substance(b);
}

export interface DecisionChanges {
  fromVersion: number;
  toVersion: number;
  /** Before and after, when it changed. */
  pick?: { before: string | null; after: string | null };
  runnerUp?: { before: string | null; after: string | null };
  /** Options whose monthly cost changed, appeared (before null) or went (after null). */
  costs: Array<{ optionId: string; before: number | null; after: number | null }>;
  reasonsAdded: string[];
  reasonsRemoved: string[];
  caveatsAdded: string[];
  caveatsRemoved: string[];
  /** Catalogues whose rows, sources or dates differ. */
  catalogues: Array<{ name: string; before: string | null; after: string | null }>;
  verdictVersion?: { before: string; after: string };
}

const runner = (d: Decision) => pickLabel(d.runnerUp, d.runnerUpOption);
const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
// The version is compared only when both records have one: a decision stored before catalogues were
// versioned data files did not change because the newer one names its version.
const catalogueLine = (c: DecisionRecord['catalogues'][number], withVersion: boolean) =>
  `${c.rows} rows, ${c.from === c.to ? c.from : `${c.from} to ${c.to}`}, ${c.sources.join(', ')}${withVersion && c.version ? `, version ${c.version}` : ''}`;

/** What changed from `before` to `after` (a new version, or the decision made now). */
export function decisionChanges(
  before: DecisionRecord,
  after: Omit<DecisionRecord, 'version'> & { version?: number },
): DecisionChanges {
  const a = before.decision;
  const b = after.decision;
  const pickBefore = pickLabel(a.winner, a.winnerOption);
  const pickAfter = pickLabel(b.winner, b.winnerOption);
  const monthly = (r: Decided) => new Map((r.cost?.options ?? []).map((o) => [o.optionId, o.monthlyUsd]));
  const m1 = monthly(before);
  const m2 = monthly(after);
  // To the cent: a figure that moved less than that is not a change a reader can see.
  const cents = (v: number | undefined) => (v === undefined ? null : Math.round(v * 100));
  const costs = [...new Set([...m1.keys(), ...m2.keys()])]
    .filter((id) => cents(m1.get(id)) !== cents(m2.get(id)))
    .map((id) => ({ optionId: id, before: m1.get(id) ?? null, after: m2.get(id) ?? null }));
  const versioned = [...before.catalogues, ...after.catalogues].every((c) => c.version !== undefined);
  // Before its version moved to a field, the genai-prices catalogue's name carried it.
  const nameOf = (name: string) => name.replace(/^(token prices: @pydantic\/genai-prices) .*$/, '$1');
  const cat1 = new Map(before.catalogues.map((c) => [nameOf(c.name), catalogueLine(c, versioned)]));
  const cat2 = new Map(after.catalogues.map((c) => [c.name, catalogueLine(c, versioned)]));
  return {
    fromVersion: before.version,
    toVersion: after.version ?? before.version,
    ...(pickBefore !== pickAfter ? { pick: { before: pickBefore, after: pickAfter } } : {}),
    ...(runner(a) !== runner(b) ? { runnerUp: { before: runner(a), after: runner(b) } } : {}),
    costs,
    reasonsAdded: minus(b.reasons, a.reasons),
    reasonsRemoved: minus(a.reasons, b.reasons),
    caveatsAdded: minus(b.caveats, a.caveats),
    caveatsRemoved: minus(a.caveats, b.caveats),
    catalogues: [...new Set([...cat1.keys(), ...cat2.keys()])]
      .filter((name) => cat1.get(name) !== cat2.get(name))
      .map((name) => ({ name, before: cat1.get(name) ?? null, after: cat2.get(name) ?? null })),
    ...(before.verdictVersion !== after.verdictVersion
      ? { verdictVersion: { before: before.verdictVersion, after: after.verdictVersion } }
      : {}),
  };
}

/** The changes as terminal lines. */
export function renderDecisionChanges(
  changes: DecisionChanges,
  c: { bold: (t: string) => string; dim: (t: string) => string },
  width: number,
): string[] {
  const out = [c.bold(`Changed from version ${changes.fromVersion} to version ${changes.toVersion}`)];
  const none = (v: string | null) => v ?? 'none';
  if (changes.pick) out.push(`Pick: ${none(changes.pick.before)} → ${none(changes.pick.after)}`);
  if (changes.runnerUp)
    out.push(`Runner-up: ${none(changes.runnerUp.before)} → ${none(changes.runnerUp.after)}`);
  for (const cost of changes.costs)
    out.push(
      ...wrapText(
        `${cost.optionId}: ${cost.before === null ? 'not priced' : money(cost.before)} → ${cost.after === null ? 'not priced' : money(cost.after)} a month`,
        width,
        '• ',
        '  ',
      ),
    );
  for (const reason of changes.reasonsAdded) out.push(...wrapText(reason, width, '+ ', '  '));
  for (const reason of changes.reasonsRemoved) out.push(...wrapText(reason, width, '- ', '  ').map(c.dim));
  for (const caveat of changes.caveatsAdded) out.push(...wrapText(`caveat: ${caveat}`, width, '+ ', '  '));
  for (const caveat of changes.caveatsRemoved)
    out.push(...wrapText(`caveat: ${caveat}`, width, '- ', '  ').map(c.dim));
  for (const cat of changes.catalogues)
    out.push(
      ...wrapText(
        `catalogue ${cat.name}: ${cat.before ?? 'absent'} → ${cat.after ?? 'absent'}`,
        width,
        '• ',
        '  ',
      ).map(c.dim),
    );
  if (changes.verdictVersion)
    out.push(c.dim(`verdict ${changes.verdictVersion.before} → ${changes.verdictVersion.after}`));
  return out;
}

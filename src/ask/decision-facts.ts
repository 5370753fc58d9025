// The facts `verdict ask` answers from: every sentence, figure and table row of a stored decision and
// its quality, each with a short id (F1, F2…) a model must cite, indexed for retrieval with MiniSearch.
import MiniSearch from 'minisearch';
import type { DecisionRecord } from '../spec/decision-record.ts';
import type { QualityReport } from '../spec/quality.ts';

export interface Fact {
  id: string;
  /** Where the fact comes from in the decision record (`reasons[2]`, `cost.options[llama]`). */
  source: string;
  text: string;
}

const usd = (n: number) => `$${n.toLocaleString('en-US', { maximumFractionDigits: n < 1 ? 4 : 2 })}`;
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

/** The facts of a decision and its quality, in the memo's order (the pick first). */
export function decisionFacts(
  record: Pick<DecisionRecord, 'decision' | 'cost'>,
  quality?: QualityReport,
): Fact[] {
  const d = record.decision;
  const rows: Array<[string, string]> = [];
  rows.push([
    'winner',
    d.winner
      ? `The pick is ${d.winner}${d.winnerOption && d.winnerOption !== d.winner ? ` (option ${d.winnerOption})` : ''}.`
      : `No winner is named${d.provisional ? `; provisional pick ${d.provisional.winner}: ${d.provisional.sentence}` : '.'}`,
  ]);
  rows.push(['runnerUp', d.runnerUp ? `The runner-up is ${d.runnerUp}.` : 'There is no runner-up.']);
  d.reasons.forEach((reason, i) => {
    rows.push([`reasons[${i}]`, reason]);
  });
  (d.removed ?? []).forEach((text, i) => {
    rows.push([`removed[${i}]`, text]);
  });
  (d.flips ?? []).forEach((text, i) => {
    rows.push([`flips[${i}]`, text]);
  });
  if (d.hybrid) rows.push(['hybrid', d.hybrid.verdict]);
  if (d.reevaluate)
    rows.push([
      'reevaluate',
      `Look again by ${d.reevaluate.date}, or sooner if: ${d.reevaluate.triggers.join('; ')}.`,
    ]);
  d.caveats.forEach((caveat, i) => {
    rows.push([`caveats[${i}]`, caveat]);
  });
  const cost = record.cost;
  if (cost) {
    for (const option of cost.options) {
      const o = option;
      if (!Number.isFinite(o.monthlyUsd)) continue;
      rows.push([
        `cost.options[${o.optionId}]`,
        `${o.optionId} (${o.family ?? 'option'}) costs ${usd(o.monthlyUsd)} a month at ${cost.requestsPerMonth.toLocaleString('en-US')} requests a month${Number.isFinite(o.costPerRequestUsd) ? ` (${usd(o.costPerRequestUsd)} a request)` : ''}${o.replicas ? `, ${o.replicas} replicas` : ''}${o.status ? ` [${o.status}]` : ''}.`,
      ]);
    }
    (cost.facts ?? []).forEach((text, i) => {
      rows.push([`cost.facts[${i}]`, text]);
    });
  }
  for (const c of quality?.candidates ?? [])
    rows.push([
      `quality.candidates[${c.candidateId}]`,
      `${c.candidateId} passed ${c.passed} of ${c.cases} cases: ${pct(c.passRate.estimate)} (95% interval ${pct(c.passRate.low)}–${pct(c.passRate.high)}), ${c.modelFailures} failed calls.`,
    ]);
  // A removal is both a reason and a removal: one fact, under its first place.
  const unique = rows.filter(([, text], i) => rows.findIndex(([, other]) => other === text) === i);
  return unique.map(([source, text], i) => ({ id: `F${i + 1}`, source, text }));
}

/** The facts most relevant to a question: the pick always, then the best MiniSearch matches. */
export function retrieveFacts(facts: Fact[], question: string, limit = 8): Fact[] {
  const index = new MiniSearch<Fact>({ fields: ['text', 'source'], storeFields: ['id'], idField: 'id' });
  index.addAll(facts);
  const hits = index
    .search(question, { prefix: true, fuzzy: 0.2, combineWith: 'OR', boost: { text: 2 } })
    .map((hit) => facts.find((fact) => fact.id === hit.id)!);
  const chosen = [facts[0]!, ...hits.filter((fact) => fact.id !== facts[0]!.id)].slice(0, limit);
  // Nothing matched: the memo's first facts (pick, runner-up, reasons) answer most questions.
  return chosen.length > 1 ? chosen : facts.slice(0, limit);
}

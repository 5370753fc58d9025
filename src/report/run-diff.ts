// What changed between two runs (or one candidate across two runs): per candidate the pass-rate
// change with the paired test on the cases both runs graded (exact McNemar, Newcombe's interval),
// the cases that flipped with both answers, per-tag moves, latency and cost per request, and whether
// the decision changed and why. One object; the terminal, Markdown and JSON render it, and
// `verdict gate` judges it against thresholds.
import type { Interval } from '../spec/decision.ts';
import { comparePaired, type PairedComparison } from '../stats/paired-comparison.ts';
import type { Store } from '../store/store.ts';
import { type DecisionChanges, decisionChanges, pickLabel } from './decision-changes.ts';
import type { CandidateSnapshot, RunSnapshot } from './run-snapshot.ts';

/** One side of a flipped case. */
export interface FlipSide {
  pass: boolean;
  /** The answer; null when the call failed or the side is a baseline file (which keeps no answers). */
  output: string | null;
  error: string | null;
}

/** A case one candidate passed in one run and failed in the other. */
export interface FlippedCase {
  caseId: string;
  direction: 'broken' | 'fixed';
  tags: string[];
  vars?: Record<string, string>;
  expected?: string;
  before: FlipSide;
  after: FlipSide;
}

/** A figure before and after, with the relative change (after ÷ before − 1; null when before is 0 or missing). */
export interface Change {
  before: number | null;
  after: number | null;
  relative: number | null;
}

export interface CandidateDiff {
  /** The candidate in the later run; `beforeCandidateId` when another candidate is its baseline. */
  candidateId: string;
  beforeCandidateId: string;
  beforeModel: string;
  afterModel: string;
  /** Cases both runs graded (first attempts). */
  shared: number;
  onlyBefore: number;
  onlyAfter: number;
  /** Pass rates on the shared cases. */
  passRateBefore: Interval;
  passRateAfter: Interval;
  /** after − before: difference (Newcombe), exact McNemar p, conclusion. */
  paired: PairedComparison;
  /** McNemar p below alpha. */
  significant: boolean;
  broken: number;
  fixed: number;
  /** Tags whose shared cases' pass rate moved, largest drop first. */
  tags: Array<{ tag: string; cases: number; before: number; after: number }>;
  ttftP90Ms: Change;
  e2eP90Ms: Change;
  costPerRequestUsd: Change;
  /** The flipped cases, broken first, up to the limit asked. */
  flipped: FlippedCase[];
  /** Flipped cases left out by the limit. */
  flippedOmitted: number;
}

export interface RunDiff {
  schemaVersion: 1;
  kind: 'run-diff';
  before: { runId: string; workload: string; startedAt: string; decisionVersion: number };
  after: { runId: string; workload: string; startedAt: string; decisionVersion: number };
  candidates: CandidateDiff[];
  /** Candidates in one run only. */
  onlyBefore: string[];
  onlyAfter: string[];
  decision: {
    changed: boolean;
    before: string | null;
    after: string | null;
    /** What changed in the decision (pick, runner-up, costs, reasons, catalogues). */
    changes: DecisionChanges;
  };
  alpha: number;
}

export interface DiffOptions {
  /** Significance level of the paired test (default 0.05). */
  alpha?: number;
  /** Flipped cases kept per candidate (default 20; Infinity for all). */
  limit?: number;
  /** Compare only these pairs (after id → before id); default every candidate in both runs by id. */
  pairs?: Array<{ before: string; after: string }>;
}

const change = (before: number | null, after: number | null): Change => ({
  before,
  after,
  relative: before === null || after === null || before === 0 ? null : after / before - 1,
});

function candidateDiff(
  before: CandidateSnapshot,
  after: CandidateSnapshot,
  tags: Record<string, string[]>,
  alpha: number,
  limit: number,
): Omit<CandidateDiff, 'flipped'> & { flippedIds: Array<{ caseId: string; broken: boolean }> } {
  const a: boolean[] = [];
  const b: boolean[] = [];
  const flippedIds: Array<{ caseId: string; broken: boolean }> = [];
  let onlyBefore = 0;
  for (const [caseId, was] of Object.entries(before.passes)) {
    const now = after.passes[caseId];
    if (now === undefined) {
      onlyBefore++;
      continue;
    }
    a.push(now);
    b.push(was);
    if (now !== was) flippedIds.push({ caseId, broken: was });
  }
  const onlyAfter = Object.keys(after.passes).filter((id) => !(id in before.passes)).length;
  const paired = comparePaired(a, b, {
    margin: 0,
    alpha,
    names: [after.candidateId, before.candidateId],
  });
  const tagRows = Object.entries(tags)
    .map(([tag, ids]) => {
      let n = 0;
      let was = 0;
      let now = 0;
      for (const id of ids) {
        const p0 = before.passes[id];
        const p1 = after.passes[id];
        if (p0 === undefined || p1 === undefined) continue;
        n++;
        if (p0) was++;
        if (p1) now++;
      }
      return { tag, cases: n, before: n ? was / n : 0, after: n ? now / n : 0 };
    })
    .filter((row) => row.cases > 0 && row.before !== row.after)
    .sort((x, y) => x.after - x.before - (y.after - y.before));
  flippedIds.sort((x, y) => Number(y.broken) - Number(x.broken));
  const broken = flippedIds.filter((f) => f.broken).length;
  return {
    candidateId: after.candidateId,
    beforeCandidateId: before.candidateId,
    beforeModel: before.model,
    afterModel: after.model,
    shared: a.length,
    onlyBefore,
    onlyAfter,
    passRateBefore: paired.passRateB,
    passRateAfter: paired.passRateA,
    paired,
    significant: paired.counts.n > 0 && paired.pValue < alpha,
    broken,
    fixed: flippedIds.length - broken,
    tags: tagRows,
    ttftP90Ms: change(before.ttftP90Ms, after.ttftP90Ms),
    e2eP90Ms: change(before.e2eP90Ms, after.e2eP90Ms),
    costPerRequestUsd: change(before.costPerRequestUsd, after.costPerRequestUsd),
    flippedOmitted: Math.max(0, flippedIds.length - limit),
    flippedIds: flippedIds.slice(0, limit),
  };
}

/** Compares two snapshots (no answers: a baseline file keeps none); `withAnswers` adds them from the store. */
export function diffSnapshots(before: RunSnapshot, after: RunSnapshot, options: DiffOptions = {}): RunDiff {
  const alpha = options.alpha ?? 0.05;
  const limit = options.limit ?? 20;
  const byId = (s: RunSnapshot) => new Map(s.candidates.map((c) => [c.candidateId, c]));
  const was = byId(before);
  const now = byId(after);
  const pairs =
    options.pairs ??
    after.candidates
      .filter((c) => was.has(c.candidateId))
      .map((c) => ({ before: c.candidateId, after: c.candidateId }));
  const tagOf = new Map<string, string[]>();
  for (const [tag, ids] of Object.entries(after.tags))
    for (const id of ids) tagOf.set(id, [...(tagOf.get(id) ?? []), tag]);
  const candidates = pairs.map((pair) => {
    const { flippedIds, ...rest } = candidateDiff(
      was.get(pair.before)!,
      now.get(pair.after)!,
      after.tags,
      alpha,
      limit,
    );
    return {
      ...rest,
      flipped: flippedIds.map(({ caseId, broken }) => ({
        caseId,
        direction: broken ? ('broken' as const) : ('fixed' as const),
        tags: tagOf.get(caseId) ?? [],
        before: { pass: broken, output: null, error: null },
        after: { pass: !broken, output: null, error: null },
      })),
    };
  });
  const d0 = before.decision.decision;
  const d1 = after.decision.decision;
  const pickBefore = pickLabel(d0.winner, d0.winnerOption);
  const pickAfter = pickLabel(d1.winner, d1.winnerOption);
  const run = (s: RunSnapshot) => ({
    runId: s.runId,
    workload: s.workload,
    startedAt: s.startedAt,
    decisionVersion: s.decision.version,
  });
  return {
    schemaVersion: 1,
    kind: 'run-diff',
    before: run(before),
    after: run(after),
    candidates,
    onlyBefore: options.pairs ? [] : before.candidates.map((c) => c.candidateId).filter((id) => !now.has(id)),
    onlyAfter: options.pairs ? [] : after.candidates.map((c) => c.candidateId).filter((id) => !was.has(id)),
    decision: {
      changed: pickBefore !== pickAfter,
      before: pickBefore,
      after: pickAfter,
      changes: decisionChanges(before.decision, after.decision),
    },
    alpha,
  };
}

/** Fills the flipped cases' answers, inputs and expected answers from the store (one pass over each run). */
export async function withAnswers(store: Store, diff: RunDiff, beforeInStore: boolean): Promise<RunDiff> {
  const fill = async (runId: string, side: 'before' | 'after') => {
    // Two pairs may share a key (one before-candidate against two after-candidates): fill each.
    const byKey = new Map<string, FlippedCase[]>();
    for (const c of diff.candidates)
      for (const f of c.flipped) {
        const key = `${side === 'before' ? c.beforeCandidateId : c.candidateId}\u0000${f.caseId}`;
        byKey.set(key, [...(byKey.get(key) ?? []), f]);
      }
    for await (const result of store.results(runId)) {
      if (result.repeat !== 0) continue;
      for (const flip of byKey.get(`${result.candidateId}\u0000${result.caseId}`) ?? [])
        flip[side] = { pass: result.pass, output: result.output, error: result.error?.message ?? null };
    }
  };
  await fill(diff.after.runId, 'after');
  if (beforeInStore) await fill(diff.before.runId, 'before');
  const ids = new Set(diff.candidates.flatMap((c) => c.flipped.map((f) => f.caseId)));
  if (ids.size > 0)
    for await (const c of store.cases(diff.after.runId)) {
      if (!ids.has(c.id)) continue;
      for (const candidate of diff.candidates)
        for (const flip of candidate.flipped)
          if (flip.caseId === c.id) {
            flip.vars = c.vars;
            if (c.expected !== undefined) flip.expected = c.expected;
          }
    }
  return diff;
}

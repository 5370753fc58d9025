// The CI gate: a run diff judged against thresholds. A candidate fails when its pass rate fell
// significantly (exact McNemar p < alpha) and by more than the margin, when a latency p90 or its cost
// per request rose beyond its threshold, or when it is missing; the run fails when the decision's pick
// changed. Every check is listed, passed or not, so JUnit shows what was checked.
import { money } from './cost-terminal.ts';
import type { CandidateDiff, Change, RunDiff } from './run-diff.ts';
import { pairName } from './run-diff-render.ts';

/** What the gate tolerates (flags, else the workload's `gate:` section, else these defaults). */
export interface GateThresholds {
  /** A significant pass-rate drop fails only beyond this many points (proportion; default 0.05). */
  margin: number;
  /** Significance level of the paired test (default 0.05). */
  alpha: number;
  /** A latency p90 (TTFT, end to end) fails when it rises by more than this share… (default 0.25) */
  latencyRise: number;
  /** …and by more than this many milliseconds, so noise on fast calls does not fail a build (default 100). */
  latencyFloorMs: number;
  /** Cost per request fails when it rises by more than this share (default 0.10). */
  costRise: number;
  /** A changed pick fails (default true). */
  failOnDecisionChange: boolean;
}

export const defaultGateThresholds: GateThresholds = {
  margin: 0.05,
  alpha: 0.05,
  latencyRise: 0.25,
  latencyFloorMs: 100,
  costRise: 0.1,
  failOnDecisionChange: true,
};

export type GateCheckKind = 'quality' | 'ttft-p90' | 'e2e-p90' | 'cost' | 'decision' | 'candidate';

/** One check the gate made; `message` is one line, a failure's reason or what passed. */
export interface GateCheck {
  kind: GateCheckKind;
  candidateId: string | null;
  passed: boolean;
  message: string;
}

export interface GateResult {
  passed: boolean;
  /** The first failure's message, or what passed: the one line CI shows. */
  summary: string;
  checks: GateCheck[];
  thresholds: GateThresholds;
  baseline: { runId: string; file?: string };
  runId: string;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const points = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v * 100).toFixed(1)}`;
const signed = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v * 100).toFixed(0)}%`;
const ms = (v: number | null) => (v === null ? 'not measured' : `${Math.round(v)} ms`);
const usd = (v: number | null) => (v === null ? 'not priced' : money(v));

function qualityCheck(c: CandidateDiff, t: GateThresholds): GateCheck {
  const d = c.paired.difference;
  const p = c.paired.pValue < 0.0001 ? '<0.0001' : c.paired.pValue.toFixed(4);
  const significant = c.paired.counts.n > 0 && c.paired.pValue < t.alpha;
  const fails = significant && d.estimate < -t.margin;
  const figures = `${pct(c.passRateBefore.estimate)} → ${pct(c.passRateAfter.estimate)} (${points(d.estimate)} points, 95% CI ${points(d.low)} to ${points(d.high)}; exact McNemar p = ${p} on ${c.shared} shared cases, ${c.broken} broken, ${c.fixed} fixed)`;
  return {
    kind: 'quality',
    candidateId: c.candidateId,
    passed: !fails,
    message: fails
      ? `${pairName(c)}: pass rate fell ${figures}, significantly and beyond the ${Math.round(t.margin * 1000) / 10}-point margin`
      : `${pairName(c)}: pass rate ${figures}${significant ? '' : ', no significant change'}`,
  };
}

function latencyCheck(c: CandidateDiff, kind: 'ttft-p90' | 'e2e-p90', t: GateThresholds): GateCheck {
  const change: Change = kind === 'ttft-p90' ? c.ttftP90Ms : c.e2eP90Ms;
  const label = kind === 'ttft-p90' ? 'TTFT p90' : 'end-to-end p90';
  const rose =
    change.before !== null &&
    change.after !== null &&
    change.relative !== null &&
    change.relative > t.latencyRise &&
    change.after - change.before > t.latencyFloorMs;
  return {
    kind,
    candidateId: c.candidateId,
    passed: !rose,
    message: `${pairName(c)}: ${label} ${rose ? 'rose ' : ''}${ms(change.before)} → ${ms(change.after)}${change.relative === null ? '' : ` (${signed(change.relative)})`}${rose ? `, beyond +${Math.round(t.latencyRise * 100)}% and ${t.latencyFloorMs} ms` : ''}`,
  };
}

function costCheck(c: CandidateDiff, t: GateThresholds): GateCheck {
  const change = c.costPerRequestUsd;
  const rose = change.relative !== null && change.relative > t.costRise;
  return {
    kind: 'cost',
    candidateId: c.candidateId,
    passed: !rose,
    message: `${pairName(c)}: cost per request ${rose ? 'rose ' : ''}${usd(change.before)} → ${usd(change.after)}${change.relative === null ? '' : ` (${signed(change.relative)})`}${rose ? `, beyond +${Math.round(t.costRise * 100)}%` : ''}`,
  };
}

function decisionCheck(diff: RunDiff, t: GateThresholds): GateCheck {
  const { changed, before, after, changes } = diff.decision;
  // Why, in one clause: the reason that names the former pick (it dropped out, or costs more now).
  const former = before?.split(' ')[0];
  const why =
    (former && changes.reasonsAdded.find((r) => r.startsWith(`${former} `))) ??
    (former && changes.reasonsAdded.find((r) => r.includes(former) && !r.includes(`${former}→`))) ??
    changes.reasonsAdded[0];
  return {
    kind: 'decision',
    candidateId: null,
    passed: !(changed && t.failOnDecisionChange),
    message: changed
      ? `decision changed: ${before ?? 'none'} → ${after ?? 'none'}${why ? ` (${why.replace(/\.$/, '')})` : ''}`
      : `decision unchanged: ${after ?? 'none'}`,
  };
}

/** Judges a diff against thresholds. */
export function gate(
  diff: RunDiff,
  thresholds: GateThresholds,
  baseline: { runId: string; file?: string },
): GateResult {
  const checks: GateCheck[] = [];
  for (const c of diff.candidates) {
    checks.push(qualityCheck(c, thresholds));
    checks.push(latencyCheck(c, 'ttft-p90', thresholds));
    checks.push(latencyCheck(c, 'e2e-p90', thresholds));
    checks.push(costCheck(c, thresholds));
  }
  for (const id of diff.onlyBefore)
    checks.push({
      kind: 'candidate',
      candidateId: id,
      passed: false,
      message: `${id}: in the baseline but not in the new run, so nothing shows it did not get worse`,
    });
  checks.push(decisionCheck(diff, thresholds));
  // Quality first, then the decision, then latency and cost: the first failure is the line CI shows.
  const order: GateCheckKind[] = ['quality', 'candidate', 'decision', 'e2e-p90', 'ttft-p90', 'cost'];
  const failed = checks
    .filter((c) => !c.passed)
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const summary =
    failed.length > 0
      ? `${failed[0]!.message}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}`
      : `${diff.candidates.length} candidate${diff.candidates.length === 1 ? '' : 's'} within thresholds against run ${diff.before.runId}; ${checks.at(-1)!.message}`;
  return {
    passed: failed.length === 0,
    summary,
    checks,
    thresholds,
    baseline,
    runId: diff.after.runId,
  };
}

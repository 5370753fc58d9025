// Re-deciding a stored run on today's catalogues and the team's current workload settings, without
// calling a model, and testing the stored decision's re-evaluation triggers (its `checks`): the
// date passed, the volume left its band, a price it used moved, the input that would flip it
// crossed. Nothing is stored: the caller shows each decision whose pick changed and each trigger
// crossed, beside the stored decision.
import type { Capacity } from '../cost/types.ts';
import type { ReevaluationCheck } from '../spec/decision.ts';
import type { DecisionRecord } from '../spec/decision-record.ts';
import type { Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import { decideRun } from './decide-run.ts';
import { type DecisionChanges, decisionChanges, pickLabel } from './decision-changes.ts';
import { buildQualityReport } from './quality.ts';
import { runEvidence } from './run-evidence.ts';

export interface RecheckOptions {
  /** The day to check as of (default now). */
  now?: Date;
  /** Requests a month to decide at, over the workload's. */
  volume?: number;
  /** The workload as its file reads today: traffic, prices, constraints, operations, decision and quality settings come from it. */
  current?: Workload;
}

/** One trigger of the stored decision that today's inputs cross, in a sentence. */
export interface CrossedTrigger {
  kind: ReevaluationCheck['kind'] | 'catalogue';
  sentence: string;
}

export interface RecheckResult {
  runId: string;
  workload: string;
  /** The latest stored decision (undefined when the run had none: the fresh one is its first). */
  stored: DecisionRecord | undefined;
  fresh: Omit<DecisionRecord, 'version'>;
  pickBefore: string | null;
  pickAfter: string | null;
  /** The pick changed. */
  changed: boolean;
  changes: DecisionChanges | null;
  crossed: CrossedTrigger[];
  /** What the re-decision took from the current workload file, one note each. */
  notes: string[];
}

/**
 * The stored workload with today's settings from its file: everything but the cases, and candidates
 * only where the same id still names the same model (a different model's results would not be its).
 */
export function withCurrentSettings(
  stored: Workload,
  current: Workload,
): { workload: Workload; notes: string[] } {
  const notes: string[] = [];
  const candidates = stored.candidates.map((candidate) => {
    const now = current.candidates.find((c) => c.id === candidate.id);
    if (!now) {
      notes.push(`${candidate.id} is no longer in the workload file; its run settings are kept.`);
      return candidate;
    }
    if (now.model !== candidate.model) {
      notes.push(
        `${candidate.id} now names ${now.model}, not the ${candidate.model} this run measured; its run settings are kept.`,
      );
      return candidate;
    }
    const { deployment, ...rest } = candidate;
    return { ...rest, ...(now.deployment ? { deployment: now.deployment } : {}) };
  });
  const added = current.candidates
    .filter((c) => !stored.candidates.some((s) => s.id === c.id))
    .map((c) => c.id);
  if (added.length > 0) notes.push(`Not measured in this run, so not decided on: ${added.join(', ')}.`);
  const { traffic, operations, decision, quality, ...base } = stored;
  return {
    workload: {
      ...base,
      candidates,
      constraints: current.constraints,
      ...(current.traffic ? { traffic: current.traffic } : {}),
      ...(current.operations ? { operations: current.operations } : {}),
      ...(current.decision ? { decision: current.decision } : {}),
      ...(current.quality ? { quality: current.quality } : {}),
      ...(current.gate ? { gate: current.gate } : {}),
    },
    notes,
  };
}

/** A stored decision's checks; decisions stored before checks were kept get them from their date and volume. */
export function checksOf(record: DecisionRecord): ReevaluationCheck[] {
  const re = record.decision.reevaluate;
  if (re?.checks) return re.checks;
  const volume = record.cost?.requestsPerMonth;
  return [
    ...(re ? [{ kind: 'date' as const, date: re.date }] : []),
    ...(volume ? [{ kind: 'volume' as const, volume, below: volume / 2, above: volume * 2 }] : []),
    { kind: 'price', share: 0 },
  ];
}

const usd = (v: number) => (v >= 0.01 ? `$${v.toFixed(2)}` : `$${Number(v.toPrecision(2))}`);
const volumeText = (v: number) =>
  v >= 1e6
    ? `${Number((v / 1e6).toPrecision(3))}M`
    : v >= 1e3
      ? `${Number((v / 1e3).toPrecision(3))}k`
      : String(v);

/** The stored decision's triggers that the fresh decision's inputs cross. */
export function crossedTriggers(
  stored: DecisionRecord,
  fresh: Omit<DecisionRecord, 'version'>,
  now: Date,
): CrossedTrigger[] {
  const crossed: CrossedTrigger[] = [];
  const today = now.toISOString().slice(0, 10);
  const volumeNow = fresh.cost?.requestsPerMonth;
  for (const check of checksOf(stored)) {
    if (check.kind === 'date' && today >= check.date)
      crossed.push({
        kind: 'date',
        sentence: `The re-evaluation date ${check.date} has passed (today is ${today}).`,
      });
    if (
      check.kind === 'volume' &&
      volumeNow !== undefined &&
      (volumeNow < check.below || volumeNow > check.above)
    )
      crossed.push({
        kind: 'volume',
        sentence: `Volume is now ${volumeText(volumeNow)} requests a month; the decision was made at ${volumeText(check.volume)} and holds between ${volumeText(check.below)} and ${volumeText(check.above)}.`,
      });
    if (check.kind === 'flip' && check.lever === 'volume' && volumeNow !== undefined) {
      const past = check.to > check.from ? volumeNow >= check.to : volumeNow <= check.to;
      if (past)
        crossed.push({
          kind: 'flip',
          sentence: `Volume ${volumeText(volumeNow)} a month is past ${volumeText(check.to)}, where ${check.newWinner} becomes the pick.`,
        });
    }
    if (check.kind === 'price') {
      const was = new Map((stored.cost?.options ?? []).map((o) => [o.optionId, o.costPerRequestUsd]));
      for (const option of fresh.cost?.options ?? []) {
        const before = was.get(option.optionId);
        if (before === undefined || before === 0) continue;
        const move = option.costPerRequestUsd / before - 1;
        // A millionth of a share: float noise of the same prices recomputed is no move.
        if (Math.abs(move) > Math.max(check.share, 1e-6))
          crossed.push({
            kind: 'price',
            sentence: `The price of ${option.optionId} moved: ${usd(before)} → ${usd(option.costPerRequestUsd)} a request (${move > 0 ? '+' : '−'}${Math.abs(move * 100).toFixed(0)}%).`,
          });
      }
    }
  }
  const changes = decisionChanges(stored, fresh);
  for (const cat of changes.catalogues)
    crossed.push({
      kind: 'catalogue',
      sentence: `Catalogue ${cat.name} changed: ${cat.before ?? 'absent'} → ${cat.after ?? 'absent'}.`,
    });
  return crossed;
}

/** Re-decides one stored run as of today and tests its stored decision's triggers; stores nothing. */
export async function recheckRun(
  store: Store,
  runId: string,
  options: RecheckOptions = {},
): Promise<RecheckResult> {
  const now = options.now ?? new Date();
  const stored = await store.latestDecision(runId);
  let evidence = await runEvidence(store, runId);
  let notes: string[] = [];
  let workload = evidence.workload;
  if (options.current) ({ workload, notes } = withCurrentSettings(workload, options.current));
  if (options.volume !== undefined) {
    workload = {
      ...workload,
      traffic: { peak_factor: 1, ...workload.traffic, requests_per_month: options.volume },
    };
    notes.push(`Decided at ${volumeText(options.volume)} requests a month (--volume).`);
  }
  if (workload !== evidence.workload)
    evidence = { ...evidence, workload, quality: await buildQualityReport(store, runId, workload) };
  // As `verdict decide` does: the caveats and load-test capacities of the latest version carry over.
  const inputs = stored?.inputs;
  const loadTests =
    inputs && inputs.loadTestFiles.length > 0
      ? {
          files: inputs.loadTestFiles,
          capacities: new Map(
            Object.entries(inputs.capacities).map(([id, c]) => [id, c as unknown as Capacity]),
          ),
        }
      : undefined;
  const fresh = await decideRun(
    store,
    runId,
    { now, caveats: inputs?.caveats ?? [], ...(loadTests ? { loadTests } : {}) },
    evidence,
  );
  const pick = (r: Pick<DecisionRecord, 'decision'>) => pickLabel(r.decision.winner, r.decision.winnerOption);
  const pickBefore = stored ? pick(stored) : null;
  const pickAfter = pick(fresh);
  return {
    runId,
    workload: evidence.run.workloadName,
    stored,
    fresh,
    pickBefore,
    pickAfter,
    changed: stored !== undefined && pickBefore !== pickAfter,
    changes: stored ? decisionChanges(stored, fresh) : null,
    crossed: stored ? crossedTriggers(stored, fresh, now) : [],
    notes,
  };
}

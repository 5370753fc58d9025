// The drift canary: a small fixed subset of a workload's cases, stratified by tag and chosen once,
// run again against the candidates and compared with a baseline run's answers and pass rates.
// Drift is an answer that changed where the candidate is deterministic (temperature 0 or a seed),
// or a pass-rate move the paired test says sampling does not explain. No I/O: the command runs the
// calls and reads the store.
import { createHash } from 'node:crypto';
import type { Candidate, Case } from '../spec/workload.ts';
import { comparePaired, type PairedComparison } from '../stats/paired-comparison.ts';

/** The canary of a workload, as stored once in its file. */
export interface CanarySubset {
  schemaVersion: 1;
  kind: 'verdict-canary';
  workload: string;
  createdAt: string;
  /** The run whose answers and pass rates the canary is compared with. */
  baselineRunId: string;
  /** Case ids, in the workload's order, with the stratum each was drawn from. */
  cases: Array<{ id: string; stratum: string }>;
}

/**
 * Up to `size` cases drawn from each tag's stratum in proportion to its size (each stratum at least
 * one while room remains), by a hash of the case id: the same cases on every machine and every day.
 */
export function chooseCanaryCases(
  cases: readonly Case[],
  size: number,
): Array<{ id: string; stratum: string }> {
  const strata = new Map<string, Case[]>();
  for (const c of cases) {
    const stratum = c.tags[0] ?? '(untagged)';
    const list = strata.get(stratum);
    if (list) list.push(c);
    else strata.set(stratum, [c]);
  }
  const total = cases.length;
  const want = Math.min(size, total);
  // Largest remainder: proportional shares that add up to `want`, every stratum ≥ 1 when want allows.
  const names = [...strata.keys()].sort();
  const shares = names.map((name) => {
    const exact = (strata.get(name)!.length / total) * want;
    return {
      name,
      take: Math.min(strata.get(name)!.length, Math.max(want >= names.length ? 1 : 0, Math.floor(exact))),
      rest: exact % 1,
    };
  });
  let left = want - shares.reduce((sum, s) => sum + s.take, 0);
  for (const s of [...shares].sort((a, b) => b.rest - a.rest || a.name.localeCompare(b.name))) {
    if (left <= 0) break;
    if (s.take < strata.get(s.name)!.length) {
      s.take++;
      left--;
    }
  }
  const order = (id: string) => createHash('sha256').update(`verdict-canary\u0000${id}`).digest('hex');
  const chosen = new Set<string>();
  const stratumOf = new Map<string, string>();
  for (const s of shares)
    for (const c of [...strata.get(s.name)!]
      .sort((a, b) => order(a.id).localeCompare(order(b.id)))
      .slice(0, s.take)) {
      chosen.add(c.id);
      stratumOf.set(c.id, s.name);
    }
  return cases.filter((c) => chosen.has(c.id)).map((c) => ({ id: c.id, stratum: stratumOf.get(c.id)! }));
}

/** A candidate answers the same prompt the same way, so a changed answer is a changed model. */
export function isDeterministic(candidate: Pick<Candidate, 'params'>): boolean {
  return candidate.params.temperature === 0 || candidate.params.seed !== undefined;
}

/** One side of a canary case. */
export interface CanaryAnswer {
  pass: boolean;
  output: string | null;
  error: string | null;
}

export interface CanaryCandidate {
  candidateId: string;
  deterministic: boolean;
  /** Canary cases with an answer in both the baseline and the canary. */
  compared: number;
  /** Answers that differ from the baseline's (whitespace at the ends ignored). */
  changedAnswers: number;
  changed: Array<{ caseId: string; stratum: string; before: CanaryAnswer; after: CanaryAnswer }>;
  /** Canary (A) against baseline (B) on the same cases. */
  paired: PairedComparison;
  drift: boolean;
  /** Why it drifted, or why not: one sentence. */
  sentence: string;
}

export interface CanaryReport {
  schemaVersion: 1;
  kind: 'canary';
  workload: string;
  baselineRunId: string;
  canaryRunId: string;
  cases: number;
  candidates: CanaryCandidate[];
  drift: boolean;
  /** Settings the verdicts were made with. */
  alpha: number;
  maxChangedShare: number;
}

const pct = (v: number) => `${(v * 100).toFixed(0)}%`;

/** Compares the canary's answers with the baseline's, candidate by candidate. */
export function compareCanary(input: {
  workload: string;
  baselineRunId: string;
  canaryRunId: string;
  subset: CanarySubset['cases'];
  candidates: Array<Pick<Candidate, 'id' | 'params'>>;
  baseline: Map<string, CanaryAnswer>;
  canary: Map<string, CanaryAnswer>;
  alpha?: number;
  maxChangedShare?: number;
}): CanaryReport {
  const alpha = input.alpha ?? 0.05;
  const maxChangedShare = input.maxChangedShare ?? 0.1;
  const candidates = input.candidates.map((candidate): CanaryCandidate => {
    const a: boolean[] = [];
    const b: boolean[] = [];
    const changed: CanaryCandidate['changed'] = [];
    for (const { id, stratum } of input.subset) {
      const key = `${candidate.id}\u0000${id}`;
      const before = input.baseline.get(key);
      const after = input.canary.get(key);
      if (!before || !after) continue;
      a.push(after.pass);
      b.push(before.pass);
      if ((before.output ?? before.error ?? '').trim() !== (after.output ?? after.error ?? '').trim())
        changed.push({ caseId: id, stratum, before, after });
    }
    const paired = comparePaired(a, b, { margin: 0, alpha, names: ['canary', 'baseline'] });
    const deterministic = isDeterministic(candidate);
    const share = a.length === 0 ? 0 : changed.length / a.length;
    const answersDrift = deterministic && share > maxChangedShare;
    const rateDrift = a.length > 0 && paired.pValue < alpha;
    const rates = `pass rate ${pct(paired.passRateB.estimate)} → ${pct(paired.passRateA.estimate)} on ${a.length} canary cases (exact McNemar p = ${paired.pValue < 0.0001 ? '<0.0001' : paired.pValue.toFixed(4)})`;
    const answers = `${changed.length} of ${a.length} answers changed`;
    const sentence =
      a.length === 0
        ? `${candidate.id}: no canary case has answers in both the baseline and the canary run.`
        : answersDrift || rateDrift
          ? `${candidate.id} drifted: ${[
              ...(answersDrift
                ? [`${answers} at a deterministic setting (more than ${pct(maxChangedShare)})`]
                : []),
              ...(rateDrift ? [`${rates}, more than sampling explains`] : [rates]),
            ].join('; ')}.`
          : `${candidate.id}: no drift — ${answers}${deterministic ? '' : ' (not deterministic: answers may vary)'}; ${rates}.`;
    return {
      candidateId: candidate.id,
      deterministic,
      compared: a.length,
      changedAnswers: changed.length,
      changed,
      paired,
      drift: answersDrift || rateDrift,
      sentence,
    };
  });
  return {
    schemaVersion: 1,
    kind: 'canary',
    workload: input.workload,
    baselineRunId: input.baselineRunId,
    canaryRunId: input.canaryRunId,
    cases: input.subset.length,
    candidates,
    drift: candidates.some((c) => c.drift),
    alpha,
    maxChangedShare,
  };
}

// The quality section of the report, from the stored results of one run: pass rates [Wilson], mean
// scores [bootstrap], slices by grader and by tag, every candidate against the best (McNemar,
// Newcombe, non-inferiority at the workload's margin, Holm), repeats, and the judge's own bill.

import { lookupTokenPrice } from '../cost/token-prices.ts';
import { combineGrades } from '../grade/combine.ts';
import { loadJudgePrompt } from '../grade/judge-prompts.ts';
import { graderFamilies } from '../grade/registry.ts';
import { splitModelId } from '../providers/provider-ids.ts';
import { servingOf } from '../providers/provider-table.ts';
import type { JudgeUsage } from '../spec/grade.ts';
import type {
  CandidateQuality,
  JudgePromptRef,
  JudgeSpend,
  QualityReport,
  QualitySlice,
  RepeatQuality,
  SliceCell,
} from '../spec/quality.ts';
import type { Result } from '../spec/result.ts';
import type { GraderSpec, Workload } from '../spec/workload.ts';
import { bootstrapMeanInterval } from '../stats/bootstrap.ts';
import { compareCandidates } from '../stats/compare-candidates.ts';
import { summarizeRepeats } from '../stats/repeats.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { Store } from '../store/store.ts';
import { judgeReliability } from './judge-reliability.ts';

/** Margin used when the workload sets none: five points, stated as a default in the report. */
export const DEFAULT_MARGIN = 0.05;

interface CandidateAccumulator {
  /** First attempt (repeat 0) of each case: pass and score. */
  first: Map<string, { pass: boolean; score: number }>;
  /** Every attempt's pass, by case, for repeats. */
  attempts: Map<string, boolean[]>;
  modelFailures: number;
  gradingErrors: number;
}

function emptyCell(): SliceCell {
  return { passed: 0, total: 0, meanScore: 0, gradingErrors: 0 };
}

function addToSlice(
  slices: Map<string, Map<string, SliceCell>>,
  name: string,
  candidateId: string,
  pass: boolean,
  score: number,
  gradingError: boolean,
): void {
  const byCandidate = slices.get(name) ?? new Map<string, SliceCell>();
  slices.set(name, byCandidate);
  const cell = byCandidate.get(candidateId) ?? emptyCell();
  byCandidate.set(candidateId, cell);
  cell.total++;
  if (pass) cell.passed++;
  // meanScore holds the running sum until the slices are finished.
  cell.meanScore += score;
  if (gradingError) cell.gradingErrors++;
}

function finishSlices(slices: Map<string, Map<string, SliceCell>>, candidateIds: string[]): QualitySlice[] {
  return [...slices].map(([name, byCandidate]) => ({
    name,
    cells: Object.fromEntries(
      candidateIds.map((id) => {
        const cell = byCandidate.get(id) ?? emptyCell();
        return [id, { ...cell, meanScore: cell.total === 0 ? Number.NaN : cell.meanScore / cell.total }];
      }),
    ),
  }));
}

/** The judge prompt files the workload's model-graded graders use. */
export function judgePromptsOf(workload: Workload): JudgePromptRef[] {
  const specs: GraderSpec[] = [
    ...workload.graders,
    ...(workload.cases.kind === 'inline' ? workload.cases.cases.flatMap((c) => c.graders ?? []) : []),
  ];
  const files = new Set(specs.flatMap((spec) => graderFamilies.get(spec.type)?.judge?.prompt ?? []));
  return [...files].sort().map((file) => {
    const { template: _, reply: __, ...ref } = loadJudgePrompt(file);
    return ref;
  });
}

/**
 * Bootstrap resamples for n scores: 4,000 up to 10,000 cases, then fewer (never below 1,000) so a
 * million-case run does not spend minutes on one interval; the seed keeps every size reproducible.
 */
export function resamplesFor(n: number): number {
  return Math.max(1000, Math.min(4000, Math.floor(4e7 / Math.max(n, 1))));
}

/** Prices a judge's calls: API judges at catalogue prices; self-hosted ones are paid through their hosting. */
export function priceJudge(usage: JudgeUsage): JudgeSpend {
  const { provider, modelName } = splitModelId(usage.judge);
  const serving = servingOf(provider);
  if (serving !== 'api') {
    return { ...usage, costUsd: null, priceNote: 'self-hosted: paid through its hosting, not per token' };
  }
  const lookup = lookupTokenPrice({ providerId: provider, modelId: modelName });
  if (!lookup.ok) return { ...usage, costUsd: null, priceNote: lookup.reason };
  const { price } = lookup;
  const costUsd = (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1e6;
  return { ...usage, costUsd, priceNote: `catalogue price of ${price.priceDate}` };
}

/** Builds the quality section of a run's report from the store. */
export async function buildQualityReport(
  store: Store,
  runId: string,
  workload: Workload,
): Promise<QualityReport> {
  const candidateIds = workload.candidates.map((candidate) => candidate.id);
  const caseGraders = new Map<string, GraderSpec[]>(
    workload.cases.kind === 'inline' ? workload.cases.cases.map((c) => [c.id, c.graders ?? []]) : [],
  );
  const tagsOf = new Map<string, string[]>();
  for await (const testCase of store.cases(runId)) {
    if (testCase.tags.length > 0) tagsOf.set(testCase.id, testCase.tags);
    // The runner keeps each case's own graders with the case; inline ones are also in the workload.
    if (testCase.graders && testCase.graders.length > 0) caseGraders.set(testCase.id, testCase.graders);
  }

  const accumulators = new Map<string, CandidateAccumulator>(
    candidateIds.map((id) => [
      id,
      { first: new Map(), attempts: new Map(), modelFailures: 0, gradingErrors: 0 },
    ]),
  );
  const byGrader = new Map<string, Map<string, SliceCell>>();
  const byTag = new Map<string, Map<string, SliceCell>>();
  let repeated = false;

  for await (const result of store.results(runId) as AsyncIterable<Result>) {
    const accumulator = accumulators.get(result.candidateId);
    if (!accumulator) continue;
    // A case's first outcome starts an array of exactly one: `[]` then push() reserves 17 slots, and
    // at 100,000 cases those backing stores were 15 MB of the report's live heap (a heap snapshot).
    const outcomes = accumulator.attempts.get(result.caseId);
    if (outcomes) outcomes.push(result.pass);
    else accumulator.attempts.set(result.caseId, [result.pass]);
    if (result.repeat !== 0) {
      repeated = true;
      continue;
    }
    const specs = [...workload.graders, ...(caseGraders.get(result.caseId) ?? [])];
    const gradingError = result.grades.some((grade) => grade.error);
    const score = result.error ? 0 : combineGrades(result.grades, specs, workload.passThreshold).score;
    const safeScore = Number.isFinite(score) ? score : 0;
    accumulator.first.set(result.caseId, { pass: result.pass, score: safeScore });
    if (result.error) accumulator.modelFailures++;
    if (gradingError) accumulator.gradingErrors++;
    for (const grade of result.grades) {
      addToSlice(
        byGrader,
        grade.grader,
        result.candidateId,
        grade.pass && !grade.error,
        grade.score,
        Boolean(grade.error),
      );
    }
    for (const tag of tagsOf.get(result.caseId) ?? []) {
      addToSlice(byTag, tag, result.candidateId, result.pass, safeScore, gradingError);
    }
  }

  const candidates: CandidateQuality[] = candidateIds.map((id) => {
    const { first, modelFailures, gradingErrors } = accumulators.get(id)!;
    const scores = [...first.values()].map((entry) => entry.score);
    const passed = [...first.values()].filter((entry) => entry.pass).length;
    return {
      candidateId: id,
      cases: first.size,
      passed,
      passRate: wilsonInterval(passed, first.size),
      meanScore: bootstrapMeanInterval(scores, { seed: 1, resamples: resamplesFor(scores.length) }),
      modelFailures,
      gradingErrors,
    };
  });

  const margin = workload.quality?.non_inferiority_margin ?? DEFAULT_MARGIN;
  const compared = candidateIds.filter((id) => accumulators.get(id)!.first.size > 0);
  const comparison = compareCandidates(
    compared.map((id) => ({
      id,
      passes: new Map([...accumulators.get(id)!.first].map(([caseId, entry]) => [caseId, entry.pass])),
    })),
    { margin },
  );

  let repeats: RepeatQuality[] | undefined;
  if (repeated) {
    repeats = candidateIds.map((id) => {
      const attempts = accumulators.get(id)!.attempts;
      const k = Math.min(...[...attempts.values()].map((outcomes) => outcomes.length));
      const one = summarizeRepeats(attempts, 1);
      const many = summarizeRepeats(attempts, Number.isFinite(k) ? k : 1);
      return {
        candidateId: id,
        repeats: Number.isFinite(k) ? k : 0,
        meanConsistency: one.meanConsistency,
        passAt1: one.passAtK,
        k: many.k,
        passAtK: many.passAtK,
        flakyCases: one.flakyCases,
      };
    });
  }

  const prompts = judgePromptsOf(workload);
  const usage = prompts.length > 0 ? (await store.judgeUsage(runId)).map(priceJudge) : [];
  const reliability = prompts.length > 0 ? await judgeReliability(store, runId, workload) : undefined;
  return {
    margin,
    marginSource: workload.quality?.non_inferiority_margin === undefined ? 'default' : 'workload',
    floor: workload.quality?.floor ?? null,
    level: 0.95,
    candidates,
    byGrader: finishSlices(byGrader, candidateIds),
    byTag: finishSlices(byTag, candidateIds).sort((a, b) => a.name.localeCompare(b.name)),
    best: comparison.best,
    comparisons: comparison.comparisons,
    sentences: comparison.comparisons.map((row) => row.sentence),
    ...(repeats ? { repeats } : {}),
    ...(prompts.length > 0 ? { judge: { usage, prompts, ...(reliability ? { reliability } : {}) } } : {}),
  };
}

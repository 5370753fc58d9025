// Builds the report object from what the store holds for one run: nothing here is re-measured.
import type { Capacity } from '../cost/types.ts';
import { decideFully, removedByConstraints } from '../decide/decide.ts';
import type { CandidateSummary, Report } from '../spec/decision.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Workload } from '../spec/workload.ts';
import { percentiles } from '../stats/percentile.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { Store } from '../store/store.ts';
import { latencyBins } from './charts/latency-bins.ts';
import { measuredCostInputs } from './cost-inputs.ts';
import { buildQualityReport } from './quality.ts';
import { storedLoadTestInputs } from './stored-load-tests.ts';

interface Accumulator {
  total: number;
  passed: number;
  errors: number;
  ttft: number[];
  duration: number[];
  inputTokens: number;
  outputTokens: number;
  sources: Set<string>;
}

/** Summarises a stored run per candidate and decides; `caveats` are shown beside the decision. */
export async function buildReport(
  store: Store,
  runId: string,
  options: {
    caveats?: string[];
    now?: Date;
    /** Capacity per replica measured by load tests, by candidate id: replaces the roofline estimates. */
    capacities?: Map<string, Capacity>;
  } = {},
): Promise<Report> {
  const run = await store.getRun(runId);
  if (!run) throw new VerdictError('RUN_NOT_FOUND', `no run "${runId}" in ${store.location}`);
  const workload = JSON.parse(run.workloadJson) as Workload;
  const byCandidate = new Map<string, Accumulator>(
    workload.candidates.map((candidate) => [
      candidate.id,
      {
        total: 0,
        passed: 0,
        errors: 0,
        ttft: [],
        duration: [],
        inputTokens: 0,
        outputTokens: 0,
        sources: new Set(),
      },
    ]),
  );
  const caseIds = new Set<string>();
  for await (const result of store.results(runId)) {
    const summary = byCandidate.get(result.candidateId);
    if (!summary) continue;
    caseIds.add(result.caseId);
    summary.total++;
    if (result.pass) summary.passed++;
    if (result.error) summary.errors++;
    if (result.ttftMs !== null) summary.ttft.push(result.ttftMs);
    if (result.durationMs !== null) summary.duration.push(result.durationMs);
    if (result.usage) {
      summary.inputTokens += result.usage.inputTokens;
      summary.outputTokens += result.usage.outputTokens;
      summary.sources.add(result.usage.source);
    }
  }
  const candidates: CandidateSummary[] = workload.candidates.map((candidate) => {
    const summary = byCandidate.get(candidate.id)!;
    const latency = (values: number[]) => {
      const [p50, p90, p99] = percentiles(values, [0.5, 0.9, 0.99]);
      return { p50: p50 ?? null, p90: p90 ?? null, p99: p99 ?? null };
    };
    return {
      candidateId: candidate.id,
      model: candidate.model,
      ...(candidate.label ? { label: candidate.label } : {}),
      total: summary.total,
      passed: summary.passed,
      failed: summary.total - summary.passed - summary.errors,
      errors: summary.errors,
      passRate: wilsonInterval(summary.passed, summary.total),
      ttftMs: latency(summary.ttft),
      durationMs: latency(summary.duration),
      inputTokens: summary.inputTokens,
      outputTokens: summary.outputTokens,
      tokenSource:
        summary.sources.size === 0
          ? 'none'
          : summary.sources.size > 1
            ? 'mixed'
            : ([...summary.sources][0] as 'server' | 'tokenizer'),
    };
  });
  const labelled = candidates
    .filter((candidate) => candidate.label)
    .map((candidate) => `${candidate.candidateId} is ${candidate.label}.`);
  const quality = await buildQualityReport(store, runId, workload);
  // Constraints, quality, latency, cost at the workload's volume, hybrid: the full decision (DESIGN §5).
  const costInput = await measuredCostInputs(store, runId, workload, options.now);
  // The latest stored load test of each candidate is its measured capacity; files given explicitly win.
  const stored = await storedLoadTestInputs(store, workload);
  const capacities = new Map([...stored.capacities, ...(options.capacities ?? [])]);
  if (capacities.size > 0) costInput.capacities = capacities;
  // Constraints come before quality: when they remove the best, the rest are compared among themselves.
  const removed = removedByConstraints(workload);
  const gateQuality =
    quality.best !== null && removed.includes(quality.best)
      ? await buildQualityReport(store, runId, {
          ...workload,
          candidates: workload.candidates.filter((candidate) => !removed.includes(candidate.id)),
        })
      : quality;
  const { decision, cost } = decideFully(candidates, {
    caveats: [
      ...labelled,
      ...(options.caveats ?? []),
      ...(gateQuality !== quality
        ? [
            `${quality.best} has the highest pass rate, but the hard constraints remove it: the other candidates are compared with ${gateQuality.best ?? 'none'}, the best of the rest.`,
          ]
        : []),
    ],
    quality: gateQuality,
    cost: costInput,
  });
  return {
    schemaVersion: 1,
    runId,
    workload: run.workloadName,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    cases: caseIds.size,
    candidates,
    quality,
    decision,
    ...(cost ? { cost } : {}),
    ...(stored.rows.length > 0 ? { loadTests: stored.rows } : {}),
    latency: workload.candidates.flatMap((candidate) => {
      const summary = byCandidate.get(candidate.id)!;
      return [
        { candidateId: candidate.id, metric: 'ttft' as const, bins: latencyBins(summary.ttft) },
        { candidateId: candidate.id, metric: 'e2e' as const, bins: latencyBins(summary.duration) },
      ];
    }),
  };
}

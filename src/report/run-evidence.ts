// What a stored run measured, summarised once per candidate: pass counts and intervals, latency,
// tokens, the quality statistics. Nothing here is re-measured or decided.
import type { CandidateSummary, LatencyDistribution } from '../spec/decision.ts';
import { VerdictError } from '../spec/errors.ts';
import type { QualityReport } from '../spec/quality.ts';
import type { RunRecord } from '../spec/result.ts';
import type { Workload } from '../spec/workload.ts';
import { percentiles } from '../stats/percentile.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { Store } from '../store/store.ts';
import { readStoredWorkload } from '../workload/stored-workload.ts';
import { CallErrorTally } from './call-error-groups.ts';
import { latencyBins } from './charts/latency-bins.ts';
import { buildQualityReport } from './quality.ts';

interface Accumulator {
  total: number;
  passed: number;
  errors: number;
  ttft: number[];
  duration: number[];
  inputTokens: number;
  outputTokens: number;
  sources: Set<string>;
  errorTally: CallErrorTally;
  replayed: number;
  measuredIn: Set<string>;
  unknownOrigin: number;
}

/** A run's measured evidence, as the report and the decision read it. */
export interface RunEvidence {
  run: RunRecord;
  workload: Workload;
  candidates: CandidateSummary[];
  /** Distinct cases with a stored result. */
  cases: number;
  quality: QualityReport;
  latency: LatencyDistribution[];
}

/** Summarises a stored run per candidate. */
export async function runEvidence(store: Store, runId: string): Promise<RunEvidence> {
  const run = await store.getRun(runId);
  if (!run) throw new VerdictError('RUN_NOT_FOUND', `no run "${runId}" in ${store.location}`);
  const workload = readStoredWorkload(run.workloadJson, runId);
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
        errorTally: new CallErrorTally(),
        replayed: 0,
        measuredIn: new Set(),
        unknownOrigin: 0,
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
    if (result.error) {
      summary.errors++;
      summary.errorTally.add(result.error, result.caseId);
    }
    // A cached answer from this run's own earlier call was measured here; only others are replayed.
    if (result.cached && result.cachedFromRun !== runId) {
      summary.replayed++;
      if (result.cachedFromRun) summary.measuredIn.add(result.cachedFromRun);
      else summary.unknownOrigin++;
    }
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
    const callErrors = summary.errorTally.summary();
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
      ...(callErrors.groups.length > 0 ? { callErrors: callErrors.groups } : {}),
      ...(callErrors.omitted > 0 ? { callErrorsOmitted: callErrors.omitted } : {}),
      ...(summary.replayed > 0
        ? {
            cachedAnswers: {
              replayed: summary.replayed,
              measuredIn: [...summary.measuredIn],
              unknownOrigin: summary.unknownOrigin,
            },
          }
        : {}),
    };
  });
  return {
    run,
    workload,
    candidates,
    cases: caseIds.size,
    quality: await buildQualityReport(store, runId, workload),
    latency: workload.candidates.flatMap((candidate) => {
      const summary = byCandidate.get(candidate.id)!;
      return [
        { candidateId: candidate.id, metric: 'ttft' as const, bins: latencyBins(summary.ttft) },
        { candidateId: candidate.id, metric: 'e2e' as const, bins: latencyBins(summary.duration) },
      ];
    }),
  };
}

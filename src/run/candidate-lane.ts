// One candidate's share of a run: its cases in order, each repeat, skipping what the run already
// has, answering from the cache what was paid for before, and calling the rest through the gate.
import { gradeCase } from '../grade/grade-output.ts';
import type { Generation, Provider } from '../spec/provider.ts';
import type { Result } from '../spec/result.ts';
import type { Candidate, Workload } from '../spec/workload.ts';
import { resultStateKey } from '../store/runner-store.ts';
import type { Store } from '../store/store.ts';
import { buildMessages } from './build-messages.ts';
import { cacheKey } from './cache-key.ts';
import { assumedOutputTokens, type CandidatePricing, callCostUsd, estimateInputTokens } from './call-cost.ts';
import { callWithRetries, type RetryPolicy } from './call-with-retries.ts';
import type { RateGate } from './rate-gate.ts';
import { redactSecrets } from './redact.ts';
import type { ResultWriter } from './result-writer.ts';

/** Progress of one candidate. */
export interface RunProgress {
  candidateId: string;
  /** Results the run has for this candidate, stored before this invocation included. */
  done: number;
  total: number;
  errors: number;
  /** Results answered from the response cache. */
  cached?: number;
  /** USD spent on calls made in this invocation (cached results excluded). */
  spentUsd?: number;
  /** Times the provider answered 429. */
  rateLimited?: number;
}

/** Spending cap for one invocation: a call starts only if the spend so far plus the estimates of calls in flight and its own stays under it. */
export class Budget {
  readonly maxUsd: number;
  spentUsd = 0;
  #reservedUsd = 0;
  constructor(maxUsd: number) {
    this.maxUsd = maxUsd;
  }
  tryReserve(estimateUsd: number): boolean {
    if (this.spentUsd + this.#reservedUsd + estimateUsd > this.maxUsd) return false;
    this.#reservedUsd += estimateUsd;
    return true;
  }
  settle(estimateUsd: number, actualUsd: number): void {
    this.#reservedUsd -= estimateUsd;
    this.spentUsd += actualUsd;
  }
  get projectedUsd(): number {
    return this.spentUsd + this.#reservedUsd;
  }
}

export interface RunContext {
  runId: string;
  workload: Workload;
  store: Store;
  writer: ResultWriter;
  repeats: number;
  retryErrors: boolean;
  useCache: boolean;
  policy: RetryPolicy;
  secrets: string[];
  /** Aborted to stop scheduling (Ctrl-C, budget, a store failure). */
  stop: AbortController;
  /** Aborted to abandon calls in flight (Ctrl-C after the grace period). */
  hard: AbortSignal;
  budget: Budget | undefined;
  onProgress?: (progress: RunProgress) => void;
  /** Set when the budget stopped the run: the estimate that would have passed it. */
  budgetStop?: { candidateId: string; projectedUsd: number };
  totals: { calls: number; results: number; errors: number; cached: number; costUsd: number };
}

export interface Lane {
  candidate: Candidate;
  provider: Provider;
  gate: RateGate;
  pricing: CandidatePricing;
  /** Where the model is served, part of the cache key (base URL, or the model file). */
  origin: string | undefined;
  totalCases: number;
}

const PAGE = 256;

export async function runLane(context: RunContext, lane: Lane): Promise<void> {
  const { candidate, gate, pricing } = lane;
  const { store, runId, workload, repeats } = context;
  const progress: Required<RunProgress> = {
    candidateId: candidate.id,
    done: 0,
    total: lane.totalCases * repeats,
    errors: 0,
    cached: 0,
    spentUsd: 0,
    rateLimited: 0,
  };
  const report = () => {
    progress.rateLimited = gate.stats().rateLimited;
    context.onProgress?.({ ...progress });
  };
  let outputSamples = 0;
  let outputTotal = 0;
  const inFlight = new Set<Promise<void>>();

  /** `cacheKey` when the answer came from a call made now. */
  const finishResult = (result: Result, cacheKey?: string) => {
    context.writer.add(result, cacheKey);
    progress.done++;
    context.totals.results++;
    if (result.error) {
      progress.errors++;
      context.totals.errors++;
    }
    if (result.cached) {
      progress.cached++;
      context.totals.cached++;
    }
    report();
  };

  report();
  let after = 0;
  pages: for (;;) {
    if (context.stop.signal.aborted) break;
    const page = await store.runCasePage(runId, after, PAGE);
    if (page.length === 0) break;
    after = page.at(-1)!.position;
    const states = await store.resultStates(
      runId,
      candidate.id,
      page.map((testCase) => testCase.id),
    );
    const todo: Array<{
      testCase: (typeof page)[number];
      repeat: number;
      key: string;
      messages: ReturnType<typeof buildMessages>;
    }> = [];
    for (const testCase of page) {
      for (let repeat = 0; repeat < repeats; repeat++) {
        const state = states.get(resultStateKey(testCase.id, repeat));
        if (state === 'ok' || (state === 'error' && !context.retryErrors)) {
          progress.done++;
          if (state === 'error') progress.errors++;
          continue;
        }
        const messages = buildMessages(workload.prompt, testCase);
        todo.push({ testCase, repeat, messages, key: cacheKey(candidate, lane.origin, messages, repeat) });
      }
    }
    report();
    const cached = context.useCache
      ? await store.cachedGenerations(todo.map((item) => item.key))
      : new Map<string, Generation>();

    for (const { testCase, repeat, key, messages } of todo) {
      if (context.stop.signal.aborted) break pages;
      const base = { runId, candidateId: candidate.id, caseId: testCase.id, repeat };
      const hit = cached.get(key);
      if (hit) {
        finishResult(answered(context, base, testCase, hit, pricing, { cached: true, attempts: 0 }));
        continue;
      }
      const inputEstimate = estimateInputTokens(messages);
      const outputEstimate =
        outputSamples >= 5
          ? Math.ceil(outputTotal / outputSamples)
          : assumedOutputTokens(candidate, workload);
      const estimateUsd =
        callCostUsd(
          { inputTokens: inputEstimate, outputTokens: outputEstimate, source: 'tokenizer' },
          pricing,
        ) ?? 0;
      if (context.budget && !context.budget.tryReserve(estimateUsd)) {
        context.budgetStop ??= {
          candidateId: candidate.id,
          projectedUsd: context.budget.projectedUsd + estimateUsd,
        };
        context.stop.abort(new Error('budget'));
        break pages;
      }
      try {
        await gate.acquire(context.stop.signal);
      } catch {
        context.budget?.settle(estimateUsd, 0);
        break pages;
      }
      const call = (async () => {
        let actualUsd = 0;
        try {
          const outcome = await callWithRetries(lane.provider, { messages, params: candidate.params }, gate, {
            policy: context.policy,
            estimatedTokens: inputEstimate + outputEstimate,
            signal: context.hard,
          });
          context.totals.calls += outcome.attempts;
          if (outcome.kind === 'interrupted') return;
          if (outcome.kind === 'answered') {
            const result = answered(context, base, testCase, outcome.generation, pricing, {
              cached: false,
              attempts: outcome.attempts,
            });
            actualUsd = result.costUsd ?? 0;
            outputSamples++;
            outputTotal += outcome.generation.usage.outputTokens;
            progress.spentUsd += actualUsd;
            context.totals.costUsd += actualUsd;
            finishResult(result, key);
          } else {
            finishResult({
              ...base,
              output: null,
              usage: null,
              ttftMs: null,
              durationMs: null,
              finishReason: null,
              error: {
                code: outcome.error.code,
                message: redactSecrets(outcome.error.message, context.secrets),
              },
              grades: [],
              pass: false,
              createdAt: new Date().toISOString(),
              attempts: outcome.attempts,
              ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
              ...(outcome.requestId === undefined ? {} : { requestId: outcome.requestId }),
            });
          }
        } finally {
          context.budget?.settle(estimateUsd, actualUsd);
          gate.release();
        }
      })();
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
      if (context.writer.failure) context.stop.abort(context.writer.failure);
    }
  }
  await Promise.all(inFlight);
  report();
}

/** A graded result from a generation, made now or answered from the cache. */
function answered(
  context: RunContext,
  base: { runId: string; candidateId: string; caseId: string; repeat: number },
  testCase: Parameters<typeof gradeCase>[1],
  generation: Generation,
  pricing: CandidatePricing,
  how: { cached: boolean; attempts: number },
): Result {
  const { grades, pass } = gradeCase(context.workload, testCase, generation.text, {
    durationMs: generation.durationMs,
    ttftMs: generation.ttftMs,
    usage: generation.usage,
  });
  const costUsd = callCostUsd(generation.usage, pricing);
  return {
    ...base,
    output: generation.text,
    usage: generation.usage,
    ttftMs: generation.ttftMs,
    durationMs: generation.durationMs,
    finishReason: generation.finishReason,
    error: null,
    grades,
    pass,
    createdAt: new Date().toISOString(),
    attempts: how.attempts,
    ...(how.cached ? { cached: true } : {}),
    ...(generation.responseModel ? { responseModel: generation.responseModel } : {}),
    ...(generation.requestId ? { requestId: generation.requestId } : {}),
    ...(generation.httpStatus === undefined ? {} : { httpStatus: generation.httpStatus }),
    ...(costUsd === undefined ? {} : { costUsd }),
  };
}

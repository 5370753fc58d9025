// One candidate's share of a run: its cases in order, each repeat, skipping what the run already
// has, answering from the cache what was paid for before, and calling the rest through the gate.
import { gradeCase } from '../grade/grade-output.ts';
import { redactSecrets } from '../providers/api-keys.ts';
import type { Generation, Provider } from '../spec/provider.ts';
import type { Result } from '../spec/result.ts';
import type { Candidate, Case, ChatMessage, Workload } from '../spec/workload.ts';
import { type CachedGeneration, resultStateKey } from '../store/runner-store.ts';
import type { Store } from '../store/store.ts';
import { buildMessages } from './build-messages.ts';
import { cacheKey } from './cache-key.ts';
import { assumedOutputTokens, type CandidatePricing, callCostUsd, estimateInputTokens } from './call-cost.ts';
import { callWithRetries, type RetryPolicy } from './call-with-retries.ts';
import { CallsInRun } from './calls-in-run.ts';
import type { RateGate } from './rate-gate.ts';
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
  /** Set when the candidate is not called at all, with the reason (its endpoint is off the premises). */
  notCalled?: string;
}

/** Spending cap for one invocation: a call starts only if the spend so far plus the estimates of calls in flight and its own stays under it. */
export class Budget {
  readonly maxUsd: number;
  spentUsd = 0;
  #reservedUsd = 0;
  constructor(maxUsd: number) {
    this.maxUsd = maxUsd;
  }
  /** May answer later: the budget shared by a team's workers asks the store (run/shared-limits.ts). */
  tryReserve(estimateUsd: number): boolean | Promise<boolean> {
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
  /** Only the cases at positions in (after, through]: one page of a distributed run. */
  range?: { after: number; through: number };
}

const PAGE = 256;

/** One result to produce: a case, its repeat, its messages and its call's content address. */
interface Item {
  testCase: Case;
  repeat: number;
  key: string;
  messages: ChatMessage[];
}

export async function runLane(context: RunContext, lane: Lane): Promise<void> {
  const { candidate, gate, pricing } = lane;
  const { store, runId, workload, repeats } = context;
  const progress: Required<Omit<RunProgress, 'notCalled'>> = {
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
  // Per lane, so that forgetting published answers and looking up the cache happen in one order.
  const callsInRun = new CallsInRun();
  let outputSamples = 0;
  let outputTotal = 0;
  const inFlight = new Set<Promise<void>>();

  /** `cacheKey` when the answer came from a call made now; returns the writer's sequence number of it. */
  const finishResult = (result: Result, cacheKey?: string): number => {
    const storedAs = context.writer.add(result, cacheKey);
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
    return storedAs;
  };

  report();
  let after = lane.range?.after ?? 0;
  const through = lane.range?.through ?? Number.POSITIVE_INFINITY;
  pages: for (;;) {
    if (context.stop.signal.aborted || after >= through) break;
    callsInRun.forgetPublished(context.writer.publishedThrough);
    const page = (await store.runCasePage(runId, after, PAGE)).filter((c) => c.position <= through);
    if (page.length === 0) break;
    after = page.at(-1)!.position;
    const states = await store.resultStates(
      runId,
      candidate.id,
      page.map((testCase) => testCase.id),
    );
    const todo: Item[] = [];
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
      : new Map<string, CachedGeneration>();

    for (const item of todo) {
      if (context.stop.signal.aborted) break pages;
      const hit = cached.get(item.key);
      if (hit) {
        finishResult(
          answered(context, baseOf(item), item.testCase, hit, pricing, {
            cached: true,
            attempts: 0,
            ...(hit.measuredInRun ? { measuredInRun: hit.measuredInRun } : {}),
          }),
        );
        continue;
      }
      const earlier = context.useCache ? callsInRun.find(item.key) : undefined;
      if (earlier) {
        track(answerFromEarlier(item, earlier));
        continue;
      }
      if ((await startCall(item)) === 'stopped') break pages;
    }
  }
  // A case waiting on an earlier call may start a call of its own when that one fails: wait until
  // nothing is left in flight, not just for what was in flight now.
  while (inFlight.size > 0) await Promise.all(inFlight);
  report();

  function baseOf(item: Item) {
    return { runId, candidateId: candidate.id, caseId: item.testCase.id, repeat: item.repeat };
  }

  function track(task: Promise<void>): void {
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  }

  /** The same call is in flight or just answered in this run: its answer, or a call of our own if it failed. */
  async function answerFromEarlier(item: Item, earlier: Promise<Generation | undefined>): Promise<void> {
    const generation = await earlier;
    if (generation) {
      finishResult(
        answered(context, baseOf(item), item.testCase, generation, pricing, {
          cached: true,
          attempts: 0,
          measuredInRun: runId,
        }),
      );
    } else if (!context.stop.signal.aborted) {
      await startCall(item);
    }
  }

  /** Reserves budget, waits for the gate and starts the call; 'stopped' when the run stops instead. */
  async function startCall(item: Item): Promise<'started' | 'stopped'> {
    const { messages, key } = item;
    const inputEstimate = estimateInputTokens(messages);
    const outputEstimate =
      outputSamples >= 5 ? Math.ceil(outputTotal / outputSamples) : assumedOutputTokens(candidate, workload);
    const estimateUsd =
      callCostUsd(
        { inputTokens: inputEstimate, outputTokens: outputEstimate, source: 'tokenizer' },
        pricing,
      ) ?? 0;
    if (context.budget && !(await context.budget.tryReserve(estimateUsd))) {
      context.budgetStop ??= {
        candidateId: candidate.id,
        projectedUsd: context.budget.projectedUsd + estimateUsd,
      };
      context.stop.abort(new Error('budget'));
      return 'stopped';
    }
    try {
      await gate.acquire(context.stop.signal);
    } catch {
      context.budget?.settle(estimateUsd, 0);
      return 'stopped';
    }
    const begun = context.useCache ? callsInRun.begin(key) : undefined;
    const base = baseOf(item);
    track(
      (async () => {
        let actualUsd = 0;
        let generation: Generation | undefined;
        let storedAs = 0;
        try {
          const outcome = await callWithRetries(lane.provider, { messages, params: candidate.params }, gate, {
            policy: context.policy,
            estimatedTokens: inputEstimate + outputEstimate,
            signal: context.hard,
          });
          context.totals.calls += outcome.attempts;
          if (outcome.kind === 'interrupted') return;
          if (outcome.kind === 'answered') {
            const result = answered(context, base, item.testCase, outcome.generation, pricing, {
              cached: false,
              attempts: outcome.attempts,
            });
            actualUsd = result.costUsd ?? 0;
            outputSamples++;
            outputTotal += outcome.generation.usage.outputTokens;
            progress.spentUsd += actualUsd;
            context.totals.costUsd += actualUsd;
            storedAs = finishResult(result, key);
            generation = outcome.generation;
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
              ...(outcome.requestId === undefined
                ? {}
                : { requestId: redactSecrets(outcome.requestId, context.secrets) }),
            });
          }
        } finally {
          context.budget?.settle(estimateUsd, actualUsd);
          gate.release();
          if (generation) begun?.answered(generation, storedAs);
          else begun?.failed();
        }
      })(),
    );
    if (context.writer.failure) context.stop.abort(context.writer.failure);
    return 'started';
  }
}

/** A graded result from a generation, made now or answered from the cache. */
function answered(
  context: RunContext,
  base: { runId: string; candidateId: string; caseId: string; repeat: number },
  testCase: Parameters<typeof gradeCase>[1],
  generation: Generation,
  pricing: CandidatePricing,
  how: { cached: boolean; attempts: number; measuredInRun?: string },
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
    ...(how.measuredInRun ? { cachedFromRun: how.measuredInRun } : {}),
    // What the server sends back is redacted like error messages: a proxy may echo the key anywhere.
    ...(generation.responseModel
      ? { responseModel: redactSecrets(generation.responseModel, context.secrets) }
      : {}),
    ...(generation.requestId ? { requestId: redactSecrets(generation.requestId, context.secrets) } : {}),
    ...(generation.httpStatus === undefined ? {} : { httpStatus: generation.httpStatus }),
    ...(costUsd === undefined ? {} : { costUsd }),
  };
}

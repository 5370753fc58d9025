// One candidate's share of a run, in named steps: plan a page (skip what the run already has),
// answer from the response cache what was paid for before, wait for identical calls already made
// (in this process, or by another worker of the team), and call the rest through the budget and
// the gate. The lane's state is the fields of one object, changed only by these steps.
import { setImmediate as afterReadySockets } from 'node:timers/promises';
import type { Generation } from '../spec/provider.ts';
import type { Result } from '../spec/result.ts';
import type { ChatMessage, Case as TestCase } from '../spec/workload.ts';
import { type CachedGeneration, type PositionedCase, resultStateKey } from '../store/runner-store.ts';
import { buildMessages } from './build-messages.ts';
import { cacheKey } from './cache-key.ts';
import { claimUnanswered, OtherWorkersCalls } from './call-claims.ts';
import { assumedOutputTokens, callCostUsd, estimateInputTokens } from './call-cost.ts';
import { callWithRetries } from './call-with-retries.ts';
import { type BegunCall, CallsInRun } from './calls-in-run.ts';
import { answeredResult, failedResult, type ResultBase } from './graded-result.ts';
import type { Lane, RunContext, RunProgress } from './run-context.ts';

export type { Lane, RunContext, RunProgress } from './run-context.ts';

const PAGE = 256;

/** One result to produce: a case, its repeat, its messages and its call's content address. */
interface Item {
  testCase: TestCase;
  repeat: number;
  key: string;
  messages: ChatMessage[];
}

/** What a call is expected to cost before it is made: reserved against the budget, settled after. */
interface Estimate {
  tokens: number;
  usd: number;
}

/** Runs one candidate's cases (or one page of them, on a worker) to stored results. */
export async function runLane(context: RunContext, lane: Lane): Promise<void> {
  await new CandidateLane(context, lane).run();
}

class CandidateLane {
  readonly #context: RunContext;
  readonly #lane: Lane;
  readonly #progress: Required<Omit<RunProgress, 'notCalled'>>;
  /** Per lane, so that forgetting published answers and looking up the cache happen in one order. */
  readonly #callsInRun = new CallsInRun();
  /** Identical calls another worker holds (team runs only). */
  readonly #otherWorkers: OtherWorkersCalls | undefined;
  /** Keys this worker claimed and has not let go yet. */
  readonly #claimed = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  #outputSamples = 0;
  #outputTotal = 0;

  constructor(context: RunContext, lane: Lane) {
    this.#context = context;
    this.#lane = lane;
    this.#progress = {
      candidateId: lane.candidate.id,
      done: 0,
      total: lane.totalCases * context.repeats,
      errors: 0,
      cached: 0,
      spentUsd: 0,
      rateLimited: 0,
    };
    const { claims, store, stop } = context;
    this.#otherWorkers =
      claims && context.useCache ? new OtherWorkersCalls(store, claims, stop.signal) : undefined;
  }

  async run(): Promise<void> {
    const { store, runId } = this.#context;
    this.#report();
    let after = this.#lane.range?.after ?? 0;
    const through = this.#lane.range?.through ?? Number.POSITIVE_INFINITY;
    try {
      while (!this.#stopped() && after < through) {
        this.#callsInRun.forgetPublished(this.#context.writer.publishedThrough);
        const page = (await store.runCasePage(runId, after, PAGE)).filter((c) => c.position <= through);
        if (page.length === 0) break;
        after = page.at(-1)!.position;
        const todo = await this.#planPage(page);
        if ((await this.#answerPage(todo)) === 'stopped') break;
      }
      // A case waiting on an earlier call may start a call of its own when that one fails: wait
      // until nothing is left in flight, not just for what was in flight now.
      while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
    } finally {
      // Claims of calls never made (the run stopped) go back for other workers.
      if (this.#claimed.size > 0) await this.#context.claims?.release([...this.#claimed]).catch(() => {});
    }
    this.#report();
  }

  /** The page's (case, repeat) pairs the run does not have yet; those it has count as done. */
  async #planPage(page: PositionedCase[]): Promise<Item[]> {
    const { store, runId, workload, repeats, retryErrors } = this.#context;
    const { candidate, origin } = this.#lane;
    const states = await store.resultStates(
      runId,
      candidate.id,
      page.map((testCase) => testCase.id),
    );
    const todo: Item[] = [];
    for (const testCase of page) {
      for (let repeat = 0; repeat < repeats; repeat++) {
        const state = states.get(resultStateKey(testCase.id, repeat));
        if (state === 'ok' || (state === 'error' && !retryErrors)) {
          this.#progress.done++;
          if (state === 'error') this.#progress.errors++;
          continue;
        }
        const messages = buildMessages(workload.prompt, testCase);
        todo.push({ testCase, repeat, messages, key: cacheKey(candidate, origin, messages, repeat) });
      }
    }
    this.#report();
    return todo;
  }

  /** Answers each item from the cache, from an identical call, or by calling; 'stopped' when the run stops. */
  async #answerPage(todo: Item[]): Promise<'done' | 'stopped'> {
    const { useCache, store } = this.#context;
    const cached = useCache
      ? await store.cachedGenerations(todo.map((item) => item.key))
      : new Map<string, CachedGeneration>();
    const granted = await this.#claimFresh(todo, cached);
    for (const item of todo) {
      if (this.#stopped()) return 'stopped';
      const hit = cached.get(item.key);
      if (hit) {
        this.#answerFromCache(item, hit);
        continue;
      }
      const earlier = useCache ? this.#callsInRun.find(item.key) : undefined;
      if (earlier) {
        this.#track(this.#answerFromEarlier(item, earlier));
        continue;
      }
      if (granted && !granted.has(item.key)) {
        this.#track(this.#answerFromOtherWorker(item, this.#callsInRun.begin(item.key)));
        continue;
      }
      if ((await this.#startCall(item)) === 'stopped') return 'stopped';
    }
    return 'done';
  }

  /** On a team's workers, claims the keys this page would call; undefined when calls are not shared. */
  async #claimFresh(todo: Item[], cached: Map<string, CachedGeneration>): Promise<Set<string> | undefined> {
    if (!this.#otherWorkers || !this.#context.claims) return undefined;
    const keys = new Set<string>();
    for (const item of todo)
      if (!cached.has(item.key) && !this.#callsInRun.find(item.key) && !this.#claimed.has(item.key))
        keys.add(item.key);
    const { granted, answered } = await claimUnanswered(this.#context.store, this.#context.claims, [...keys]);
    for (const [key, generation] of answered) cached.set(key, generation);
    for (const key of granted) this.#claimed.add(key);
    // Keys this lane already holds from an earlier page count as its own.
    for (const key of this.#claimed) granted.add(key);
    return granted;
  }

  #answerFromCache(item: Item, hit: CachedGeneration): void {
    this.#finish(
      this.#graded(item, hit, {
        cached: true,
        attempts: 0,
        ...(hit.measuredInRun ? { measuredInRun: hit.measuredInRun } : {}),
      }),
    );
  }

  /** The same call is in flight or just answered in this run: its answer, or a call of our own if it failed. */
  async #answerFromEarlier(item: Item, earlier: Promise<Generation | undefined>): Promise<void> {
    const generation = await earlier;
    if (generation) {
      this.#finish(
        this.#graded(item, generation, { cached: true, attempts: 0, measuredInRun: this.#context.runId }),
      );
    } else if (!this.#stopped()) {
      await this.#startCall(item);
    }
  }

  /** Another worker holds the call: its stored answer, or the call once that worker let go of it. */
  async #answerFromOtherWorker(item: Item, begun: BegunCall): Promise<void> {
    const call = await this.#otherWorkers!.wait(item.key);
    if (call.kind === 'answered') {
      const { generation } = call;
      this.#finish(
        this.#graded(item, generation, {
          cached: true,
          attempts: 0,
          ...(generation.measuredInRun ? { measuredInRun: generation.measuredInRun } : {}),
        }),
      );
      begun.answered(generation, 0);
    } else if (call.kind === 'claimed' && !this.#stopped()) {
      this.#claimed.add(item.key);
      if ((await this.#startCall(item, begun)) === 'stopped') begun.failed();
    } else {
      begun.failed();
    }
  }

  /** Reserves budget, waits for the gate and starts the call; 'stopped' when the run stops instead. */
  async #startCall(item: Item, begun?: BegunCall): Promise<'started' | 'stopped'> {
    const estimate = this.#estimate(item.messages);
    if (!(await this.#reserve(estimate))) return 'stopped';
    try {
      await this.#lane.gate.acquire(this.#context.stop.signal);
    } catch {
      this.#context.budget?.settle(estimate.usd, 0);
      return 'stopped';
    }
    // The slot is often freed by an answer, while others that came with it wait unread in their
    // sockets, and an answer not yet read is lost to a kill: the call goes out once the event loop
    // has read the sockets that are ready (and stored their answers), not from inside that answer.
    await afterReadySockets();
    if (this.#stopped()) {
      this.#lane.gate.release();
      this.#context.budget?.settle(estimate.usd, 0);
      return 'stopped';
    }
    const entry = begun ?? (this.#context.useCache ? this.#callsInRun.begin(item.key) : undefined);
    this.#track(this.#call(item, estimate, entry));
    if (this.#context.writer.failure) this.#context.stop.abort(this.#context.writer.failure);
    return 'started';
  }

  /** Tokens and USD the call is expected to take: the prompt's tokens and the outputs seen so far. */
  #estimate(messages: ChatMessage[]): Estimate {
    const inputTokens = estimateInputTokens(messages);
    const outputTokens =
      this.#outputSamples >= 5
        ? Math.ceil(this.#outputTotal / this.#outputSamples)
        : assumedOutputTokens(this.#lane.candidate, this.#context.workload);
    const usd = callCostUsd({ inputTokens, outputTokens, source: 'tokenizer' }, this.#lane.pricing) ?? 0;
    return { tokens: inputTokens + outputTokens, usd };
  }

  /** False (and the run stopped, with the projection recorded) when the budget refuses the call. */
  async #reserve(estimate: Estimate): Promise<boolean> {
    const { budget } = this.#context;
    if (!budget || (await budget.tryReserve(estimate.usd))) return true;
    this.#context.budgetStop ??= {
      candidateId: this.#lane.candidate.id,
      projectedUsd: budget.projectedUsd + estimate.usd,
    };
    this.#context.stop.abort(new Error('budget'));
    return false;
  }

  /** Makes the call with the runner's retries and stores its result; the gate and budget are settled whatever happens. */
  async #call(item: Item, estimate: Estimate, begun: BegunCall | undefined): Promise<void> {
    const context = this.#context;
    const { gate, provider, candidate } = this.#lane;
    let actualUsd = 0;
    let generation: Generation | undefined;
    let storedAs = 0;
    try {
      const outcome = await callWithRetries(
        provider,
        { messages: item.messages, params: candidate.params },
        gate,
        { policy: context.policy, estimatedTokens: estimate.tokens, signal: context.hard },
      );
      context.totals.calls += outcome.attempts;
      if (outcome.kind === 'interrupted') return;
      if (outcome.kind === 'failed') {
        this.#finish(failedResult(this.#baseOf(item), outcome, context.secrets));
        return;
      }
      const result = this.#graded(item, outcome.generation, { cached: false, attempts: outcome.attempts });
      actualUsd = result.costUsd ?? 0;
      this.#outputSamples++;
      this.#outputTotal += outcome.generation.usage.outputTokens;
      this.#progress.spentUsd += actualUsd;
      context.totals.costUsd += actualUsd;
      storedAs = this.#finish(result, item.key);
      generation = outcome.generation;
    } finally {
      context.budget?.settle(estimate.usd, actualUsd);
      gate.release();
      if (generation) begun?.answered(generation, storedAs);
      else begun?.failed();
      this.#letGo(item.key, generation !== undefined);
    }
  }

  /** Gives a claimed key back: once its answer is stored (others then find it), or at once when the call failed. */
  #letGo(key: string, answered: boolean): void {
    const { claims, writer } = this.#context;
    if (!claims || !this.#claimed.delete(key)) return;
    const release = () => claims.release([key]).catch(() => {});
    if (answered) void writer.whenWritten().then(release);
    else void release();
  }

  #graded(
    item: Item,
    generation: Generation,
    how: { cached: boolean; attempts: number; measuredInRun?: string },
  ): Result {
    return answeredResult(
      this.#context.workload,
      this.#baseOf(item),
      item.testCase,
      generation,
      this.#lane.pricing,
      {
        ...how,
        secrets: this.#context.secrets,
      },
    );
  }

  /** Queues the result for the store and counts it; `cacheKey` when its call was made now. Returns the writer's sequence number. */
  #finish(result: Result, cacheKey?: string): number {
    const { totals, writer } = this.#context;
    const storedAs = writer.add(result, cacheKey);
    this.#progress.done++;
    totals.results++;
    if (result.error) {
      this.#progress.errors++;
      totals.errors++;
    }
    if (result.cached) {
      this.#progress.cached++;
      totals.cached++;
    }
    this.#report();
    return storedAs;
  }

  #baseOf(item: Item): ResultBase {
    return {
      runId: this.#context.runId,
      candidateId: this.#lane.candidate.id,
      caseId: item.testCase.id,
      repeat: item.repeat,
    };
  }

  #track(task: Promise<void>): void {
    this.#inFlight.add(task);
    void task.finally(() => this.#inFlight.delete(task));
  }

  #stopped(): boolean {
    return this.#context.stop.signal.aborted;
  }

  #report(): void {
    this.#progress.rateLimited = this.#lane.gate.stats().rateLimited;
    this.#context.onProgress?.({ ...this.#progress });
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { redactSecrets } from '../providers/api-keys.ts';
import { VerdictError } from '../spec/errors.ts';
import { interArrivalGaps, validateArrival } from './arrivals.ts';
import { startClientMonitor } from './client-monitor.ts';
import { createHttpTransport } from './http-transport.ts';
import { LoadTestRecorder } from './load-test-recorder.ts';
import { createPromptSource, describeLength, describePrompts } from './prompts.ts';
import { createRandom } from './random.ts';
import type { StreamOutcome } from './stream-request.ts';
import type { LoadTestOptions, LoadTestResult, RequestRecord } from './types.ts';

const DEFAULT_SEED = 1;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Runs one load test against an OpenAI-compatible streaming endpoint: closed loop at a fixed
 * concurrency or open loop at a rate, for a bounded time and request count, and returns what
 * it measured. Failed requests are counted apart; requests sent during warm-up are not counted.
 */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  validateOptions(options);
  const seed = options.seed ?? DEFAULT_SEED;
  const warmupMs = options.warmupMs ?? 0;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const drainTimeoutMs = options.drainTimeoutMs ?? requestTimeoutMs;
  const sendEndMs = warmupMs + options.durationMs;
  const { arrival, target } = options;

  // Separate streams so that changing the prompts does not change the arrival times.
  const arrivalRandom = createRandom(seed);
  const promptFor = createPromptSource(
    options.prompts,
    options.outputTokens,
    createRandom(seed ^ 0x5bd1e995),
  );
  const transport = options.transport ?? createHttpTransport(target, options.extraBody);
  const testId = `verdict-load-${seed}-${Date.now().toString(36)}`;

  const cutController = new AbortController();
  const cuts = new Set<() => void>();
  const cutAll = () => {
    cutController.abort();
    for (const cut of cuts) cut();
  };
  const onOuterAbort = cutAll;
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const recorder = new LoadTestRecorder(warmupMs, options.slo ?? null, options.keepRequests ?? false);
  const inFlight = new Set<Promise<void>>();
  let measuredSent = 0;
  let lastMeasuredSendMs = warmupMs;
  let callbackError: unknown = null;

  const startedAt = new Date();
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const monitor = startClientMonitor();

  const send = (index: number, scheduledAt: number, warmup: boolean): Promise<void> => {
    const prompt = promptFor(index);
    const sentAtMs = now();
    recorder.sent(sentAtMs, warmup);
    if (!warmup) lastMeasuredSendMs = sentAtMs;
    const handle = transport.send({
      messages: prompt.messages,
      maxTokens: prompt.maxTokens,
      ignoreEos: options.ignoreEos ?? false,
      requestId: `${testId}-${index}`,
      timeoutMs: requestTimeoutMs,
    });
    cuts.add(handle.cut);
    const request = handle.outcome.then((outcome) => {
      cuts.delete(handle.cut);
      // A server may echo the key in an error ("Incorrect API key provided: sk-…").
      if (outcome.error && target.apiKey)
        outcome.error.message = redactSecrets(outcome.error.message, [target.apiKey]);
      const record = toRecord(index, warmup, scheduledAt, outcome, t0, prompt);
      if (!record.error) recorder.inputSource(outcome.promptTokens !== null ? 'server' : 'estimate');
      recorder.finished(record, outcome.endedAt - t0, outcome.itls);
      if (!options.keepRequests) delete record.itlsMs;
      if (warmup || !options.onRequest) return;
      try {
        options.onRequest(record);
      } catch (error) {
        // The caller's failure (e.g. the store) must not be lost, nor tear down requests in flight.
        callbackError ??= error;
      }
    });
    inFlight.add(request);
    const forget = () => inFlight.delete(request);
    request.then(forget, forget);
    return request;
  };

  const mayMeasureMore = () => measuredSent < options.maxRequests && !cutController.signal.aborted;
  let index = 0;
  if (arrival.kind === 'closed') {
    const worker = async () => {
      let readyAt = now();
      while (readyAt < sendEndMs && mayMeasureMore()) {
        const warmup = readyAt < warmupMs;
        if (!warmup) measuredSent += 1;
        await send(index++, readyAt, warmup);
        readyAt = now();
      }
    };
    // Each worker ends after its last request; past the drain deadline the rest are cut below.
    const workers = Promise.all(Array.from({ length: arrival.concurrency }, worker));
    const deadline = sleep(sendEndMs + drainTimeoutMs - now(), undefined, { signal: cutController.signal });
    await Promise.race([workers, deadline.catch(() => {})]);
  } else {
    const gap = interArrivalGaps(arrival, arrivalRandom);
    let scheduledAt = 0;
    while (scheduledAt < sendEndMs && mayMeasureMore()) {
      const wait = scheduledAt - now();
      if (wait > 0) {
        // Timers fire late, never early: the lateness is each request's schedule lag.
        await sleep(wait, undefined, { signal: cutController.signal }).catch(() => {});
        continue;
      }
      const warmup = scheduledAt < warmupMs;
      if (!warmup) measuredSent += 1;
      send(index++, scheduledAt, warmup);
      scheduledAt += gap();
    }
  }

  // Sending has stopped: give requests in flight the drain time, then cut the rest.
  if (arrival.kind !== 'closed' && inFlight.size > 0 && !cutController.signal.aborted) {
    const drained = Promise.allSettled([...inFlight]);
    await Promise.race([
      drained,
      sleep(drainTimeoutMs, undefined, { signal: cutController.signal }).catch(() => {}),
    ]);
  }
  cutAll();
  await Promise.allSettled([...inFlight]);
  if (!options.transport) await transport.close();
  options.signal?.removeEventListener('abort', onOuterAbort);
  if (callbackError !== null) throw callbackError;

  const lagSummary = recorder.scheduleLag.summary();
  const meanGapMs = arrival.kind === 'closed' ? null : 1000 / arrival.rate;
  const client = monitor.stop(lagSummary, meanGapMs, transport.inProcess === true);
  const offeredRate = arrival.kind === 'closed' ? null : arrival.rate;
  const figures = recorder.finish(
    Math.max(1, Math.min(sendEndMs, lastMeasuredSendMs + 1) - warmupMs),
    offeredRate,
  );
  return {
    schemaVersion: 1,
    kind: 'load-test',
    target: {
      baseUrl: options.transport ? target.baseUrl : withoutCredentials(new URL(target.baseUrl)),
      model: target.model,
    },
    arrival,
    settings: {
      durationMs: options.durationMs,
      maxRequests: options.maxRequests,
      warmupMs,
      requestTimeoutMs,
      drainTimeoutMs,
      seed,
      prompts: describePrompts(options.prompts),
      outputTokens: describeLength(options.outputTokens),
      ignoreEos: options.ignoreEos ?? false,
    },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    timeZeroEpochMs: performance.timeOrigin + t0,
    ...figures,
    client,
  };
}

function toRecord(
  index: number,
  warmup: boolean,
  scheduledAt: number,
  outcome: StreamOutcome,
  t0: number,
  prompt: { estimatedInputTokens: number; maxTokens: number | null },
): RequestRecord {
  const sentAt = outcome.sentAt - t0;
  const ok = outcome.error === null && outcome.firstTokenAt !== null && outcome.lastTokenAt !== null;
  const outputTokens = ok ? (outcome.completionTokens ?? outcome.chunks) : null;
  const ttftMs = ok ? outcome.firstTokenAt! - outcome.sentAt : null;
  const e2eMs = ok ? outcome.lastTokenAt! - outcome.sentAt : null;
  const tpotMs =
    ok && outputTokens !== null && outputTokens > 1 ? (e2eMs! - ttftMs!) / (outputTokens - 1) : null;
  let maxItlMs: number | null = null;
  for (const gap of outcome.itls) if (maxItlMs === null || gap > maxItlMs) maxItlMs = gap;
  return {
    index,
    warmup,
    scheduledAt,
    sentAt,
    scheduleLagMs: Math.max(0, sentAt - scheduledAt),
    ttftMs,
    e2eMs,
    tpotMs,
    maxItlMs: ok ? maxItlMs : null,
    chunks: outcome.chunks,
    inputTokens: ok ? (outcome.promptTokens ?? prompt.estimatedInputTokens) : null,
    outputTokens,
    tokenSource: outcome.completionTokens !== null ? 'server' : 'estimate',
    maxTokens: prompt.maxTokens,
    finishReason: outcome.finishReason,
    error: outcome.error,
    itlsMs: outcome.itls,
  };
}

function validateOptions(options: LoadTestOptions): void {
  validateArrival(options.arrival);
  const fail = (message: string): never => {
    throw new VerdictError('USAGE', message);
  };
  if (!(options.durationMs > 0)) fail(`duration must be positive, got ${options.durationMs} ms`);
  if (!Number.isInteger(options.maxRequests) || options.maxRequests < 1) {
    fail(`the request cap must be a whole number ≥ 1, got ${options.maxRequests}`);
  }
  if (options.warmupMs !== undefined && !(options.warmupMs >= 0)) fail('warm-up must be ≥ 0 ms');
  if (options.requestTimeoutMs !== undefined && !(options.requestTimeoutMs > 0)) {
    fail('the request timeout must be positive');
  }
  if (options.drainTimeoutMs !== undefined && !(options.drainTimeoutMs >= 0))
    fail('the drain timeout must be ≥ 0 ms');
  if (!options.transport) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(options.target.baseUrl);
    } catch {
      fail(`base URL "${options.target.baseUrl}" is not a URL`);
    }
    if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      fail(`base URL "${options.target.baseUrl}" must be http or https`);
    }
  }
  if (!options.target.model) fail('a model name is required');
}

function withoutCredentials(url: URL): string {
  if (!url.username && !url.password) return url.href.replace(/\/$/, '');
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href.replace(/\/$/, '');
}

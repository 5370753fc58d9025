import { LatencyHistogram, median } from './latency-histogram.ts';
import { evaluateSloBounds, requestMeetsSlo } from './slo.ts';
import type {
  LoadTestResult,
  RequestRecord,
  SendReport,
  Slo,
  SloResult,
  StabilityReport,
  TimeSeriesPoint,
  TokenSource,
} from './types.ts';

interface Bucket {
  sent: number;
  completed: number;
  errors: number;
  ended: number;
  outputTokens: number;
  ttfts: number[];
}

/**
 * Folds finished requests into the figures of one test. Latencies go into HDR histograms, so
 * memory does not grow with the number of requests (unless `keepRequests` asks for the records).
 * Failed and cut requests are counted, never recorded as latencies.
 */
export class LoadTestRecorder {
  readonly ttft = new LatencyHistogram();
  readonly itl = new LatencyHistogram();
  readonly tpot = new LatencyHistogram();
  readonly e2e = new LatencyHistogram();
  readonly scheduleLag = new LatencyHistogram();

  readonly #measuredStartMs: number;
  readonly #slo: Slo | null;
  readonly #keep: RequestRecord[] | null;
  readonly #buckets: Bucket[] = [];
  readonly #errors: Record<string, { count: number; example: string }> = {};
  // Send time and TTFT of each successful measured request, for the stability check.
  readonly #sendTimes: number[] = [];
  readonly #ttfts: number[] = [];
  #warmup = 0;
  #sent = 0;
  #completed = 0;
  #failed = 0;
  #cut = 0;
  #good = 0;
  #inputTokens = 0;
  #outputTokens = 0;
  #inputSources = new Set<'server' | 'estimate'>();
  #outputSources = new Set<'server' | 'estimate'>();
  #chunksWithUsage = 0;
  #serverOutputTokens = 0;
  #firstSend = Number.POSITIVE_INFINITY;
  #lastSend = Number.NEGATIVE_INFINITY;
  #lastEnd = Number.NEGATIVE_INFINITY;
  // Gaps between successive measured sends, as sums: the achieved rate and its regularity.
  #gapSum = 0;
  #gapSquares = 0;

  constructor(measuredStartMs: number, slo: Slo | null, keepRequests: boolean) {
    this.#measuredStartMs = measuredStartMs;
    this.#slo = slo;
    this.#keep = keepRequests ? [] : null;
  }

  #bucket(atMs: number): Bucket {
    const second = Math.max(0, Math.floor((atMs - this.#measuredStartMs) / 1000));
    while (this.#buckets.length <= second) {
      this.#buckets.push({ sent: 0, completed: 0, errors: 0, ended: 0, outputTokens: 0, ttfts: [] });
    }
    return this.#buckets[second]!;
  }

  /** Counts a send as it happens, so the time series shows requests in flight. */
  sent(atMs: number, warmup: boolean): void {
    if (warmup) {
      this.#warmup += 1;
      return;
    }
    this.#sent += 1;
    if (Number.isFinite(this.#lastSend)) {
      const gap = atMs - this.#lastSend;
      this.#gapSum += gap;
      this.#gapSquares += gap * gap;
    }
    this.#firstSend = Math.min(this.#firstSend, atMs);
    this.#lastSend = Math.max(this.#lastSend, atMs);
    this.#bucket(atMs).sent += 1;
  }

  /** Folds in one finished request; `endedAtMs` is when it finished, ms from the test's start. */
  finished(record: RequestRecord, endedAtMs: number, itls: number[]): void {
    if (record.warmup) return;
    this.#keep?.push(record);
    this.#bucket(endedAtMs).ended += 1;
    if (record.error?.kind === 'cut') {
      this.#cut += 1;
      return;
    }
    this.#lastEnd = Math.max(this.#lastEnd, endedAtMs);
    this.scheduleLag.record(record.scheduleLagMs);
    const bucket = this.#bucket(endedAtMs);
    if (record.error) {
      this.#failed += 1;
      bucket.errors += 1;
      const entry = this.#errors[record.error.kind];
      if (entry) entry.count += 1;
      else this.#errors[record.error.kind] = { count: 1, example: record.error.message };
      return;
    }
    this.#completed += 1;
    bucket.completed += 1;
    bucket.outputTokens += record.outputTokens ?? 0;
    this.#bucket(record.sentAt).ttfts.push(record.ttftMs!);
    this.#sendTimes.push(record.sentAt);
    this.#ttfts.push(record.ttftMs!);
    this.ttft.record(record.ttftMs!);
    this.e2e.record(record.e2eMs!);
    if (record.tpotMs !== null) this.tpot.record(record.tpotMs);
    for (const gap of itls) this.itl.record(gap);
    this.#inputTokens += record.inputTokens ?? 0;
    this.#outputTokens += record.outputTokens ?? 0;
    if (record.tokenSource === 'server') {
      this.#outputSources.add('server');
      this.#chunksWithUsage += record.chunks;
      this.#serverOutputTokens += record.outputTokens ?? 0;
    } else {
      this.#outputSources.add('estimate');
    }
    if (this.#slo && requestMeetsSlo(record, this.#slo)) this.#good += 1;
  }

  /** Notes where the input token count came from (usage, or our character estimate). */
  inputSource(source: 'server' | 'estimate'): void {
    this.#inputSources.add(source);
  }

  /** Figures of the measured window; `sendWindowMs` is how long measured sending lasted. */
  finish(
    sendWindowMs: number,
    offeredRate: number | null,
  ): Pick<
    LoadTestResult,
    | 'measuredWallMs'
    | 'counts'
    | 'throughput'
    | 'latency'
    | 'tokens'
    | 'errors'
    | 'slo'
    | 'stability'
    | 'timeSeries'
    | 'requests'
    | 'sends'
  > {
    const hasWall = Number.isFinite(this.#firstSend) && this.#lastEnd > this.#firstSend;
    const measuredWallMs = hasWall ? this.#lastEnd - this.#firstSend : 0;
    const perSecond = (n: number) => (measuredWallMs > 0 ? round3((n * 1000) / measuredWallMs) : 0);
    const latency = {
      ttft: this.ttft.summary(),
      itl: this.itl.summary(),
      tpot: this.tpot.summary(),
      e2e: this.e2e.summary(),
    };
    let slo: SloResult | null = null;
    if (this.#slo) {
      const evaluated = evaluateSloBounds(this.#slo, latency);
      slo = {
        text: this.#slo.text,
        met: evaluated.met,
        bounds: evaluated.bounds,
        goodRequests: this.#good,
        goodputPerSec: perSecond(this.#good),
      };
    }
    let inFlight = 0;
    const timeSeries: TimeSeriesPoint[] = this.#buckets.map((bucket, second) => {
      inFlight += bucket.sent - bucket.ended;
      const ttftP50 = median(bucket.ttfts);
      return {
        second,
        sent: bucket.sent,
        completed: bucket.completed,
        errors: bucket.errors,
        outputTokens: bucket.outputTokens,
        ttftP50Ms: ttftP50 === null ? null : round3(ttftP50),
        inFlight,
      };
    });
    const errorsTotal = this.#failed;
    return {
      measuredWallMs: round3(measuredWallMs),
      counts: {
        warmup: this.#warmup,
        sent: this.#sent,
        completed: this.#completed,
        failed: this.#failed,
        cut: this.#cut,
      },
      throughput: {
        requestsPerSec: perSecond(this.#completed),
        outputTokensPerSec: perSecond(this.#outputTokens),
        inputTokensPerSec: perSecond(this.#inputTokens),
      },
      latency,
      tokens: {
        input: this.#inputTokens,
        output: this.#outputTokens,
        inputSource: sourceOf(this.#inputSources),
        outputSource: sourceOf(this.#outputSources),
        chunksPerServerToken:
          this.#serverOutputTokens > 0 ? round3(this.#chunksWithUsage / this.#serverOutputTokens) : null,
      },
      errors: { total: errorsTotal, byKind: this.#errors },
      slo,
      stability: this.#stability(sendWindowMs, offeredRate, measuredWallMs),
      sends: this.#sends(offeredRate),
      timeSeries,
      ...(this.#keep ? { requests: this.#keep } : {}),
    };
  }

  /** The arrival process as it was achieved: rate and coefficient of variation of the gaps between sends. */
  #sends(offeredRate: number | null): SendReport {
    const gaps = this.#sent - 1;
    const spanMs = gaps > 0 ? this.#lastSend - this.#firstSend : 0;
    const meanGap = gaps > 0 ? this.#gapSum / gaps : null;
    const variance =
      meanGap !== null && gaps > 1
        ? Math.max(0, (this.#gapSquares - gaps * meanGap * meanGap) / (gaps - 1))
        : null;
    return {
      count: this.#sent,
      firstAtMs: Number.isFinite(this.#firstSend) ? round3(this.#firstSend - this.#measuredStartMs) : null,
      spanMs: round3(spanMs),
      offeredPerSec: offeredRate,
      achievedPerSec: spanMs > 0 ? round3((gaps * 1000) / spanMs) : null,
      interArrivalCv:
        variance !== null && meanGap !== null && meanGap > 0 ? round3(Math.sqrt(variance) / meanGap) : null,
    };
  }

  #stability(sendWindowMs: number, offeredRate: number | null, measuredWallMs: number): StabilityReport {
    const quarter = sendWindowMs / 4;
    const first: number[] = [];
    const last: number[] = [];
    for (let i = 0; i < this.#sendTimes.length; i++) {
      const offset = this.#sendTimes[i]! - this.#measuredStartMs;
      if (offset < quarter) first.push(this.#ttfts[i]!);
      else if (offset >= sendWindowMs - quarter) last.push(this.#ttfts[i]!);
    }
    const firstP50 = first.length >= 3 ? median(first) : null;
    const lastP50 = last.length >= 3 ? median(last) : null;
    // Rising by half again and by more than timer noise: a queue is growing in the server.
    const latencyRising =
      firstP50 !== null && lastP50 !== null && lastP50 > 1.5 * firstP50 && lastP50 - firstP50 > 20;
    // The wall time runs one request's latency past the last send; take that tail off so a
    // server that keeps up scores 1 however short the test.
    // Judged against the requests actually sent over the span they were sent in, not the nominal
    // rate: a short Poisson window sends more or fewer than rate × duration, and a server that
    // finished every one of them kept up (issue 15: 79% "of the offered rate" with none left over).
    const e2eP50 = this.e2e.percentile(50) ?? 0;
    const span = measuredWallMs - e2eP50;
    const sendSpan = this.#lastSend - this.#firstSend;
    const finished = this.#completed + this.#failed;
    const completionRatio =
      offeredRate !== null && span > 0 && this.#sent >= 2 && sendSpan > 0
        ? round3(finished / span / (this.#sent / sendSpan))
        : null;
    return {
      ttftP50FirstQuarterMs: firstP50 === null ? null : round3(firstP50),
      ttftP50LastQuarterMs: lastP50 === null ? null : round3(lastP50),
      latencyRising,
      completionRatio,
    };
  }
}

function sourceOf(sources: Set<'server' | 'estimate'>): TokenSource {
  if (sources.size === 0) return 'none';
  if (sources.size === 2) return 'mixed';
  return sources.has('server') ? 'server' : 'estimate';
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

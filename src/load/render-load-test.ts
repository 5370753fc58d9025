// Plain-text summaries of load results for a terminal: no colour codes, at most 80 columns.
import { describeArrival } from './arrivals.ts';
import type { MaxRateResult } from './find-max-rate.ts';
import type { SweepResult } from './sweep.ts';
import type { LatencySummary, LoadTestResult, TimeSeriesPoint } from './types.ts';

const WIDTH = 80;

/** A load test as terminal text. */
export function renderLoadTest(result: LoadTestResult): string {
  const lines: string[] = [];
  const { counts, throughput, settings } = result;
  lines.push(
    ...wrap(
      `Load test  ${describeArrival(result.arrival)} -> ${result.target.baseUrl} (${result.target.model})`,
    ),
  );
  const warmup = settings.warmupMs > 0 ? ` after ${seconds(settings.warmupMs)} warm-up` : ', no warm-up';
  lines.push(
    ...wrap(
      `  ${seconds(settings.durationMs)} window${warmup}, cap ${settings.maxRequests} requests, seed ${settings.seed}; ` +
        `prompts ${settings.prompts}; output tokens ${settings.outputTokens}${settings.ignoreEos ? ' (ignore_eos)' : ''}`,
      '  ',
    ),
  );
  lines.push(
    `Requests   ${counts.sent} sent, ${counts.completed} completed, ${counts.failed} failed, ${counts.cut} cut` +
      (counts.warmup > 0 ? ` (+${counts.warmup} warm-up)` : ''),
  );
  if (result.sends && result.sends.achievedPerSec !== null) {
    const s = result.sends;
    lines.push(
      `Arrivals   ${fixed(s.achievedPerSec, 2)} req/s achieved` +
        (s.offeredPerSec === null ? '' : ` of ${trim(s.offeredPerSec)} asked`) +
        `, inter-arrival CV ${fixed(s.interArrivalCv, 2)} over ${seconds(Math.round(s.spanMs))}`,
    );
  }
  lines.push(
    `Throughput ${fixed(throughput.requestsPerSec, 2)} req/s, ${fixed(throughput.outputTokensPerSec, 1)} output tok/s, ` +
      `${fixed(throughput.inputTokensPerSec, 1)} input tok/s`,
  );
  if (result.slo) {
    lines.push(
      ...wrap(
        `Goodput    ${fixed(result.slo.goodputPerSec, 2)} req/s (${result.slo.goodRequests} requests) within ` +
          result.slo.text,
        '           ',
      ),
    );
  }
  lines.push('', latencyHeader());
  lines.push(latencyRow('TTFT', result.latency.ttft));
  lines.push(latencyRow('TPOT', result.latency.tpot));
  lines.push(latencyRow('ITL', result.latency.itl));
  lines.push(latencyRow('E2E', result.latency.e2e));
  lines.push('');
  if (result.slo) {
    const bounds = result.slo.bounds.map(
      (b) =>
        `${b.metric} ${b.statistic} ${b.observedMs === null ? '-' : fixed(b.observedMs, 1)} ms ` +
        `${b.met ? '<=' : '>'} ${b.thresholdMs} ms ${b.met ? 'ok' : 'MISSED'}`,
    );
    lines.push(
      ...wrap(`SLO        ${result.slo.met ? 'met' : 'MISSED'}: ${bounds.join('; ')}`, '           '),
    );
  }
  const kinds = Object.entries(result.errors.byKind).sort((a, b) => b[1].count - a[1].count);
  if (kinds.length > 0) {
    lines.push(
      ...wrap(
        `Errors     ${kinds.map(([kind, e]) => `${kind} ${e.count}`).join(', ')} (not in latencies)`,
        '           ',
      ),
    );
    lines.push(...wrap(`           e.g. ${kinds[0]![0]}: ${kinds[0]![1].example}`, '             '));
  } else {
    lines.push('Errors     none');
  }
  lines.push(...wrap(`Tokens     ${describeTokens(result)}`, '           '));
  const client = result.client;
  lines.push(
    `Client     cpu ${Math.round(client.cpuFraction * 100)}% of a core, schedule lag p99 ` +
      `${client.scheduleLagMs.p99 === null ? '-' : fixed(client.scheduleLagMs.p99, 1)} ms, loop delay p99 ` +
      `${client.eventLoopDelayMs.p99 === null ? '-' : fixed(client.eventLoopDelayMs.p99, 1)} ms`,
  );
  if (client.note) lines.push(...wrap(`  ! ${client.note}`, '    '));
  const { stability } = result;
  if (stability.latencyRising || (stability.completionRatio !== null && stability.completionRatio < 0.9)) {
    lines.push(
      ...wrap(
        `  ! The server fell behind: TTFT p50 went from ${fixed(stability.ttftP50FirstQuarterMs, 1)} ms in the first ` +
          `quarter to ${fixed(stability.ttftP50LastQuarterMs, 1)} ms in the last` +
          (stability.completionRatio === null
            ? ''
            : `; it completed ${fixed(stability.completionRatio * 100, 0)}% of the rate sent`) +
          '.',
        '    ',
      ),
    );
  }
  if (result.timeSeries.length >= 2) {
    lines.push(sparkRow('req/s', result.timeSeries, (p) => p.completed));
    lines.push(sparkRow('TTFT p50', result.timeSeries, (p) => p.ttftP50Ms));
  }
  return `${lines.join('\n')}\n`;
}

/** A sweep as terminal text: one row per step, then where it saturated. */
export function renderSweep(result: SweepResult): string {
  const lines: string[] = [];
  const axis = result.axis === 'concurrency' ? 'concurrency (closed loop)' : 'rate (open loop, req/s)';
  lines.push(`Sweep over ${axis}${result.slo ? `, SLO ${result.slo}` : ''}`);
  lines.push(
    `${pad('value', 8)}${pad('req/s', 9)}${pad('tok/s', 10)}${pad('TTFT p50', 10)}${pad('TTFT p99', 10)}${pad('TPOT p50', 10)}${pad('errors', 8)}  verdict`,
  );
  for (const step of result.steps) {
    const r = step.result;
    const verdict = step.saturated
      ? 'saturated'
      : step.sloMet === false
        ? 'SLO missed'
        : step.reasons.length > 0
          ? 'failed'
          : 'ok';
    lines.push(
      `${pad(trim(step.value), 8)}${pad(fixed(r.throughput.requestsPerSec, 2), 9)}${pad(fixed(r.throughput.outputTokensPerSec, 1), 10)}` +
        `${pad(fixed(r.latency.ttft.p50, 1), 10)}${pad(fixed(r.latency.ttft.p99, 1), 10)}${pad(fixed(r.latency.tpot.p50, 1), 10)}` +
        `${pad(String(r.counts.failed), 8)}  ${verdict}`,
    );
  }
  lines.push('');
  if (result.saturation) {
    const knee =
      result.saturation.knee === null ? '' : `; last step that scaled: ${trim(result.saturation.knee)}`;
    lines.push(
      ...wrap(
        `Saturated at ${trim(result.saturation.value)}${knee}; best ${fixed(result.saturation.maxRequestsPerSec, 2)} req/s.`,
      ),
      ...wrap(`  ${result.saturation.reason}.`, '  '),
    );
  } else {
    lines.push(`Stopped: ${result.stoppedBecause}.`);
    const last = result.steps.at(-1);
    if (last && last.reasons.length > 0) lines.push(...wrap(`  ${last.reasons.join('; ')}.`, '  '));
  }
  if (result.bestWithinSlo) {
    const b = result.bestWithinSlo;
    lines.push(
      `Best step that held: ${trim(b.value)}, ${fixed(b.requestsPerSec, 2)} req/s` +
        (b.goodputPerSec === null ? '' : `, goodput ${fixed(b.goodputPerSec, 2)} req/s`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A max-rate search as terminal text: the rate found, then each step. */
export function renderMaxRate(result: MaxRateResult): string {
  const lines: string[] = [];
  const i = result.interval;
  const found = i
    ? `${fixed(result.estimatePerSec ?? null, 2)} req/s, ${Math.round(i.level * 100)}% interval ` +
      `${fixed(i.lowPerSec, 2)}–${fixed(i.highPerSec, 2)} from ${i.steps} steps`
    : result.maxRatePerSec === null
      ? 'none held'
      : `${fixed(result.maxRatePerSec, 2)} req/s`;
  const failed =
    !i && result.failedAtPerSec !== null ? ` (failed at ${fixed(result.failedAtPerSec, 2)})` : '';
  lines.push(...wrap(`Max rate within ${result.slo}: ${found}${failed}; ${result.stoppedBecause}`));
  lines.push(
    `${pad('step', 6)}${pad('rate/s', 9)}${pad('req/s', 9)}${pad('TTFT p99', 10)}${pad('TPOT p99', 10)}${pad('errors', 8)}  result`,
  );
  result.steps.forEach((step, i) => {
    const r = step.result;
    const head =
      `${pad(String(i + 1), 6)}${pad(fixed(step.rate, 2), 9)}${pad(fixed(r.throughput.requestsPerSec, 2), 9)}` +
      `${pad(fixed(r.latency.ttft.p99, 1), 10)}${pad(fixed(r.latency.tpot.p99, 1), 10)}${pad(String(r.counts.failed), 8)}  `;
    const doubt = step.counted === false ? ' (not counted)' : '';
    lines.push(head + (step.held ? 'held' : 'failed') + doubt + (step.phase === 'trial' ? ', trial' : ''));
    if (!step.held) lines.push(...wrap(`        ${step.reasons.join('; ')}`, '        '));
  });
  if (result.capacityPerSec !== undefined && result.capacityPerSec !== null && i) {
    lines.push(
      '',
      ...wrap(
        `Capacity per replica: ${fixed(result.capacityPerSec, 2)} req/s within the SLO, the lower end of the ` +
          `interval (the decision sizes replicas on it).`,
      ),
    );
  } else if (result.upperBoundPerSec !== undefined && result.upperBoundPerSec !== null) {
    lines.push(
      '',
      ...wrap(
        `No rate met the SLO: the capacity per replica is below ${fixed(result.upperBoundPerSec, 2)} req/s (an upper bound).`,
      ),
    );
  } else if (result.atMaxRate) {
    const a = result.atMaxRate;
    lines.push(
      '',
      ...wrap(
        `Capacity per replica: ${fixed(a.offeredPerSec, 2)} req/s within the SLO (measured; that step completed ` +
          `${fixed(a.requestsPerSec, 2)} req/s over its wall time, ${fixed(a.outputTokensPerSec, 1)} output tok/s, ` +
          `goodput ${fixed(a.goodputPerSec, 2)} req/s)`,
      ),
    );
  }
  if (result.note) lines.push(...wrap(`  ! ${result.note}`, '    '));
  return `${lines.join('\n')}\n`;
}

function describeTokens(result: LoadTestResult): string {
  const { tokens } = result;
  const source = (s: string) =>
    s === 'server'
      ? 'server usage'
      : s === 'estimate'
        ? 'ESTIMATE'
        : s === 'mixed'
          ? 'server usage and estimates'
          : 'none';
  let text = `output ${tokens.output} from ${source(tokens.outputSource)}, input ${tokens.input} from ${source(tokens.inputSource)}`;
  if (tokens.outputSource !== 'server' && tokens.outputSource !== 'none') {
    text += ' (output estimated as one token per streamed chunk; input as characters / 4)';
  }
  if (tokens.chunksPerServerToken !== null && Math.abs(tokens.chunksPerServerToken - 1) > 0.005) {
    text += `; ${fixed(tokens.chunksPerServerToken, 2)} chunks per token, so ITL is per chunk`;
  }
  return text;
}

function latencyHeader(): string {
  return `${pad('', 10)}${['mean', 'p50', 'p90', 'p95', 'p99', 'max'].map((h) => pad(h, 10)).join('')}  n`;
}

function latencyRow(name: string, s: LatencySummary): string {
  const cells = [s.mean, s.p50, s.p90, s.p95, s.p99, s.max].map((v) =>
    pad(v === null ? '-' : fixed(v, 1), 10),
  );
  return `${`${name} ms`.padEnd(10)}${cells.join('')}  ${s.count}`;
}

const SPARKS = ' ▁▂▃▄▅▆▇█';

function sparkRow(
  name: string,
  series: TimeSeriesPoint[],
  value: (p: TimeSeriesPoint) => number | null,
): string {
  const width = WIDTH - 22;
  const per = Math.ceil(series.length / width);
  const values: Array<number | null> = [];
  for (let i = 0; i < series.length; i += per) {
    const slice = series
      .slice(i, i + per)
      .map(value)
      .filter((v): v is number => v !== null);
    values.push(slice.length === 0 ? null : slice.reduce((a, b) => a + b, 0) / slice.length);
  }
  const known = values.filter((v): v is number => v !== null);
  const max = known.length > 0 ? Math.max(...known) : 0;
  const line = values
    .map((v) => (v === null ? ' ' : SPARKS[max > 0 ? Math.max(1, Math.round((v / max) * 8)) : 1]))
    .join('');
  return `${name.padEnd(10).slice(0, 10)}${line} max ${fixed(max, max >= 100 ? 0 : 1)}`.slice(0, WIDTH);
}

function wrap(text: string, indent = ''): string[] {
  const lines: string[] = [];
  const lead = /^ */.exec(text)![0];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    if (line.trim() !== '' && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line.trim() === '' ? line + word : `${line} ${word}`;
    }
  }
  if (line.trim() !== '') lines.push(line);
  return lines.map((l) => (l.length > WIDTH ? `${l.slice(0, WIDTH - 1)}…` : l));
}

function pad(text: string, width: number): string {
  return text.padStart(width);
}

function fixed(value: number | null, digits: number): string {
  return value === null ? '-' : value.toFixed(digits);
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

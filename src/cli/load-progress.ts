// Progress of `verdict load` on stderr (stdout stays clean for --json): on a terminal one line
// redrawn four times a second; otherwise (CI logs, pipes) one plain line per test or step.
import type { LoadTestResult, RequestRecord } from '../load/types.ts';
import type { Io } from './io.ts';

export interface LoadProgress {
  request(record: RequestRecord): void;
  step(label: string, result: LoadTestResult, held: boolean): void;
  stop(): void;
}

export function createLoadProgress(
  io: Io,
  /** `steps`: how many a sweep has; null for a search (unknown) or a single test (`stepped` false). */
  plan: { durationMs: number; warmupMs: number; stepped: boolean; steps: number | null },
): LoadProgress {
  const live = Boolean(io.stderr.isTTY) && !io.env.CI;
  const perTestMs = plan.durationMs + plan.warmupMs;
  let stepIndex = 0;
  let stepStart = performance.now();
  let done = 0;
  let errors = 0;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const stepText = () =>
    plan.stepped ? `step ${stepIndex + 1}${plan.steps === null ? '' : `/${plan.steps}`}  ` : '';
  if (!live) {
    io.stderr.write(
      `load: each test sends for ${seconds(plan.durationMs)}${plan.warmupMs > 0 ? ` after ${seconds(plan.warmupMs)} of warm-up` : ''}\n`,
    );
  }
  const draw = () => {
    const elapsed = Math.min(performance.now() - stepStart, perTestMs);
    io.stderr.write(
      `\r\x1b[K${stepText()}${seconds(elapsed)} of ${seconds(perTestMs)}  ${done} done, ${errors} failed`,
    );
  };
  const timer = live ? setInterval(draw, 250) : null;
  timer?.unref();
  return {
    request(record) {
      if (record.error) errors += 1;
      else done += 1;
    },
    step(label, result, held) {
      const line =
        `${stepText()}${label}: ${result.throughput.requestsPerSec.toFixed(2)} req/s, TTFT p99 ` +
        `${result.latency.ttft.p99 === null ? '-' : result.latency.ttft.p99.toFixed(1)} ms, ` +
        `${result.counts.failed} failed, ${held ? 'held' : 'failed'}`;
      io.stderr.write(live ? `\r\x1b[K${line}\n` : `load: ${line}\n`);
      stepIndex += 1;
      stepStart = performance.now();
      done = 0;
      errors = 0;
    },
    stop() {
      if (timer) {
        clearInterval(timer);
        io.stderr.write('\r\x1b[K');
      }
    },
  };
}

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ClientReport, LatencySummary } from './types.ts';

// Beyond these the generator, not the server, is shaping the figures. Lateness is judged
// against the gap between requests: a 20 ms lag matters at 50 req/s, hardly at 1 req/s.
const CPU_LIMIT = 0.85;
const LAG_FLOOR_MS = 20;
const LAG_SHARE_OF_GAP = 0.5;
const LOOP_DELAY_LIMIT_MS = 20;
const LOOP_RESOLUTION_MS = 10;

/** Watches the generator's own process while a test runs. */
export interface ClientMonitor {
  /** `cpuIsServer`: the server runs in this process, so CPU use does not mark the generator bound. */
  stop(lag: LatencySummary, meanGapMs: number | null, cpuIsServer?: boolean): ClientReport;
}

export function startClientMonitor(): ClientMonitor {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  // 10 ms sampling resolves stalls of the size that would move a TTFT visibly.
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();

  return {
    stop(lag, meanGapMs, cpuIsServer = false) {
      loopDelay.disable();
      const cpu = process.cpuUsage(cpuStart);
      const wallMs = Math.max(1, performance.now() - wallStart);
      const cpuFraction = (cpu.user + cpu.system) / 1000 / wallMs;
      // Node's samples span the whole timer interval; the stall is what exceeds the resolution.
      const toMs = (ns: number) => Math.max(0, Math.round(ns / 1e3 - LOOP_RESOLUTION_MS * 1e3) / 1e3);
      const sampled = loopDelay.count > 0;
      const eventLoopDelayMs = {
        p50: sampled ? toMs(loopDelay.percentile(50)) : null,
        p99: sampled ? toMs(loopDelay.percentile(99)) : null,
        max: sampled ? toMs(loopDelay.max) : null,
      };

      const reasons: string[] = [];
      if (cpuFraction >= CPU_LIMIT && !cpuIsServer)
        reasons.push(`it used ${Math.round(cpuFraction * 100)}% of a core`);
      const lagLimit = Math.max(LAG_FLOOR_MS, meanGapMs === null ? 0 : LAG_SHARE_OF_GAP * meanGapMs);
      if (lag.p99 !== null && lag.p99 > lagLimit) {
        reasons.push(`requests left a p99 of ${lag.p99.toFixed(1)} ms behind their schedule`);
      }
      if (eventLoopDelayMs.p99 !== null && eventLoopDelayMs.p99 > LOOP_DELAY_LIMIT_MS) {
        reasons.push(`its event loop stalled ${eventLoopDelayMs.p99.toFixed(1)} ms at p99`);
      }
      const generatorBound = reasons.length > 0;
      return {
        scheduleLagMs: lag,
        cpuFraction: Math.round(cpuFraction * 1000) / 1000,
        cpuUserMs: Math.round(cpu.user / 1000),
        cpuSystemMs: Math.round(cpu.system / 1000),
        eventLoopDelayMs,
        generatorBound,
        note: generatorBound
          ? `The load generator was a bottleneck: ${reasons.join('; ')}. Latencies may be overstated and ` +
            'rates understated; offer less load per process or spread it over several generators.'
          : null,
      };
    },
  };
}

// Progress for long runs: bars on a terminal, plain periodic lines otherwise (CI logs, pipes). Both
// show per candidate: done/total, rate, ETA, errors, cache hits and spend so far.
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type { RunProgress } from '../run/run-workload.ts';
import type { Io } from './io.ts';

export interface ProgressReporter {
  update(progress: RunProgress): void;
  stop(): void;
}

/** What the meter knows: results per second (null until half a second has passed), the seconds left, the seconds so far. */
interface Rate {
  rate: number | null;
  etaSeconds: number | null;
  elapsedSeconds: number;
}

/** Results per second since the first update that found work to do, and the seconds left at that rate. */
class RateMeter {
  #start: { at: number; done: number } | undefined;
  measure(done: number, total: number, now = performance.now()): Rate {
    this.#start ??= { at: now, done };
    const seconds = (now - this.#start.at) / 1000;
    // Under half a second a rate is noise (and "0.0/s" beside a finished run reads as a stall).
    const rate = seconds > 0.5 ? (done - this.#start.done) / seconds : null;
    return { rate, etaSeconds: rate ? (total - done) / rate : null, elapsedSeconds: seconds };
  }
}

function eta(seconds: number | null): string {
  if (seconds === null) return '--';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600)
    return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

function details(progress: RunProgress, { rate, etaSeconds, elapsedSeconds }: Rate): string {
  const finished = progress.total > 0 && progress.done === progress.total;
  const pace = finished
    ? `in ${elapsedSeconds < 10 ? elapsedSeconds.toFixed(1) : Math.round(elapsedSeconds)}s`
    : rate === null
      ? 'starting'
      : `${rate.toFixed(1)}/s · eta ${eta(etaSeconds)}`;
  const parts = [pace, `${progress.errors} error${progress.errors === 1 ? '' : 's'}`];
  if (progress.cached) parts.push(`${progress.cached} cached`);
  if (progress.rateLimited) parts.push(`${progress.rateLimited}×429`);
  if (progress.spentUsd) parts.push(`$${progress.spentUsd.toFixed(progress.spentUsd < 0.01 ? 6 : 4)}`);
  return parts.join(' · ');
}

/** A progress display on stderr, so stdout stays clean for --json. */
export function createProgress(io: Io): ProgressReporter {
  const meters = new Map<string, RateMeter>();
  const meter = (id: string) => {
    let found = meters.get(id);
    if (!found) {
      found = new RateMeter();
      meters.set(id, found);
    }
    return found;
  };
  if (io.stderr.isTTY && !io.env.CI) {
    // Required here, not imported: only a terminal draws bars, and its 20 modules were start-up.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
    const multibar = new cliProgress.MultiBar(
      {
        stream: io.stderr as unknown as NodeJS.WritableStream,
        format: ' {candidate} |{bar}| {value}/{total} · {details}',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: false,
        noTTYOutput: false,
        forceRedraw: false,
      },
      cliProgress.Presets.shades_classic,
    );
    const bars = new Map<string, CliProgress.SingleBar>();
    // A fast local server finishes thousands of results a second; a bar redrawn for each costs more
    // than the call. Ten redraws a second, and always the last one, look the same.
    const drawnAt = new Map<string, number>();
    const undrawn = new Map<string, RunProgress>();
    const draw = (progress: RunProgress, now: number) => {
      drawnAt.set(progress.candidateId, now);
      undrawn.delete(progress.candidateId);
      const rate = meter(progress.candidateId).measure(progress.done, progress.total, now);
      const payload = {
        candidate: progress.candidateId.padEnd(14).slice(0, 14),
        details: details(progress, rate),
      };
      let bar = bars.get(progress.candidateId);
      if (!bar) {
        bar = multibar.create(progress.total, progress.done, payload);
        bars.set(progress.candidateId, bar);
      } else bar.update(progress.done, payload);
    };
    return {
      update(progress) {
        if (progress.notCalled) {
          multibar.log(`${progress.candidateId}: ${progress.notCalled}\n`);
          return;
        }
        const now = performance.now();
        const last = drawnAt.get(progress.candidateId);
        if (last !== undefined && now - last < 100 && progress.done < progress.total)
          undrawn.set(progress.candidateId, progress);
        else draw(progress, now);
      },
      stop() {
        for (const progress of undrawn.values()) draw(progress, performance.now());
        multibar.stop();
      },
    };
  }
  // Plain lines: at the start, every 10 seconds, and at the end of each candidate.
  const lastPrinted = new Map<string, { done: number; at: number }>();
  return {
    update(progress) {
      if (progress.notCalled) {
        io.stderr.write(`${progress.candidateId}: ${progress.notCalled}\n`);
        return;
      }
      const now = performance.now();
      const rate = meter(progress.candidateId).measure(progress.done, progress.total, now);
      const last = lastPrinted.get(progress.candidateId);
      const finished = progress.done === progress.total && last?.done !== progress.total;
      if (!last || finished || now - last.at >= 10_000) {
        lastPrinted.set(progress.candidateId, { done: progress.done, at: now });
        io.stderr.write(
          `${progress.candidateId}: ${progress.done}/${progress.total} done · ${details(progress, rate)}\n`,
        );
      }
    },
    stop() {},
  };
}

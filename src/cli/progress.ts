// Progress for long runs: bars on a terminal, plain periodic lines otherwise (CI logs, pipes).
import cliProgress from 'cli-progress';
import type { RunProgress } from '../run/run-workload.ts';
import type { Io } from './io.ts';

export interface ProgressReporter {
  update(progress: RunProgress): void;
  stop(): void;
}

/** A progress display on stderr, so stdout stays clean for --json. */
export function createProgress(io: Io): ProgressReporter {
  if (io.stderr.isTTY) {
    const multibar = new cliProgress.MultiBar(
      {
        stream: io.stderr as unknown as NodeJS.WritableStream,
        format: ' {candidate} |{bar}| {value}/{total} · {errors} errors · eta {eta_formatted}',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
        noTTYOutput: false,
        forceRedraw: false,
      },
      cliProgress.Presets.shades_classic,
    );
    const bars = new Map<string, cliProgress.SingleBar>();
    return {
      update(progress) {
        let bar = bars.get(progress.candidateId);
        const payload = { candidate: progress.candidateId.padEnd(14).slice(0, 14), errors: progress.errors };
        if (!bar) {
          bar = multibar.create(progress.total, progress.done, payload);
          bars.set(progress.candidateId, bar);
        } else bar.update(progress.done, payload);
      },
      stop: () => multibar.stop(),
    };
  }
  const lastPrinted = new Map<string, number>();
  return {
    update(progress) {
      const step = Math.max(1, Math.ceil(progress.total / 5));
      const last = lastPrinted.get(progress.candidateId) ?? -1;
      if (progress.done === progress.total || progress.done - last >= step || last < 0) {
        lastPrinted.set(progress.candidateId, progress.done);
        io.stderr.write(
          `${progress.candidateId}: ${progress.done}/${progress.total} done, ${progress.errors} errors\n`,
        );
      }
    },
    stop() {},
  };
}

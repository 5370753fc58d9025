// The part `verdict run` and `verdict demo` share: run with progress, build the report, print it.
import { hasModelGradedGraders, judgeRun } from '../grade/judge-pass.ts';
import { buildReport } from '../report/build-report.ts';
import { renderTerminal } from '../report/render-terminal.ts';
import { runWorkload } from '../run/run-workload.ts';
import type { Provider } from '../spec/provider.ts';
import type { Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import { ExitCode } from './exit-codes.ts';
import { type Io, useColor } from './io.ts';
import { createProgress } from './progress.ts';

export interface RunAndReportOptions {
  store: Store;
  json: boolean;
  color?: boolean;
  concurrency?: number;
  caveats?: string[];
  providers?: Map<string, Provider>;
}

/** Runs a workload, prints its report, and returns the exit code. */
export async function runAndReport(
  workload: Workload,
  io: Io,
  options: RunAndReportOptions,
): Promise<number> {
  const progress = createProgress(io);
  let summary: Awaited<ReturnType<typeof runWorkload>>;
  try {
    summary = await runWorkload(workload, {
      store: options.store,
      env: io.env,
      onProgress: (update) => progress.update(update),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.providers ? { providers: options.providers } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    });
  } finally {
    progress.stop();
  }
  if (hasModelGradedGraders(workload)) {
    const judged = await judgeRun(options.store, summary.runId, {
      env: io.env,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    if (!options.json)
      io.stderr.write(
        `judge: ${judged.calls} calls, ${judged.cachedCalls} from the cache, ${judged.gradingErrors} grading errors\n`,
      );
  }
  const report = await buildReport(options.store, summary.runId, { caveats: options.caveats ?? [] });
  if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else
    io.stdout.write(
      renderTerminal(report, {
        color: useColor(io.stdout, io.env, options.color),
        width: io.stdout.columns ?? 80,
      }),
    );
  if (!options.json) io.stderr.write(`stored as run ${summary.runId} in ${options.store.location}\n`);
  const dead = report.candidates.filter(
    (candidate) => candidate.total > 0 && candidate.errors === candidate.total,
  );
  return dead.length > 0 ? ExitCode.providerFailure : ExitCode.ok;
}

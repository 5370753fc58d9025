// The part `verdict run` and `verdict demo` share: run with progress, build the report, print it.
import { hasModelGradedGraders } from '../grade/model-graded.ts';
import { type RunSummary, type RunWorkloadOptions, runWorkload } from '../run/run-workload.ts';
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
  /** Runner settings beyond the above: repeat, resume, cache, budget, retries. */
  run?: Omit<RunWorkloadOptions, 'store' | 'env' | 'onProgress' | 'providers' | 'signal' | 'concurrency'>;
  /** The command that resumes this run, as the user should type it (without the run id). */
  resumeCommand?: string;
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

function money(usd: number): string {
  return usd >= 1
    ? `$${usd.toFixed(2)}`
    : usd >= 0.01 || usd === 0
      ? `$${usd.toFixed(4)}`
      : `$${usd.toFixed(6)}`;
}

/** Runs a workload, prints its report, and returns the exit code. */
export async function runAndReport(
  workload: Workload,
  io: Io,
  options: RunAndReportOptions,
): Promise<number> {
  const progress = createProgress(io);
  let summary: RunSummary;
  try {
    summary = await runWorkload(workload, {
      ...options.run,
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
  const resume = `${options.resumeCommand ?? 'verdict run --resume'} ${summary.runId}`;
  if (summary.stoppedBy === 'interrupt') {
    const stored = await options.store.countResults(summary.runId);
    const planned = (await options.store.getRun(summary.runId))?.plannedResults ?? stored;
    io.stderr.write(
      `interrupted: ${stored} of ${planned} results stored in ${options.store.location}\nresume with: ${resume}\n`,
    );
    return INTERRUPTED_EXIT_CODE;
  }
  if (hasModelGradedGraders(workload)) {
    // Loaded only when needed: the judge clients bring the AI SDK's providers.
    const { judgeRun } = await import('../run/judge-pass.ts');
    const judged = await judgeRun(options.store, summary.runId, {
      env: io.env,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    if (!options.json)
      io.stderr.write(
        `judge: ${judged.calls} calls, ${judged.cachedCalls} from the cache, ${judged.gradingErrors} grading errors\n`,
      );
  }
  // Loaded after the run: the report's modules (decide, stats, charts) were 31–38 ms of the run's
  // start-up, before its first call.
  const [{ buildReport }, { withCallErrors }, { renderTerminal }] = await Promise.all([
    import('../report/build-report.ts'),
    import('../report/call-errors-terminal.ts'),
    import('../report/render-terminal.ts'),
  ]);
  // The run's evidence just changed: its decision is stored here, a new version if a resume moved it.
  const report = await buildReport(options.store, summary.runId, {
    ...(options.caveats ? { caveats: options.caveats } : {}),
    redecide: true,
  });
  if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const terminal = { color: useColor(io.stdout, io.env, options.color), width: io.stdout.columns ?? 80 };
    io.stdout.write(withCallErrors(renderTerminal(report, terminal), report, terminal));
  }
  const spend = `${summary.calls} calls, ${summary.cached} answered from the cache, ${money(summary.costUsd)} spent`;
  if (!options.json)
    io.stderr.write(`stored as run ${summary.runId} in ${options.store.location} (${spend})\n`);
  if (summary.retaken && summary.retaken.pages > 0) {
    const { pages, calls } = summary.retaken;
    io.stderr.write(
      `${pages} ${pages === 1 ? 'page was' : 'pages were'} worked again after a worker stopped: ${calls} ${calls === 1 ? 'call' : 'calls'} made on ${pages === 1 ? 'it' : 'them'}, each possibly paid twice\n`,
    );
  }
  if (summary.stoppedBy === 'budget') {
    const stored = await options.store.countResults(summary.runId);
    const planned = (await options.store.getRun(summary.runId))?.plannedResults ?? stored;
    io.stderr.write(
      `stopped by --max-cost ${money(options.run?.maxCostUsd ?? 0)}: the next call would have taken the estimated spend to ${money(summary.projectedUsd ?? 0)}; ${stored} of ${planned} results stored\ncontinue with: ${resume} --max-cost USD\n`,
    );
  }
  const dead = report.candidates.filter(
    (candidate) => candidate.total > 0 && candidate.errors === candidate.total,
  );
  return dead.length > 0 ? ExitCode.providerFailure : ExitCode.ok;
}

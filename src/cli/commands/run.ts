import path from 'node:path';
import { planRun, type RunPlan } from '../../run/plan-run.ts';
import { settingsOf, withSettings } from '../../run/run-workload.ts';
import { VerdictError } from '../../spec/errors.ts';
import type { RunRecord, RunSettings } from '../../spec/result.ts';
import type { Workload } from '../../spec/workload.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import { isPostgresUrl } from '../../store/postgres-url.ts';
import type { Store } from '../../store/store.ts';
import { inputLimitFlagOptions, inputLimitHelp, inputLimitsFromFlags } from '../../workload/input-limits.ts';
import { loadWorkload } from '../../workload/load-workload.ts';
import { readStoredWorkload } from '../../workload/stored-workload.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';
import { runAndReport } from '../run-and-report.ts';

export const help = `verdict run WORKLOAD
verdict run --resume [RUN_ID | WORKLOAD]

Runs every case of a workload against every candidate, grades the outputs, stores each result as it
finishes, and prints the report with a first decision. A call made before with the same provider,
model, parameters, messages and repeat is answered from the store's response cache, never paid twice.

Flags:
  --store PATH|URL    SQLite store file, or a postgres:// URL for a team's store (default:
                      $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
  --repeat N          samples per case and candidate (default 1)
  --concurrency N     concurrent calls per endpoint (default 4; the embedded runtime runs 1)
  --timeout SECONDS   per-call timeout (default 120)
  --max-retries N     retries of a retryable failure (default 3; 429s wait for the provider instead)
  --dry-run           print the calls and the estimated cost, call nothing
  --max-cost USD      stop scheduling before this invocation's estimated spend would pass USD
  --no-cache          call again even when the response cache has the answer
  --resume [RUN_ID]   complete an interrupted run (default: the newest unfinished one, of WORKLOAD
                      if given); cases with a stored result are never called again
  --retry-errors      with --resume: call again the results stored as errors
  --workers           spread the run over \`verdict worker\` processes: enqueue its pages in the
                      Postgres store (--store postgres://…) and wait for their results
  --json              print the report as JSON on stdout
${inputLimitHelp}
  --no-color          no colour (also: NO_COLOR=1)
  --debug             show stack traces
  -h, --help          this help
Ctrl-C stops scheduling, lets calls in flight finish (5 s at most), stores what is done and prints
the command that resumes the run.
Exit codes: 0 done, 2 bad input, 3 every call of some candidate failed or a provider could not start,
130 interrupted.
`;

function positiveNumber(values: Record<string, unknown>, flag: string, integer: boolean): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))) {
    throw new VerdictError(
      'USAGE',
      `--${flag} expects a positive ${integer ? 'integer' : 'number'}, got "${String(raw)}"`,
    );
  }
  return value;
}

/** The flags that give these settings, each with its leading space. */
export function settingsFlags(settings: RunSettings): string {
  return [
    settings.cache === false ? ' --no-cache' : '',
    settings.timeoutMs === undefined ? '' : ` --timeout ${settings.timeoutMs / 1000}`,
    settings.maxRetries === undefined ? '' : ` --max-retries ${settings.maxRetries}`,
    settings.concurrency === undefined ? '' : ` --concurrency ${settings.concurrency}`,
  ].join('');
}

/** The run `--resume` means: an id, else the newest unfinished run (of a workload file, if given). */
async function runToResume(store: Store, target: string | undefined, io: Io): Promise<RunRecord> {
  if (target) {
    const run = await store.getRun(target);
    if (run) return run;
  }
  const file = target ? path.resolve(io.cwd, target) : undefined;
  const runs = await store.listRuns(500);
  const run = runs.find(
    (candidate) => candidate.status !== 'completed' && (!file || candidate.workloadFile === file),
  );
  if (!run) {
    throw new VerdictError(
      'RUN_NOT_FOUND',
      target
        ? `no run "${target}" and no unfinished run of that workload in ${store.location}`
        : `no unfinished run to resume in ${store.location}`,
    );
  }
  return run;
}

function renderPlan(plan: RunPlan): string {
  const lines = [
    `dry run: ${plan.cases} cases × ${plan.repeats} repeat${plan.repeats === 1 ? '' : 's'}, nothing called`,
    '',
  ];
  for (const candidate of plan.candidates) {
    if (candidate.notCalled) {
      lines.push(`  ${candidate.candidateId} (${candidate.model}): ${candidate.notCalled}`);
      continue;
    }
    const cost =
      candidate.estimatedCostUsd === undefined ? 'cost n/a' : `≈ $${candidate.estimatedCostUsd.toFixed(4)}`;
    lines.push(
      `  ${candidate.candidateId} (${candidate.model}): ${candidate.calls} calls${candidate.cached ? ` (+${candidate.cached} from the cache)` : ''}, ≈ ${candidate.estimatedInputTokens} input + ${candidate.estimatedOutputTokens} output tokens, ${cost}`,
      `      price: ${candidate.priceNote}`,
    );
  }
  lines.push('', `estimated total: $${plan.estimatedCostUsd.toFixed(4)}`, plan.method, '');
  return lines.join('\n');
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      store: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean' },
      repeat: { type: 'string' },
      timeout: { type: 'string' },
      'max-retries': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'max-cost': { type: 'string' },
      'no-cache': { type: 'boolean' },
      resume: { type: 'boolean' },
      'retry-errors': { type: 'boolean' },
      workers: { type: 'boolean' },
      ...inputLimitFlagOptions,
    },
    'run',
    { min: argv.includes('--resume') || argv.includes('-h') || argv.includes('--help') ? 0 : 1, max: 1 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const concurrency = positiveNumber(values, 'concurrency', true);
  const repeat = positiveNumber(values, 'repeat', true);
  const timeout = positiveNumber(values, 'timeout', false);
  const maxCost = positiveNumber(values, 'max-cost', false);
  const maxRetries = values['max-retries'] === '0' ? 0 : positiveNumber(values, 'max-retries', true);
  if (values['retry-errors'] && !values.resume) {
    throw new VerdictError('USAGE', '--retry-errors goes with --resume RUN_ID');
  }
  if (values.resume && repeat !== undefined) {
    throw new VerdictError('USAGE', '--repeat cannot change when resuming; the run keeps its own');
  }
  const storePath = (values.store as string | undefined) ?? defaultStorePath(io.env);
  if (values.workers && !isPostgresUrl(storePath)) {
    throw new VerdictError(
      'USAGE',
      '--workers needs the team store: --store postgres://… (or VERDICT_STORE)',
    );
  }
  const store = await openStore(storePath);
  try {
    let workload: Workload;
    let resumeRunId: string | undefined;
    let started: RunSettings = {};
    if (values.resume) {
      const record = await runToResume(store, positionals[0], io);
      workload = readStoredWorkload(record.workloadJson, record.id);
      resumeRunId = record.id;
      started = record.settings ?? {};
      if (!values.json) io.stderr.write(`resuming run ${record.id} (${record.workloadName})\n`);
    } else {
      workload = await loadWorkload(path.resolve(io.cwd, positionals[0]!), {
        limits: inputLimitsFromFlags(values),
      });
    }
    if (values['dry-run']) {
      const plan = await planRun(workload, {
        store,
        ...(repeat ? { repeat } : resumeRunId ? { repeat: await store.runRepeats(resumeRunId) } : {}),
        cache: !values['no-cache'],
      });
      io.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlan(plan));
      return 0;
    }
    // A database URL is repeated without its password (store.location): give it again by PGPASSWORD.
    const storeFlag = values.store
      ? ` --store ${JSON.stringify(isPostgresUrl(storePath) ? store.location : path.resolve(io.cwd, storePath))}`
      : '';
    // This invocation's flags over those the resumed run was started with: the runner applies the
    // same merge, and the printed resume command repeats them.
    const settings = settingsOf(
      withSettings(
        {
          store,
          ...(values['no-cache'] ? { cache: false } : {}),
          ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
          ...(maxRetries === undefined ? {} : { retry: { maxRetries } }),
          ...(concurrency ? { concurrency } : {}),
        },
        started,
      ),
    );
    return await runAndReport(workload, io, {
      store,
      json: Boolean(values.json),
      ...(values['no-color'] ? { color: false } : {}),
      ...(settings.concurrency ? { concurrency: settings.concurrency } : {}),
      resumeCommand: `verdict run${storeFlag}${settingsFlags(settings)} --resume`,
      run: {
        ...(repeat ? { repeat } : {}),
        ...(resumeRunId ? { resumeRunId } : {}),
        ...(values['retry-errors'] ? { retryErrors: true } : {}),
        ...(values.workers
          ? {
              workers: {
                url: storePath,
                onEnqueued: (pages: number) =>
                  io.stderr.write(`enqueued ${pages} pages; waiting for \`verdict worker\` processes\n`),
                onQuiet: (seconds: number) =>
                  io.stderr.write(
                    `no result stored for ${seconds} s: is a \`verdict worker --store …\` running against this store?\n`,
                  ),
              },
            }
          : {}),
        ...(settings.cache === false ? { cache: false } : {}),
        ...(maxCost ? { maxCostUsd: maxCost } : {}),
        ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
        ...(settings.maxRetries === undefined ? {} : { retry: { maxRetries: settings.maxRetries } }),
      },
    });
  } finally {
    await store.close();
  }
}

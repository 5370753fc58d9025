import { redecide } from '../../report/decide-run.ts';
import { hasModelGradedGraders, judgeRun } from '../../run/judge-pass.ts';
import { VerdictError } from '../../spec/errors.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import { readStoredWorkload } from '../../workload/stored-workload.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';
import { resolveRunId } from './report.ts';

export const help = `verdict judge [RUN]

Judges the model-graded graders (rubric, closed-qa, factual, pairwise) of a stored run (default: the
newest run) without calling the candidates again. \`verdict run\` does this after its calls; run it
again after a judge outage or a missing key. Usable judge replies are cached: only the rest are asked.
The run's decision is then made again and stored as a new version if the grades moved it.

Flags:
  --store PATH        SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
  --concurrency N     concurrent judge calls (default 4)
  --json              print the summary as JSON
  --debug             show stack traces
  -h, --help          this help
Exit codes: 0 judged (grading errors are counted, not fatal), 2 bad input (unknown run, a judge the
constraints forbid), 3 a judge could not start or the store failed.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { store: { type: 'string' }, concurrency: { type: 'string' }, json: { type: 'boolean' } },
    'judge',
    { min: 0, max: 1 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new VerdictError(
      'USAGE',
      `verdict judge: --concurrency expects a positive integer, got "${values.concurrency}"`,
    );
  }
  const store = await openStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    const runId = await resolveRunId(store, positionals[0]);
    const workload = readStoredWorkload((await store.getRun(runId))!.workloadJson, runId);
    if (!hasModelGradedGraders(workload)) {
      io.stderr.write(`run ${runId} has no model-graded graders: nothing to judge\n`);
      return 0;
    }
    const summary = await judgeRun(store, runId, {
      env: io.env,
      concurrency,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    // New grades are new evidence: the run's decision is made again, a new version if it moved.
    const { record, stored } = await redecide(store, runId);
    const decision = { version: record.version, stored };
    if (values.json) io.stdout.write(`${JSON.stringify({ runId, ...summary, decision }, null, 2)}\n`);
    else
      io.stdout.write(
        `run ${runId}: ${summary.judged} results judged; ${summary.calls} judge calls, ${summary.cachedCalls} from the cache; ${summary.gradingErrors} grading errors; decision ${stored ? `stored as version ${record.version} (verdict decide ${runId} shows what changed)` : `unchanged (version ${record.version})`}\n`,
      );
    return 0;
  } finally {
    await store.close();
  }
}

import { judgeFromName } from '../../grade/judge.ts';
import { redecide } from '../../report/decide-run.ts';
import { hasModelGradedGraders, judgeRun, type Rejudge } from '../../run/judge-pass.ts';
import { VerdictError } from '../../spec/errors.ts';
import type { Workload } from '../../spec/workload.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import { readStoredWorkload } from '../../workload/stored-workload.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';
import { resolveRunId } from './report.ts';

export const help = `verdict judge [RUN] [--judge MODEL [--base-url URL]] [--prompt VERSION]

Judges the model-graded graders (rubric, closed-qa, factual, pairwise) of a stored run (default: the
newest run) without calling the candidates again. \`verdict run\` does this after its calls; run it
again after a judge outage or a missing key. Usable judge replies are cached: only the rest are asked.
The run's decision is then made again and stored as a new version if the grades moved it.

With --judge (a candidate id or a provider:model id) or --prompt, the run is judged again by that
judge with the judge prompts of that version (prompts/<family>.v<N>.md); the stored grades stay the
first judge's, both sets of verdicts are kept, and the report's Judge reliability block shows both
judges' pass rates and their agreement (Cohen's kappa).

Flags:
  --judge MODEL       re-judge with this judge (a candidate id or provider:model id)
  --base-url URL      the re-judging judge's endpoint (openai-compatible)
  --prompt VERSION    re-judge with this version of the judge prompts
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
    {
      store: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean' },
      judge: { type: 'string' },
      'base-url': { type: 'string' },
      prompt: { type: 'string' },
    },
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
    const rejudge = rejudgeOf(values, workload);
    const summary = await judgeRun(store, runId, {
      env: io.env,
      concurrency,
      ...(rejudge ? { rejudge } : {}),
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

/** The re-judging the flags ask for, or undefined for a plain judge pass. */
function rejudgeOf(values: Record<string, unknown>, workload: Workload): Rejudge | undefined {
  const name = values.judge as string | undefined;
  const promptFlag = values.prompt as string | undefined;
  if (name === undefined && promptFlag === undefined) return undefined;
  const promptVersion = promptFlag === undefined ? undefined : Number(promptFlag.replace(/^v/, ''));
  if (promptVersion !== undefined && !(Number.isInteger(promptVersion) && promptVersion > 0))
    throw new VerdictError(
      'USAGE',
      `verdict judge: --prompt expects a version number (2 or v2), got "${promptFlag}"`,
    );
  const named = name === undefined ? workload.judge : judgeFromName(name, workload.candidates);
  if (!named)
    throw new VerdictError(
      'USAGE',
      name === undefined
        ? "verdict judge: --prompt without --judge needs the workload's judge: set --judge"
        : `verdict judge: --judge expects a candidate id or a provider:model id, got "${name}"`,
    );
  const baseUrl = values['base-url'] as string | undefined;
  const judge = baseUrl ? { ...named, baseUrl } : named;
  return { judge, ...(promptVersion === undefined ? {} : { promptVersion }) };
}

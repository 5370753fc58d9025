// `verdict diff A B`: what changed between two stored runs (or a baseline file and a run), per
// candidate, with the paired test, the flipped cases side by side, latency, cost and the decision.
import { existsSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { type DiffOptions, diffSnapshots, type RunDiff, withAnswers } from '../../report/run-diff.ts';
import { renderDiffMarkdown, renderDiffTerminal } from '../../report/run-diff-render.ts';
import { type RunSnapshot, readBaselineFile, runSnapshot } from '../../report/run-snapshot.ts';
import { VerdictError } from '../../spec/errors.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import {
  fileSizeFlagOption,
  type InputLimits,
  inputLimitHelpLines,
  inputLimitsFromFlags,
} from '../../workload/input-limits.ts';
import { type Io, useColor } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';
import { resolveRunId } from './report.ts';

export const help = `verdict diff BEFORE [AFTER]

What changed between two runs of a workload, without calling any model. BEFORE and AFTER are run
ids (AFTER defaults to the newest completed run); BEFORE may also be a baseline file written by
\`verdict gate --write-baseline\`. RUN:CANDIDATE compares one candidate across runs (or two
candidates: \`verdict diff R1:gpt-4o R2:llama-8b\`); otherwise every candidate in both runs by id.

Per candidate, on the cases both runs graded (first attempts):
  - the pass rate before and after, the change with Newcombe's paired 95% interval and the exact
    McNemar test (significant when p < --alpha);
  - the cases that flipped (passed before and fail now, or the reverse), with both answers side by
    side, and the tags whose pass rate moved;
  - TTFT and end-to-end p90, and the cost per request of its option in each run's stored decision.
And whether the decision changed and why (pick, runner-up, monthly costs, reasons). The decisions
compared are the runs' latest stored versions: \`verdict decide RUN\` re-decides one on today's prices.

Flags:
  --format F      terminal (default), md, json
  --json          same as --format json
  --limit N       flipped cases shown per candidate (default 20; 0 for all)
  --alpha A       significance level of the paired test (default 0.05)
  --store PATH    SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
${inputLimitHelpLines(18, ['max-file-bytes'])}
  --no-color      no colour (also: NO_COLOR=1)
  -h, --help      this help
Exit codes: 0 the diff was printed (whatever it found; \`verdict gate\` fails on changes), 2 bad
input (unknown run or candidate), 3 the store failed.
`;

/** `RUN` or `RUN:CANDIDATE`, or a baseline file. */
interface Side {
  snapshot: RunSnapshot;
  candidate?: string;
  file: boolean;
}

async function side(
  store: Store,
  arg: string | undefined,
  io: Io,
  limits: Partial<InputLimits>,
): Promise<Side> {
  if (arg !== undefined) {
    const file = path.resolve(io.cwd, arg);
    if (/\.json$/i.test(arg) && existsSync(file))
      return { snapshot: await readBaselineFile(file, limits), file: true };
  }
  const colon = arg?.indexOf(':') ?? -1;
  const runArg = arg !== undefined && colon > 0 ? arg.slice(0, colon) : arg;
  const candidate = arg !== undefined && colon > 0 ? arg.slice(colon + 1) : undefined;
  const runId = await resolveRunId(store, runArg, (text) => io.stderr.write(`verdict diff: ${text}`));
  return { snapshot: await runSnapshot(store, runId), file: false, ...(candidate ? { candidate } : {}) };
}

/** The pairs to compare when a side names a candidate; a candidate not in its run is a usage error. */
export function pairsOf(before: Side, after: Side): DiffOptions['pairs'] {
  const check = (s: Side, id: string) => {
    if (!s.snapshot.candidates.some((c) => c.candidateId === id))
      throw new VerdictError(
        'USAGE',
        `run ${s.snapshot.runId} has no candidate "${id}" (it has ${s.snapshot.candidates.map((c) => c.candidateId).join(', ')})`,
      );
  };
  if (!before.candidate && !after.candidate) return undefined;
  const b = before.candidate ?? after.candidate!;
  const a = after.candidate ?? before.candidate!;
  check(before, b);
  check(after, a);
  return [{ before: b, after: a }];
}

/** Builds the diff of two sides with the flipped cases' answers from the store. */
export async function buildDiff(
  store: Store,
  before: Side,
  after: Side,
  options: Omit<DiffOptions, 'pairs'>,
): Promise<RunDiff> {
  const pairs = pairsOf(before, after);
  const diff = diffSnapshots(before.snapshot, after.snapshot, { ...options, ...(pairs ? { pairs } : {}) });
  return withAnswers(store, diff, !before.file);
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      store: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      limit: { type: 'string' },
      alpha: { type: 'string' },
      ...fileSizeFlagOption,
    },
    'diff',
    { min: 1, max: 2 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const format = values.json ? 'json' : ((values.format as string | undefined) ?? 'terminal');
  if (!['terminal', 'md', 'json'].includes(format))
    throw new VerdictError('USAGE', `--format ${format}: expected terminal, md or json`);
  const limitFlag = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limitFlag) || limitFlag < 0)
    throw new VerdictError('USAGE', `--limit ${values.limit}: expected a whole number (0 for all)`);
  const alpha = values.alpha === undefined ? 0.05 : Number(values.alpha);
  if (!(alpha > 0 && alpha < 1))
    throw new VerdictError('USAGE', `--alpha ${values.alpha}: expected a number in (0, 1)`);
  const limits = inputLimitsFromFlags(values);
  const store = await openStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    const before = await side(store, positionals[0], io, limits);
    const after = await side(store, positionals[1], io, limits);
    if (after.file)
      throw new VerdictError('USAGE', 'AFTER must be a stored run; only BEFORE may be a baseline file');
    const diff = await buildDiff(store, before, after, {
      alpha,
      limit: limitFlag === 0 ? Infinity : limitFlag,
    });
    if (format === 'json') io.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
    else if (format === 'md') io.stdout.write(renderDiffMarkdown(diff, before.file));
    else {
      const c = pc.createColors(useColor(io.stdout, io.env, values['no-color'] ? false : undefined));
      io.stdout.write(renderDiffTerminal(diff, c, Math.min(io.stdout.columns ?? 100, 120), before.file));
    }
    return 0;
  } finally {
    await store.close();
  }
}

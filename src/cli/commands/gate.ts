// `verdict gate [RUN] --baseline RUN|FILE`: the CI gate. Compares the new run with a baseline and

// exits 6 with a one-line reason when a candidate got significantly worse, slower or dearer, or the
// decision changed; `--write-baseline FILE` writes the file a team commits as its baseline.
import { existsSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { defaultGateThresholds, type GateThresholds, gate } from '../../report/gate.ts';
import { renderGateGithub, renderGateJUnit, renderGateTerminal } from '../../report/gate-render.ts';
import { diffSnapshots } from '../../report/run-diff.ts';
import { type RunSnapshot, readBaselineFile, runSnapshot } from '../../report/run-snapshot.ts';
import { VerdictError } from '../../spec/errors.ts';
import type { Workload } from '../../spec/workload.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import {
  fileSizeFlagOption,
  inputLimitHelpLines,
  inputLimitsFromFlags,
} from '../../workload/input-limits.ts';
import { readStoredWorkload } from '../../workload/stored-workload.ts';
import { ExitCode } from '../exit-codes.ts';
import { type Io, useColor } from '../io.ts';
import { checkOutputFile, writeOutputFile } from '../output-file.ts';
import { parseFlags } from '../parse-flags.ts';
import { resolveRunId } from './report.ts';

export const help = `verdict gate [RUN] --baseline RUN|FILE
verdict gate [RUN] --write-baseline FILE

A gate for CI pipelines, without calling any model: compares RUN (default: the newest completed run)
with a baseline — a stored run id, or a baseline file committed in your repository — and fails when
  - a candidate's pass rate fell significantly (exact McNemar on the shared cases, p < --alpha) and by
    more than --margin;
  - its TTFT or end-to-end p90 rose by more than --max-latency-rise and --latency-floor-ms;
  - its cost per request (its option in each run's stored decision) rose by more than --max-cost-rise;
  - a baseline candidate is missing from the run;
  - the decision's pick changed (unless --allow-decision-change).
The first line printed is the verdict and the one-line reason; every check follows.
Thresholds come from the flags, else the workload's \`gate:\` section, else the defaults below.

--write-baseline FILE writes RUN's figures (per case pass of each candidate, latency p90s, cost per
request, the stored decision; no inputs or answers) to FILE and exits 0. Commit it; CI then runs
\`verdict run workload.yaml && verdict gate --baseline FILE\`.

Flags:
  --baseline RUN|FILE     the run or baseline file to compare with
  --write-baseline FILE   write RUN as a baseline file instead of gating
  --margin P              pass-rate drop tolerated, as a proportion (default 0.05: 5 points)
  --alpha A               significance level of the paired test (default 0.05)
  --max-latency-rise R    latency p90 rise tolerated, as a proportion (default 0.25: +25%)
  --latency-floor-ms MS   a latency rise must also exceed this (default 100)
  --max-cost-rise R       cost-per-request rise tolerated, as a proportion (default 0.10: +10%)
  --allow-decision-change a changed pick does not fail the gate
  --junit FILE            also write the checks as JUnit XML
  --annotations github    also print GitHub Actions annotations (default when GITHUB_ACTIONS=true)
  --json                  print the result as JSON
  --store PATH            SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
${inputLimitHelpLines(26, ['max-file-bytes'])}
  --no-color              no colour (also: NO_COLOR=1)
  -h, --help              this help
Exit codes: 0 every check passed (or the baseline was written), 6 a check failed, 2 bad input
(unknown run, unreadable baseline), 3 the store failed.
`;

function proportion(flag: string, value: string | undefined, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max)
    throw new VerdictError(
      'USAGE',
      `--${flag} ${value}: expected a number from 0${max === Infinity ? '' : ` to ${max}`}${max === 1 ? ' (a proportion: 0.05 for 5 points)' : ''}`,
    );
  return n;
}

/** Thresholds: flags over the workload's `gate:` section over the defaults. */
export function gateThresholds(
  values: Record<string, unknown>,
  workload: Pick<Workload, 'gate'> | undefined,
): GateThresholds {
  const w = workload?.gate ?? {};
  const pick = <T>(...xs: Array<T | undefined>) => xs.find((x) => x !== undefined);
  return {
    margin: pick(proportion('margin', values.margin as string, 1), w.margin, defaultGateThresholds.margin)!,
    alpha: pick(proportion('alpha', values.alpha as string, 1), w.alpha, defaultGateThresholds.alpha)!,
    latencyRise: pick(
      proportion('max-latency-rise', values['max-latency-rise'] as string),
      w.max_latency_rise,
      defaultGateThresholds.latencyRise,
    )!,
    latencyFloorMs: pick(
      proportion('latency-floor-ms', values['latency-floor-ms'] as string),
      w.latency_floor_ms,
      defaultGateThresholds.latencyFloorMs,
    )!,
    costRise: pick(
      proportion('max-cost-rise', values['max-cost-rise'] as string),
      w.max_cost_rise,
      defaultGateThresholds.costRise,
    )!,
    failOnDecisionChange: values['allow-decision-change']
      ? false
      : (w.fail_on_decision_change ?? defaultGateThresholds.failOnDecisionChange),
  };
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      store: { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      margin: { type: 'string' },
      alpha: { type: 'string' },
      'max-latency-rise': { type: 'string' },
      'latency-floor-ms': { type: 'string' },
      'max-cost-rise': { type: 'string' },
      'allow-decision-change': { type: 'boolean' },
      junit: { type: 'string' },
      annotations: { type: 'string' },
      json: { type: 'boolean' },
      ...fileSizeFlagOption,
    },
    'gate',
    { min: 0, max: 1 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const annotations =
    (values.annotations as string | undefined) ?? (io.env.GITHUB_ACTIONS === 'true' ? 'github' : undefined);
  if (annotations !== undefined && annotations !== 'github')
    throw new VerdictError('USAGE', `--annotations ${annotations}: the one format is github`);
  const writeTo = values['write-baseline'] as string | undefined;
  const baselineArg = values.baseline as string | undefined;
  if (!writeTo && !baselineArg)
    throw new VerdictError(
      'USAGE',
      'give --baseline RUN|FILE to gate, or --write-baseline FILE to write one',
    );
  // Every file is checked before the store is read: the baseline read, the outputs writable.
  const limits = inputLimitsFromFlags(values);
  const baselineFile =
    baselineArg !== undefined && /\.json$/i.test(baselineArg) && existsSync(path.resolve(io.cwd, baselineArg))
      ? await readBaselineFile(path.resolve(io.cwd, baselineArg), limits)
      : undefined;
  const outputs = {
    '--write-baseline': writeTo === undefined ? undefined : path.resolve(io.cwd, writeTo),
    '--junit': values.junit === undefined ? undefined : path.resolve(io.cwd, values.junit as string),
  };
  for (const [flag, file] of Object.entries(outputs))
    if (file) await checkOutputFile(flag, file, { createFolders: true });
  const store = await openStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    const runId = await resolveRunId(store, positionals[0], (text) =>
      io.stderr.write(`verdict gate: ${text}`),
    );
    const after = await runSnapshot(store, runId);
    if (outputs['--write-baseline']) {
      await writeOutputFile(
        '--write-baseline',
        outputs['--write-baseline'],
        `${JSON.stringify(after, null, 1)}\n`,
      );
      io.stdout.write(
        `verdict gate: wrote the baseline of run ${runId} (${after.candidates.length} candidates, ${Object.keys(after.candidates[0]?.passes ?? {}).length} cases, decision ${after.decision.decision.winner ?? 'none'}) to ${writeTo}\n`,
      );
      return ExitCode.ok;
    }
    const before: RunSnapshot =
      baselineFile ?? (await runSnapshot(store, await resolveRunId(store, baselineArg)));
    if (before.workload !== after.workload)
      io.stderr.write(
        `verdict gate: the baseline is of workload "${before.workload}", the run of "${after.workload}"; comparing the candidates they share\n`,
      );
    const run = (await store.getRun(runId))!;
    const workload = readStoredWorkload(run.workloadJson, runId);
    const thresholds = gateThresholds(values, workload);
    const diff = diffSnapshots(before, after, { alpha: thresholds.alpha, limit: 0 });
    const result = gate(diff, thresholds, {
      runId: before.runId,
      ...(baselineFile ? { file: baselineArg! } : {}),
    });
    if (outputs['--junit'])
      await writeOutputFile('--junit', outputs['--junit'], renderGateJUnit(result, after.workload));
    if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const c = pc.createColors(useColor(io.stdout, io.env, values['no-color'] ? false : undefined));
      io.stdout.write(renderGateTerminal(result, c));
    }
    if (annotations === 'github') io.stdout.write(renderGateGithub(result, run.workloadFile || undefined));
    return result.passed ? ExitCode.ok : ExitCode.changed;
  } finally {
    await store.close();
  }
}

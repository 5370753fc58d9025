// `verdict canary WORKLOAD`: runs a small fixed subset of the workload's cases (stratified by tag,
// chosen once and kept in a file) against its candidates, without the response cache, and compares
// with a baseline run's answers and pass rates. Shows what it will cost before calling anything.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pc from 'picocolors';
import {
  type CanaryAnswer,
  type CanarySubset,
  chooseCanaryCases,
  compareCanary,
} from '../../report/canary.ts';
import { money } from '../../report/cost-terminal.ts';
import { costPerRequestOf } from '../../report/run-snapshot.ts';
import { terminalText as t } from '../../report/terminal-safe.ts';
import { runWorkload } from '../../run/run-workload.ts';
import { VerdictError } from '../../spec/errors.ts';
import type { Case } from '../../spec/workload.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.ts';
import type { Store } from '../../store/store.ts';
import {
  type InputLimits,
  inputLimitFlagOptions,
  inputLimitHelpLines,
  inputLimitsFromFlags,
  resolveLimits,
} from '../../workload/input-limits.ts';
import { loadWorkload } from '../../workload/load-workload.ts';
import { readCases } from '../../workload/read-cases.ts';
import { readJsonFile } from '../../workload/read-text-file.ts';
import { ExitCode } from '../exit-codes.ts';
import { type Io, useColor } from '../io.ts';
import { checkOutputFile, writeOutputFile } from '../output-file.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict canary WORKLOAD

A drift canary for a scheduler. The first time, it chooses a small fixed subset of the workload's
cases — stratified by each case's first tag, drawn by a hash of the case id — and a baseline run
(the newest completed run of the workload, or --baseline), and keeps both in a file beside the
store (canaries/NAME.json; --subset FILE). Every time, it prints what one canary costs (the cases ×
each candidate's cost per request in the baseline's decision), runs the subset against the
candidates without the response cache, and compares with the baseline run's answers:
  - a candidate at a deterministic setting (temperature 0, or a seed) whose answers changed on more
    than --max-changed-share of the cases has drifted;
  - a pass-rate move on the subset that the exact McNemar test puts below --alpha has drifted.
Canary runs go to their own store (canaries/NAME.db beside the store), so they never become the
newest run that report, decide, gate or recheck use.

Flags:
  --size N               cases in the subset when it is chosen (default 12)
  --baseline RUN         the baseline run when the subset is chosen (default: the newest completed run)
  --reselect             choose the subset and baseline again
  --subset FILE          where the subset is kept (default: canaries/NAME.json beside the store)
  --max-cost USD         refuse to run when one canary is estimated above this
  --dry-run              choose or read the subset, print the cost, call nothing
  --max-changed-share S  share of changed answers tolerated at a deterministic setting (default 0.1)
  --alpha A              significance level of the paired test (default 0.05)
  --json                 print the comparison as JSON
  --store PATH           SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
${inputLimitHelpLines(25)}
  -h, --help             this help
Exit codes: 0 no drift (or --dry-run), 6 drift in some candidate, 2 bad input (no baseline run,
estimate above --max-cost), 3 every call of a candidate failed or the store failed.
`;

const slug = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-');

async function answersOf(store: Store, runId: string, ids: Set<string>): Promise<Map<string, CanaryAnswer>> {
  const answers = new Map<string, CanaryAnswer>();
  for await (const r of store.results(runId))
    if (r.repeat === 0 && ids.has(r.caseId))
      answers.set(`${r.candidateId}\u0000${r.caseId}`, {
        pass: r.pass,
        output: r.output,
        error: r.error?.message ?? null,
      });
  return answers;
}

/** A kept subset: a verdict canary of this workload, or an error that says to choose again. */
async function readSubset(file: string, workload: string, limits: InputLimits): Promise<CanarySubset> {
  const value = (await readJsonFile({ file, shown: file, code: 'USAGE' }, limits)) as CanarySubset | null;
  const cases = Array.isArray(value?.cases) ? value.cases : undefined;
  if (
    value?.kind !== 'verdict-canary' ||
    value.workload !== workload ||
    typeof value.baselineRunId !== 'string' ||
    !cases?.every((c) => typeof c?.id === 'string' && typeof c.stratum === 'string')
  )
    throw new VerdictError(
      'USAGE',
      `${file}: not a canary subset of workload "${workload}" (--reselect chooses one)`,
    );
  return value;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      store: { type: 'string' },
      size: { type: 'string' },
      baseline: { type: 'string' },
      reselect: { type: 'boolean' },
      subset: { type: 'string' },
      'max-cost': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'max-changed-share': { type: 'string' },
      alpha: { type: 'string' },
      json: { type: 'boolean' },
      ...inputLimitFlagOptions,
    },
    'canary',
    { min: 1, max: 1 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const number = (flag: string, fallback: number, ok: (n: number) => boolean) => {
    const raw = values[flag] as string | undefined;
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || !ok(n))
      throw new VerdictError('USAGE', `--${flag} ${raw}: out of range; see verdict canary --help`);
    return n;
  };
  const size = number('size', 12, (n) => Number.isInteger(n) && n >= 1);
  const maxCost = values['max-cost'] === undefined ? undefined : number('max-cost', 0, (n) => n >= 0);
  const maxChangedShare = number('max-changed-share', 0.1, (n) => n >= 0 && n <= 1);
  const alpha = number('alpha', 0.05, (n) => n > 0 && n < 1);
  const limits = inputLimitsFromFlags(values);
  const workload = await loadWorkload(path.resolve(io.cwd, positionals[0]!), { limits });
  const storePath = (values.store as string | undefined) ?? defaultStorePath(io.env);
  const canaryDir = path.join(path.dirname(path.resolve(io.cwd, storePath)), 'canaries');
  const subsetFile = values.subset
    ? path.resolve(io.cwd, values.subset as string)
    : path.join(canaryDir, `${slug(workload.name)}.json`);
  const out = (text: string) => (values.json ? io.stderr : io.stdout).write(text);
  // What the canary will read and write is checked before the store is opened or a model called: a
  // kept subset read (a folder or a device there is a located error), the files to write writable.
  const kept =
    existsSync(subsetFile) && !values.reselect
      ? await readSubset(subsetFile, workload.name, resolveLimits(limits))
      : undefined;
  if (!kept) await checkOutputFile('--subset', subsetFile, { createFolders: true });
  const canaryStoreFile = path.join(canaryDir, `${slug(workload.name)}.db`);
  if (!values['dry-run']) await checkOutputFile('--store', canaryStoreFile, { createFolders: true });
  const store = await openStore(storePath);
  try {
    const cases: Case[] = [];
    for await (const c of readCases(workload.cases, path.dirname(workload.file))) cases.push(c);
    let subset: CanarySubset;
    if (kept) subset = kept;
    else {
      let baselineRunId = values.baseline as string | undefined;
      if (baselineRunId && !(await store.getRun(baselineRunId)))
        throw new VerdictError('RUN_NOT_FOUND', `no run "${baselineRunId}" in ${store.location}`);
      baselineRunId ??= (await store.listRuns(100_000)).find(
        (r) => r.workloadName === workload.name && r.status === 'completed',
      )?.id;
      if (!baselineRunId)
        throw new VerdictError(
          'RUN_NOT_FOUND',
          `no completed run of workload "${workload.name}" in ${store.location} to be the canary's baseline; run "verdict run ${positionals[0]}" first`,
        );
      subset = {
        schemaVersion: 1,
        kind: 'verdict-canary',
        workload: workload.name,
        createdAt: new Date().toISOString(),
        baselineRunId,
        cases: chooseCanaryCases(cases, size),
      };
      await writeOutputFile('--subset', subsetFile, `${JSON.stringify(subset, null, 1)}\n`);
      const strata = [...new Set(subset.cases.map((c) => c.stratum))];
      out(
        `canary: chose ${subset.cases.length} cases from ${strata.length} tag${strata.length === 1 ? '' : 's'} (${strata.map(t).join(', ')}) against baseline run ${baselineRunId}; kept in ${subsetFile}\n`,
      );
    }
    const ids = new Set(subset.cases.map((c) => c.id));
    const subsetCases = cases.filter((c) => ids.has(c.id));
    const missing = subset.cases.filter((c) => !subsetCases.some((x) => x.id === c.id)).map((c) => c.id);
    if (missing.length > 0) out(`canary: no longer in the workload, skipped: ${missing.map(t).join(', ')}\n`);
    if (subsetCases.length === 0)
      throw new VerdictError(
        'CASES_INVALID',
        `none of the canary's cases is in ${workload.file} any more (--reselect)`,
      );
    // What one canary costs, from the baseline decision's cost per request of each candidate.
    const decision = await store.latestDecision(subset.baselineRunId);
    const perCandidate = workload.candidates.map((c) => ({
      id: c.id,
      usd: decision ? costPerRequestOf(decision, c.id) : null,
    }));
    const priced = perCandidate.filter((p) => p.usd !== null);
    const estimate = priced.reduce((sum, p) => sum + p.usd! * subsetCases.length, 0);
    const unpriced = perCandidate.filter((p) => p.usd === null).map((p) => p.id);
    out(
      `canary: ${subsetCases.length} cases × ${workload.candidates.length} candidates = ${subsetCases.length * workload.candidates.length} calls, about ${money(estimate)} at the baseline run's cost per request${unpriced.length > 0 ? ` (not priced: ${unpriced.map(t).join(', ')})` : ''}\n`,
    );
    if (maxCost !== undefined && estimate > maxCost)
      throw new VerdictError(
        'USAGE',
        `one canary is estimated at ${money(estimate)}, above --max-cost ${money(maxCost)}; nothing was called`,
      );
    if (values['dry-run']) return ExitCode.ok;
    await mkdir(canaryDir, { recursive: true });
    const canaryStore = openSqliteStore(canaryStoreFile);
    try {
      const summary = await runWorkload(
        { ...workload, cases: { kind: 'inline', cases: subsetCases } },
        { store: canaryStore, cache: false, env: io.env, ...(io.signal ? { signal: io.signal } : {}) },
      );
      const report = compareCanary({
        workload: workload.name,
        baselineRunId: subset.baselineRunId,
        canaryRunId: summary.runId,
        subset: subset.cases.filter((c) => ids.has(c.id) && !missing.includes(c.id)),
        candidates: workload.candidates,
        baseline: await answersOf(store, subset.baselineRunId, ids),
        canary: await answersOf(canaryStore, summary.runId, ids),
        alpha,
        maxChangedShare,
      });
      if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const c = pc.createColors(useColor(io.stdout, io.env, values['no-color'] ? false : undefined));
        const lines = [
          c.bold(`verdict canary · ${t(workload.name)}: ${report.drift ? c.red('DRIFT') : 'no drift'}`),
          c.dim(
            `canary run ${summary.runId} (${canaryStore.location}) against baseline run ${subset.baselineRunId}`,
          ),
        ];
        for (const cand of report.candidates) {
          lines.push(`${cand.drift ? c.red('✗') : '✓'} ${t(cand.sentence)}`);
          for (const ch of cand.changed.slice(0, 5))
            lines.push(
              `    ${t(ch.caseId)} [${t(ch.stratum)}]: ${ch.before.pass ? 'pass' : 'fail'} ${t(ch.before.output ?? ch.before.error ?? '')} → ${ch.after.pass ? 'pass' : 'fail'} ${t(ch.after.output ?? ch.after.error ?? '')}`,
            );
          if (cand.changed.length > 5) lines.push(c.dim(`    … ${cand.changed.length - 5} more`));
        }
        io.stdout.write(`${lines.join('\n')}\n`);
      }
      if (summary.status !== 'completed') return ExitCode.providerFailure;
      return report.drift ? ExitCode.changed : ExitCode.ok;
    } finally {
      await canaryStore.close();
    }
  } finally {
    await store.close();
  }
}

// `verdict recheck`: for cron. Re-decides stored runs on today's catalogues and the workload files'
// current settings without calling a model; prints each decision whose pick changed and each
// re-evaluation trigger crossed, beside the stored decision; silent and 0 when nothing did.
import { existsSync } from 'node:fs';
import pc from 'picocolors';
import { money } from '../../report/cost-terminal.ts';
import { renderDecisionChanges } from '../../report/decision-changes.ts';
import { type RecheckResult, recheckRun } from '../../report/recheck.ts';
import { terminalText as t } from '../../report/terminal-safe.ts';
import { wrapText } from '../../report/terminal-text.ts';
import type { DecisionRecord } from '../../spec/decision-record.ts';
import { VerdictError } from '../../spec/errors.ts';
import type { RunRecord } from '../../spec/result.ts';
import type { Workload } from '../../spec/workload.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { loadWorkload } from '../../workload/load-workload.ts';
import { ExitCode } from '../exit-codes.ts';
import { type Io, useColor } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict recheck [RUN...]

For a daily cron job. Re-decides stored runs — by default the newest completed run of each workload;
--all every completed run; or the RUNs given — on today's catalogues, without calling any model, and
tests each stored decision's re-evaluation triggers (kept as data with the decision):
  - the re-evaluation date has passed;
  - the monthly volume left the band the decision holds in (÷2 to ×2), or passed the volume where
    another option becomes the pick;
  - a price used moved (the cost per request of an option), or a catalogue changed.
Traffic, prices (candidates[].price, managed_routes.prices), constraints, operations, decision and
quality settings come from the run's workload file as it reads today, when it still exists
(--no-workload-file: the run's own); cases and results are the run's.

It prints each decision whose pick changed and each trigger crossed, the stored decision beside the
new one, and exits 6; when nothing changed it prints nothing and exits 0 (--verbose: a line per run).

recheck stores nothing: the report repeats every day until someone acts on it — \`verdict decide
RUN\` stores the new decision of a run as its next version, or a new \`verdict run\` of the workload
becomes the newest run that recheck checks. A passed re-evaluation date is answered by a new run.

Flags:
  --all              every completed run, not only the newest of each workload
  --volume N         decide at N requests a month (what if the traffic moved)
  --as-of DATE       check as of this day (YYYY-MM-DD; default today)
  --no-workload-file decide on the settings stored with each run
  --verbose          a line for each run checked, changed or not
  --json             print every run's result as JSON (always, changed or not)
  --store PATH       SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
  --no-color         no colour (also: NO_COLOR=1)
  -h, --help         this help
Exit codes: 0 nothing changed, 6 a pick changed or a trigger was crossed, 2 bad input, 3 the store failed.
`;

/** Which runs to check: those given, every completed one, or the newest completed of each workload. */
async function runsToCheck(store: Store, given: string[], all: boolean): Promise<RunRecord[]> {
  if (given.length > 0)
    return Promise.all(
      given.map(async (id) => {
        const run = await store.getRun(id);
        if (!run) throw new VerdictError('RUN_NOT_FOUND', `no run "${id}" in ${store.location}`);
        return run;
      }),
    );
  const completed = (await store.listRuns(100_000)).filter((run) => run.status === 'completed');
  if (all) return completed;
  const seen = new Set<string>();
  return completed.filter((run) => !seen.has(run.workloadName) && seen.add(run.workloadName));
}

function beside(stored: DecisionRecord, fresh: RecheckResult['fresh']): string[] {
  const row = (r: Pick<DecisionRecord, 'decision' | 'cost'>) => {
    const d = r.decision;
    const pick = d.winner ?? (d.provisional ? `${d.provisional.winner} (provisional)` : 'none');
    const option = r.cost?.options.find((o) => o.optionId === (d.winnerOption ?? d.winner));
    return [
      pick,
      d.runnerUp ?? 'none',
      option ? `${money(option.monthlyUsd)} a month` : '–',
      d.reevaluate?.date ?? '–',
    ];
  };
  const a = row(stored);
  const b = row(fresh);
  const labels = ['pick', 'runner-up', 'its cost', 'look again by'];
  const width = Math.max(24, ...a.map((x) => t(x).length + 2));
  return [
    `    ${''.padEnd(14)}${`stored (v${stored.version}, ${stored.createdAt.slice(0, 10)})`.padEnd(width)}now`,
    ...labels.map((label, i) => `    ${label.padEnd(14)}${t(a[i]!).padEnd(width)}${t(b[i]!)}`),
  ];
}

function render(
  result: RecheckResult & { workloadFile?: string },
  c: ReturnType<typeof pc.createColors>,
  width: number,
): string[] {
  const out: string[] = [];
  const v = result.stored
    ? `decision v${result.stored.version} of ${result.stored.createdAt.slice(0, 10)}`
    : 'no stored decision';
  out.push(c.bold(`${t(result.workload)} · run ${t(result.runId)} · ${v}`));
  if (result.changed)
    out.push(
      `  ${c.bold(`Pick changed: ${t(result.pickBefore ?? 'none')} → ${t(result.pickAfter ?? 'none')}`)}`,
    );
  else out.push(`  Pick unchanged: ${t(result.pickAfter ?? 'none')}`);
  if (result.crossed.length > 0) {
    out.push('  Triggers crossed:');
    for (const x of result.crossed) out.push(...wrapText(t(x.sentence), width, '    • ', '      '));
  }
  if (result.stored) out.push(...beside(result.stored, result.fresh));
  if (result.changed && result.changes)
    out.push(
      ...renderDecisionChanges(result.changes, c, width - 4)
        .slice(1)
        .filter((line) => !line.startsWith('Pick:'))
        .map((line) => `    ${t(line)}`),
    );
  for (const note of result.notes) out.push(...wrapText(t(note), width, '  note: ', '        ').map(c.dim));
  out.push(
    c.dim(
      `  to act on it: verdict decide ${t(result.runId)} stores today's decision on the run's own settings; verdict run ${t(result.workloadFile ?? 'WORKLOAD')} measures again with today's`,
    ),
  );
  return out;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      store: { type: 'string' },
      all: { type: 'boolean' },
      volume: { type: 'string' },
      'as-of': { type: 'string' },
      'no-workload-file': { type: 'boolean' },
      verbose: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    'recheck',
    { min: 0, max: Infinity },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const volume = values.volume === undefined ? undefined : Number(values.volume);
  if (volume !== undefined && !(Number.isFinite(volume) && volume > 0))
    throw new VerdictError(
      'USAGE',
      `--volume ${values.volume}: expected requests a month, a positive number`,
    );
  const asOf = values['as-of'] as string | undefined;
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new VerdictError('USAGE', `--as-of ${asOf}: expected a day as YYYY-MM-DD`);
  const now = asOf ? new Date(`${asOf}T12:00:00Z`) : new Date();
  const store = await openStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    const runs = await runsToCheck(store, positionals, Boolean(values.all));
    const results: RecheckResult[] = [];
    for (const run of runs) {
      let current: Workload | undefined;
      const notes: string[] = [];
      if (!values['no-workload-file'] && run.workloadFile && existsSync(run.workloadFile)) {
        try {
          current = await loadWorkload(run.workloadFile);
          if (current.name !== run.workloadName) {
            notes.push(
              `${run.workloadFile} now holds workload "${current.name}"; decided on the run's own settings.`,
            );
            current = undefined;
          }
        } catch (error) {
          notes.push(
            `${run.workloadFile} does not load today (${(error as Error).message}); decided on the run's own settings.`,
          );
        }
      }
      const result = await recheckRun(store, run.id, {
        now,
        ...(volume !== undefined ? { volume } : {}),
        ...(current ? { current } : {}),
      });
      result.notes.unshift(...notes);
      if (current) result.notes.push(`Settings from ${run.workloadFile} as it reads today.`);
      results.push(result);
    }
    const flagged = results.filter((r) => r.changed || r.crossed.length > 0);
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify(
          {
            schemaVersion: 1,
            kind: 'recheck',
            asOf: now.toISOString().slice(0, 10),
            changed: flagged.length,
            runs: results.map(({ fresh, stored, ...rest }) => ({
              ...rest,
              storedVersion: stored?.version ?? null,
              stored: stored ? { decision: stored.decision, cost: stored.cost } : null,
              fresh: { decision: fresh.decision, cost: fresh.cost, catalogues: fresh.catalogues },
            })),
          },
          null,
          2,
        )}\n`,
      );
      return flagged.length > 0 ? ExitCode.changed : ExitCode.ok;
    }
    const c = pc.createColors(useColor(io.stdout, io.env, values['no-color'] ? false : undefined));
    const width = Math.min(io.stdout.columns ?? 100, 110);
    if (values.verbose)
      for (const r of results)
        if (!flagged.includes(r))
          io.stdout.write(
            `${t(r.workload)} · run ${t(r.runId)}: unchanged, ${t(r.pickAfter ?? 'no pick')}\n`,
          );
    if (flagged.length === 0) return ExitCode.ok;
    const lines = [
      c.bold(
        `verdict recheck: ${flagged.length} of ${results.length} decision${results.length === 1 ? '' : 's'} to look at again (as of ${now.toISOString().slice(0, 10)})`,
      ),
      '',
      ...flagged.flatMap((r) => [
        ...render({ ...r, workloadFile: runs.find((run) => run.id === r.runId)?.workloadFile }, c, width),
        '',
      ]),
    ];
    io.stdout.write(`${lines.join('\n').trimEnd()}\n`);
    return ExitCode.changed;
  } finally {
    await store.close();
  }
}

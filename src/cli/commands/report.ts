import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildReport } from '../../report/build-report.ts';
import { withCallErrors } from '../../report/call-errors-terminal.ts';
import { allCaseRows } from '../../report/case-rows.ts';
import { readLoadTests } from '../../report/load-tests.ts';
import { renderCsv } from '../../report/render-csv.ts';
import { renderHtml } from '../../report/render-html.ts';
import { renderMarkdown } from '../../report/render-markdown.ts';
import { renderTerminal } from '../../report/render-terminal.ts';
import { terminalText } from '../../report/terminal-safe.ts';
import type { Report } from '../../spec/decision.ts';
import { VerdictError } from '../../spec/errors.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { type Io, useColor } from '../io.ts';
import { checkOutputFile, outputError } from '../output-file.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict report [RUN]

Renders the report of a stored run without calling any model (default: the newest completed run in
which some candidate answered; newer interrupted or failed runs are named on standard error).

Formats:
  terminal   tables for a terminal (default)
  md         a Markdown memo: the decision and its reasons first, details after
  json       the report object (schema: schema/report.schema.json)
  html       one self-contained HTML file with charts and every case; opens without network
  csv        one row per case, candidate and repeat

Flags:
  --format F          terminal | md | json | html | csv
  -o, --output FILE   write to FILE instead of standard output
  --store PATH        SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
  --load-test FILE    a load-test result (JSON from verdict load: one test, a sweep or a max-rate
                      search) to show in the report; repeatable
  --no-color          no colour (also: NO_COLOR=1)
  --debug             show stack traces
  -h, --help          this help
Exit codes: 0 done, 2 bad input (unknown run or format), 3 the store failed.
`;

/** The terminal report with the run's call errors under it. */
function terminalReport(report: Report, options: { color: boolean; width: number }): string {
  return withCallErrors(renderTerminal(report, options), report, options);
}

const formats = ['terminal', 'md', 'json', 'html', 'csv'] as const;
type Format = (typeof formats)[number];

/** Whether some call of a run produced an answer (stops at the first one). */
async function someCallAnswered(store: Store, runId: string): Promise<boolean> {
  for await (const result of store.results(runId)) if (!result.error) return true;
  return false;
}

/**
 * The run id given, else the newest completed run in which some candidate answered: an interrupted
 * run, one still running, or one whose every call failed (a server down, a wrong model id) is not
 * what `report` or `decide` should pick unasked. `note` hears which newer runs were passed over.
 */
export async function resolveRunId(
  store: Store,
  given: string | undefined,
  note?: (text: string) => void,
): Promise<string> {
  if (given) {
    if (!(await store.getRun(given))) {
      throw new VerdictError('RUN_NOT_FOUND', `no run "${given}" in ${store.location}`);
    }
    return given;
  }
  const runs = await store.listRuns(50);
  if (runs.length === 0)
    throw new VerdictError(
      'RUN_NOT_FOUND',
      `no runs yet in ${store.location}; run "verdict run WORKLOAD" first`,
    );
  const passed: string[] = [];
  for (const run of runs) {
    if (run.status !== 'completed') {
      passed.push(`${run.id} (${run.status})`);
      continue;
    }
    if (!(await someCallAnswered(store, run.id))) {
      passed.push(`${run.id} (no candidate answered)`);
      continue;
    }
    if (passed.length > 0)
      note?.(
        `using run ${run.id}, the newest completed one; newer: ${passed.join(', ')} (pass a run id to use one)\n`,
      );
    return run.id;
  }
  const [newest] = runs;
  note?.(
    `no completed run with answers in the newest ${runs.length}; using the newest run, ${newest!.id} (${newest!.status})\n`,
  );
  return newest!.id;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      store: { type: 'string' },
      'load-test': { type: 'string', multiple: true },
    },
    'report',
    { min: 0, max: 1 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const format = (values.format ?? 'terminal') as Format;
  if (!formats.includes(format)) {
    throw new VerdictError(
      'USAGE',
      `verdict report: --format expects one of ${formats.join(', ')}, got "${values.format}"`,
    );
  }
  const output = values.output === undefined ? undefined : path.resolve(io.cwd, values.output as string);
  if (output) await checkOutputFile('-o', output);
  const store = await openStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    const runId = await resolveRunId(store, positionals[0], (text) =>
      io.stderr.write(`verdict report: ${text}`),
    );
    const loadFiles = (values['load-test'] as unknown as string[] | undefined) ?? [];
    const built = await buildReport(store, runId);
    const report =
      loadFiles.length > 0
        ? { ...built, loadTests: [...(built.loadTests ?? []), ...(await readLoadTests(loadFiles, io.cwd))] }
        : built;
    if (format === 'csv') {
      const file = output ? createWriteStream(output) : null;
      // A write error arrives as an event; kept, so that the loop stops and reports it.
      let failed: unknown;
      file?.on('error', (error) => {
        failed ??= error;
      });
      const cell = !output && io.stdout.isTTY ? terminalText : undefined;
      try {
        for await (const chunk of renderCsv(runId, allCaseRows(store, runId), cell)) {
          if (failed) break;
          if (file) {
            if (!file.write(chunk)) await Promise.race([once(file, 'drain'), once(file, 'close')]);
          } else io.stdout.write(chunk);
        }
        if (file && !failed)
          await new Promise<void>((resolve, reject) =>
            file.end((error?: Error | null) => (error ? reject(error) : resolve())),
          );
      } catch (error) {
        failed ??= error;
      }
      if (failed && output) throw outputError('-o', output, failed);
      if (failed) throw failed;
    } else {
      const text =
        format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : format === 'md'
            ? renderMarkdown(report)
            : format === 'html'
              ? await renderHtml(report, {
                  cases: allCaseRows(store, runId),
                  generatedAt: new Date().toISOString(),
                })
              : terminalReport(report, {
                  color: output ? false : useColor(io.stdout, io.env, values['no-color'] ? false : undefined),
                  width: io.stdout.columns ?? 80,
                });
      if (output)
        await writeFile(output, text).catch((error) => {
          throw outputError('-o', output, error);
        });
      else io.stdout.write(text);
    }
    if (output) io.stderr.write(`wrote the ${format} report of run ${runId} to ${output}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

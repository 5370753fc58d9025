import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildReport } from '../../report/build-report.ts';
import { allCaseRows } from '../../report/case-rows.ts';
import { readLoadTests } from '../../report/load-tests.ts';
import { renderCsv } from '../../report/render-csv.ts';
import { renderHtml } from '../../report/render-html.ts';
import { renderMarkdown } from '../../report/render-markdown.ts';
import { renderTerminal } from '../../report/render-terminal.ts';
import { VerdictError } from '../../spec/errors.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.ts';
import type { Store } from '../../store/store.ts';
import { type Io, useColor } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict report [RUN]

Renders the report of a stored run (default: the newest run) without calling any model.

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

const formats = ['terminal', 'md', 'json', 'html', 'csv'] as const;
type Format = (typeof formats)[number];

/** The run id given, or the newest run in the store. */
export async function resolveRunId(store: Store, given: string | undefined): Promise<string> {
  if (given) {
    if (!(await store.getRun(given))) {
      throw new VerdictError('RUN_NOT_FOUND', `no run "${given}" in ${store.location}`);
    }
    return given;
  }
  const [newest] = await store.listRuns(1);
  if (!newest)
    throw new VerdictError(
      'RUN_NOT_FOUND',
      `no runs yet in ${store.location}; run "verdict run WORKLOAD" first`,
    );
  return newest.id;
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
  const store = openSqliteStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    const runId = await resolveRunId(store, positionals[0]);
    const loadFiles = (values['load-test'] as unknown as string[] | undefined) ?? [];
    const built = await buildReport(store, runId);
    const report =
      loadFiles.length > 0
        ? { ...built, loadTests: [...(built.loadTests ?? []), ...(await readLoadTests(loadFiles, io.cwd))] }
        : built;
    if (format === 'csv') {
      const file = output ? createWriteStream(output) : null;
      for await (const chunk of renderCsv(runId, allCaseRows(store, runId))) {
        if (file) {
          if (!file.write(chunk)) await once(file, 'drain');
        } else io.stdout.write(chunk);
      }
      if (file)
        await new Promise<void>((resolve, reject) =>
          file.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
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
              : renderTerminal(report, {
                  color: output ? false : useColor(io.stdout, io.env, values['no-color'] ? false : undefined),
                  width: io.stdout.columns ?? 80,
                });
      if (output) await writeFile(output, text);
      else io.stdout.write(text);
    }
    if (output) io.stderr.write(`wrote the ${format} report of run ${runId} to ${output}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

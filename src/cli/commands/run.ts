import { VerdictError } from '../../spec/errors.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { loadWorkload } from '../../workload/load-workload.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';
import { runAndReport } from '../run-and-report.ts';

export const help = `verdict run WORKLOAD

Runs every case of a workload against every candidate, grades the outputs, stores each result as it
finishes, and prints the report with a first decision.

Flags:
  --store PATH        SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
  --concurrency N     concurrent calls per remote candidate (default 4; the embedded runtime runs 1)
  --json              print the report as JSON on stdout
  --no-color          no colour (also: NO_COLOR=1)
  --debug             show stack traces
  -h, --help          this help
Exit codes: 0 done, 2 bad input, 3 every call of some candidate failed or a provider could not start.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { store: { type: 'string' }, concurrency: { type: 'string' }, json: { type: 'boolean' } },
    'run',
    { min: 1, max: 1 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new VerdictError(
      'USAGE',
      `verdict run: --concurrency expects a positive integer, got "${values.concurrency}"`,
    );
  }
  const workload = await loadWorkload(positionals[0]!);
  const store = openSqliteStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    return await runAndReport(workload, io, {
      store,
      json: Boolean(values.json),
      ...(values['no-color'] ? { color: false } : {}),
      ...(concurrency ? { concurrency } : {}),
    });
  } finally {
    await store.close();
  }
}

import { runWorker } from '../../run/run-worker.ts';
import { VerdictError } from '../../spec/errors.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import { isPostgresUrl } from '../../store/postgres-url.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict worker --store postgres://…

Takes pages of the runs started with \`verdict run … --workers\` from the queue in the team's Postgres
store, calls the candidates, grades the answers and stores the results, one page at a time, until
Ctrl-C. Start one per machine (or several). A worker killed mid-page gives its page back after its
lease (VERDICT_WORKER_LEASE_SECONDS, default 30, at least 10); the next worker skips what it stored.
API keys come from this worker's environment.

Flags:
  --store URL       the team's store (default: $VERDICT_STORE); must be postgres://
  --exit-when-idle SECONDS  stop after this long with no page to take
  --debug           show stack traces
  -h, --help        this help
Exit codes: 0 stopped, 2 bad flags or not a Postgres store, 3 the store failed.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(
    argv,
    { store: { type: 'string' }, 'exit-when-idle': { type: 'string' } },
    'worker',
    { min: 0, max: 0 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const location = (values.store as string | undefined) ?? defaultStorePath(io.env);
  if (!isPostgresUrl(location)) {
    throw new VerdictError(
      'USAGE',
      'verdict worker: --store must be a postgres:// URL (workers share the team store and its queue)',
    );
  }
  const idle = values['exit-when-idle'] === undefined ? undefined : Number(values['exit-when-idle']);
  if (idle !== undefined && !(Number.isFinite(idle) && idle > 0)) {
    throw new VerdictError('USAGE', `--exit-when-idle expects seconds, got "${values['exit-when-idle']}"`);
  }
  const store = await openStore(location);
  try {
    io.stderr.write(`worker: taking pages from ${store.location}\n`);
    const { pages } = await runWorker({
      url: location,
      store,
      env: io.env,
      ...(io.signal ? { signal: io.signal } : {}),
      ...(idle === undefined ? {} : { idleExitMs: idle * 1000 }),
      onPage: (page) =>
        io.stderr.write(
          `worker: run ${page.runId} ${page.candidateId} cases ${page.after + 1}–${page.through}: ${page.results} results, ${page.calls} calls, queue ${page.queueMs.toFixed(1)} ms\n`,
        ),
    });
    io.stderr.write(`worker: stopped after ${pages} pages\n`);
    return 0;
  } finally {
    await store.close();
  }
}

import { randomBytes } from 'node:crypto';
import { readLoadTests } from '../../report/load-tests.ts';
import { isLoopback, startDashboard } from '../../server/dashboard.ts';
import { VerdictError } from '../../spec/errors.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict view

Serves the local dashboard over the store: runs, each run's charts, the case explorer (outputs side
by side, filters, search), comparing two runs, load tests. Prints its URL; Ctrl-C stops it.

Flags:
  --store PATH|URL  SQLite store file or postgres:// URL (default: $VERDICT_STORE, else
                 ~/.local/share/verdict/verdict.db)
  --port N       port to listen on (default: a free port)
  --load-test FILE  a load-test result (JSON from verdict load) to show on the load-test pages;
                 repeatable
  --host HOST    address to listen on (default 127.0.0.1). Anything else shares the dashboard:
                 every request then needs a token, generated and printed once at start
  --token TOKEN  the token to require instead (at least 16 characters; default:
                 $VERDICT_VIEW_TOKEN). Prefer the variable: flags show in the process list.
                 Send it as "Authorization: Bearer TOKEN", or open URL/?token=TOKEN once in a
                 browser (a cookie keeps it). The dashboard is read-only either way
  --debug        show stack traces
  -h, --help     this help
Exit codes: 0 stopped, 2 bad flags, 3 the store or the port failed.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      store: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'load-test': { type: 'string', multiple: true },
    },
    'view',
    { min: 0, max: 0 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new VerdictError(
      'USAGE',
      `verdict view: --port expects a port number 0–65535, got "${values.port}"`,
    );
  }
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  const given = (values.token as string | undefined) ?? (io.env.VERDICT_VIEW_TOKEN || undefined);
  if (given !== undefined && given.length < 16) {
    throw new VerdictError(
      'USAGE',
      `verdict view: the token must be at least 16 characters, got ${given.length}`,
    );
  }
  // Off loopback a token is required: one is made when none is given (192 random bits).
  const token = given ?? (isLoopback(host) ? undefined : randomBytes(24).toString('base64url'));
  const loadTests = await readLoadTests(
    (values['load-test'] as unknown as string[] | undefined) ?? [],
    io.cwd,
  );
  const store = await openStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    let dashboard: Awaited<ReturnType<typeof startDashboard>>;
    try {
      dashboard = await startDashboard(store, {
        host,
        port,
        loadTests,
        ...(token === undefined ? {} : { token }),
      });
    } catch (error) {
      throw new VerdictError(
        'STORE_ERROR',
        `verdict view: cannot listen on ${host}:${port}: ${(error as Error).message}`,
      );
    }
    if (!isLoopback(host)) {
      io.stderr.write(
        `warning: listening on ${host}: anyone who can reach this address and holds the token can read every run's outputs and case data; plain HTTP carries the token in clear, so put TLS in front on a shared network\n`,
      );
    }
    io.stdout.write(`verdict dashboard: ${dashboard.url}\n`);
    // A generated token is shown here and nowhere else (never in a log line or an error).
    if (token !== undefined && given === undefined) io.stdout.write(`token: ${token}\n`);
    else if (token !== undefined)
      io.stderr.write('requests need the token given by --token or $VERDICT_VIEW_TOKEN\n');
    io.stderr.write(`reading ${store.location}; press Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      if (!io.signal) return;
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await dashboard.close();
    return 0;
  } finally {
    await store.close();
  }
}

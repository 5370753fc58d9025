// A real Postgres server for a test file, started once (initdb + pg_ctl, ~1–2 s) on a free loopback
// port in a temp folder, stopped when the file ends. Each test gets its own database. Without the
// binaries the tests that need it are skipped with the reason, unless VERDICT_REQUIRE_POSTGRES=1
// (CI), where a missing server fails.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import pg from 'pg';

export interface PostgresServer {
  /** The URL of a database on this server. */
  url(database: string): string;
  /** A new empty database; returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server at once (as a crash would). */
  stop(): void;
}

function binDir(): string | undefined {
  if (process.env.VERDICT_PG_BINDIR) return process.env.VERDICT_PG_BINDIR;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Why Postgres tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  const bin = binDir();
  if (bin && existsSync(path.join(bin, 'initdb'))) return undefined;
  const reason = 'postgres binaries not found (apt-get install -y postgresql); Postgres store tests skipped';
  if (process.env.VERDICT_REQUIRE_POSTGRES === '1')
    throw new Error(`VERDICT_REQUIRE_POSTGRES=1 but ${reason}`);
  return reason;
}

let databases = 0;

/** Starts a server; undefined (with {@link postgresUnavailable} saying why) without binaries. */
export async function startPostgres(): Promise<PostgresServer | undefined> {
  if (postgresUnavailable()) return undefined;
  const bin = binDir()!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // Postgres refuses to run as root: as root, run it as the postgres user in a folder it owns.
  const command = (file: string, args: string[]) =>
    asRoot ? (['runuser', ['-u', 'postgres', '--', file, ...args]] as const) : ([file, args] as const);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o711);
  }
  const run = (file: string, args: string[]) => {
    const [cmd, argv] = command(path.join(bin, file), args);
    execFileSync(cmd, [...argv], { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
  };
  run('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ]);
  const port = await freePort();
  // Durability off: a test database is thrown away, and fsync costs most of the test's time.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url,
    async createDatabase() {
      const name = `verdict_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
  };
}

/**
 * One server for the whole test file, started on first use and stopped when the file ends. Call at
 * the top level of the file: a hook registered inside a test would stop it when that test ends.
 */
export function postgresForFile(): () => Promise<PostgresServer> {
  let started: Promise<PostgresServer | undefined> | undefined;
  after(async () => (await started)?.stop());
  return async () => {
    started ??= startPostgres();
    const server = await started;
    if (!server) throw new Error(postgresUnavailable());
    return server;
  };
}

// One pool per store; transactions on one client; counts and ids (int8) read as numbers, since no
// count or id of a verdict store comes near 2^53.
import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** A pool on a `postgres://` URL; numbers come back as numbers. */
export function createPool(url: string, max = 4): pg.Pool {
  return new pg.Pool({ connectionString: url, types, max, application_name: 'verdict' });
}

/** A single connection outside the pool (held for a session-level lock). */
export function createClient(url: string): pg.Client {
  return new pg.Client({ connectionString: url, types, application_name: 'verdict' });
}

/** Runs `work` in one transaction on one pooled client; rolls back when it throws. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The URL for messages: the password never leaves the process. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '';
    return parsed.toString().replace(/:@/, '@');
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** Collects positional parameters for a query built in pieces: `param(value)` returns `$n`. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

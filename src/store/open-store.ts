// Where a store lives decides which one opens: a postgres:// URL is the team's database, anything
// else a SQLite file. The Postgres store is imported only for a postgres:// URL: pg alone took
// 17–24 ms of every SQLite run's start-up.
import { isPostgresUrl } from './postgres-url.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/** Opens the store at `location`: `postgres://…` (or `postgresql://…`) opens Postgres, else a SQLite file. */
export async function openStore(location: string): Promise<Store> {
  if (!isPostgresUrl(location)) return openSqliteStore(location);
  const { openPostgresStore } = await import('./postgres/postgres-store.ts');
  return openPostgresStore(location);
}

// Where a store lives decides which one opens: a postgres:// URL is the team's database, anything
// else a SQLite file.
import { isPostgresUrl, openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/** Opens the store at `location`: `postgres://…` (or `postgresql://…`) opens Postgres, else a SQLite file. */
export async function openStore(location: string): Promise<Store> {
  return isPostgresUrl(location) ? openPostgresStore(location) : openSqliteStore(location);
}

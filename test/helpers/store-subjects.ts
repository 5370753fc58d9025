// The store contract's subjects: every store test runs once per store, against a real SQLite file
// and a real Postgres server (one per test file), each test on a fresh store.
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { postgresForFile, postgresUnavailable } from './postgres-server.ts';
import { tempDir } from './temp-dir.ts';

export interface StoreSubject {
  name: 'sqlite' | 'postgres';
  /** Set when this subject cannot run here: the test is skipped with this reason. */
  skip: string | undefined;
  /** Where a fresh, empty store lives (a file path or a postgres:// URL). */
  newLocation(): Promise<string>;
  /** Runs SQL on the store's database directly, as another tool or a newer verdict would. */
  exec(location: string, sql: string): Promise<void>;
}

/** The subjects; call at the top level of a test file. */
export function storeSubjects(): StoreSubject[] {
  const skip = postgresUnavailable();
  const server = skip ? undefined : postgresForFile();
  return [
    {
      name: 'sqlite',
      skip: undefined,
      async newLocation() {
        return path.join(tempDir(), 'v.db');
      },
      async exec(location, sql) {
        const db = new Database(location);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
    },
    {
      name: 'postgres',
      skip,
      async newLocation() {
        return (await server!()).createDatabase();
      },
      async exec(location, sql) {
        const client = new pg.Client({ connectionString: location });
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      },
    },
  ];
}

/** A fresh store of this subject. */
export async function freshStore(subject: StoreSubject): Promise<Store> {
  return openStore(await subject.newLocation());
}

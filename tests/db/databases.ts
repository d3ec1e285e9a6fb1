import { readFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { createPglite } from '../../src/data/embedded/create-pglite';
import { loadDemo } from '../../src/data/load-demo';
import { migrate } from '../../src/data/migrate';
import { createPool, nodePostgresClient } from '../../src/data/node-postgres';
import { readMigrations } from '../../src/data/read-migrations';
import type { SqlClient } from '../../src/data/sql-client';
import { generateDistrict } from '../../src/demo/generate-district';

/** A database under test: its SqlClient (as the owner, bypassing RLS) and how to dispose of it. */
export interface TestDatabase {
  name: string;
  client: SqlClient;
  close(): Promise<void>;
}

const PGDATA = new URL('../../public/demo/pgdata.tar.gz', import.meta.url);

/** Returns a PGlite + PostGIS database holding the migrated demo district. */
export async function demoPglite(): Promise<TestDatabase & { db: PGlite }> {
  const data = new Blob([readFileSync(PGDATA)]);
  const { db, client } = await createPglite({ loadDataDir: data });
  return { name: 'pglite', db, client, close: () => db.close() };
}

/** Returns an empty PGlite + PostGIS database (no migrations). */
export async function emptyPglite(): Promise<TestDatabase & { db: PGlite }> {
  const { db, client } = await createPglite();
  return { name: 'pglite-empty', db, client, close: () => db.close() };
}

/**
 * Returns a fresh database on the PostgreSQL server at DATABASE_URL holding the migrated demo
 * district, or null when DATABASE_URL is not set. The database is dropped on close.
 */
export async function demoPostgres(options: { loadDemoData?: boolean } = {}): Promise<TestDatabase | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const admin = createPool(url);
  const name = `gridatlas_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await admin.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pool = createPool(target.toString());
  const client = nodePostgresClient(pool);
  await migrate(client, readMigrations());
  if (options.loadDemoData !== false) await loadDemo(client, generateDistrict({ seed: 1 }));
  return {
    name: 'postgresql',
    client,
    close: async () => {
      await pool.end();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

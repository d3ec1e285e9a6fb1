import { afterAll, beforeAll, describe } from 'vitest';
import type { SqlClient } from '../../src/data/sql-client';
import { demoPglite, demoPostgres, type TestDatabase } from './databases';

/**
 * Registers a suite that runs on PGlite + PostGIS always and on PostgreSQL + PostGIS when
 * DATABASE_URL is set, each holding the migrated demo district. `db()` gives the owner client.
 */
export function describeEachDatabase(title: string, body: (db: () => SqlClient) => void): void {
  const makers: Array<[string, () => Promise<TestDatabase | null>]> = [
    ['PGlite', demoPglite],
    ['PostgreSQL', () => demoPostgres()],
  ];
  for (const [name, make] of makers) {
    const enabled = name === 'PGlite' || Boolean(process.env.DATABASE_URL);
    (enabled ? describe : describe.skip)(`${title} (${name})`, () => {
      let database: TestDatabase | null = null;
      beforeAll(async () => {
        database = await make();
      });
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error('database not ready');
        return database.client;
      });
    });
  }
}

class RollbackSignal extends Error {}

/** Runs `fn` as the owner in one transaction that is always rolled back; returns what fn returned. */
export async function rolledBack<T>(client: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  let result: T | undefined;
  let failure: unknown;
  await client
    .transaction(async (tx) => {
      try {
        result = await fn(tx);
      } catch (error) {
        failure = error;
      }
      throw new RollbackSignal();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RollbackSignal)) throw error;
    });
  if (failure) throw failure;
  return result as T;
}

/**
 * Runs `fn` as a user in one transaction that is always rolled back, the way PostgREST runs a
 * request: role authenticated (anon when userId is null) and request.jwt.claims.sub.
 */
export function asUser<T>(client: SqlClient, userId: string | null, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  return rolledBack(client, async (tx) => {
    await tx.exec(userId === null ? 'set local role anon' : 'set local role authenticated');
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify(userId === null ? { role: 'anon' } : { sub: userId, role: 'authenticated' }),
    ]);
    return fn(tx);
  });
}

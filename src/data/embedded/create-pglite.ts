import { PGlite, type PGliteOptions, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { SqlClient } from '../sql-client';

/** Returns a PGlite instance with PostGIS and its SqlClient adapter (Node and browser). */
export async function createPglite(options: PGliteOptions = {}): Promise<{ db: PGlite; client: SqlClient }> {
  const db = await PGlite.create({ ...options, extensions: { postgis, ...options.extensions } });
  return { db, client: pgliteClient(db) };
}

/** Adapts a PGlite instance (or one of its transactions) to the SqlClient surface. */
export function pgliteClient(db: PGlite | Transaction): SqlClient {
  return {
    query: async <T>(sql: string, params?: unknown[]) => {
      const result = await db.query<T>(sql, params);
      return { rows: result.rows };
    },
    exec: async (sql: string) => {
      await db.exec(sql);
    },
    transaction: <T>(fn: (tx: SqlClient) => Promise<T>) => {
      if (!('transaction' in db)) return fn(pgliteClient(db));
      return db.transaction((tx) => fn(pgliteClient(tx)));
    },
  };
}

import { PGlite, type PGliteOptions, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { postgis } from '@electric-sql/pglite-postgis';
import type { SqlClient } from '../sql-client';

/** Extensions the migrations need, as PGlite bundles (Node and browser). */
export const PGLITE_EXTENSIONS = { postgis, pg_trgm };

/** Returns a PGlite instance with PostGIS and pg_trgm, and its SqlClient adapter. */
export async function createPglite(options: PGliteOptions = {}): Promise<{ db: PGlite; client: SqlClient }> {
  const db = await PGlite.create({ ...options, extensions: { ...PGLITE_EXTENSIONS, ...options.extensions } });
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

import { type Extension, type Extensions, PGlite, type PGliteOptions, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { postgis } from '@electric-sql/pglite-postgis';
import type { SqlClient } from '../sql-client';

/** Extensions the migrations need, as PGlite bundles (Node and browser). */
export const PGLITE_EXTENSIONS = { postgis, pg_trgm };

/** What of PostGIS's bundle a database needs once the extension exists: its library and PROJ's data. */
export const POSTGIS_RUNTIME_FILES = (path: string): boolean =>
  path === 'lib/postgresql/postgis-3.so' || path === 'share/postgresql/extension/postgis.control' || path.startsWith('share/proj/');

/**
 * Returns the extensions for a database that already has them created (the browser's, which
 * starts from a prebuilt data directory): PostGIS from `postgisBundle`, a bundle of only
 * POSTGIS_RUNTIME_FILES (scripts/prepare-demo.ts writes it), which every start fetches and unpacks:
 * ≈ 7 MB and 27 MB instead of 20 MB and 91 MB with install scripts, raster and topology.
 */
export function runtimeExtensions(postgisBundle: URL): Extensions {
  const runtimePostgis: Extension = {
    name: postgis.name,
    setup: async (pg, emscriptenOpts) => ({ ...(await postgis.setup(pg, emscriptenOpts)), bundlePath: postgisBundle }),
  };
  return { ...PGLITE_EXTENSIONS, postgis: runtimePostgis };
}

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

/**
 * The smallest SQL surface the migration runner, the loader and the embedded backend need.
 * PGlite and node-postgres both fit it through a one-line adapter.
 */
export interface SqlClient {
  /** Runs one parameterised statement ($1, $2 …) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection, alone: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/** A migration file: `version` is the timestamp prefix of its name, as the Supabase CLI reads it. */
export interface Migration {
  version: string;
  name: string;
  sql: string;
}

/** Returns migrations from `{ path: sql }` pairs, sorted by version; throws on a misnamed file. */
export function migrationsFromFiles(files: Record<string, string>): Migration[] {
  return Object.entries(files)
    .map(([path, sql]) => {
      const file = path.split('/').pop() ?? path;
      const match = /^(\d{14})_(.+)\.sql$/.exec(file);
      if (!match) throw new Error(`migration file "${file}" is not named <14-digit timestamp>_<name>.sql`);
      return { version: match[1] as string, name: match[2] as string, sql };
    })
    .sort((a, b) => a.version.localeCompare(b.version));
}

import pg from 'pg';
import type { SqlClient } from './sql-client';

/** Returns a SqlClient over a node-postgres pool; each transaction takes its own connection. */
export function nodePostgresClient(pool: pg.Pool): SqlClient {
  const over = (q: pg.Pool | pg.PoolClient): SqlClient => ({
    query: async <T>(sql: string, params?: unknown[]) => {
      const result = await q.query(sql, params);
      return { rows: result.rows as T[] };
    },
    exec: async (sql: string) => {
      await q.query(sql);
    },
    transaction: async <T>(fn: (tx: SqlClient) => Promise<T>) => {
      const connection = 'release' in q ? q : await q.connect();
      try {
        await connection.query('begin');
        const result = await fn(over(connection));
        await connection.query('commit');
        return result;
      } catch (error) {
        await connection.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        if (connection !== q) (connection as pg.PoolClient).release();
      }
    },
  });
  return over(pool);
}

/** Returns a node-postgres pool for a connection URL. */
export function createPool(url: string): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 4 });
}

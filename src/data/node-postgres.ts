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

/**
 * Returns a node-postgres pool for a connection URL. An idle connection that the server closes
 * (a restart, or `drop database … with (force)`) is reported on the pool, where an unheard
 * 'error' event would crash the process; the pool has already discarded that connection, so
 * the error is not fatal. Terminations by the server (57P01) are expected; anything else is
 * reported as a warning.
 */
export function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') process.emitWarning(`idle PostgreSQL connection failed: ${error.message}`);
  });
  return pool;
}

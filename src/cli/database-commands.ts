import { BackupError, checkBackupArchive, projectTables, summarizeBackup } from '../data/embedded/backup';
import { createPglite } from '../data/embedded/create-pglite';
import { loadDemo } from '../data/load-demo';
import { migrate } from '../data/migrate';
import { createPool, nodePostgresClient } from '../data/node-postgres';
import { readMigrations } from '../data/read-migrations';
import type { SqlClient } from '../data/sql-client';
import { generateDistrict } from '../demo/generate-district';
import { type Command, integerOption, positiveOption, UsageError } from './command';
import { readInput } from './read-input';

function databaseUrl(values: Record<string, unknown>): string {
  const url = (values['database-url'] as string | undefined) ?? process.env.DATABASE_URL;
  if (!url) throw new UsageError('--database-url URL is required (or set DATABASE_URL)');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError(`--database-url must be a postgres:// URL, got "${url}"`);
  return url;
}

async function withDatabase<T>(url: string, fn: (client: ReturnType<typeof nodePostgresClient>) => Promise<T>): Promise<T> {
  const pool = createPool(url);
  try {
    return await fn(nodePostgresClient(pool));
  } finally {
    await pool.end();
  }
}

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply supabase/migrations to a PostgreSQL + PostGIS database (plain PostgreSQL; Supabase uses `supabase db push`)',
  usage: 'migrate --database-url URL [--json]',
  options: { 'database-url': { type: 'string' } },
  help: ['--database-url URL  postgres://user:password@host:5432/db (default: $DATABASE_URL)'],
  async run(values) {
    const url = databaseUrl(values);
    const applied = await withDatabase(url, (client) => migrate(client, readMigrations()));
    return {
      json: { applied },
      lines: [applied.length ? `applied ${applied.length} migrations: ${applied.join(', ')}` : 'the database is up to date'],
      exitCode: 0,
    };
  },
};

export const loadDemoCommand: Command = {
  name: 'load-demo',
  summary: 'generate the demo district and load it into a migrated PostgreSQL or Supabase database',
  usage: 'load-demo --database-url URL [--seed N] [--scale K] [--json]',
  options: { 'database-url': { type: 'string' }, seed: { type: 'string' }, scale: { type: 'string' } },
  help: [
    '--database-url URL  a migrated database, connecting as its owner (default: $DATABASE_URL)',
    '--seed N            integer seed (default 1)',
    '--scale K           multiplies entity and event counts (default 1, at most 40)',
  ],
  async run(values) {
    const url = databaseUrl(values);
    const seed = integerOption(values, 'seed', 1);
    const scale = positiveOption(values, 'scale', 1);
    if (scale > 40) throw new UsageError(`--scale must be at most 40, got ${scale}`);
    const counts = await withDatabase(url, async (client) => {
      const { rows } = await client.query<{ n: number }>('select count(*)::int n from cells');
      if ((rows[0]?.n ?? 0) > 0) throw new UsageError('the database already holds cells; load the demo into an empty, migrated database');
      return loadDemo(client, generateDistrict({ seed, scale }));
    });
    return { json: { counts }, lines: [`loaded ${JSON.stringify(counts)}`], exitCode: 0 };
  },
};

export const restoreBackupCommand: Command = {
  name: 'restore-backup',
  summary: "copy a backup of the embedded database (the app's .tar.gz) into an empty, migrated PostgreSQL + PostGIS database",
  usage: 'restore-backup --backup FILE.tar.gz --database-url URL [--json]',
  options: { backup: { type: 'string' }, 'database-url': { type: 'string' } },
  help: [
    '--backup FILE       a backup downloaded from the app ("备份与恢复"), or any PGlite data directory of GridAtlas',
    '--database-url URL  the target, connecting as its owner (default: $DATABASE_URL); it is migrated',
    '                    first and must hold no cells yet',
    'The backup is opened in PGlite, migrated to this version, and its rows are copied table by table',
    '(areas and cells first, then what refers to them) in one transaction; the counts are compared.',
  ],
  async run(values) {
    const path = values.backup;
    if (typeof path !== 'string') throw new UsageError('--backup FILE is required');
    const url = databaseUrl(values);
    const bytes = await readInput(path, 'backup');
    const migrations = readMigrations();
    const asUsage = (error: unknown) => (error instanceof BackupError ? new UsageError(`backup ${path}: ${error.message}`) : error);
    try {
      checkBackupArchive(bytes);
    } catch (error) {
      throw asUsage(error);
    }
    const { db, client: source } = await createPglite({ loadDataDir: new Blob([bytes as BlobPart]) });
    try {
      await summarizeBackup(
        source,
        migrations.map((m) => m.version),
      ).catch((error: unknown) => {
        throw asUsage(error);
      });
      await migrate(source, migrations);
      const tables = await projectTables(source);
      const countRows = async (client: SqlClient) => {
        const counts: Record<string, number> = {};
        for (const table of tables)
          counts[table] = (await client.query<{ n: number }>(`select count(*)::int n from ${table}`)).rows[0]?.n ?? 0;
        return counts;
      };
      const expected = await countRows(source);
      const { pgDump } = await import('@electric-sql/pglite-tools/pg_dump');
      const parts: { table: string; sql: string }[] = [];
      // One table at a time, in the order the rows can be written back.
      for (const table of tables) {
        const dump = await (await pgDump({ pg: db, args: ['--data-only', '-t', `public.${table}`] })).text();
        // Plain SQL only (pg_dump may add psql meta-commands such as \restrict), and none of the
        // settings PostgreSQL 17's pg_dump writes that older servers do not know.
        parts.push({
          table,
          sql: dump
            .split('\n')
            .filter((line) => !line.startsWith('\\') && !line.startsWith('SET transaction_timeout'))
            .join('\n'),
        });
      }
      const copied = await withDatabase(url, async (target) => {
        await migrate(target, migrations);
        const { rows } = await target.query<{ n: number }>('select count(*)::int n from cells');
        if ((rows[0]?.n ?? 0) > 0) throw new UsageError('the database already holds cells; restore into an empty, migrated database');
        await target.transaction(async (tx) => {
          // What the migrations seeded (the risk matrix, a rule set) is in the backup too.
          await tx.exec(`truncate ${tables.join(', ')} restart identity cascade`);
          for (const part of parts) {
            // Rows a trigger made while an earlier table was copied (a house plate for each
            // address) give way to the backup's own.
            await tx.exec(`delete from public.${part.table}`);
            await tx.exec(part.sql);
          }
          // pg_dump empties search_path for the session; the pool's connection must get it back.
          await tx.exec('reset search_path');
        });
        return countRows(target);
      });
      const differ = tables.filter((t) => copied[t] !== expected[t]);
      if (differ.length > 0)
        throw new Error(`the copy differs from the backup in ${differ.map((t) => `${t} (${copied[t]} of ${expected[t]})`).join(', ')}`);
      const total = Object.values(copied).reduce((a, b) => a + b, 0);
      return {
        json: { tables: copied },
        lines: [`copied ${total} rows of ${tables.length} tables: ${tables.map((t) => `${t} ${copied[t]}`).join(', ')}`],
        exitCode: 0,
      };
    } finally {
      await db.close();
    }
  },
};

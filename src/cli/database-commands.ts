import { loadDemo } from '../data/load-demo';
import { migrate } from '../data/migrate';
import { createPool, nodePostgresClient } from '../data/node-postgres';
import { readMigrations } from '../data/read-migrations';
import { generateDistrict } from '../demo/generate-district';
import { type Command, integerOption, positiveOption, UsageError } from './command';

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

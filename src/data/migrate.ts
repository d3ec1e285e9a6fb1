import type { Migration, SqlClient } from './sql-client';

/**
 * Applies the migrations not yet recorded, each in its own transaction, and returns the
 * versions applied. Applied versions are kept in `supabase_migrations.schema_migrations`, the
 * table the Supabase CLI uses, so a database migrated here is seen as up to date there too.
 */
export async function migrate(client: SqlClient, migrations: readonly Migration[]): Promise<string[]> {
  await client.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key,
      statements text[],
      name text
    );
  `);
  const { rows } = await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
  const done = new Set(rows.map((r) => r.version));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    try {
      await client.exec('begin');
      await client.exec(m.sql);
      await client.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
        m.version,
        m.name,
        [m.sql],
      ]);
      await client.exec('commit');
    } catch (error) {
      await client.exec('rollback').catch(() => undefined);
      throw new Error(`migration ${m.version}_${m.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    applied.push(m.version);
  }
  return applied;
}

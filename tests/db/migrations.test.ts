import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { migrate } from '../../src/data/migrate';
import { readMigrations } from '../../src/data/read-migrations';
import { emptyPglite } from './databases';

it('applies every migration to an empty PGlite + PostGIS, and a second run applies none', async () => {
  const db = await emptyPglite();
  try {
    const all = readMigrations();
    expect(await migrate(db.client, all)).toEqual(all.map((m) => m.version));
    expect(await migrate(db.client, all)).toEqual([]);
    const { rows } = await db.client.query<{ n: number }>('select count(*)::int n from supabase_migrations.schema_migrations');
    expect(rows[0]?.n).toBe(all.length);
  } finally {
    await db.close();
  }
});

it('rolls back a failing migration and names it', async () => {
  const db = await emptyPglite();
  try {
    const bad = [{ version: '20990101000000', name: 'broken', sql: 'create table ok_table (id int); select * from missing_table;' }];
    await expect(migrate(db.client, bad)).rejects.toThrow(/migration 20990101000000_broken failed: .*missing_table/);
    const { rows } = await db.client.query<{ t: string | null }>(`select to_regclass('ok_table')::text t`);
    expect(rows[0]?.t).toBeNull();
  } finally {
    await db.close();
  }
});

it('runs unchanged on a real PostgreSQL + PostGIS (DATABASE_URL), creating the Supabase roles only where missing', async (ctx) => {
  if (!process.env.DATABASE_URL) return ctx.skip();
  const { demoPostgres } = await import('./databases');
  const db = await demoPostgres({ loadDemoData: false });
  try {
    const { rows } = (await db?.client.query<{ r: string }>(
      `select rolname r from pg_roles where rolname in ('anon', 'authenticated', 'service_role') order by 1`,
    )) ?? { rows: [] };
    expect(rows.map((r) => r.r)).toEqual(['anon', 'authenticated', 'service_role']);
    const again = await migrate(db?.client as never, readMigrations());
    expect(again).toEqual([]);
  } finally {
    await db?.close();
  }
});

it('seed.sql runs on a database without Supabase Auth and changes nothing there', async () => {
  const { readFileSync } = await import('node:fs');
  const db = await emptyPglite();
  try {
    await migrate(db.client, readMigrations());
    await db.client.exec(readFileSync('supabase/seed.sql', 'utf8'));
    const { rows } = await db.client.query<{ n: number }>('select count(*)::int n from members');
    expect(rows[0]?.n).toBe(0);
  } finally {
    await db.close();
  }
});

it('brings a database migrated before two landed migrations were edited to the current definitions', async () => {
  const fixtures = new URL('../fixtures/migrations-as-first-landed/', import.meta.url);
  const definitions = async (client: Awaited<ReturnType<typeof emptyPglite>>['client']) =>
    (
      await client.query<{ name: string; def: string }>(
        `select p.proname name, pg_get_functiondef(p.oid) def from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = 'public' and p.proname in ('draw_cell', 'classify_by_rules', 'save_rule_set') order by 1`,
      )
    ).rows;
  const all = readMigrations();
  const restating = all.findIndex((m) => m.version === '20261202000300');
  expect(restating).toBeGreaterThan(0);
  // As a browser that migrated before the edits did: the two files as they first landed.
  const early = all.slice(0, restating).map((m) => {
    const file = `${m.version}_${m.name}.sql`;
    return ['20261201000100', '20261201000700'].includes(m.version) ? { ...m, sql: readFileSync(new URL(file, fixtures), 'utf8') } : m;
  });
  const old = await emptyPglite();
  const current = await emptyPglite();
  try {
    await migrate(old.client, early);
    const before = await definitions(old.client);
    await migrate(old.client, all);
    await migrate(current.client, all);
    const after = await definitions(old.client);
    expect(after).toEqual(await definitions(current.client));
    // The fixtures are the versions that differ: the restatement changed something there.
    expect(before).not.toEqual(after);
  } finally {
    await old.close();
    await current.close();
  }
});

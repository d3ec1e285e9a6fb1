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

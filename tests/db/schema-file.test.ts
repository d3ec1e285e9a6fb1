import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeSchema } from '../../src/data/describe-schema';
import { migrate } from '../../src/data/migrate';
import { readMigrations } from '../../src/data/read-migrations';
import { emptyPglite } from './databases';

it('supabase/schema.sql is the schema the migrations produce (npm run schema writes it)', async () => {
  const db = await emptyPglite();
  try {
    await migrate(db.client, readMigrations());
    const actual = await describeSchema(db.client);
    const file = readFileSync(new URL('../../supabase/schema.sql', import.meta.url), 'utf8');
    // Compared line by line, so that a failure shows where they part.
    expect(file.split('\n')).toEqual(actual.split('\n'));
  } finally {
    await db.close();
  }
});

it('every table and function of the project says what it is for (COMMENT ON), so schema.sql documents what runs', async () => {
  const db = await emptyPglite();
  try {
    await migrate(db.client, readMigrations());
    const undocumented = await db.client.query<{ name: string }>(
      `select c.relname name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p') and obj_description(c.oid, 'pg_class') is null
         and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
       union all
       select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and obj_description(p.oid, 'pg_proc') is null
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       order by 1`,
    );
    expect(undocumented.rows.map((r) => r.name)).toEqual([]);
  } finally {
    await db.close();
  }
});

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

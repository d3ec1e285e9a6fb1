/**
 * Writes supabase/schema.sql: the current schema as the migrations leave it (see describeSchema),
 * from an empty PGlite + PostGIS migrated from scratch. Run it after adding a migration; a db test
 * fails while the file differs from what the migrations produce.
 */
import { writeFileSync } from 'node:fs';
import { describeSchema } from '../src/data/describe-schema';
import { createPglite } from '../src/data/embedded/create-pglite';
import { migrate } from '../src/data/migrate';
import { readMigrations } from '../src/data/read-migrations';

const { db, client } = await createPglite();
await migrate(client, readMigrations());
const schema = await describeSchema(client);
await db.close();
writeFileSync(new URL('../supabase/schema.sql', import.meta.url), schema);
process.stdout.write(`supabase/schema.sql: ${schema.split('\n').length} lines\n`);

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Migration, migrationsFromFiles } from './sql-client';

/** Folder of the SQL migrations, the single source of truth for the schema. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../supabase/migrations', import.meta.url));

/** Returns the migrations read from `supabase/migrations` (Node only). */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.sql'))) files[name] = readFileSync(join(dir, name), 'utf8');
  return migrationsFromFiles(files);
}

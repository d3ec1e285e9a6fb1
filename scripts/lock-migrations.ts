/**
 * Records the checksum of every migration not yet in supabase/migrations.lock (run it when a new
 * migration is added). It never changes a recorded checksum: a landed migration is history, and
 * tests/unit/data/migrations-lock.test.ts fails when one is edited. A change goes in a new migration.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'supabase', 'migrations');
const lockPath = join(root, 'supabase', 'migrations.lock');
const lines = existsSync(lockPath)
  ? readFileSync(lockPath, 'utf8')
      .split('\n')
      .filter((l) => /^[0-9a-f]{64} {2}/.test(l))
  : [];
const locked = new Set(lines.map((l) => l.slice(66)));
const added = readdirSync(dir)
  .filter((f) => f.endsWith('.sql') && !locked.has(f))
  .sort()
  .map(
    (f) =>
      `${createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex')}  ${f}`,
  );
const header =
  '# sha256 of every landed migration: a landed migration is never edited (add a new one). npm run migrations:lock adds new files.';
writeFileSync(lockPath, `${[header, ...lines, ...added].join('\n')}\n`);
process.stdout.write(added.length > 0 ? `locked ${added.length} new migration(s)\n` : 'every migration is locked already\n');

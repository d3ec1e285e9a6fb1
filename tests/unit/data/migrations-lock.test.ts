import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../../supabase/migrations/', import.meta.url);
const lock = readFileSync(new URL('../../../supabase/migrations.lock', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => /^[0-9a-f]{64} {2}/.test(l))
  .map((l) => ({ sha256: l.slice(0, 64), file: l.slice(66) }));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.sql'))
  .sort();

describe('migrations are history', () => {
  it('no landed migration has changed since its checksum was recorded (a change goes in a new migration)', () => {
    const changed = lock.filter(({ sha256, file }) => {
      const text = files.includes(file) ? readFileSync(new URL(file, dir)) : null;
      return !text || createHash('sha256').update(text).digest('hex') !== sha256;
    });
    expect(changed.map((c) => c.file)).toEqual([]);
  });

  it('every migration is recorded (npm run migrations:lock records a new one)', () => {
    expect(files.filter((f) => !lock.some((l) => l.file === f))).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { POSTGIS_RUNTIME_FILES } from '../../../src/data/embedded/create-pglite';
import { filterTar, walSegmentNeeded } from '../../../src/data/embedded/filter-tar';

/** A ustar archive of these files (enough of the format for the filter and for GNU tar). */
function tarOf(files: Record<string, string>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, content] of Object.entries(files)) {
    const header = new Uint8Array(512);
    const put = (at: number, text: string) => header.set(new TextEncoder().encode(text), at);
    const body = new TextEncoder().encode(content);
    put(0, name);
    put(100, '0000644\0');
    put(108, '0000000\0');
    put(116, '0000000\0');
    put(124, `${body.length.toString(8).padStart(11, '0')}\0`);
    put(136, '00000000000\0');
    put(156, '0');
    put(257, 'ustar\x0000');
    // The checksum counts its own field as spaces.
    put(148, '        ');
    const sum = header.reduce((s, b) => s + b, 0);
    put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
    parts.push(header, body, new Uint8Array((512 - (body.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Lists an archive with GNU tar: the filter's output must be a tar that tar itself reads. */
const gnuTarList = (tar: Uint8Array) => execFileSync('tar', ['-t'], { input: tar }).toString().trim().split('\n').filter(Boolean);

describe('filterTar', () => {
  it('keeps the entries the predicate accepts, contents intact, as an archive GNU tar reads', () => {
    const tar = tarOf({ 'a.txt': 'alpha', 'b/skip.sql': 'x'.repeat(700), 'b/c.txt': 'gamma' });
    const out = filterTar(tar, (path) => !path.endsWith('.sql'));
    expect(gnuTarList(out)).toEqual(['a.txt', 'b/c.txt']);
    expect(execFileSync('tar', ['-xO', 'b/c.txt'], { input: out }).toString()).toBe('gamma');
  });

  it('keeps everything when everything is accepted', () => {
    const tar = tarOf({ one: '1', two: '22' });
    expect(gnuTarList(filterTar(tar, () => true))).toEqual(['one', 'two']);
  });

  it('refuses an entry that runs past the end of the archive, naming it', () => {
    const tar = tarOf({ 'cut.bin': 'y'.repeat(2000) }).slice(0, 1024);
    expect(() => filterTar(tar, () => true)).toThrow(/"cut\.bin" runs past the end/);
  });

  it('cuts PostGIS bundle down to the runtime files', () => {
    const bundle = join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz');
    const out = filterTar(gunzipSync(readFileSync(bundle)), POSTGIS_RUNTIME_FILES);
    const names = gnuTarList(out);
    expect(names).toContain('lib/postgresql/postgis-3.so');
    expect(names).toContain('share/proj/proj.db');
    expect(names).toContain('share/postgresql/extension/postgis.control');
    expect(names.some((n) => n.endsWith('.sql') || n.includes('raster') || n.includes('topology'))).toBe(false);
  });
});

describe('walSegmentNeeded', () => {
  const first = '000000010000000000000005';
  const last = '000000010000000000000006';
  it('keeps the segments from the redo point to the current one, and every other file', () => {
    expect(walSegmentNeeded('/pg_wal/000000010000000000000005', first, last)).toBe(true);
    expect(walSegmentNeeded('/pg_wal/000000010000000000000006', first, last)).toBe(true);
    expect(walSegmentNeeded('/base/5/1259', first, last)).toBe(true);
    expect(walSegmentNeeded('/pg_wal/archive_status', first, last)).toBe(true);
  });
  it('drops the spare segments before and after', () => {
    expect(walSegmentNeeded('/pg_wal/000000010000000000000004', first, last)).toBe(false);
    expect(walSegmentNeeded('/pg_wal/000000010000000000000009', first, last)).toBe(false);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDistrict } from '../../../src/demo/generate-district';
import { writeDemo } from '../../../src/demo/write-demo';
import { wgs84ToBd09, wgs84ToGcj02 } from '../../../src/geo/crs-china';
import { toCsv } from '../../../src/import/csv';

function cli(...args: string[]) {
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const readCsv = (path: string) =>
  Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('assign', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assign-'));
  const demo = generateDistrict({ seed: 5, scale: 0.05 });
  beforeAll(async () => {
    await writeDemo(demo, dir);
  });

  it('writes every event with its cell code and a summary; outside points keep an empty code', () => {
    const out = join(dir, 'events.assigned.csv');
    const r = cli('assign', '--cells', join(dir, 'cells.geojson'), '--points', join(dir, 'events.csv'), '--out', out, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { rows: number; assigned: number; outside: number; rejected: number };
    expect(summary.rows).toBe(demo.events.length);
    expect(summary.assigned + summary.outside).toBe(summary.rows);
    expect(summary.rejected).toBe(0);
    const rows = readCsv(out);
    expect(rows).toHaveLength(demo.events.length);
    expect(rows.filter((row) => row.cell_code === '').length).toBe(summary.outside);
    expect(rows.every((row) => row.cell_code === '' || /^430199\d{9}$/.test(row.cell_code as string))).toBe(true);
  });

  it('gives the same cells for the same points given in GCJ-02 or BD-09', () => {
    const wgs = join(dir, 'wgs.csv');
    const gcj = join(dir, 'gcj.csv');
    const bd = join(dir, 'bd.csv');
    const sample = demo.events.slice(0, 400);
    writeFileSync(wgs, toCsv(sample, ['id', 'lon', 'lat']));
    writeFileSync(
      gcj,
      toCsv(
        sample.map((e) => ({ id: e.id, lng: wgs84ToGcj02([e.lon, e.lat])[0], lat: wgs84ToGcj02([e.lon, e.lat])[1] })),
        ['id', 'lng', 'lat'],
      ),
    );
    writeFileSync(
      bd,
      toCsv(
        sample.map((e) => ({ id: e.id, x: wgs84ToBd09([e.lon, e.lat])[0], y: wgs84ToBd09([e.lon, e.lat])[1] })),
        ['id', 'x', 'y'],
      ),
    );
    cli('assign', '--cells', join(dir, 'cells.geojson'), '--points', wgs, '--out', join(dir, 'wgs.out.csv'));
    expect(
      cli('assign', '--cells', join(dir, 'cells.geojson'), '--points', gcj, '--crs', 'gcj02', '--out', join(dir, 'gcj.out.csv')).code,
    ).toBe(0);
    expect(
      cli('assign', '--cells', join(dir, 'cells.geojson'), '--points', bd, '--crs', 'bd09', '--out', join(dir, 'bd.out.csv')).code,
    ).toBe(0);
    const codes = (file: string) => readCsv(join(dir, file)).map((r) => r.cell_code);
    expect(codes('gcj.out.csv')).toEqual(codes('wgs.out.csv'));
    expect(codes('bd.out.csv')).toEqual(codes('wgs.out.csv'));
    expect(readCsv(join(dir, 'gcj.out.csv'))[0]).toHaveProperty('wgs84_lon');
  });

  it('exits 1 and writes the rejected rows with row number, field and reason', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,lon,lat\nok,112.9,28.2\nbad,east,28.2\n');
    const out = join(dir, 'bad.out.csv');
    const r = cli('assign', '--cells', join(dir, 'cells.geojson'), '--points', bad, '--out', out, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 2, rejected: 1 });
    expect(readFileSync(join(dir, 'bad.out.rejected.csv'), 'utf8')).toBe(
      'row,field,reason,id,lon,lat\n3,lon,"longitude ""east"" is not a number",bad,east,28.2\n',
    );
  });

  it('exits 2 naming the file and the reason when input cannot be read', () => {
    const missing = cli('assign', '--cells', join(dir, 'nope.geojson'), '--points', join(dir, 'events.csv'), '--out', join(dir, 'x.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read cells file ${join(dir, 'nope.geojson')}: ENOENT`);
    writeFileSync(join(dir, 'broken.geojson'), '{"type":');
    expect(
      cli('assign', '--cells', join(dir, 'broken.geojson'), '--points', join(dir, 'events.csv'), '--out', join(dir, 'x.csv')).stderr,
    ).toContain('is not JSON');
    writeFileSync(join(dir, 'nocoords.csv'), 'id,name\n1,x\n');
    expect(
      cli('assign', '--cells', join(dir, 'cells.geojson'), '--points', join(dir, 'nocoords.csv'), '--out', join(dir, 'x.csv')).stderr,
    ).toContain('no longitude column');
    expect(
      cli('assign', '--cells', join(dir, 'cells.geojson'), '--points', join(dir, 'events.csv'), '--out', join(dir, 'x.csv'), '--crs', 'utm')
        .stderr,
    ).toContain('--crs must be one of wgs84, gcj02, bd09, got "utm"');
  });

  it('reads the points in the encoding --encoding names, over the guess', () => {
    // 郑伟 in GBK (d6a3 ceb0) is also valid UTF-8; judged GBK, read as UTF-8 only when asked.
    const [lon, lat] = [demo.events[0]?.lon, demo.events[0]?.lat];
    const file = join(dir, 'gbk-names.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('name,lon,lat\n'), Buffer.from('d6a3ceb0', 'hex'), Buffer.from(`,${lon},${lat}\n`)]));
    const run = (...encoding: string[]) => {
      const out = join(dir, `gbk-names.${encoding.join('') || 'auto'}.csv`);
      const r = cli('assign', '--cells', join(dir, 'cells.geojson'), '--points', file, '--out', out, '--json', ...encoding);
      return { ...r, rows: r.code === 0 ? readCsv(out) : [] };
    };
    const guessed = run();
    expect([JSON.parse(guessed.stdout).encoding, guessed.rows[0]?.name]).toEqual(['gbk', '郑伟']);
    const utf8 = run('--encoding', 'UTF-8');
    expect([JSON.parse(utf8.stdout).encoding, utf8.rows[0]?.name]).toEqual(['utf-8', '\u05a3\u03b0']);
    expect(run('--encoding', 'gb18030').rows[0]?.name).toBe('郑伟');
    const bad = run('--encoding', 'latin1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--encoding must be one of utf-8, gbk, got "latin1"');
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function cli(...args: string[]) {
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'validate', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const D = 0.001;
const square = (col: number, row: number, size = 1) => {
  const w = 112.9 + col * D;
  const s = 28.2 + row * D;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [w + size * D, s],
        [w + size * D, s + size * D],
        [w, s + size * D],
        [w, s],
      ],
    ],
  };
};
const cellsFile = (dir: string, skip: string | null) => {
  const features = [];
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      const code = `43019900100100${row * 3 + col + 1}`;
      if (code === skip) continue;
      features.push({ type: 'Feature', properties: { code, community_code: '430199001001' }, geometry: square(col, row) });
    }
  }
  const path = join(dir, `cells-${skip ?? 'all'}.geojson`);
  writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
  return path;
};

describe('validate CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'validate-'));
  const boundary = join(dir, 'boundary.geojson');
  writeFileSync(
    boundary,
    JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: '430199001001' }, geometry: square(0, 0, 3) }],
    }),
  );

  it('exits 0 and prints an empty list for a clean tiling', () => {
    const r = cli(cellsFile(dir, null), '--boundary', boundary, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('prints each problem as {type, cells, area_m2, location} and exits 1', () => {
    const r = cli(cellsFile(dir, '430199001001005'), '--json');
    expect(r.code).toBe(1);
    const problems = JSON.parse(r.stdout) as { type: string; cells: string[]; area_m2: number; location: number[] }[];
    expect(problems).toHaveLength(1);
    expect(problems[0]?.type).toBe('gap');
    expect(problems[0]?.cells).toEqual(['430199001001002', '430199001001004', '430199001001006', '430199001001008']);
    expect(problems[0]?.area_m2).toBeGreaterThan(10_000);
    expect(problems[0]?.location[0]).toBeCloseTo(112.9015, 3);
  });

  it('finds the uncovered corner of the boundary and reads the human summary', () => {
    const r = cli(cellsFile(dir, '430199001001009'), '--boundary', boundary);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('8 cells: 1 gap');
  });

  it('exits 2 naming the file and the reason when the input cannot be read', () => {
    const missing = cli(join(dir, 'nope.geojson'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read cells file ${join(dir, 'nope.geojson')}: ENOENT`);
    const broken = join(dir, 'broken.geojson');
    writeFileSync(broken, '{"type": "FeatureCollection", ');
    expect(cli(broken).stderr).toContain(`cells file ${broken} is not valid JSON`);
    const notGeoJson = join(dir, 'list.geojson');
    writeFileSync(notGeoJson, '[1, 2]');
    expect(cli(notGeoJson).stderr).toContain('is not a GeoJSON FeatureCollection');
    expect(cli(cellsFile(dir, null), '--tolerance-m', 'x').stderr).toContain('--tolerance-m must be a positive number');
    expect(cli().code).toBe(2);
  });
});

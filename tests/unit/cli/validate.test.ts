import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../../src/geo/crs-china';
import { cellsToShapefileZip } from '../../../src/geo/export-cells';

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

  it('honours an enclave in the boundary: no gap where the district has a hole', () => {
    // The middle cell is another district's enclave: a hole in the boundary, no cell there.
    const withHole = join(dir, 'boundary-hole.geojson');
    const outer = square(0, 0, 3).coordinates[0] as number[][];
    const hole = [...(square(1, 1).coordinates[0] as number[][])].reverse();
    writeFileSync(
      withHole,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { code: '430199001001' }, geometry: { type: 'Polygon', coordinates: [outer, hole] } }],
      }),
    );
    const r = cli(cellsFile(dir, '430199001001005'), '--boundary', withHole, '--json');
    expect(r.stdout.trim()).toBe('[]');
    expect(r.code).toBe(0);
  });

  it('checks coordinates in every system: latitude 95, projected metres and an empty ring are refused, an empty file is not "clean"', () => {
    const write = (name: string, features: unknown[]) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
      return path;
    };
    const cell = (coordinates: unknown) => ({
      type: 'Feature',
      properties: { code: '430199001001001' },
      geometry: { type: 'Polygon', coordinates },
    });
    const north = write('north.geojson', [
      cell([
        [
          [112.9, 95],
          [112.91, 95],
          [112.91, 95.01],
          [112.9, 95],
        ],
      ]),
    ]);
    expect(cli(north).code).toBe(2);
    expect(cli(north).stderr).toContain(`cells file ${north}: feature 1 has the coordinate 112.9, 95, outside longitude/latitude`);
    const metres = write('metres.geojson', [
      cell([
        [
          [500000, 3100000],
          [500100, 3100000],
          [500100, 3100100],
          [500000, 3100000],
        ],
      ]),
    ]);
    expect(cli(metres).stderr).toContain('feature 1 has the coordinate 500000, 3100000, outside longitude/latitude (is it projected?)');
    const empty = write('empty-ring.geojson', [cell([])]);
    const r = cli(empty);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('TypeError');
    expect(r.stderr).toContain(`cells file ${empty}: feature 1 has no geometry`);
    const none = write('none.geojson', []);
    expect(cli(none).code).toBe(2);
    expect(cli(none).stderr).toContain(`cells file ${none} holds no features: nothing to work on`);
  });

  it('exits 2 naming the file and the reason when the input cannot be read', () => {
    const missing = cli(join(dir, 'nope.geojson'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read cells file ${join(dir, 'nope.geojson')}: ENOENT`);
    const broken = join(dir, 'broken.geojson');
    writeFileSync(broken, '{"type": "FeatureCollection", ');
    expect(cli(broken).stderr).toContain(`cells file ${broken} is not JSON`);
    const notGeoJson = join(dir, 'list.geojson');
    writeFileSync(notGeoJson, '[1, 2]');
    expect(cli(notGeoJson).stderr).toContain('is not a GeoJSON FeatureCollection');
    expect(cli(cellsFile(dir, null), '--tolerance-m', 'x').stderr).toContain('--tolerance-m must be a positive number');
    expect(cli().code).toBe(2);
  });

  it('reads cells from a zipped shapefile and a KML file, and a GCJ-02 GeoJSON with --crs', () => {
    const geojson = JSON.parse(readFileSync(cellsFile(dir, '430199001001005'), 'utf8')) as {
      features: { properties: { code: string }; geometry: { coordinates: number[][][] } }[];
    };
    const zip = join(dir, 'cells.zip');
    writeFileSync(
      zip,
      cellsToShapefileZip(
        geojson.features.map((f) => ({
          code: f.properties.code,
          name: '网格',
          communityCode: '430199001001',
          class: 'C',
          households: 0,
          geometry: f.geometry as Polygon,
        })),
      ),
    );
    const fromZip = cli(zip, '--boundary', boundary, '--json');
    expect(fromZip.code).toBe(1);
    expect(JSON.parse(fromZip.stdout)).toEqual([expect.objectContaining({ type: 'gap', area_m2: expect.any(Number) })]);

    const ring = (c: number[][]) => c.map((p) => p.join(',')).join(' ');
    const kml = join(dir, 'cells.kml');
    writeFileSync(
      kml,
      `<kml xmlns="http://www.opengis.net/kml/2.2"><Document>${geojson.features
        .map(
          (f) =>
            `<Placemark><name>${f.properties.code}</name><ExtendedData><Data name="code"><value>${f.properties.code}</value></Data></ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>${ring(f.geometry.coordinates[0] as number[][])}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>`,
        )
        .join('')}</Document></kml>`,
    );
    expect(JSON.parse(cli(kml, '--boundary', boundary, '--json').stdout)).toHaveLength(1);

    // The same tiling and boundary in GCJ-02: off by hundreds of metres unless --crs says so.
    const gcjBoundary = join(dir, 'boundary-gcj.geojson');
    const square3 = square(0, 0, 3).coordinates.map((r) => r.map((p) => fromWgs84(p as [number, number], 'gcj02')));
    writeFileSync(
      gcjBoundary,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { code: '430199001001' }, geometry: { type: 'Polygon', coordinates: square3 } }],
      }),
    );
    const gcj = join(dir, 'cells-gcj.geojson');
    const all = JSON.parse(readFileSync(cellsFile(dir, null), 'utf8')) as { features: { geometry: { coordinates: number[][][] } }[] };
    for (const f of all.features)
      f.geometry.coordinates = f.geometry.coordinates.map((r) => r.map((p) => fromWgs84(p as [number, number], 'gcj02')));
    writeFileSync(gcj, JSON.stringify(all));
    expect(cli(gcj, '--boundary', boundary).code).toBe(1);
    expect(cli(gcj, '--boundary', gcjBoundary, '--crs', 'gcj02', '--json').stdout.trim()).toBe('[]');
    expect(cli(gcj, '--crs', 'utm').stderr).toContain('--crs must be one of wgs84, gcj02, bd09, got "utm"');
  });
});

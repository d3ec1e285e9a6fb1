import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../../src/geo/crs-china';
import {
  type ExportPoints,
  exportPointsOf,
  pointsToCsv,
  pointsToGeoJson,
  pointsToGeoPackage,
  pointsToShapefileZip,
  pointsToXlsx,
} from '../../../src/geo/export-points';
import { dbfNames } from '../../../src/geo/write-dbf';

/** Three events as export_points gives them: Chinese text, a formula-like description, a null. */
const rows = [
  {
    id: 'E0000001',
    lon: 112.9012345,
    lat: 28.1954321,
    props: {
      category: '市容环境',
      severity: 2,
      occurred_at: '2026-11-30T08:00:00+08:00',
      description: '=HYPERLINK("http://x")',
      key_person: true,
    },
  },
  {
    id: 'E0000002',
    lon: 112.91,
    lat: 28.2,
    props: { category: '占道经营', severity: 3, occurred_at: '2026-12-01T09:30:00+08:00', description: '-12.5' },
  },
  {
    id: 'E0000003',
    lon: 112.92,
    lat: 28.21,
    props: { category: '治安隐患', severity: 1, occurred_at: '2026-12-02T10:00:00+08:00', description: null },
  },
];
const points: ExportPoints = exportPointsOf(rows);
const dir = mkdtempSync(join(tmpdir(), 'export-points-'));
const ogrinfo = (...args: string[]) => execFileSync('ogrinfo', ['-ro', '-al', ...args], { encoding: 'utf8' });

describe('exportPointsOf', () => {
  it('gathers the columns in order of first appearance, a missing value null', () => {
    expect(points.columns).toEqual(['category', 'severity', 'occurred_at', 'description', 'key_person']);
    expect(points.values[1]?.[4]).toBeNull();
    expect(points.lngLats[0]).toEqual([112.9012345, 28.1954321]);
  });
});

describe('dbfNames', () => {
  it('cuts names to 10 bytes and keeps them unique', () => {
    expect(dbfNames(['occurred_at', 'occurred_at_end', 'id'])).toEqual(['occurred_a', 'occurred_1', 'id']);
  });
});

describe('pointsToCsv', () => {
  it('writes a BOM, id, lon, lat and the columns; neutralises formulas but not plain numbers; GDAL reads it', () => {
    const csv = pointsToCsv(points, 'wgs84');
    expect(csv.startsWith('\uFEFFid,lon,lat,category,severity,occurred_at,description,key_person\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain(',-12.5,');
    const file = join(dir, 'events.csv');
    writeFileSync(file, csv);
    const info = ogrinfo('-oo', 'X_POSSIBLE_NAMES=lon', '-oo', 'Y_POSSIBLE_NAMES=lat', '-oo', 'KEEP_GEOM_COLUMNS=NO', file);
    expect(info).toContain('Feature Count: 3');
    expect(info).toContain('category (String)');
    expect(info).toContain('市容环境');
    expect(info).toContain('POINT (112.9012345 28.1954321)');
  });

  it('writes positions in GCJ-02 when asked', () => {
    const [x, y] = wgs84ToGcj02([112.9012345, 28.1954321]);
    const line = pointsToCsv(points, 'gcj02').split('\n')[1] ?? '';
    expect(line.startsWith(`E0000001,${Math.round(x * 1e7) / 1e7},${Math.round(y * 1e7) / 1e7},`)).toBe(true);
  });
});

describe('pointsToGeoJson', () => {
  it('is a FeatureCollection of points with every column; GDAL reads it as WGS-84', () => {
    const file = join(dir, 'events.geojson');
    writeFileSync(file, pointsToGeoJson(points, 'wgs84'));
    const info = ogrinfo(file);
    expect(info).toContain('Feature Count: 3');
    expect(info).toMatch(/Geometry: Point/);
    expect(info).toMatch(/WGS 84/);
    expect(info).toContain('severity (Integer)');
    expect(info).toContain('占道经营');
  });
});

describe('pointsToShapefileZip', () => {
  it('holds .shp .shx .dbf .prj .cpg; GDAL reads points, UTF-8 Chinese, whole numbers as numbers', () => {
    const files = unzipSync(pointsToShapefileZip(points, 'wgs84', 'events'));
    expect(Object.keys(files).sort()).toEqual(['events.cpg', 'events.dbf', 'events.prj', 'events.shp', 'events.shx']);
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const info = ogrinfo(join(dir, 'events.shp'));
    expect(info).toContain('Feature Count: 3');
    expect(info).toMatch(/Geometry: Point/);
    expect(info).toMatch(/WGS 84|WGS_1984/);
    expect(info).toMatch(/severity \((Integer|Real)/);
    expect(info).toContain('occurred_a (String)');
    expect(info).toContain('治安隐患');
    expect(info).toContain('POINT (112.92 28.21)');
  });

  it('writes an empty layer GDAL still opens', () => {
    const files = unzipSync(pointsToShapefileZip(exportPointsOf([]), 'wgs84', 'empty'));
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    expect(ogrinfo(join(dir, 'empty.shp'))).toContain('Feature Count: 0');
  });
});

describe('pointsToXlsx', () => {
  it('writes a sheet read back with the same values, formulas as text', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await pointsToXlsx(points, 'wgs84', '事件')).buffer as ArrayBuffer);
    const sheet = workbook.getWorksheet('事件');
    expect(sheet?.getRow(1).values).toEqual([undefined, 'id', 'lon', 'lat', ...points.columns]);
    expect(sheet?.getRow(2).getCell(4).value).toBe('市容环境');
    // Written as a text: no formula object.
    expect(sheet?.getRow(2).getCell(7).value).toBe('=HYPERLINK("http://x")');
    expect(sheet?.getRow(2).getCell(7).formula).toBeUndefined();
    expect(sheet?.rowCount).toBe(4);
  });
});

describe('pointsToGeoPackage', () => {
  it('is a GeoPackage GDAL reads: one point layer in EPSG:4326, typed columns, Chinese text, every point', async () => {
    const file = join(dir, 'events.gpkg');
    writeFileSync(file, await pointsToGeoPackage(points, 'wgs84', 'events'));
    const info = ogrinfo(file);
    expect(info).toContain('Layer name: events');
    expect(info).toContain('Feature Count: 3');
    expect(info).toMatch(/Geometry: Point/);
    expect(info).toMatch(/ID\["EPSG",4326\]|AUTHORITY\["EPSG","4326"\]/);
    expect(info).toContain('severity (Integer64)');
    expect(info).toContain('category (String)');
    expect(info).toContain('key_person (Integer64)');
    expect(info).toContain('治安隐患');
    expect(info).toContain('POINT (112.9012345 28.1954321)');
    // GDAL's own validation of the file's structure finds nothing to say.
    expect(execFileSync('ogrinfo', ['-ro', '-q', '-sql', 'PRAGMA integrity_check', file], { encoding: 'utf8' })).toContain('ok');
  });

  it('writes an empty layer, and BD-09 positions when asked', async () => {
    const empty = join(dir, 'empty.gpkg');
    writeFileSync(empty, await pointsToGeoPackage(exportPointsOf([]), 'wgs84', 'empty'));
    expect(ogrinfo(empty)).toContain('Feature Count: 0');
    const bd = join(dir, 'bd.gpkg');
    writeFileSync(bd, await pointsToGeoPackage(points, 'bd09', 'events'));
    expect(ogrinfo(bd)).not.toContain('POINT (112.9012345 28.1954321)');
  });
});

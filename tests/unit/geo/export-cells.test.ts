import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { read } from 'shapefile';
import { describe, expect, it } from 'vitest';
import type { CellCode, CommunityCode } from '../../../src/domain/ids';
import type { CellFigures, CellProperties } from '../../../src/domain/records';
import { wgs84ToGcj02 } from '../../../src/geo/crs-china';
import {
  cellsInCrs,
  cellsToCsvWkt,
  cellsToGeoJson,
  cellsToGeoPackage,
  cellsToShapefileZip,
  cellsToXlsx,
  type ExportCell,
  exportCellsOf,
  toWkt,
  WGS84_PRJ,
} from '../../../src/geo/export-cells';
import { ringSignedArea2 } from '../../../src/geo/planar';

const square = (x: number, y: number, s: number) => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];

// A park cell with a hole (filled by another cell), and a two-part cell; GeoJSON orientation (outer counter-clockwise).
const withHole: Polygon = { type: 'Polygon', coordinates: [square(112.9, 28.2, 0.01), square(112.903, 28.203, 0.002).reverse()] };
const twoParts: MultiPolygon = { type: 'MultiPolygon', coordinates: [[square(112.92, 28.2, 0.005)], [square(112.93, 28.2, 0.005)]] };
const cells: ExportCell[] = [
  {
    code: '430199001001001',
    name: '牌楼社区第1网格（含公园）',
    communityCode: '430199001001',
    class: 'A',
    households: 120,
    geometry: withHole,
  },
  { code: '430199001001002', name: '牌楼社区第2网格', communityCode: '430199001001', class: 'C', households: 7, geometry: twoParts },
];

describe('cell export', () => {
  it('writes a zipped shapefile that a shapefile reader reads back: shapes, UTF-8 names, .prj and .cpg', async () => {
    const files = unzipSync(cellsToShapefileZip(cells, 'cells'));
    expect(Object.keys(files).sort()).toEqual(['cells.cpg', 'cells.dbf', 'cells.prj', 'cells.shp', 'cells.shx']);
    expect(new TextDecoder().decode(files['cells.prj'])).toBe(WGS84_PRJ);
    expect(new TextDecoder().decode(files['cells.cpg'])).toBe('UTF-8');
    const back = await read(files['cells.shp'] as Uint8Array, files['cells.dbf'] as Uint8Array, { encoding: 'utf-8' });
    expect(back.features.map((f) => f.properties)).toEqual([
      { code: '430199001001001', name: '牌楼社区第1网格（含公园）', community: '430199001001', class: 'A', households: 120 },
      { code: '430199001001002', name: '牌楼社区第2网格', community: '430199001001', class: 'C', households: 7 },
    ]);
    // The reader turns shapefile rings (outer clockwise, holes counter-clockwise) back into GeoJSON.
    const first = back.features[0]?.geometry as Polygon;
    expect(first.type).toBe('Polygon');
    expect(first.coordinates).toHaveLength(2);
    const second = back.features[1]?.geometry as MultiPolygon;
    expect(second.type).toBe('MultiPolygon');
    expect(second.coordinates).toHaveLength(2);
    expect(back.bbox).toEqual([112.9, 28.2, 112.935, 28.21]);
    // In the file itself, the outer ring is clockwise (negative signed area) and the hole is not.
    const points = (shp: Uint8Array, start: number, count: number) => {
      const view = new DataView(shp.buffer, shp.byteOffset);
      return Array.from({ length: count }, (_, k) => [view.getFloat64(start + 16 * k, true), view.getFloat64(start + 16 * k + 8, true)]);
    };
    const shp = files['cells.shp'] as Uint8Array;
    const outer = points(shp, 100 + 8 + 44 + 8, 5);
    const hole = points(shp, 100 + 8 + 44 + 8 + 16 * 5, 5);
    expect(ringSignedArea2(outer)).toBeLessThan(0);
    expect(ringSignedArea2(hole)).toBeGreaterThan(0);
  });

  it('writes CSV with WKT and GeoJSON with the same attributes', () => {
    const csv = cellsToCsvWkt(cells);
    expect(csv.startsWith('\uFEFFcode,name,community_code,class,households,wkt')).toBe(true);
    expect(csv).toContain('430199001001002,牌楼社区第2网格,430199001001,C,7,"MULTIPOLYGON (((112.92 28.2, 112.925 28.2,');
    expect(toWkt(withHole)).toMatch(/^MULTIPOLYGON \(\(\(112\.9 28\.2, .*\), \(112\.903 28\.203, .*\)\)\)$/);
    const gj = JSON.parse(cellsToGeoJson(cells));
    expect(gj.features[0].properties).toEqual({
      code: '430199001001001',
      name: '牌楼社区第1网格（含公园）',
      community_code: '430199001001',
      class: 'A',
      households: 120,
    });
    expect(gj.features[1].geometry).toEqual(twoParts);
  });
});

describe('cells in other formats and coordinate systems', () => {
  const dir = mkdtempSync(join(tmpdir(), 'export-cells-'));
  const cells: ExportCell[] = [
    {
      code: '430199001001001',
      name: '牌楼社区第1网格',
      communityCode: '430199001001',
      class: 'A',
      households: 120,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [112.9, 28.2],
            [112.91, 28.2],
            [112.91, 28.21],
            [112.9, 28.21],
            [112.9, 28.2],
          ],
        ],
      },
    },
  ];

  it('moves the shapes into GCJ-02 and leaves WGS-84 as it is', () => {
    const moved = cellsInCrs(cells, 'gcj02')[0] as ExportCell;
    const first = (moved.geometry as MultiPolygon).coordinates[0]?.[0]?.[0] as number[];
    const [x, y] = wgs84ToGcj02([112.9, 28.2]);
    expect(first[0]).toBeCloseTo(x, 7);
    expect(first[1]).toBeCloseTo(y, 7);
    expect(cellsInCrs(cells, 'wgs84')[0]?.geometry).toBe(cells[0]?.geometry);
  });

  it('writes a GeoPackage of multipolygons GDAL reads, Chinese names intact', async () => {
    const file = join(dir, 'cells.gpkg');
    writeFileSync(file, await cellsToGeoPackage(cells, 'cells'));
    const info = execFileSync('ogrinfo', ['-ro', '-al', file], { encoding: 'utf8' });
    expect(info).toContain('Feature Count: 1');
    expect(info).toMatch(/Geometry: Multi Polygon/);
    expect(info).toContain('牌楼社区第1网格');
    expect(info).toContain('households (Integer64) = 120');
    expect(info).toContain('MULTIPOLYGON (((112.9 28.2,112.91 28.2,112.91 28.21,112.9 28.21,112.9 28.2)))');
  });

  it('writes an XLSX sheet with the shape as WKT', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await cellsToXlsx(cells, '网格')).buffer as ArrayBuffer);
    const row = workbook.getWorksheet('网格')?.getRow(2);
    expect(row?.getCell(2).value).toBe('牌楼社区第1网格');
    expect(String(row?.getCell(6).value)).toMatch(/^MULTIPOLYGON \(\(\(112\.9 28\.2, /);
  });
});

describe('cells with their figures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'export-cell-figures-'));
  const figure = (code: string, events: number, closed: number, median: number | null): CellFigures => ({
    code,
    name: code,
    class: 'A',
    communityCode: '430199001001',
    communityName: '牌楼社区',
    streetName: '城南街道',
    households: 120,
    areaSquareMeters: 10234.5,
    people: 310,
    keyPersons: 4,
    places: 12,
    things: 30,
    organisations: 2,
    events,
    casesReported: 9,
    casesOpen: 3,
    casesOverdue: 1,
    casesClosed: closed,
    medianHandlingHours: median,
    riskIndex: 12.34,
    lastPatrolAt: null,
  });
  const features: Feature<MultiPolygon, CellProperties>[] = cells.map((c) => ({
    type: 'Feature' as const,
    properties: {
      code: c.code as CellCode,
      name: c.name,
      communityCode: c.communityCode as CommunityCode,
      communityName: '牌楼社区',
      class: c.class as 'A',
      classSource: 'rule' as const,
      households: c.households,
      version: 1,
    },
    geometry: (c.geometry.type === 'Polygon'
      ? { type: 'MultiPolygon', coordinates: [c.geometry.coordinates] }
      : c.geometry) as MultiPolygon,
  }));
  // The second cell has no figures (the database gave none): its columns are empty, not missing.
  const withFigures = exportCellsOf(features, [figure('430199001001001', 57, 2, 30.5)]);

  it('adds the figures as columns after the cells’ own, the same for every cell', () => {
    expect(withFigures[0]?.figures).toMatchObject({ events: 57, median_hrs: 30.5, risk_index: 12.34, street: '城南街道' });
    expect(Object.keys(withFigures[1]?.figures ?? {})).toEqual(Object.keys(withFigures[0]?.figures ?? {}));
    expect(Object.values(withFigures[1]?.figures ?? {}).every((v) => v === null)).toBe(true);
    const [header] = cellsToCsvWkt(withFigures).replace('\uFEFF', '').split(/\r?\n/);
    expect(header).toBe(
      'code,name,community_code,class,households,street,comm_name,area_m2,people,key_people,places,things,orgs,events,cases_rep,cases_open,overdue,closed,median_hrs,risk_index,patrolled,wkt',
    );
    expect(exportCellsOf(features)[0]?.figures).toBeUndefined();
  });

  it('writes them into a shapefile GDAL reads: whole numbers as integers, decimals as reals, blanks as null', () => {
    const files = unzipSync(cellsToShapefileZip(withFigures, 'figures'));
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const info = execFileSync('ogrinfo', ['-ro', '-al', join(dir, 'figures.shp')], { encoding: 'utf8' });
    expect(info).toMatch(/events: Integer/);
    expect(info).toMatch(/risk_index: Real \(\d+\.2\)/);
    expect(info).toContain('events (Integer) = 57');
    expect(info).toContain('median_hrs (Real) = 30.5');
    expect(info).toContain('risk_index (Real) = 12.34');
    expect(info).toContain('street (String) = 城南街道');
    expect(info).toMatch(/events \(Integer\) = \(null\)/);
  });

  it('writes them into a GeoPackage with typed columns', async () => {
    const file = join(dir, 'figures.gpkg');
    writeFileSync(file, await cellsToGeoPackage(withFigures, 'figures'));
    const info = execFileSync('ogrinfo', ['-ro', '-al', file], { encoding: 'utf8' });
    expect(info).toContain('Feature Count: 2');
    expect(info).toContain('events (Integer64) = 57');
    expect(info).toContain('risk_index (Real) = 12.34');
    expect(info).toContain('comm_name (String) = 牌楼社区');
  });
});

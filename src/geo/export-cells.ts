import { strToU8, zipSync } from 'fflate';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { CellProperties } from '../domain/records';
import { toCsv } from '../import/csv';
import type { ChinaCrs } from './crs-china';
import { fromWgs84 } from './crs-china';
import { polygonsOf, ringSignedArea2 } from './planar';
import { writeDbf } from './write-dbf';
import { multiPolygonWkb, writeGeoPackage } from './write-geopackage';

/** A cell as exported: its attributes and its WGS-84 shape. */
export interface ExportCell {
  code: string;
  name: string;
  communityCode: string;
  class: string;
  households: number;
  geometry: Polygon | MultiPolygon;
}

/** Returns cells as the app holds them (GeoJSON features) as the writers take them. */
export function exportCellsOf(features: readonly Feature<MultiPolygon, CellProperties>[]): ExportCell[] {
  return features.map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    communityCode: f.properties.communityCode,
    class: f.properties.class,
    households: f.properties.households,
    geometry: f.geometry,
  }));
}

/** WGS-84 (CGCS2000 is treated as WGS-84), as ArcGIS and QGIS write it in a .prj. */
export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]';

const attributes = (c: ExportCell) => ({
  code: c.code,
  name: c.name,
  community_code: c.communityCode,
  class: c.class,
  households: c.households,
});

/** Cells as a GeoJSON FeatureCollection (text). */
export function cellsToGeoJson(cells: readonly ExportCell[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: cells.map((c) => ({ type: 'Feature', properties: attributes(c), geometry: c.geometry })),
  });
}

/** A shape as WKT: MULTIPOLYGON (((x y, …)), …). */
export function toWkt(geometry: Polygon | MultiPolygon): string {
  const ring = (r: Position[]) => `(${r.map((p) => `${p[0]} ${p[1]}`).join(', ')})`;
  return `MULTIPOLYGON (${polygonsOf(geometry)
    .map((rings) => `(${rings.map(ring).join(', ')})`)
    .join(', ')})`;
}

/** Cells as CSV with a WKT column (UTF-8 with a byte-order mark, so that Excel keeps the Chinese names). */
export function cellsToCsvWkt(cells: readonly ExportCell[]): string {
  return `\uFEFF${toCsv(
    cells.map((c) => ({ ...attributes(c), wkt: toWkt(c.geometry) })),
    ['code', 'name', 'community_code', 'class', 'households', 'wkt'],
  )}`;
}

/** Rings in shapefile order: each outer ring clockwise, followed by its holes counter-clockwise. */
function shapefileRings(geometry: Polygon | MultiPolygon): Position[][] {
  const out: Position[][] = [];
  for (const rings of polygonsOf(geometry)) {
    rings.forEach((r, k) => {
      const clockwise = ringSignedArea2(r) < 0;
      const wantClockwise = k === 0;
      out.push(clockwise === wantClockwise ? r : [...r].reverse());
    });
  }
  return out;
}

function shpFiles(cells: readonly ExportCell[]): { shp: Uint8Array; shx: Uint8Array } {
  const shapes = cells.map((c) => shapefileRings(c.geometry));
  const contentBytes = shapes.map((rings) => 44 + 4 * rings.length + 16 * rings.reduce((n, r) => n + r.length, 0));
  const shpLength = 100 + contentBytes.reduce((n, b) => n + 8 + b, 0);
  const shp = new DataView(new ArrayBuffer(shpLength));
  const shx = new DataView(new ArrayBuffer(100 + 8 * cells.length));
  let [xmin, ymin, xmax, ymax] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of shapes)
    for (const r of rings)
      for (const p of r) {
        xmin = Math.min(xmin, p[0] as number);
        xmax = Math.max(xmax, p[0] as number);
        ymin = Math.min(ymin, p[1] as number);
        ymax = Math.max(ymax, p[1] as number);
      }
  if (cells.length === 0) [xmin, ymin, xmax, ymax] = [0, 0, 0, 0];
  const header = (view: DataView, bytes: number) => {
    view.setInt32(0, 9994, false);
    view.setInt32(24, bytes / 2, false);
    view.setInt32(28, 1000, true);
    view.setInt32(32, 5, true); // Polygon
    view.setFloat64(36, xmin, true);
    view.setFloat64(44, ymin, true);
    view.setFloat64(52, xmax, true);
    view.setFloat64(60, ymax, true);
  };
  header(shp, shpLength);
  header(shx, 100 + 8 * cells.length);
  let o = 100;
  shapes.forEach((rings, i) => {
    const bytes = contentBytes[i] as number;
    shx.setInt32(100 + 8 * i, o / 2, false);
    shx.setInt32(104 + 8 * i, bytes / 2, false);
    shp.setInt32(o, i + 1, false);
    shp.setInt32(o + 4, bytes / 2, false);
    const c = o + 8;
    const pts = rings.flat();
    shp.setInt32(c, 5, true);
    shp.setFloat64(c + 4, Math.min(...pts.map((p) => p[0] as number)), true);
    shp.setFloat64(c + 12, Math.min(...pts.map((p) => p[1] as number)), true);
    shp.setFloat64(c + 20, Math.max(...pts.map((p) => p[0] as number)), true);
    shp.setFloat64(c + 28, Math.max(...pts.map((p) => p[1] as number)), true);
    shp.setInt32(c + 36, rings.length, true);
    shp.setInt32(c + 40, pts.length, true);
    let start = 0;
    rings.forEach((r, k) => {
      shp.setInt32(c + 44 + 4 * k, start, true);
      start += r.length;
    });
    let p = c + 44 + 4 * rings.length;
    for (const q of pts) {
      shp.setFloat64(p, q[0] as number, true);
      shp.setFloat64(p + 8, q[1] as number, true);
      p += 16;
    }
    o += 8 + bytes;
  });
  return { shp: new Uint8Array(shp.buffer), shx: new Uint8Array(shx.buffer) };
}

/** The cells' attribute table (UTF-8, announced by the .cpg). */
function dbfFile(cells: readonly ExportCell[]): Uint8Array {
  return writeDbf(
    [
      { name: 'code', type: 'C' },
      { name: 'name', type: 'C' },
      { name: 'community', type: 'C' },
      { name: 'class', type: 'C' },
      { name: 'households', type: 'N' },
    ],
    cells.map((c) => [c.code, c.name, c.communityCode, c.class, c.households]),
  );
}

/** Cells as a zipped shapefile: .shp, .shx, .dbf (UTF-8), .prj (WGS-84) and .cpg ("UTF-8"). */
export function cellsToShapefileZip(cells: readonly ExportCell[], baseName = 'cells'): Uint8Array {
  const { shp, shx } = shpFiles(cells);
  return zipSync({
    [`${baseName}.shp`]: shp,
    [`${baseName}.shx`]: shx,
    [`${baseName}.dbf`]: dbfFile(cells),
    [`${baseName}.prj`]: strToU8(WGS84_PRJ),
    [`${baseName}.cpg`]: strToU8('UTF-8'),
  });
}

/**
 * Returns the cells with their shapes in `crs` (GCJ-02 and BD-09: the offsets Chinese map services
 * use; positions rounded to 1e-7°), for the writers above, which write what they are given.
 */
export function cellsInCrs(cells: readonly ExportCell[], crs: ChinaCrs): ExportCell[] {
  if (crs === 'wgs84') return [...cells];
  const round = (v: number) => Math.round(v * 1e7) / 1e7;
  const move = (p: Position): Position => {
    const [x, y] = fromWgs84([p[0] as number, p[1] as number], crs);
    return [round(x), round(y)];
  };
  return cells.map((c) => ({
    ...c,
    geometry: { type: 'MultiPolygon', coordinates: polygonsOf(c.geometry).map((rings) => rings.map((r) => r.map(move))) },
  }));
}

/** Cells as a GeoPackage: one MULTIPOLYGON table named `tableName` in EPSG:4326 with the cells' attributes. */
export function cellsToGeoPackage(cells: readonly ExportCell[], tableName: string): Promise<Uint8Array> {
  let bounds: [number, number, number, number] | null = null;
  for (const c of cells)
    for (const rings of polygonsOf(c.geometry))
      for (const [x, y] of rings[0] ?? []) {
        const [px, py] = [x as number, y as number];
        bounds = bounds
          ? [Math.min(bounds[0], px), Math.min(bounds[1], py), Math.max(bounds[2], px), Math.max(bounds[3], py)]
          : [px, py, px, py];
      }
  return writeGeoPackage({
    tableName,
    geometryType: 'MULTIPOLYGON',
    columns: ['code', 'name', 'community_code', 'class', 'households'],
    geometries: cells.map((c) => multiPolygonWkb(polygonsOf(c.geometry))),
    values: cells.map((c) => [c.code, c.name, c.communityCode, c.class, c.households]),
    bounds,
  });
}

/** Cells as an XLSX workbook (ExcelJS): their attributes and the shape as WKT, texts never formulas. */
export async function cellsToXlsx(cells: readonly ExportCell[], sheetName: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
  sheet.addRow(['code', 'name', 'community_code', 'class', 'households', 'wkt']).font = { bold: true };
  for (const c of cells) sheet.addRow([c.code, c.name, c.communityCode, c.class, c.households, toWkt(c.geometry)]);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

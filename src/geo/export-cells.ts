import { strToU8, zipSync } from 'fflate';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { CellFigures, CellProperties } from '../domain/records';
import { toCsv } from '../import/csv';
import type { ChinaCrs } from './crs-china';
import { fromWgs84 } from './crs-china';
import { polygonsOf, ringSignedArea2 } from './planar';
import { type DbfField, dbfNames, writeDbf } from './write-dbf';
import { multiPolygonWkb, writeGeoPackage } from './write-geopackage';

/** A cell as exported: its attributes and its WGS-84 shape. */
export interface ExportCell {
  code: string;
  name: string;
  communityCode: string;
  class: string;
  households: number;
  geometry: Polygon | MultiPolygon;
  /** More columns (the cells' figures of a period), the same names for every cell, in column order. */
  figures?: Record<string, string | number | null>;
}

/** The figures of a cell as export columns (names of at most 10 characters, for a shapefile's table). */
export function cellFigureColumns(f: CellFigures): Record<string, string | number | null> {
  return {
    street: f.streetName,
    comm_name: f.communityName,
    area_m2: f.areaSquareMeters,
    people: f.people,
    key_people: f.keyPersons,
    places: f.places,
    things: f.things,
    orgs: f.organisations,
    events: f.events,
    cases_rep: f.casesReported,
    cases_open: f.casesOpen,
    overdue: f.casesOverdue,
    closed: f.casesClosed,
    median_hrs: f.medianHandlingHours,
    risk_index: f.riskIndex,
    patrolled: f.lastPatrolAt,
  };
}

/** Returns cells as the app holds them (GeoJSON features) as the writers take them. */
export function exportCellsOf(features: readonly Feature<MultiPolygon, CellProperties>[], figures?: readonly CellFigures[]): ExportCell[] {
  const byCode = new Map(figures?.map((f) => [f.code, f]));
  const none = figures?.[0] ? Object.fromEntries(Object.keys(cellFigureColumns(figures[0])).map((k) => [k, null])) : undefined;
  return features.map((f) => {
    const known = byCode.get(f.properties.code);
    return {
      code: f.properties.code,
      name: f.properties.name,
      communityCode: f.properties.communityCode,
      class: f.properties.class,
      households: f.properties.households,
      geometry: f.geometry,
      ...(figures ? { figures: known ? cellFigureColumns(known) : none } : {}),
    };
  });
}

/** WGS-84 (CGCS2000 is treated as WGS-84), as ArcGIS and QGIS write it in a .prj. */
export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]';

/** The attribute columns of these cells: theirs, then their figures' (if any). */
const columnsOf = (cells: readonly ExportCell[]) => [
  'code',
  'name',
  'community_code',
  'class',
  'households',
  ...Object.keys(cells[0]?.figures ?? {}),
];
const valuesOf = (c: ExportCell): (string | number | null)[] => [
  c.code,
  c.name,
  c.communityCode,
  c.class,
  c.households,
  ...Object.values(c.figures ?? {}),
];
const attributes = (c: ExportCell, columns: readonly string[]) => {
  const values = valuesOf(c);
  return Object.fromEntries(columns.map((k, i) => [k, values[i] ?? null]));
};

/** Cells as a GeoJSON FeatureCollection (text). */
export function cellsToGeoJson(cells: readonly ExportCell[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: cells.map((c) => ({ type: 'Feature', properties: attributes(c, columnsOf(cells)), geometry: c.geometry })),
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
    cells.map((c) => ({ ...attributes(c, columnsOf(cells)), wkt: toWkt(c.geometry) })),
    [...columnsOf(cells), 'wkt'],
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
  const values = cells.map(valuesOf);
  const names = dbfNames(columnsOf(cells).map((c) => (c === 'community_code' ? 'community' : c)));
  // Numbers as numbers (with as many decimals as they have, up to 4); everything else as text.
  const fields: DbfField[] = names.map((name, k) => {
    let numeric = false;
    let decimals = 0;
    for (const row of values) {
      const v = row[k];
      if (v === null || v === undefined) continue;
      if (typeof v !== 'number') return { name, type: 'C' };
      numeric = true;
      decimals = Math.max(decimals, Math.min(4, (String(v).split('.')[1] ?? '').length));
    }
    return numeric ? { name, type: 'N', decimals } : { name, type: 'C' };
  });
  return writeDbf(fields, values);
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
    columns: columnsOf(cells),
    geometries: cells.map((c) => multiPolygonWkb(polygonsOf(c.geometry))),
    values: cells.map(valuesOf),
    bounds,
  });
}

/** Cells as an XLSX workbook (ExcelJS): their attributes and the shape as WKT, texts never formulas. */
export async function cellsToXlsx(cells: readonly ExportCell[], sheetName: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
  sheet.addRow([...columnsOf(cells), 'wkt']).font = { bold: true };
  for (const c of cells) sheet.addRow([...valuesOf(c), toWkt(c.geometry)]);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

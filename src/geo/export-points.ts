import { strToU8, zipSync } from 'fflate';
import type { LngLat } from '../domain/ids';
import { toCsv } from '../import/csv';
import { type ChinaCrs, fromWgs84 } from './crs-china';
import { WGS84_PRJ } from './export-cells';
import { type DbfField, dbfNames, writeDbf } from './write-dbf';
import { pointWkb, writeGeoPackage } from './write-geopackage';

/** Points of a layer as exported: ids, WGS-84 positions and each point's columns, in columns. */
export interface ExportPoints {
  /** Column names in order (besides id and the position). */
  columns: string[];
  ids: string[];
  lngLats: LngLat[];
  /** values[i][k]: the k-th column of the i-th point. */
  values: (string | number | boolean | null)[][];
}

/** The formats a layer exports to. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'geojson', 'shp', 'gpkg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Returns the points' columns gathered from rows of {id, lon, lat, props} (columns in order of first appearance). */
export function exportPointsOf(rows: readonly { id: string; lon: number; lat: number; props: Record<string, unknown> }[]): ExportPoints {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of rows)
    for (const k of Object.keys(r.props))
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
  return {
    columns,
    ids: rows.map((r) => r.id),
    lngLats: rows.map((r) => [r.lon, r.lat]),
    values: rows.map((r) =>
      columns.map((c) => {
        const v = r.props[c];
        return v === undefined || v === null ? null : typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      }),
    ),
  };
}

/** Positions in the chosen coordinate system, rounded to 1e-7° (about 1 cm). */
function positions(points: ExportPoints, crs: ChinaCrs): LngLat[] {
  const round = (v: number) => Math.round(v * 1e7) / 1e7;
  return points.lngLats.map((p) => {
    const [x, y] = fromWgs84(p, crs);
    return [round(x), round(y)];
  });
}

/**
 * Returns the points as CSV: UTF-8 with a byte-order mark (Excel keeps the Chinese), columns id,
 * lon, lat (in `crs`) and the layer's; texts a spreadsheet would run as a formula (= + - @ tab
 * first) neutralised with a leading apostrophe.
 */
export function pointsToCsv(points: ExportPoints, crs: ChinaCrs): string {
  const at = positions(points, crs);
  const columns = ['id', 'lon', 'lat', ...points.columns];
  const rows = points.ids.map((id, i) => {
    const row: Record<string, unknown> = { id, lon: at[i]?.[0], lat: at[i]?.[1] };
    points.columns.forEach((c, k) => {
      row[c] = points.values[i]?.[k];
    });
    return row;
  });
  return `\uFEFF${toCsv(rows, columns)}`;
}

/** Returns the points as a GeoJSON FeatureCollection (text), positions in `crs`, each feature's id its id. */
export function pointsToGeoJson(points: ExportPoints, crs: ChinaCrs): string {
  const at = positions(points, crs);
  return JSON.stringify({
    type: 'FeatureCollection',
    features: points.ids.map((id, i) => ({
      type: 'Feature',
      id,
      properties: { id, ...Object.fromEntries(points.columns.map((c, k) => [c, points.values[i]?.[k] ?? null])) },
      geometry: { type: 'Point', coordinates: at[i] },
    })),
  });
}

/**
 * Returns the points as a zipped shapefile: .shp and .shx (points), .dbf (UTF-8, whole-number
 * columns as numbers, everything else as text, booleans as "true"/"false"), .cpg ("UTF-8") and a
 * .prj of WGS-84 (GCJ-02 and BD-09 have no projection definition: their positions are offsets on
 * WGS-84, and the file's name says which).
 */
export function pointsToShapefileZip(points: ExportPoints, crs: ChinaCrs, baseName: string): Uint8Array {
  const at = positions(points, crs);
  const n = at.length;
  // Header 100 bytes; each record 8 bytes of header and 20 of content (type, x, y).
  const shp = new DataView(new ArrayBuffer(100 + 28 * n));
  const shx = new DataView(new ArrayBuffer(100 + 8 * n));
  let [xmin, ymin, xmax, ymax] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of at) {
    xmin = Math.min(xmin, x);
    xmax = Math.max(xmax, x);
    ymin = Math.min(ymin, y);
    ymax = Math.max(ymax, y);
  }
  if (n === 0) [xmin, ymin, xmax, ymax] = [0, 0, 0, 0];
  for (const [view, bytes] of [
    [shp, 100 + 28 * n],
    [shx, 100 + 8 * n],
  ] as const) {
    view.setInt32(0, 9994, false);
    view.setInt32(24, bytes / 2, false);
    view.setInt32(28, 1000, true);
    view.setInt32(32, 1, true); // Point
    view.setFloat64(36, xmin, true);
    view.setFloat64(44, ymin, true);
    view.setFloat64(52, xmax, true);
    view.setFloat64(60, ymax, true);
  }
  at.forEach(([x, y], i) => {
    const o = 100 + 28 * i;
    shx.setInt32(100 + 8 * i, o / 2, false);
    shx.setInt32(104 + 8 * i, 10, false);
    shp.setInt32(o, i + 1, false);
    shp.setInt32(o + 4, 10, false);
    shp.setInt32(o + 8, 1, true);
    shp.setFloat64(o + 12, x, true);
    shp.setFloat64(o + 20, y, true);
  });
  const whole = points.columns.map((_, k) =>
    points.values.every((r) => {
      const v = r[k];
      return v === null || (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e15);
    }),
  );
  const names = dbfNames(['id', ...points.columns]);
  const fields: DbfField[] = names.map((name, k) => ({ name, type: k > 0 && whole[k - 1] ? 'N' : 'C' }));
  const dbf = writeDbf(
    fields,
    points.ids.map((id, i) => [id, ...(points.values[i] ?? []).map((v) => (v === null ? null : typeof v === 'boolean' ? String(v) : v))]),
  );
  return zipSync({
    [`${baseName}.shp`]: new Uint8Array(shp.buffer),
    [`${baseName}.shx`]: new Uint8Array(shx.buffer),
    [`${baseName}.dbf`]: dbf,
    [`${baseName}.prj`]: strToU8(WGS84_PRJ),
    [`${baseName}.cpg`]: strToU8('UTF-8'),
  });
}

/**
 * Returns the points as an XLSX workbook (ExcelJS): a header row, then id, lon, lat (in `crs`) and
 * the layer's columns; texts are written as texts, never as formulas.
 */
export async function pointsToXlsx(points: ExportPoints, crs: ChinaCrs, sheetName: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const at = positions(points, crs);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
  sheet.addRow(['id', 'lon', 'lat', ...points.columns]).font = { bold: true };
  points.ids.forEach((id, i) => {
    sheet.addRow([id, at[i]?.[0] ?? null, at[i]?.[1] ?? null, ...(points.values[i] ?? [])]);
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * Returns the points as a GeoPackage: one point table named `tableName` in EPSG:4326 (positions in
 * `crs`: GCJ-02 and BD-09 are offsets of WGS-84, as in the other formats), the id and every column.
 */
export function pointsToGeoPackage(points: ExportPoints, crs: ChinaCrs, tableName: string): Promise<Uint8Array> {
  const at = positions(points, crs);
  let bounds: [number, number, number, number] | null = null;
  for (const [x, y] of at)
    bounds = bounds ? [Math.min(bounds[0], x), Math.min(bounds[1], y), Math.max(bounds[2], x), Math.max(bounds[3], y)] : [x, y, x, y];
  return writeGeoPackage({
    tableName,
    geometryType: 'POINT',
    columns: ['id', ...points.columns],
    geometries: at.map(([x, y]) => pointWkb(x, y)),
    values: points.ids.map((id, i) => [id, ...(points.values[i] ?? [])]),
    bounds,
  });
}

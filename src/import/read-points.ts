import type { Feature, FeatureCollection } from 'geojson';
import Papa from 'papaparse';
import type { LngLat } from '../domain/ids';
import { type ChinaCrs, outOfChina, toWgs84 } from '../geo/crs-china';
import { type Reason, reasonText } from './reasons';

/** A row that was taken: its spreadsheet row number, its values, and its WGS-84 position. */
export interface PointRow {
  row: number;
  values: Record<string, string>;
  wgs84: LngLat;
}

/** A row that was not taken, with the field at fault and why; its values are kept whole. */
export interface RejectedRow {
  row: number;
  field: string;
  /** Why, as a code for the UI to translate. */
  why: Reason;
  /** Why, in English (CLI output and downloaded files). */
  reason: string;
  values: Record<string, string>;
}

/** Returns a RejectedRow with its English reason filled in. */
export function rejected(row: number, field: string, why: Reason, values: Record<string, string>): RejectedRow {
  return { row, field, why, reason: reasonText(why), values };
}

export interface PointTable {
  columns: string[];
  accepted: PointRow[];
  rejected: RejectedRow[];
}

/** A problem with the whole file (not one row): no usable columns, not a table, not GeoJSON. */
export class TableError extends Error {
  override name = 'TableError';
}

const LON_NAMES = ['lon', 'lng', 'long', 'longitude', 'x', '经度'];
const LAT_NAMES = ['lat', 'latitude', 'y', '纬度'];

function findColumn(columns: string[], wanted: string | undefined, names: string[], what: string, flag: string): string {
  if (wanted !== undefined) {
    if (!columns.includes(wanted))
      throw new TableError(`no column "${wanted}" (given with ${flag}); the columns are: ${columns.join(', ')}`);
    return wanted;
  }
  const found = columns.find((c) => names.includes(c.trim().toLowerCase()));
  if (!found) throw new TableError(`no ${what} column (looked for ${names.join(', ')}); name it with ${flag}`);
  return found;
}

/** Returns the number in a cell, or why it is not a usable coordinate (full-width digits allowed). */
export function parseCoordinate(raw: string | undefined, axis: 'longitude' | 'latitude'): number | Reason {
  const text = (raw ?? '').trim();
  if (text === '') return { code: 'coordinate_empty', params: { axis } };
  // Full-width digits and signs, as Chinese input methods type them.
  const normalised = text.replace(/[０-９．－＋]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  const value = Number(normalised);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(normalised) || !Number.isFinite(value)) {
    return { code: 'coordinate_not_number', params: { axis, value: text } };
  }
  const limit = axis === 'longitude' ? 180 : 90;
  if (Math.abs(value) > limit) return { code: 'coordinate_range', params: { axis, value, limit } };
  return value;
}

function locate(values: Record<string, string>, row: number, lonColumn: string, latColumn: string, crs: ChinaCrs): PointRow | RejectedRow {
  const lon = parseCoordinate(values[lonColumn], 'longitude');
  if (typeof lon !== 'number') return rejected(row, lonColumn, lon, values);
  const lat = parseCoordinate(values[latColumn], 'latitude');
  if (typeof lat !== 'number') return rejected(row, latColumn, lat, values);
  if (outOfChina([lon, lat])) return rejected(row, `${lonColumn},${latColumn}`, { code: 'outside_china', params: { lon, lat } }, values);
  return { row, values, wgs84: toWgs84([lon, lat], crs) };
}

/**
 * Returns the rows of a CSV table with their WGS-84 positions, converted from `crs`; rows that
 * cannot be taken are kept in `rejected` with their spreadsheet row number (the header is row 1),
 * the field and the reason. Throws a TableError when the file has no usable coordinate columns.
 */
export function readCsvPoints(text: string, options: { lon?: string; lat?: string; crs: ChinaCrs }): PointTable {
  // Keep blank records while numbering rows (a spreadsheet counts them), then skip them.
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  const [header, ...body] = parsed.data;
  if (!header || header.length === 0) throw new TableError('the file is empty');
  const columns = header.map((c) => c.trim());
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined) throw new TableError(`column "${duplicate}" appears twice in the header`);
  const lonColumn = findColumn(columns, options.lon, LON_NAMES, 'longitude', '--lon');
  const latColumn = findColumn(columns, options.lat, LAT_NAMES, 'latitude', '--lat');
  const table: PointTable = { columns, accepted: [], rejected: [] };
  body.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    const row = i + 2;
    const values: Record<string, string> = {};
    columns.forEach((c, k) => {
      values[c] = cells[k] ?? '';
    });
    if (cells.length !== columns.length) {
      table.rejected.push(rejected(row, '', { code: 'field_count', params: { count: cells.length, expected: columns.length } }, values));
      return;
    }
    const result = locate(values, row, lonColumn, latColumn, options.crs);
    if ('wgs84' in result) table.accepted.push(result);
    else table.rejected.push(result);
  });
  return table;
}

/**
 * Returns the features of a GeoJSON FeatureCollection of points as rows (their properties plus
 * lon and lat), converted from `crs`; features that are not points are rejected with their
 * 1-based feature number. Throws a TableError when the text is not a FeatureCollection.
 */
export function readGeoJsonPoints(text: string, options: { crs: ChinaCrs }): PointTable {
  let collection: FeatureCollection;
  try {
    collection = JSON.parse(text) as FeatureCollection;
  } catch (error) {
    throw new TableError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features))
    throw new TableError('not a GeoJSON FeatureCollection');
  const keys = new Set<string>();
  for (const f of collection.features) for (const k of Object.keys(f?.properties ?? {})) keys.add(k);
  const columns = [...keys].filter((k) => k !== 'lon' && k !== 'lat');
  columns.push('lon', 'lat');
  const table: PointTable = { columns, accepted: [], rejected: [] };
  collection.features.forEach((f: Feature, i) => {
    const row = i + 1;
    const values: Record<string, string> = {};
    for (const k of columns) {
      const v = (f?.properties as Record<string, unknown> | null)?.[k];
      values[k] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    if (f?.geometry?.type !== 'Point') {
      table.rejected.push(rejected(row, 'geometry', { code: 'not_point', params: { type: f?.geometry?.type ?? 'missing' } }, values));
      return;
    }
    const [x, y] = f.geometry.coordinates;
    values.lon = String(x ?? '');
    values.lat = String(y ?? '');
    const result = locate(values, row, 'lon', 'lat', options.crs);
    if ('wgs84' in result) table.accepted.push(result);
    else table.rejected.push(result);
  });
  return table;
}

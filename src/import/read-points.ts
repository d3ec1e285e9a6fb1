import type { LngLat } from '../domain/ids';
import { type ChinaCrs, outOfChina, toWgs84 } from '../geo/crs-china';
import { type RawTable, TableError } from './read-table';
import { type Reason, reasonText } from './reasons';

/** A row that was taken: its spreadsheet row number, its values, and its WGS-84 position. */
export interface PointRow {
  row: number;
  values: Record<string, string>;
  wgs84: LngLat;
}

/** One problem of a row: the field at fault and why. */
export interface RowProblem {
  field: string;
  /** Why, as a code for the UI to translate. */
  why: Reason;
  /** Why, in English (CLI output and downloaded files). */
  reason: string;
}

/**
 * A row that was not taken, with its first problem (field, why, reason) and all of them in
 * `problems`; its values are kept whole.
 */
export interface RejectedRow extends RowProblem {
  row: number;
  values: Record<string, string>;
  problems: RowProblem[];
}

/** Returns a RejectedRow with its English reasons filled in; `more` are its other problems. */
export function rejected(
  row: number,
  field: string,
  why: Reason,
  values: Record<string, string>,
  more: readonly { field: string; why: Reason }[] = [],
): RejectedRow {
  const problems = [{ field, why }, ...more].map((p) => ({ ...p, reason: reasonText(p.why) }));
  return { row, field, why, reason: reasonText(why), values, problems };
}

export interface PointTable {
  columns: string[];
  accepted: PointRow[];
  rejected: RejectedRow[];
}

const LON_NAMES = ['lon', 'lng', 'long', 'longitude', 'x', '经度'];
const LAT_NAMES = ['lat', 'latitude', 'y', '纬度'];

/** Returns the longitude and latitude columns: the ones named, else the first with a usual name; throws a TableError when there is none. */
export function coordinateColumns(columns: string[], options: { lon?: string; lat?: string }): { lon: string; lat: string } {
  return {
    lon: findColumn(columns, options.lon, LON_NAMES, 'longitude', '--lon'),
    lat: findColumn(columns, options.lat, LAT_NAMES, 'latitude', '--lat'),
  };
}

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

/** Returns a row with its WGS-84 position, or rejected with the field and the reason. */
export function locateRow(
  values: Record<string, string>,
  row: number,
  lonColumn: string,
  latColumn: string,
  crs: ChinaCrs,
): PointRow | RejectedRow {
  const lon = parseCoordinate(values[lonColumn], 'longitude');
  if (typeof lon !== 'number') return rejected(row, lonColumn, lon, values);
  const lat = parseCoordinate(values[latColumn], 'latitude');
  if (typeof lat !== 'number') return rejected(row, latColumn, lat, values);
  if (outOfChina([lon, lat])) return rejected(row, `${lonColumn},${latColumn}`, { code: 'outside_china', params: { lon, lat } }, values);
  return { row, values, wgs84: toWgs84([lon, lat], crs) };
}

/**
 * Returns the rows of a table with their WGS-84 positions, converted from `crs`; rows that
 * cannot be taken are kept in `rejected` with their row number (spreadsheet row, or feature
 * number in GeoJSON), the field and the reason. Throws a TableError when the table has no
 * usable coordinate columns.
 */
export function locatePoints(table: RawTable, options: { lon?: string; lat?: string; crs: ChinaCrs }): PointTable {
  const { lon: lonColumn, lat: latColumn } = coordinateColumns(table.columns, options);
  const result: PointTable = { columns: table.columns, accepted: [], rejected: [] };
  table.rows.forEach((cells, i) => {
    const row = table.rowNumbers[i] as number;
    const values: Record<string, string> = {};
    table.columns.forEach((c, k) => {
      values[c] = cells[k] ?? '';
    });
    const problem = table.rowProblems.get(i);
    const located = problem ? rejected(row, problem.field, problem.why, values) : locateRow(values, row, lonColumn, latColumn, options.crs);
    if ('wgs84' in located) result.accepted.push(located);
    else result.rejected.push(located);
  });
  return result;
}

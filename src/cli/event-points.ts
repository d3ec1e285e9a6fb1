import { writeFile } from 'node:fs/promises';
import { decayedWeight } from '../domain/event-weights';
import { CHINA_CRS, type ChinaCrs } from '../geo/crs-china';
import { toCsv } from '../import/csv';
import { TEXT_ENCODINGS, type TextEncodingName, textEncodingNamed } from '../import/decode-text';
import { type PointTable, rejected } from '../import/read-points';
import { TableError } from '../import/read-table';
import { positiveOption, UsageError } from './command';
import { eachPoint } from './stream-points';

/** Options every command reading events shares (heatmap, hotspots, classify). */
export const EVENT_OPTIONS = {
  points: { type: 'string' },
  lon: { type: 'string' },
  lat: { type: 'string' },
  crs: { type: 'string' },
  encoding: { type: 'string' },
  weight: { type: 'string' },
  time: { type: 'string' },
  'half-life-days': { type: 'string' },
  now: { type: 'string' },
} as const;

export const EVENT_HELP = [
  '--points FILE        events as CSV (UTF-8 or GBK), XLSX or GeoJSON points',
  '--lon COL, --lat COL coordinate columns (default: lon/lng/longitude/x/经度, lat/latitude/y/纬度)',
  '--crs NAME           wgs84 (default), gcj02 (AMap, Tencent) or bd09 (Baidu)',
  '--encoding NAME      text encoding of a CSV or GeoJSON: utf-8 or gbk (default: judged from the bytes)',
  '--weight COL         weight each event by this column (e.g. severity); default 1 each',
  '--time COL           time column (ISO 8601), needed for --half-life-days',
  '--half-life-days N   an event weighs half as much every N days before --now (default: no decay)',
  '--now ISO            the moment decay counts back from (default: the latest event); later events weigh 0',
];

/** A column of numbers that grows by doubling (a Float64Array, not an array of boxed numbers). */
class GrowingColumn {
  private data = new Float64Array(1024);
  private length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  /** The values pushed, as a Float64Array of their number. */
  values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Returns the text encoding --encoding names, undefined without it, or throws a UsageError naming the choices. */
export function encodingOption(values: Record<string, string | boolean | undefined>): TextEncodingName | undefined {
  if (values.encoding === undefined) return undefined;
  const encoding = typeof values.encoding === 'string' ? textEncodingNamed(values.encoding) : null;
  if (!encoding) throw new UsageError(`--encoding must be one of ${TEXT_ENCODINGS.join(', ')}, got "${String(values.encoding)}"`);
  return encoding;
}

/** Events read for analysis: WGS-84 positions and weights in columns, with the file's columns and the rows it could not take. */
export interface EventPoints {
  table: Pick<PointTable, 'columns' | 'rejected'>;
  lng: Float64Array;
  lat: Float64Array;
  weight: Float64Array | null;
}

/**
 * Reads the events of --points: positions in WGS-84, weights from --weight, halved every
 * --half-life-days before --now. Rows with an unreadable position, weight or time are moved to
 * `table.rejected` with the field and the reason. Throws a UsageError for bad options or an
 * unreadable file.
 */
export async function readEventPoints(values: Record<string, string | boolean | undefined>): Promise<EventPoints> {
  const path = values.points;
  if (typeof path !== 'string') throw new UsageError('--points FILE is required');
  const crs = (values.crs ?? 'wgs84') as ChinaCrs;
  if (!CHINA_CRS.includes(crs)) throw new UsageError(`--crs must be one of ${CHINA_CRS.join(', ')}, got "${String(values.crs)}"`);
  const halfLife = values['half-life-days'] === undefined ? null : positiveOption(values, 'half-life-days', 1);
  const weightColumn = values.weight as string | undefined;
  const timeColumn = values.time as string | undefined;
  if (halfLife !== null && timeColumn === undefined) throw new UsageError('--half-life-days needs --time COL');
  let nowMs: number | null = null;
  if (typeof values.now === 'string') {
    nowMs = Date.parse(values.now);
    if (Number.isNaN(nowMs)) throw new UsageError(`--now must be a date and time, got "${values.now}"`);
  }
  // Streamed into columns: a row's values are dropped once its position, weight and time are read.
  const lng = new GrowingColumn();
  const lat = new GrowingColumn();
  const weights = new GrowingColumn();
  const times = new GrowingColumn();
  const table: EventPoints['table'] = { columns: [], rejected: [] };
  try {
    await eachPoint(
      path,
      { lon: values.lon as string | undefined, lat: values.lat as string | undefined, crs, encoding: encodingOption(values) },
      {
        header: (h) => {
          table.columns = h.columns;
          for (const [flag, column] of [
            ['--weight', weightColumn],
            ['--time', timeColumn],
          ] as const) {
            if (column !== undefined && !h.columns.includes(column))
              throw new UsageError(
                `points file ${path}: no column "${column}" (given with ${flag}); the columns are: ${h.columns.join(', ')}`,
              );
          }
        },
        accepted: (row, rowValues, wgs84) => {
          // Weights and times are checked row by row; a row that fails moves to the rejected rows.
          let w = 1;
          if (weightColumn !== undefined) {
            const text = (rowValues[weightColumn] ?? '').trim();
            w = Number(text);
            if (text === '' || !Number.isFinite(w) || w < 0) {
              table.rejected.push(rejected(row, weightColumn, { code: 'weight', params: { value: text } }, rowValues));
              return;
            }
          }
          if (timeColumn !== undefined) {
            const text = (rowValues[timeColumn] ?? '').trim();
            const t = Date.parse(text);
            if (Number.isNaN(t)) {
              table.rejected.push(rejected(row, timeColumn, { code: 'time', params: { value: text } }, rowValues));
              return;
            }
            times.push(t);
          }
          lng.push(wgs84[0]);
          lat.push(wgs84[1]);
          weights.push(w);
        },
        rejected: (r) => {
          table.rejected.push(r);
        },
      },
    );
  } catch (error) {
    if (error instanceof TableError) throw new UsageError(`points file ${path}: ${error.message}`);
    throw error;
  }
  const weight = weights.values();
  if (halfLife !== null) {
    const time = times.values();
    let now = nowMs ?? Number.NEGATIVE_INFINITY;
    if (nowMs === null) for (const t of time) now = Math.max(now, t);
    for (let i = 0; i < weight.length; i++) weight[i] = decayedWeight(weight[i] as number, time[i] as number, now, halfLife);
  }
  return {
    table,
    lng: lng.values(),
    lat: lat.values(),
    weight: weightColumn !== undefined || halfLife !== null ? weight : null,
  };
}

/** Writes the rejected rows beside `out` as OUT.rejected.csv (row, field, reason, then the row); returns its path. */
export async function writeRejectedRows(out: string, table: Pick<PointTable, 'columns' | 'rejected'>): Promise<string> {
  const path = out.replace(/(\.[a-z]+)?$/i, '.rejected.csv');
  await writeFile(
    path,
    toCsv(
      table.rejected.map((r) => ({ ...r.values, row: r.row, field: r.field, reason: r.reason })),
      ['row', 'field', 'reason', ...table.columns.filter((c) => !['row', 'field', 'reason'].includes(c))],
    ),
  );
  return path;
}

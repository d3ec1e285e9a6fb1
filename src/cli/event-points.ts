import { writeFile } from 'node:fs/promises';
import { decayedWeight } from '../domain/event-weights';
import { CHINA_CRS, type ChinaCrs } from '../geo/crs-china';
import { toCsv } from '../import/csv';
import { TEXT_ENCODINGS, type TextEncodingName, textEncodingNamed } from '../import/decode-text';
import { locatePoints, type PointTable, rejected } from '../import/read-points';
import { readTable, TableError } from '../import/read-table';
import { positiveOption, UsageError } from './command';
import { readInput } from './read-input';

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

/** Returns the text encoding --encoding names, undefined without it, or throws a UsageError naming the choices. */
export function encodingOption(values: Record<string, string | boolean | undefined>): TextEncodingName | undefined {
  if (values.encoding === undefined) return undefined;
  const encoding = typeof values.encoding === 'string' ? textEncodingNamed(values.encoding) : null;
  if (!encoding) throw new UsageError(`--encoding must be one of ${TEXT_ENCODINGS.join(', ')}, got "${String(values.encoding)}"`);
  return encoding;
}

/** Events read for analysis: WGS-84 positions and weights, with the table they came from. */
export interface EventPoints {
  table: PointTable;
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
  let table: PointTable;
  try {
    const raw = await readTable(await readInput(path, 'points file'), path, encodingOption(values));
    table = locatePoints(raw, { lon: values.lon as string | undefined, lat: values.lat as string | undefined, crs });
  } catch (error) {
    if (error instanceof TableError) throw new UsageError(`points file ${path}: ${error.message}`);
    throw error;
  }
  for (const [flag, column] of [
    ['--weight', weightColumn],
    ['--time', timeColumn],
  ] as const) {
    if (column !== undefined && !table.columns.includes(column))
      throw new UsageError(`points file ${path}: no column "${column}" (given with ${flag}); the columns are: ${table.columns.join(', ')}`);
  }
  // Check weights and times row by row; a row that fails moves to the rejected rows.
  const kept: typeof table.accepted = [];
  const weights: number[] = [];
  const times: number[] = [];
  for (const row of table.accepted) {
    let w = 1;
    if (weightColumn !== undefined) {
      const text = (row.values[weightColumn] ?? '').trim();
      w = Number(text);
      if (text === '' || !Number.isFinite(w) || w < 0) {
        table.rejected.push(rejected(row.row, weightColumn, { code: 'weight', params: { value: text } }, row.values));
        continue;
      }
    }
    if (timeColumn !== undefined) {
      const text = (row.values[timeColumn] ?? '').trim();
      const t = Date.parse(text);
      if (Number.isNaN(t)) {
        table.rejected.push(rejected(row.row, timeColumn, { code: 'time', params: { value: text } }, row.values));
        continue;
      }
      times.push(t);
    }
    kept.push(row);
    weights.push(w);
  }
  table.rejected.sort((a, b) => a.row - b.row);
  table.accepted = kept;
  if (halfLife !== null) {
    const now = nowMs ?? times.reduce((a, t) => Math.max(a, t), Number.NEGATIVE_INFINITY);
    for (let i = 0; i < weights.length; i++) weights[i] = decayedWeight(weights[i] as number, times[i] as number, now, halfLife);
  }
  return {
    table,
    lng: Float64Array.from(kept, (r) => r.wgs84[0]),
    lat: Float64Array.from(kept, (r) => r.wgs84[1]),
    weight: weightColumn !== undefined || halfLife !== null ? Float64Array.from(weights) : null,
  };
}

/** Writes the rejected rows beside `out` as OUT.rejected.csv (row, field, reason, then the row); returns its path. */
export async function writeRejectedRows(out: string, table: PointTable): Promise<string> {
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

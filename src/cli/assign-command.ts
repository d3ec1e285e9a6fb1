import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { LngLat } from '../domain/ids';
import { assignPoints } from '../geo/assign-points';
import { CHINA_CRS, type ChinaCrs } from '../geo/crs-china';
import { buildCellIndex } from '../geo/spatial-index';
import { csvField } from '../import/csv';
import type { RejectedRow } from '../import/read-points';
import { TableError } from '../import/read-table';
import { type Command, UsageError } from './command';
import { encodingOption, writeRejectedRows } from './event-points';
import { readPolygonFeatures } from './read-input';
import { eachPoint } from './stream-points';

/** Points placed and written per batch: large enough for the index to be quick, small enough to keep memory flat. */
const ASSIGN_BATCH = 8_192;

export const assignCommand: Command = {
  name: 'assign',
  summary: 'put every point of a CSV or GeoJSON file into its cell and write the cell code beside it',
  usage:
    'assign --cells CELLS.geojson --points POINTS.(csv|xlsx|geojson) [--lon COL --lat COL] [--crs wgs84|gcj02|bd09] [--encoding utf-8|gbk] --out OUT.csv [--json]',
  options: {
    cells: { type: 'string' },
    points: { type: 'string' },
    lon: { type: 'string' },
    lat: { type: 'string' },
    crs: { type: 'string' },
    encoding: { type: 'string' },
    out: { type: 'string' },
  },
  help: [
    '--cells FILE       GeoJSON cells (Polygon or MultiPolygon features with a "code" property)',
    '--points FILE      CSV (UTF-8 or GBK), XLSX (first sheet) or GeoJSON points',
    '--lon COL          longitude column of a CSV (default: lon, lng, longitude, x or 经度)',
    '--lat COL          latitude column of a CSV (default: lat, latitude, y or 纬度)',
    '--crs NAME         coordinate system of the points: wgs84 (default), gcj02 (AMap, Tencent) or bd09 (Baidu)',
    '--encoding NAME    text encoding of a CSV or GeoJSON: utf-8 or gbk (default: judged from the bytes)',
    '--out FILE         CSV of every taken row with cell_code (empty when outside every cell); rows that',
    '                   cannot be taken go to FILE with .rejected.csv, with row number, field and reason.',
    'Exit code 1 when some rows were rejected.',
  ],
  async run(values) {
    const cellsPath = values.cells;
    const pointsPath = values.points;
    const out = values.out;
    if (typeof cellsPath !== 'string') throw new UsageError('--cells FILE is required');
    if (typeof pointsPath !== 'string') throw new UsageError('--points FILE is required');
    if (typeof out !== 'string') throw new UsageError('--out FILE is required');
    const crs = (values.crs ?? 'wgs84') as ChinaCrs;
    const chosenEncoding = encodingOption(values);
    if (!CHINA_CRS.includes(crs)) throw new UsageError(`--crs must be one of ${CHINA_CRS.join(', ')}, got "${String(values.crs)}"`);

    const cellFeatures = await readPolygonFeatures(cellsPath, 'cells file', 'wgs84');
    let cells: ReturnType<typeof buildCellIndex>;
    try {
      cells = buildCellIndex(cellFeatures.map((f) => ({ ...f, properties: f.properties ?? {} })));
    } catch (error) {
      throw new UsageError(`cells file ${cellsPath}: ${error instanceof Error ? error.message : String(error)}`);
    }

    // Streamed: rows are read, placed and written in batches; only the rejected rows are kept.
    const converted = crs !== 'wgs84';
    const output = createWriteStream(out);
    const write = async (text: string) => {
      if (!output.write(text)) await once(output, 'drain');
    };
    let columns: string[] = [];
    let outColumns: string[] = [];
    let batch: { values: Record<string, string>; wgs84: LngLat }[] = [];
    const rejectedRows: RejectedRow[] = [];
    let accepted = 0;
    let outside = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      // A loop, not Float64Array.from with a mapping function (several times slower per point).
      const lng = new Float64Array(batch.length);
      const lat = new Float64Array(batch.length);
      for (let i = 0; i < batch.length; i++) [lng[i], lat[i]] = (batch[i] as { wgs84: LngLat }).wgs84;
      const hits = assignPoints(cells, lng, lat);
      const lines = batch.map((r, i) => {
        const hit = hits[i] as number;
        if (hit < 0) outside++;
        const row: Record<string, unknown> = {
          ...r.values,
          ...(converted ? { wgs84_lon: r.wgs84[0].toFixed(8), wgs84_lat: r.wgs84[1].toFixed(8) } : {}),
          cell_code: hit < 0 ? '' : (cells.codes[hit] as string),
        };
        return `${outColumns.map((c) => csvField(row[c])).join(',')}\n`;
      });
      batch = [];
      await write(lines.join(''));
    };
    let encoding: string | undefined;
    try {
      const header = await eachPoint(
        pointsPath,
        { lon: values.lon as string | undefined, lat: values.lat as string | undefined, crs, encoding: chosenEncoding },
        {
          header: (h) => {
            columns = h.columns;
            outColumns = [...columns.filter((c) => c !== 'cell_code'), ...(converted ? ['wgs84_lon', 'wgs84_lat'] : []), 'cell_code'];
            output.write(`${outColumns.map(csvField).join(',')}\n`);
          },
          accepted: async (_row, rowValues, wgs84) => {
            accepted++;
            batch.push({ values: rowValues, wgs84 });
            if (batch.length >= ASSIGN_BATCH) await flush();
          },
          rejected: (r) => {
            rejectedRows.push(r);
          },
        },
      );
      encoding = header.encoding;
      await flush();
    } catch (error) {
      output.destroy();
      if (error instanceof TableError) throw new UsageError(`points file ${pointsPath}: ${error.message}`);
      throw error;
    }
    await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const table = { columns, rejected: rejectedRows };
    const rejectedOut = await writeRejectedRows(out, table);
    const summary = {
      rows: accepted + table.rejected.length,
      assigned: accepted - outside,
      outside,
      rejected: table.rejected.length,
      encoding,
      crs,
      out,
      rejectedOut,
    };
    return {
      json: summary,
      lines: [
        `${summary.rows} rows: ${summary.assigned} assigned to a cell, ${summary.outside} outside every cell, ${summary.rejected} rejected`,
        `wrote ${out}${summary.rejected ? ` and ${rejectedOut} (row, field, reason, then the row as it was)` : ''}`,
      ],
      exitCode: summary.rejected > 0 ? 1 : 0,
    };
  },
};

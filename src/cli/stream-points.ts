import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { LngLat } from '../domain/ids';
import type { ChinaCrs } from '../geo/crs-china';
import { guessEncoding, SAMPLE_BYTES, type TextEncodingName } from '../import/decode-text';
import { coordinateColumns, locatePoints, locateRow, type RejectedRow, rejected } from '../import/read-points';
import { headerColumns, readTable, TableError } from '../import/read-table';
import { UsageError } from './command';
import { readInput } from './read-input';

/** What a streamed CSV of points is, once its header has been read. */
export interface PointStreamHeader {
  columns: string[];
  lon: string;
  lat: string;
  encoding: TextEncodingName;
}

export interface PointStreamHandlers {
  /** The header, before any row; may throw (a UsageError for a missing column the caller needs). */
  header(header: PointStreamHeader): void;
  /** A row with its WGS-84 position: `cells` in the header's order, `values` by column. */
  accepted(row: number, values: Record<string, string>, wgs84: LngLat): void | Promise<void>;
  /** A row that cannot be taken, with its field and reason (kept whole). */
  rejected(row: RejectedRow): void;
}

/**
 * Reads the points of a CSV file row by row, never the whole file at once: memory stays bounded
 * by what the handlers keep (a row's values are dropped once handled), not by the file. The
 * encoding is `encoding` when given, else judged on the first 64 kB (UTF-8 or GBK, as
 * readTable judges it); UTF-8 that turns invalid further on stops with a TableError naming the
 * byte. Rows are numbered as a spreadsheet numbers them (header = 1), blank ones skipped; a row
 * with too many or too few fields, or an unusable position, goes to `rejected`.
 */
export async function streamCsvPoints(
  path: string,
  options: { lon?: string; lat?: string; crs: ChinaCrs; encoding?: TextEncodingName },
  handlers: PointStreamHandlers,
): Promise<PointStreamHeader> {
  const file = await open(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read points file ${path}: ${error.code ?? String(error)}`);
  });
  const sample = new Uint8Array(SAMPLE_BYTES + 3);
  const { bytesRead } = await file.read(sample, 0, sample.length, 0);
  await file.close();
  const bom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf ? 3 : 0;
  const encoding = options.encoding ?? guessEncoding(sample.subarray(bom, bytesRead), bytesRead < sample.length);
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });

  let header: PointStreamHeader | null = null;
  let row = 0;
  const handle = async (cells: string[]) => {
    row++;
    if (!header) {
      const columns = headerColumns(cells);
      const { lon, lat } = coordinateColumns(columns, options);
      header = { columns, lon, lat, encoding };
      handlers.header(header);
      return;
    }
    if (cells.every((c) => c.trim() === '')) return;
    const { columns } = header;
    const values: Record<string, string> = {};
    for (let k = 0; k < columns.length; k++) values[columns[k] as string] = (cells[k] ?? '').trim();
    if (cells.length !== columns.length) {
      handlers.rejected(rejected(row, '', { code: 'field_count', params: { count: cells.length, expected: columns.length } }, values));
      return;
    }
    const located = locateRow(values, row, header.lon, header.lat, options.crs);
    if ('wgs84' in located) await handlers.accepted(row, values, located.wgs84);
    else handlers.rejected(located);
  };

  // The file's bytes decoded as they arrive, handed to Papa Parse, which gives rows a chunk at a time.
  let offset = bom;
  async function* text() {
    for await (const chunk of createReadStream(path, { start: bom, highWaterMark: 1 << 20 })) {
      try {
        yield decoder.decode(chunk as Buffer, { stream: true });
      } catch {
        throw new TableError(`the file is not valid UTF-8 after byte ${offset}: it may be GBK (give --encoding gbk)`);
      }
      offset += (chunk as Buffer).length;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }
  await new Promise<void>((resolve, reject) => {
    const source = Readable.from(text(), { objectMode: false });
    source.on('error', reject);
    // Rows are handled a chunk at a time while the parser waits; Papa may call complete before
    // the last chunk's rows are handled, so completion waits for them (and for their failure).
    let handling: Promise<void> = Promise.resolve();
    let failure: unknown = null;
    Papa.parse(source as unknown as File, {
      skipEmptyLines: false,
      chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        parser.pause();
        handling = handling.then(async () => {
          if (failure) return;
          try {
            for (const cells of results.data) await handle(cells);
            parser.resume();
          } catch (error) {
            failure = error;
            parser.abort();
          }
        });
      },
      complete: () => {
        void handling.then(() => (failure ? reject(failure) : resolve()));
      },
      error: (error: Error) => reject(error),
    });
  });
  if (!header) throw new TableError('the file is empty');
  return header;
}

/**
 * Hands every point of a points file to `handlers` in row order: a CSV streamed (streamCsvPoints),
 * an XLSX or GeoJSON read whole first (they are not read in parts).
 */
export async function eachPoint(
  path: string,
  options: { lon?: string; lat?: string; crs: ChinaCrs; encoding?: TextEncodingName },
  handlers: PointStreamHandlers,
): Promise<PointStreamHeader & { encoding?: TextEncodingName }> {
  if (path.toLowerCase().endsWith('.csv')) return streamCsvPoints(path, options, handlers);
  const raw = await readTable(await readInput(path, 'points file'), path, options.encoding);
  const table = locatePoints(raw, options);
  const { lon, lat } = coordinateColumns(raw.columns, options);
  const header = { columns: table.columns, lon, lat, encoding: raw.encoding as TextEncodingName };
  handlers.header(header);
  const rows = [...table.accepted, ...table.rejected].sort((a, b) => a.row - b.row);
  for (const r of rows) {
    if ('wgs84' in r) await handlers.accepted(r.row, r.values, r.wgs84);
    else handlers.rejected(r);
  }
  return header;
}

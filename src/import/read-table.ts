import type { FeatureCollection } from 'geojson';
import Papa from 'papaparse';
import readXlsxFile from 'read-excel-file/universal';
import { decodeText, type TextEncodingName } from './decode-text';
import type { Reason } from './reasons';

/** A problem with the whole file (not one row): no usable columns, not a table, not GeoJSON. */
export class TableError extends Error {
  override name = 'TableError';
}

/** A table read from a user's file, before any field is interpreted. */
export interface RawTable {
  format: 'csv' | 'xlsx' | 'geojson';
  /** Text encoding of a CSV or GeoJSON file. */
  encoding?: TextEncodingName;
  /** Whether the encoding was chosen by the user (else guessed from the bytes). */
  encodingChosen?: boolean;
  columns: string[];
  rows: string[][];
  /** The number a person sees for each row: spreadsheet row (header = 1) or 1-based feature number. */
  rowNumbers: number[];
  /** Problems found while reading a row (a ragged CSV row, a feature that is not a point). */
  rowProblems: Map<number, { field: string; why: Reason }>;
}

const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  return String(v).trim();
};

/** Returns the column names of a header row (an empty name becomes "column N"); throws a TableError for no header or a name twice. */
export function headerColumns(header: readonly string[] | undefined): string[] {
  if (!header || header.every((c) => c.trim() === '')) throw new TableError('the file is empty');
  const columns = header.map((c, i) => c.trim() || `column ${i + 1}`);
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined) throw new TableError(`column "${duplicate}" appears twice in the header`);
  return columns;
}

function fromGrid(grid: string[][], format: RawTable['format'], encoding?: TextEncodingName, encodingChosen?: boolean): RawTable {
  const [header, ...body] = grid;
  const columns = headerColumns(header);
  const table: RawTable = { format, encoding, encodingChosen, columns, rows: [], rowNumbers: [], rowProblems: new Map() };
  body.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    const index = table.rows.length;
    table.rows.push(columns.map((_, k) => (cells[k] ?? '').trim()));
    table.rowNumbers.push(i + 2);
    if (cells.length !== columns.length && format === 'csv') {
      table.rowProblems.set(index, { field: '', why: { code: 'field_count', params: { count: cells.length, expected: columns.length } } });
    }
  });
  return table;
}

/**
 * Returns the table in a CSV (UTF-8 or GBK), XLSX (first sheet) or GeoJSON (point features:
 * their properties plus lon and lat) file, chosen by the file name's extension; a text file in
 * `encoding` when given, else in the encoding its bytes suggest. Throws a TableError naming the
 * problem when the file is not such a table.
 */
export async function readTable(bytes: Uint8Array, fileName: string, encoding?: TextEncodingName): Promise<RawTable> {
  const name = fileName.toLowerCase();
  if (name.endsWith('.xlsx')) {
    let sheets: Array<{ sheet: string; data: unknown[][] }>;
    try {
      sheets = (await readXlsxFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)) as never;
    } catch (error) {
      throw new TableError(`not a readable XLSX workbook: ${error instanceof Error ? error.message : String(error)}`);
    }
    const first = sheets[0];
    if (!first) throw new TableError('the workbook has no sheet');
    return fromGrid(
      first.data.map((row) => row.map(cellText)),
      'xlsx',
    );
  }
  const decoded = decodeText(bytes, encoding);
  const { text } = decoded;
  const chosen = encoding !== undefined;
  if (name.endsWith('.geojson') || name.endsWith('.json')) {
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
    const columns = [...[...keys].filter((k) => k !== 'lon' && k !== 'lat'), 'lon', 'lat'];
    const table: RawTable = {
      format: 'geojson',
      encoding: decoded.encoding,
      encodingChosen: chosen,
      columns,
      rows: [],
      rowNumbers: [],
      rowProblems: new Map(),
    };
    collection.features.forEach((f, i) => {
      const props = (f?.properties ?? {}) as Record<string, unknown>;
      const point = f?.geometry?.type === 'Point' ? f.geometry.coordinates : null;
      const row = columns.map((c) =>
        c === 'lon'
          ? cellText(point?.[0])
          : c === 'lat'
            ? cellText(point?.[1])
            : typeof props[c] === 'object' && props[c] !== null
              ? JSON.stringify(props[c])
              : cellText(props[c]),
      );
      if (!point)
        table.rowProblems.set(table.rows.length, {
          field: 'geometry',
          why: { code: 'not_point', params: { type: f?.geometry?.type ?? 'missing' } },
        });
      table.rows.push(row);
      table.rowNumbers.push(i + 1);
    });
    return table;
  }
  // Blank records are skipped in fromGrid, after numbering, so row numbers match a spreadsheet's.
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  return fromGrid(parsed.data, 'csv', decoded.encoding, chosen);
}

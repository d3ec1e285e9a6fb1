/// <reference lib="webworker" />
/**
 * Reads and checks import files off the main thread, so that 100,000 rows do not freeze the map.
 * The table stays in the worker; the page gets a summary, a preview and the checked rows.
 */
import * as Comlink from 'comlink';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { EntityKind } from '../domain/ids';
import { assignPoints } from '../geo/assign-points';
import type { ChinaCrs } from '../geo/crs-china';
import { buildCellIndex, type CellIndex } from '../geo/spatial-index';
import type { TextEncodingName } from '../import/decode-text';
import { type ColumnMapping, type ValidatedImport, validateEntityRows } from '../import/entity-import';
import { type RawTable, readTable } from '../import/read-table';

let table: RawTable | null = null;
let cells: CellIndex | null = null;

/** What the page shows about a file it has not imported yet. */
export interface TableSummary {
  format: RawTable['format'];
  encoding: RawTable['encoding'];
  /** Whether the encoding was the user's choice (else judged from the bytes). */
  encodingChosen: boolean;
  columns: string[];
  rowCount: number;
  preview: string[][];
}

const api = {
  /** Reads a file (a text file in `encoding` when given); returns its summary, or throws a TableError naming the problem. */
  async read(bytes: Uint8Array, fileName: string, encoding?: TextEncodingName): Promise<TableSummary> {
    table = await readTable(bytes, fileName, encoding);
    return {
      format: table.format,
      encoding: table.encoding,
      encodingChosen: table.encodingChosen ?? false,
      columns: table.columns,
      rowCount: table.rows.length,
      preview: table.rows.slice(0, 5),
    };
  },

  /** Returns the values of rows of the file read last, by their row numbers (as rows report them). */
  valuesOf(rowNumbers: number[]): Record<string, string>[] {
    const t = table;
    if (!t) throw new Error('no file has been read');
    const indexOf = new Map(t.rowNumbers.map((n, i) => [n, i]));
    return rowNumbers.map((n) => {
      const cells = t.rows[indexOf.get(n) ?? -1] ?? [];
      return Object.fromEntries(t.columns.map((c, k) => [c, cells[k] ?? '']));
    });
  },

  /** Keeps the cells the user works in (their codes and shapes), for `inCells`. */
  setCells(features: Feature<Polygon | MultiPolygon, { code: string }>[]): void {
    cells = features.length > 0 ? buildCellIndex(features) : null;
  },

  /** Returns, per WGS-84 position, whether it lies in one of the cells given to `setCells`. */
  inCells(lng: Float64Array, lat: Float64Array): Uint8Array {
    const index = cells;
    if (!index) return new Uint8Array(lng.length);
    const inside = Uint8Array.from(assignPoints(index, lng, lat), (k) => (k >= 0 ? 1 : 0));
    return Comlink.transfer(inside, [inside.buffer]);
  },

  /** Checks every row of the file read last against a mapping. */
  validate(kind: EntityKind, mapping: ColumnMapping, crs: ChinaCrs, onProgress: (done: number, total: number) => void): ValidatedImport {
    if (!table) throw new Error('no file has been read');
    const result = validateEntityRows(kind, table, mapping, crs, onProgress);
    onProgress(table.rows.length, table.rows.length);
    return result;
  },
};

export type ImportWorkerApi = typeof api;

Comlink.expose(api);

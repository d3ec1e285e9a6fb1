/// <reference lib="webworker" />
/**
 * Reads and checks import files off the main thread, so that 100,000 rows do not freeze the map.
 * The table stays in the worker; the page gets a summary, a preview and the checked rows.
 */
import * as Comlink from 'comlink';
import type { EntityKind } from '../domain/ids';
import type { ChinaCrs } from '../geo/crs-china';
import { type ColumnMapping, guessMapping, type ValidatedImport, validateEntityRows } from '../import/entity-import';
import { type RawTable, readTable } from '../import/read-table';

let table: RawTable | null = null;

/** What the page shows about a file it has not imported yet. */
export interface TableSummary {
  format: RawTable['format'];
  encoding: RawTable['encoding'];
  columns: string[];
  rowCount: number;
  preview: string[][];
  guessed: ColumnMapping;
}

const api = {
  /** Reads a file; returns its summary, or throws a TableError naming the problem. */
  async read(bytes: Uint8Array, fileName: string, kind: EntityKind): Promise<TableSummary> {
    table = await readTable(bytes, fileName);
    return {
      format: table.format,
      encoding: table.encoding,
      columns: table.columns,
      rowCount: table.rows.length,
      preview: table.rows.slice(0, 5),
      guessed: guessMapping(kind, table.columns),
    };
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

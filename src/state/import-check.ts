import type { ImportResult } from '../domain/records';
import type { EntityImportRow } from '../import/entity-import';
import type { AddressCandidate } from '../import/external-geocoder';
import { type RejectedRow, rejected } from '../import/read-points';
import type { TableSummary } from '../workers/import.worker';

/**
 * A row whose address matched only uncertainly or not at all: the user picks a candidate, drops a
 * pin on the map, or drops the row.
 */
export interface ReviewItem {
  row: EntityImportRow;
  candidates: AddressCandidate[];
  best: AddressCandidate | null;
  values: Record<string, string>;
}

/** A row placed in none of the user's cells, with its values as the file has them. */
export interface OutsideRow {
  row: EntityImportRow;
  values: Record<string, string>;
}

/** Where the import dialog is: plain data, changed by the dialog and the helpers below. */
export type ImportStage =
  | { name: 'choose' }
  | { name: 'reading' }
  | { name: 'mapped'; summary: TableSummary }
  | { name: 'checking'; summary: TableSummary; done: number; total: number; geocoding: boolean }
  | {
      name: 'checked';
      summary: TableSummary;
      /** Rows with a position in one of the user's cells. */
      ready: EntityImportRow[];
      /** Rows with a position in none of the user's cells: imported only if the user says so. */
      outside: OutsideRow[];
      located: number;
      review: ReviewItem[];
      rejectedRows: RejectedRow[];
      /** Why the online geocoder could not answer some rows (those went to review). */
      geocoderFailures: { count: number; message: string } | null;
    }
  | { name: 'importing'; summary: TableSummary; done: number; total: number }
  | { name: 'done'; summary: TableSummary; result: ImportResult; rejectedRows: RejectedRow[] };

/**
 * Returns the stage with a check's progress, or the stage unchanged when the check is over.
 * Progress comes from a worker on its own message channel and may arrive after the check's
 * result: it must never take a finished check back to "checking".
 */
export function progressed(stage: ImportStage, done: number, total: number, geocoding: boolean): ImportStage {
  return stage.name === 'checking' ? { ...stage, done, total, geocoding } : stage;
}

/** Returns the rows in one of the user's cells and those in none (`inside[k]` 1 or 0 per row). */
export function splitByArea(
  rows: readonly EntityImportRow[],
  inside: Uint8Array,
): { ready: EntityImportRow[]; outside: EntityImportRow[] } {
  const ready: EntityImportRow[] = [];
  const outside: EntityImportRow[] = [];
  rows.forEach((row, k) => {
    (inside[k] === 1 ? ready : outside).push(row);
  });
  return { ready, outside };
}

/**
 * Returns what an import writes and what it leaves out: the ready rows, the rows outside the
 * user's cells when `keepOutside`, otherwise those go with the rejected rows (position and reason
 * kept, so they can be downloaded and fixed); rows still waiting for review go there too.
 * `listed` is what the dialog lists as not taken meanwhile: the rejected rows and the rows outside
 * (the rows in review are listed apart, until the user settles them).
 */
export function importPlan(
  stage: Extract<ImportStage, { name: 'checked' }>,
  keepOutside: boolean,
  addressColumn: string,
  positionColumn: string,
): { rows: EntityImportRow[]; rejectedRows: RejectedRow[]; listed: RejectedRow[] } {
  const round = (x: number | undefined) => Math.round((x ?? Number.NaN) * 1e6) / 1e6;
  const outside = keepOutside
    ? []
    : stage.outside.map(({ row, values }) =>
        rejected(
          row.row,
          positionColumn,
          { code: 'outside_area', params: { lon: round(row.lngLat?.[0]), lat: round(row.lngLat?.[1]) } },
          values,
        ),
      );
  const unreviewed = stage.review.map((item) =>
    rejected(
      item.row.row,
      addressColumn,
      { code: 'address_unmatched', params: { address: item.row.address, best: item.best?.label ?? '', score: item.best?.score ?? 0 } },
      item.values,
    ),
  );
  return {
    rows: keepOutside ? [...stage.ready, ...stage.outside.map((o) => o.row)] : stage.ready,
    rejectedRows: [...stage.rejectedRows, ...outside, ...unreviewed].sort((a, b) => a.row - b.row),
    listed: [...stage.rejectedRows, ...outside].sort((a, b) => a.row - b.row),
  };
}

import type { PointKind } from '../domain/ids';
import type { PointColumns } from '../domain/records';
import { BackendError, type BackendErrorCode } from './backend';

/** The JSON shape `points_columns()` returns, before conversion to typed arrays. */
export interface PointColumnsJson {
  kind: PointKind;
  ids: string[];
  lng: number[];
  lat: number[];
  category: string[];
  severity: number[];
  source?: string[];
  time?: number[];
}

/** Returns typed-array point columns from the JSON that `points_columns()` returns. */
export function toPointColumns(json: PointColumnsJson): PointColumns {
  const columns: PointColumns = {
    kind: json.kind,
    ids: json.ids,
    lng: Float64Array.from(json.lng),
    lat: Float64Array.from(json.lat),
    category: json.category,
    severity: Uint8Array.from(json.severity),
  };
  if (json.time) columns.time = Float64Array.from(json.time);
  if (json.source) columns.source = json.source;
  return columns;
}

/** Returns a BackendError for a PostgreSQL error, mapping its SQLSTATE to an error code. */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  const e = error as { code?: string; message?: string; detail?: string; details?: string };
  const sqlstate = e?.code ?? '';
  const message = e?.message ?? String(error);
  // GA409: a grid edit named a stale cell version; DETAIL (PostgREST: details) holds the fresh cells.
  if (sqlstate === 'GA409') {
    let fresh: BackendError['fresh'] = [];
    try {
      const parsed: unknown = JSON.parse(e.detail ?? e.details ?? '[]');
      if (Array.isArray(parsed)) fresh = parsed as BackendError['fresh'];
    } catch {
      fresh = [];
    }
    return new BackendError('conflict', message, fresh);
  }
  let code: BackendErrorCode = 'unknown';
  if (sqlstate === '42501') code = 'forbidden';
  // Two edits that met (a deadlock broken by the database, or a serialization failure): the
  // user's edit did not happen and may be tried again on the current cells.
  else if (sqlstate === '40P01' || sqlstate === '40001') code = 'conflict';
  else if (sqlstate === 'GA428') code = 'confirm';
  else if (sqlstate === '40001' || sqlstate === '23505') code = 'conflict';
  else if (sqlstate.startsWith('22') || sqlstate.startsWith('23')) code = 'invalid';
  else if (sqlstate === 'P0002') code = 'not_found';
  return new BackendError(code, message);
}

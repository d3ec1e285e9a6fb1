import type { FeatureCollection, MultiPolygon } from 'geojson';
import { doorPart, normalizeAddress } from '../domain/address';
import type { CellCode, EntityKind, PointKind } from '../domain/ids';
import type {
  AdminAreaProperties,
  AdminLevel,
  Backend,
  CellDetail,
  CellEditOperation,
  CellEditResult,
  CellEditSummary,
  CellHistoryEntry,
  CellProperties,
  CellVersion,
  DistrictOverview,
  EntityImport,
  GeocodeCandidate,
  ImportResult,
  PointDetail,
} from './backend';
import { type PointColumnsJson, toPointColumns } from './rows';

/** SQL functions the app may call; each is defined in supabase/migrations. */
export const RPC_NAMES = [
  'current_member',
  'district_overview',
  'admin_areas_geojson',
  'cells_geojson',
  'cell_detail',
  'points_columns',
  'point_detail',
  'geocode_address',
  'import_entities',
  'split_cell',
  'merge_cells',
  'transfer_cell',
  'move_cell',
  'reshape_cells',
  'revert_cell_edit',
  'cell_history',
  'recent_cell_edits',
] as const;
export type RpcName = (typeof RPC_NAMES)[number];

/** Rows sent per import call: small enough for PostgREST's request limit, large enough to be quick. */
const IMPORT_BATCH_ROWS = 1_000;

/** Calls a SQL function by name with named arguments, as the signed-in user (PostgREST style). */
export interface RpcTransport {
  rpc<T>(fn: RpcName, args: Record<string, unknown>): Promise<T>;
}

type Reads = Pick<
  Backend,
  | 'getDistrictOverview'
  | 'listAdminAreas'
  | 'listCells'
  | 'getCellDetail'
  | 'listPoints'
  | 'getPointDetail'
  | 'geocodeAddress'
  | 'importEntities'
  | 'splitCell'
  | 'mergeCells'
  | 'transferCell'
  | 'moveCell'
  | 'reshapeCells'
  | 'revertCellEdit'
  | 'getCellHistory'
  | 'listCellEdits'
>;

interface EditJson {
  edit_id: number;
  operation: CellEditOperation;
  cells: CellVersion[] | null;
  new_codes: CellCode[];
  retired_codes: CellCode[];
}

const toEditResult = (r: EditJson): CellEditResult => ({
  editId: r.edit_id,
  operation: r.operation,
  cells: r.cells ?? [],
  newCodes: r.new_codes,
  retiredCodes: r.retired_codes,
});

/** Returns the read methods of a Backend, implemented once over any RpcTransport. */
export function rpcReads(transport: RpcTransport): Reads {
  return {
    getDistrictOverview: () => transport.rpc<DistrictOverview>('district_overview', {}),
    listAdminAreas: (level: AdminLevel) =>
      transport.rpc<FeatureCollection<MultiPolygon, AdminAreaProperties>>('admin_areas_geojson', { p_level: level }),
    listCells: () => transport.rpc<FeatureCollection<MultiPolygon, CellProperties>>('cells_geojson', {}),
    getCellDetail: (code: CellCode) => transport.rpc<CellDetail | null>('cell_detail', { p_code: code }),
    listPoints: async (kind: PointKind) => toPointColumns(await transport.rpc<PointColumnsJson>('points_columns', { p_kind: kind })),
    getPointDetail: (kind: PointKind, id: string) => transport.rpc<PointDetail | null>('point_detail', { p_kind: kind, p_id: id }),
    geocodeAddress: async (query: string, limit = 5) => {
      const normalized = normalizeAddress(query);
      if (normalized === '') return [];
      return transport.rpc<GeocodeCandidate[]>('geocode_address', { p_query: normalized, p_door: doorPart(normalized), p_limit: limit });
    },
    importEntities: async (kind: EntityKind, rows: readonly EntityImport[], onProgress?: (done: number, total: number) => void) => {
      const total: ImportResult = { inserted: 0, updated: 0, unchanged: 0 };
      for (let i = 0; i < rows.length; i += IMPORT_BATCH_ROWS) {
        const batch = rows.slice(i, i + IMPORT_BATCH_ROWS);
        const r = await transport.rpc<ImportResult>('import_entities', { p_kind: kind, p_rows: batch });
        total.inserted += r.inserted;
        total.updated += r.updated;
        total.unchanged += r.unchanged;
        onProgress?.(i + batch.length, rows.length);
      }
      return total;
    },
    splitCell: async (cell, line, reason) =>
      toEditResult(
        await transport.rpc<EditJson>('split_cell', { p_code: cell.code, p_version: cell.version, p_line: line, p_reason: reason }),
      ),
    mergeCells: async (cells, reason, keep) =>
      toEditResult(await transport.rpc<EditJson>('merge_cells', { p_cells: cells, p_reason: reason, p_keep: keep ?? null })),
    transferCell: async (cell, to, reason) =>
      toEditResult(
        await transport.rpc<EditJson>('transfer_cell', {
          p_code: cell.code,
          p_version: cell.version,
          p_to_code: to.code,
          p_to_version: to.version,
          p_reason: reason,
        }),
      ),
    moveCell: async (cell, communityCode, reason) =>
      toEditResult(
        await transport.rpc<EditJson>('move_cell', {
          p_code: cell.code,
          p_version: cell.version,
          p_community_code: communityCode,
          p_reason: reason,
        }),
      ),
    reshapeCells: async (cells, reason, options) =>
      toEditResult(
        await transport.rpc<EditJson>('reshape_cells', {
          p_cells: cells,
          p_reason: reason,
          p_allow_multipart: options?.allowMultipart ?? false,
          p_mode: options?.mode ?? 'reshape',
        }),
      ),
    revertCellEdit: async (editId, reason) =>
      toEditResult(await transport.rpc<EditJson>('revert_cell_edit', { p_edit_id: editId, p_reason: reason ?? null })),
    getCellHistory: async (code) =>
      (await transport.rpc<Record<string, unknown>[]>('cell_history', { p_code: code })).map(
        (h) =>
          ({
            version: h.version,
            validFrom: h.valid_from,
            validTo: h.valid_to ?? null,
            class: h.class,
            communityCode: h.community_code,
            editId: h.edit_id ?? null,
            operation: h.operation ?? null,
            reason: h.reason ?? null,
            actorName: h.actor_name ?? null,
            geometry: h.geometry,
          }) as CellHistoryEntry,
      ),
    listCellEdits: async (limit = 50) =>
      (await transport.rpc<Record<string, unknown>[]>('recent_cell_edits', { p_limit: limit })).map(
        (e) =>
          ({
            id: e.id,
            operation: e.operation,
            reason: e.reason,
            createdAt: e.created_at,
            actorName: e.actor_name ?? null,
            communityCodes: e.community_codes,
            newCodes: e.new_codes,
            retiredCodes: e.retired_codes,
            reverts: e.reverts ?? null,
            revertedBy: e.reverted_by ?? null,
            undoable: e.undoable,
            codes: e.codes ?? [],
          }) as CellEditSummary,
      ),
  };
}

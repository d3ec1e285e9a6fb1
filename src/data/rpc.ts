import type { FeatureCollection, MultiPolygon } from 'geojson';
import { doorPart, normalizeAddress } from '../domain/address';
import type { CellCode, EntityKind, PointKind } from '../domain/ids';
import type {
  AdminAreaProperties,
  AdminLevel,
  Backend,
  CellDetail,
  CellProperties,
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
>;

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
  };
}

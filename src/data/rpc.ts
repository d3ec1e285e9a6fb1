import type { FeatureCollection, MultiPolygon } from 'geojson';
import { doorPart, normalizeAddress } from '../domain/address';
import type { CellCode, PointKind } from '../domain/ids';
import type {
  AdminAreaProperties,
  AdminLevel,
  Backend,
  CellDetail,
  CellProperties,
  DistrictOverview,
  GeocodeCandidate,
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
] as const;
export type RpcName = (typeof RPC_NAMES)[number];

/** Calls a SQL function by name with named arguments, as the signed-in user (PostgREST style). */
export interface RpcTransport {
  rpc<T>(fn: RpcName, args: Record<string, unknown>): Promise<T>;
}

type Reads = Pick<
  Backend,
  'getDistrictOverview' | 'listAdminAreas' | 'listCells' | 'getCellDetail' | 'listPoints' | 'getPointDetail' | 'geocodeAddress'
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
  };
}

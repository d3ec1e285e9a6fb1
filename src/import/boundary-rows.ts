import type { FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { CellCode, CommunityCode } from '../domain/ids';
import type { CellImportRow, CommunityImportRow } from '../domain/records';
import { interiorPoint } from '../geo/interior-point';
import { areaSquareMeters } from '../geo/planar';
import { polygonIntersectsPoint } from '../geo/point-in-polygon';
import { type BoundaryFeature, type BoundaryRejection, type BoundaryWhy, boundaryReasonText } from './read-boundaries';

/** Which property of the file holds which value (undefined: not in the file). */
export interface BoundaryFieldMap {
  code?: string;
  name?: string;
  /** Cells only: the community's code or name (without it, the community the cell lies in). */
  community?: string;
  households?: string;
}

const GUESSES: Record<keyof BoundaryFieldMap, RegExp> = {
  code: /^(code|cell_?code|grid_?code|wgbm|bm|编码|编号|网格编码|网格编号|社区编码|社区代码)$/i,
  name: /^(name|cell_?name|mc|名称|网格名称|社区名称)$/i,
  community: /^(community|community_?code|community_?name|sq|sqbm|社区|所属社区|社区编码)$/i,
  households: /^(households|hs|户数|住户数)$/i,
};

/**
 * Returns the field map guessed from property names (code, name, community, households in
 * English, pinyin initials or Chinese); for communities the community field is not guessed.
 * @example guessBoundaryFields(['网格编码', '名称']) // { code: '网格编码', name: '名称' }
 */
export function guessBoundaryFields(fields: readonly string[], kind: 'cells' | 'communities'): BoundaryFieldMap {
  const map: BoundaryFieldMap = {};
  for (const key of Object.keys(GUESSES) as (keyof BoundaryFieldMap)[]) {
    if (kind === 'communities' && (key === 'community' || key === 'households')) continue;
    const found = fields.find((f) => GUESSES[key].test(f.trim()) && !Object.values(map).includes(f));
    if (found) map[key] = found;
  }
  return map;
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value).trim());

/** A community to place cells in: code, name and boundary (WGS-84). */
export interface CommunityBoundary {
  code: CommunityCode;
  name: string;
  geometry: MultiPolygon;
}

const flat = (ring: number[][]) => Float64Array.from(ring.flat());

/** Returns the community a shape lies in (by a point inside its largest polygon), or null. */
function communityAt(geometry: MultiPolygon, communities: readonly CommunityBoundary[]): CommunityBoundary | null {
  let largest = geometry.coordinates[0] ?? [];
  let largestArea = -1;
  for (const poly of geometry.coordinates) {
    const area = areaSquareMeters({ type: 'Polygon', coordinates: poly });
    if (area > largestArea) {
      largest = poly;
      largestArea = area;
    }
  }
  const [x, y] = interiorPoint({ type: 'Polygon', coordinates: largest } as Polygon) as [number, number];
  for (const c of communities) {
    for (const poly of c.geometry.coordinates) {
      if (
        polygonIntersectsPoint(
          poly.map((r) => flat(r as number[][])),
          x,
          y,
        )
      )
        return c;
    }
  }
  return null;
}

/**
 * Returns the cells to import from boundary features: each row's community from the mapped
 * field (a 12-digit code or a community name) or, without one, the community its shape lies in;
 * its code when the field holds a 15-digit code of that community (the database keeps it when it
 * is a current cell); households as a whole number. Rows whose community or households cannot
 * be read are rejected with the row, the field and the reason.
 * @example toCellImports(file.features, { name: '名称' }, communities).rows[0].communityCode
 */
export function toCellImports(
  features: readonly BoundaryFeature[],
  map: BoundaryFieldMap,
  communities: readonly CommunityBoundary[],
): { rows: CellImportRow[]; rejected: BoundaryRejection[] } {
  const byCode = new Map(communities.map((c) => [c.code as string, c]));
  const byName = new Map(communities.map((c) => [c.name, c]));
  const rows: CellImportRow[] = [];
  const rejected: BoundaryRejection[] = [];
  for (const f of features) {
    const reject = (field: string, why: BoundaryWhy) =>
      rejected.push({ row: f.row, field, why, reason: boundaryReasonText(f.row, why), properties: f.properties, geometry: f.geometry });
    let community: CommunityBoundary | null | undefined;
    if (map.community) {
      const value = text(f.properties[map.community]);
      community = byCode.get(value) ?? byName.get(value);
      if (!community) {
        reject(map.community, value === '' ? { code: 'no-community' } : { code: 'unknown-community', value });
        continue;
      }
    } else {
      community = communityAt(f.geometry, communities);
      if (!community) {
        reject('geometry', { code: 'nowhere' });
        continue;
      }
    }
    let households: number | null = null;
    if (map.households) {
      const value = text(f.properties[map.households]);
      if (value !== '') {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) {
          reject(map.households, { code: 'households', value });
          continue;
        }
        households = n;
      }
    }
    const code = map.code ? text(f.properties[map.code]) : '';
    rows.push({
      row: f.row,
      code: /^[0-9]{15}$/.test(code) && code.startsWith(community.code) ? (code as CellCode) : null,
      name: map.name ? text(f.properties[map.name]) || null : null,
      communityCode: community.code,
      households,
      geometry: f.geometry,
    });
  }
  return { rows, rejected };
}

/**
 * Returns the communities to import from boundary features: a 12-digit code and a name are
 * required; rows without them are rejected with the row, the field and the reason.
 * @example toCommunityImports(file.features, { code: '社区编码', name: '名称' }).rows.length
 */
export function toCommunityImports(
  features: readonly BoundaryFeature[],
  map: BoundaryFieldMap,
): { rows: CommunityImportRow[]; rejected: BoundaryRejection[] } {
  const rows: CommunityImportRow[] = [];
  const rejected: BoundaryRejection[] = [];
  for (const f of features) {
    const code = map.code ? text(f.properties[map.code]) : '';
    const name = map.name ? text(f.properties[map.name]) : '';
    const reject = (field: string, why: BoundaryWhy) =>
      rejected.push({ row: f.row, field, why, reason: boundaryReasonText(f.row, why), properties: f.properties, geometry: f.geometry });
    if (!/^[0-9]{12}$/.test(code)) reject(map.code ?? 'code', { code: 'community-code', value: code });
    else if (name === '') reject(map.name ?? 'name', { code: 'no-name' });
    else rows.push({ row: f.row, code: code as CommunityCode, name, geometry: f.geometry });
  }
  return { rows, rejected };
}

/**
 * Returns the rejected rows as a GeoJSON FeatureCollection to fix and import again: each with its
 * geometry as the file had it (null when it had none) and its properties, plus `_row`, `_field`
 * and `_reason` saying what was wrong.
 * @example JSON.parse(rejectedBoundariesGeoJson(rejected)).features[0].properties._reason
 */
export function rejectedBoundariesGeoJson(rejected: readonly BoundaryRejection[]): string {
  const collection: FeatureCollection<Geometry | null> = {
    type: 'FeatureCollection',
    features: rejected.map((r) => ({
      type: 'Feature',
      properties: { ...r.properties, _row: r.row, _field: r.field, _reason: r.reason },
      geometry: r.geometry,
    })),
  };
  return JSON.stringify(collection);
}

import type { FeatureCollection, Geometry, Position } from 'geojson';
import type { PointColumns } from '../domain/records';
import { type ChinaCrs, fromWgs84 } from './crs-china';

function convertPositions(coords: unknown, crs: ChinaCrs): unknown {
  if (Array.isArray(coords) && typeof coords[0] === 'number') {
    const [x, y] = fromWgs84([coords[0] as number, coords[1] as number], crs);
    return [x, y, ...(coords as Position).slice(2)];
  }
  return (coords as unknown[]).map((c) => convertPositions(c, crs));
}

/**
 * Returns a copy of a FeatureCollection with every position moved from WGS-84 into `crs`, for
 * drawing over a basemap in that system (GCJ-02 for AMap/Tencent tiles, BD-09 for Baidu).
 * Storage stays WGS-84; this is for display only. The same collection is returned for 'wgs84'.
 * @example convertForDisplay(cells, 'gcj02')
 */
export function convertForDisplay<G extends Geometry, P>(fc: FeatureCollection<G, P>, crs: ChinaCrs): FeatureCollection<G, P> {
  if (crs === 'wgs84') return fc;
  return {
    ...fc,
    features: fc.features.map((f) => {
      const geometry = f.geometry as Geometry | null;
      if (!geometry || geometry.type === 'GeometryCollection') return f;
      return { ...f, geometry: { ...geometry, coordinates: convertPositions(geometry.coordinates, crs) } as G };
    }),
  };
}

/** Returns point columns with positions moved from WGS-84 into `crs` for display (same object for 'wgs84'). */
export function convertPointsForDisplay(points: PointColumns, crs: ChinaCrs): PointColumns {
  if (crs === 'wgs84') return points;
  const lng = new Float64Array(points.lng.length);
  const lat = new Float64Array(points.lat.length);
  for (let i = 0; i < lng.length; i++) {
    const [x, y] = fromWgs84([points.lng[i] as number, points.lat[i] as number], crs);
    lng[i] = x;
    lat[i] = y;
  }
  return { ...points, lng, lat };
}
